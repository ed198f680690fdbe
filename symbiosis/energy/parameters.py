"""The energy engineering tables of the knowledge base: country factors, heat bands, parameters.

They are optional: a knowledge base without them (an older folder, or one built in Python for a
test) keeps the flat per-resource defaults, so existing datasets and hand-computed tests still hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, ValidationError

from symbiosis.domain.base import Frozen
from symbiosis.errors import Issue, issues_from_validation_error
from symbiosis.knowledge.tables import read_rows

COUNTRY_FILE = "country_factors.csv"
BAND_FILE = "heat_bands.csv"
PARAMETER_FILE = "energy_parameters.csv"
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}  # Eurostat's codes for the ISO ones


class CountryFactors(Frozen):
    """What electricity costs and emits in one country (the counterfactual of every kWh bought,
    saved or no longer generated there)."""

    country_code: str = Field(pattern=r"^[A-Z]{2}$")
    country: str
    grid_co2_kg_per_mwh: float = Field(ge=0, le=2000)
    grid_year: int = Field(ge=1990, le=2100)
    electricity_price_eur_per_mwh: float = Field(gt=0, le=2000)
    price_year: int = Field(ge=1990, le=2100)
    district_heat_co2_kg_per_mwh: float | None = Field(
        default=None, ge=0, le=2000, description="average district heat production; None = gas boiler default"
    )
    district_heat_year: int | None = Field(default=None, ge=1990, le=2100)
    source: str = Field(min_length=3)


class HeatBand(Frozen):
    """Design flow and return temperatures of a heat resource, where no declaration states them."""

    resource_code: str
    supply_c: float = Field(ge=-60, le=600)
    return_c: float = Field(ge=-60, le=600)
    source: str = Field(min_length=3)


class EnergyParameters(Frozen):
    """Scalars of energy_parameters.csv (one row each, with its source)."""

    heat_pump_carnot_fraction: float = Field(gt=0, le=1)
    heat_exchanger_approach_k: float = Field(ge=0, le=50)
    heat_pump_capex_eur_per_mw_heat: float = Field(ge=0)
    heat_pump_lifetime_yr: int = Field(gt=0)
    heat_pump_opex_fraction_per_yr: float = Field(ge=0, lt=1)
    discount_rate: float = Field(ge=0, lt=1)
    water_heat_capacity_kj_per_kg_k: float = Field(gt=0)
    chp_lost_power_mwh_e_per_t_steam: float = Field(ge=0, le=1)
    ground_temperature_c: float = Field(ge=-30, le=40)
    pipe_insulation_conductivity_w_per_m_k: float = Field(gt=0)
    soil_conductivity_w_per_m_k: float = Field(gt=0)
    pipe_cover_depth_m: float = Field(gt=0)
    pipe_casing_to_steel_ratio: float = Field(gt=1)
    heat_pump_rules: tuple[str, ...] = ()
    chp_steam_resources: tuple[str, ...] = ()
    electric_counterfactual_mwh_e_per_unit: dict[str, float] = Field(default_factory=dict)
    district_heat_resources: tuple[str, ...] = ()
    default_country: str = "EU"


@dataclass(frozen=True)
class EnergyTables:
    countries: dict[str, CountryFactors]
    bands: dict[str, HeatBand]
    parameters: EnergyParameters
    sources: dict[str, str] = field(default_factory=dict)  # parameter name → its source cell

    def country(self, code: str | None) -> CountryFactors:
        """The factors of ``code`` (ISO 3166 alpha-2, Eurostat's UK/EL accepted), else the default row."""
        if code:
            c = code.strip().upper()
            found = self.countries.get(COUNTRY_ALIASES.get(c, c))
            if found is not None:
                return found
        return self.countries[self.parameters.default_country]


_LIST_PARAMETERS = {"heat_pump_rules", "chp_steam_resources", "district_heat_resources"}


def _parameter_value(name: str, raw: str) -> object:
    if name in _LIST_PARAMETERS:
        return tuple(p.strip() for p in raw.split(";") if p.strip())
    if name == "electric_counterfactual_mwh_e_per_unit":
        out: dict[str, str] = {}
        for part in raw.split(";"):
            if part.strip():
                key, _, value = part.partition("=")
                out[key.strip()] = value.strip()
        return out
    return raw.strip()


def load_energy_tables(folder: Path, issues: list[Issue]) -> EnergyTables | None:
    """The three tables of ``folder``, or None when none is there; problems go to ``issues``."""
    paths = [folder / n for n in (COUNTRY_FILE, BAND_FILE, PARAMETER_FILE)]
    if not any(p.is_file() for p in paths):
        return None
    missing = [p for p in paths if not p.is_file()]
    for p in missing:
        issues.append(Issue(str(p), "(file)", None, "the file is required with the other energy tables"))
    if missing:
        return None
    countries: dict[str, CountryFactors] = {}
    bands: dict[str, HeatBand] = {}
    for kind, path in ((CountryFactors, paths[0]), (HeatBand, paths[1])):
        for row in read_rows(path):
            try:
                item = kind.model_validate(row.values())
            except ValidationError as err:
                issues.extend(issues_from_validation_error(err, row.location))
                continue
            key = item.country_code if isinstance(item, CountryFactors) else item.resource_code
            target: dict = countries if isinstance(item, CountryFactors) else bands
            if key in target:
                issues.append(Issue(row.location, "(key)", key, "a unique value (it appears earlier)"))
            target[key] = item
    raw: dict[str, object] = {}
    sources: dict[str, str] = {}
    locations: dict[str, str] = {}
    for row in read_rows(paths[2]):
        name = (row.cells.get("name") or "").strip()
        source = (row.cells.get("source") or "").strip()
        if len(source) < 3:
            issues.append(Issue(row.location, "source", source, "a source for every parameter"))
        raw[name] = _parameter_value(name, row.cells.get("value") or "")
        sources[name], locations[name] = source, row.location
    try:
        parameters = EnergyParameters.model_validate(raw)
    except ValidationError as err:
        for e in err.errors():
            name = str(e["loc"][0]) if e["loc"] else "(row)"
            issues.append(Issue(locations.get(name, paths[2].name), name, raw.get(name), e["msg"].lower()))
        return None
    if parameters.default_country not in countries:
        issues.append(
            Issue(
                PARAMETER_FILE,
                "default_country",
                parameters.default_country,
                "a country_code of " + COUNTRY_FILE,
            )
        )
        return None
    for b in bands.values():
        if not b.supply_c > b.return_c:
            issues.append(Issue(BAND_FILE, "return_c", b.return_c, f"below supply_c ({b.supply_c:g} °C)"))
    return EnergyTables(countries, bands, parameters, sources)
