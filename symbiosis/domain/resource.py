"""The resource knowledge base's records: what can flow, how it travels, what replaces what.

Every record carries a ``source`` so a figure shown to a facilitator can be traced. Money is in
euros, emissions in kg CO2e, and "per unit" means per canonical unit of the resource (t, m³ or MWh).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from symbiosis.domain.base import Frozen
from symbiosis.domain.enums import ResourceFamily, TransportMode
from symbiosis.units import CanonicalUnit


class WaterSource(StrEnum):
    """Where water is abstracted from: only ground, surface and mains water are fresh water."""

    GROUND = "ground"
    SURFACE = "surface"
    MAINS = "mains"
    SEA = "sea"

    @property
    def is_fresh(self) -> bool:
        return self is not WaterSource.SEA


SOURCE = Field(min_length=3, description="where the figure comes from (publication, year)")


class FamilyInfo(Frozen):
    """How a family of resources travels and how far it is worth moving."""

    family: ResourceFamily
    transport_mode: TransportMode
    max_distance_km: float = Field(gt=0)
    description: str = ""
    source: str = SOURCE


class Resource(Frozen):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    family: ResourceFamily
    canonical_unit: CanonicalUnit
    hazardous: bool = False
    ewc_codes: tuple[str, ...] = Field(default=(), description="EU List of Waste codes, e.g. '10 01 05'")
    virgin_price_eur_per_unit: float = Field(ge=0, description="default price of buying it new")
    virgin_co2_kg_per_unit: float = Field(ge=0, description="default emissions of supplying it new")
    disposal_cost_eur_per_unit: float = Field(description="default cost of getting rid of it (may be < 0)")
    disposal_co2_kg_per_unit: float = Field(ge=0, description="default emissions of its disposal")
    density_t_per_m3: float = Field(default=1.0, gt=0, description="to weigh liquids carried by truck")
    combustion_co2_kg_per_unit: float | None = Field(
        default=None,
        ge=0,
        description="fossil CO2 emitted when one unit is burnt (0 for biogenic fuels); None = not a "
        "fuel. A receiver that burns its input is charged this for what it burns instead",
    )
    water_source: WaterSource | None = Field(
        default=None,
        description="water only: where this water is abstracted from when it is bought new",
    )
    abstracted_water: bool = Field(
        default=False,
        description="raw water taken at its water_source (a lake or well intake): offered as an "
        "output it moves an abstraction elsewhere, it is not a used stream being reused",
    )
    source: str = SOURCE


class SubstitutionRule(Frozen):
    """`from_resource` (an output) can replace `to_resource` (an input).

    One unit of the output replaces ``ratio`` units of the input, provided the quality conditions
    hold; pre-treatment costs and emits per unit of output.
    """

    id: str = Field(pattern=r"^[a-z0-9_\-]+$")
    from_resource: str
    to_resource: str
    ratio: float = Field(gt=0, description="input units replaced per output unit")
    min_temperature_c: float | None = None
    max_moisture_pct: float | None = Field(default=None, ge=0, le=100)
    min_purity_pct: float | None = Field(default=None, ge=0, le=100)
    max_share_of_input: float = Field(default=1.0, gt=0, le=1, description="cap on the input share covered")
    pretreatment_cost_eur_per_unit: float = Field(default=0.0, ge=0)
    pretreatment_co2_kg_per_unit: float = Field(default=0.0, ge=0)
    note: str = ""
    source: str = SOURCE


class TruckParameters(Frozen):
    """Road haulage, costed per tonne-kilometre on the road distance."""

    cost_eur_per_t_km: float = Field(gt=0)
    handling_cost_eur_per_t: float = Field(ge=0, description="loading and unloading, once per tonne")
    co2_kg_per_t_km: float = Field(gt=0)
    road_detour_factor: float = Field(ge=1.0, description="road km per great-circle km")
    min_lot_t_per_yr: float = Field(
        default=0.0, ge=0, description="smallest yearly tonnage worth a truck deal (e.g. one full load)"
    )
    deal_cost_eur_per_yr: float = Field(
        default=0.0,
        ge=0,
        description="fixed yearly cost of running one truck deal (contract, waste paperwork, testing), "
        "paid once the link exists, whatever the tonnage",
    )
    source: str = SOURCE


def capital_recovery_factor(discount_rate: float, lifetime_yr: int) -> float:
    """CRF = r(1+r)^n / ((1+r)^n - 1): the annuity that repays one euro of capex over n years."""
    r, n = discount_rate, lifetime_yr
    if r == 0:
        return 1.0 / n
    g = (1.0 + r) ** n
    return r * g / (g - 1.0)


class PipelineParameters(Frozen):
    """A dedicated pipe for one family: built once (fixed cost), then pumped and losing heat."""

    family: ResourceFamily
    capex_eur_per_m: float = Field(gt=0)
    lifetime_yr: int = Field(gt=0)
    discount_rate: float = Field(ge=0, lt=1)
    opex_fraction_per_yr: float = Field(ge=0, lt=1, description="maintenance, share of capex per year")
    operating_cost_eur_per_unit_km: float = Field(ge=0, description="pumping/compression per unit per km")
    loss_fraction_per_km: float = Field(ge=0, lt=1, description="heat or leak loss per km")
    operating_co2_kg_per_unit_km: float = Field(ge=0)
    detour_factor: float = Field(ge=1.0)
    # sizing by flow (symbiosis/energy/pipe_sizing.py); when absent the flat capex_eur_per_m applies
    capex_base_eur_per_m: float | None = Field(default=None, ge=0, description="cost-curve intercept")
    capex_eur_per_m_per_m_diameter: float | None = Field(default=None, ge=0, description="cost-curve slope")
    design_velocity_m_per_s: float | None = Field(default=None, gt=0)
    density_kg_per_m3: float | None = Field(default=None, gt=0, description="of the fluid in the pipe")
    kg_per_unit: float | None = Field(
        default=None, gt=0, description="fluid mass per canonical unit (heat: from the band's ΔT)"
    )
    source: str = SOURCE

    @property
    def sized_by_flow(self) -> bool:
        return None not in (
            self.capex_base_eur_per_m,
            self.capex_eur_per_m_per_m_diameter,
            self.design_velocity_m_per_s,
            self.density_kg_per_m3,
        )

    @property
    def capital_recovery_factor(self) -> float:
        return capital_recovery_factor(self.discount_rate, self.lifetime_yr)

    def fixed_cost_eur_per_yr(self, length_km: float) -> float:
        capex = self.capex_eur_per_m * 1000.0 * length_km
        return capex * (self.capital_recovery_factor + self.opex_fraction_per_yr)


class EmissionFactor(Frozen):
    id: str
    description: str
    value: float
    unit: str
    year: int
    source: str = SOURCE


class EwcCode(Frozen):
    """One entry of the EU List of Waste (Commission Decision 2000/532/EC as amended)."""

    code: str = Field(pattern=r"^\d{2} \d{2} \d{2}\*?$")
    hazardous: bool
    description: str
    chapter: str = ""
    resource_code: str | None = Field(default=None, description="the resource it maps to, if any")


class NaceCode(Frozen):
    code: str
    level: int = Field(ge=1, le=5)
    name: str
    parent_code: str | None = None
