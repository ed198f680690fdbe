"""Prefilled declarations: a facility's reported figures run through the activity mapping table.

Every declaration made here is an estimate (``is_estimate=True``) whose ``source`` names the
E-PRTR figure it was scaled from and the mapping row that scaled it, so that the firm can find,
confirm or correct it. Costs and emissions are left empty: the knowledge base's defaults apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbiosis.domain import InputDeclaration, OutputDeclaration, Quality, QualityRequirement
from symbiosis.domain.enums import Confidentiality
from symbiosis.knowledge import KnowledgeBase
from symbiosis.prefill.eprtr_source import Facility, FacilityReleases, FacilityWaste
from symbiosis.prefill.identities import site_id
from symbiosis.prefill.mapping import WASTE_BASES, MappingRow, rows_for_activity

MIN_QUANTITY_PER_YR = 1.0
"""Declarations below one canonical unit a year (1 t, 1 MWh) are noise, not opportunities."""

EPRTR_CITATION = "E-PRTR Finland (EEA Industrial Reporting database, CC BY 4.0; extract by SYKE)"
MAPPING_FILE = "datasets/finland_eprtr/activity_mapping.csv"
_KG_PER_T = 1000.0


@dataclass(frozen=True)
class Basis:
    """The facility figure a mapping row scales, its size and the years it averages."""

    value: float
    label: str
    year: int | None


def _basis(
    row: MappingRow, facility: Facility, waste: FacilityWaste | None, releases: FacilityReleases | None
) -> Basis | None:
    if row.basis in WASTE_BASES:
        if waste is None or waste.get(row.basis) <= 0:
            return None
        label = f"waste transfers {row.basis} t/yr, mean of {_span(waste.years)}"
        return Basis(waste.get(row.basis), label, max(waste.years))
    if row.basis.endswith("_AIR"):
        pollutant = row.basis.removesuffix("_AIR")
        if releases is None or releases.get(pollutant) <= 0:
            return None
        label = f"{pollutant} to air t/yr, mean of {_span(releases.years)}"
        return Basis(releases.get(pollutant) / _KG_PER_T, label, max(releases.years))
    return Basis(
        1.0, f"activity {facility.activity_code} above its capacity threshold", facility.reporting_year
    )


def _conditions_hold(row: MappingRow, basis: Basis, releases: FacilityReleases | None) -> bool:
    """A row's size conditions: e.g. FGD gypsum only where a plant is large and burns sulphurous fuel."""
    if row.min_basis is not None and basis.value < row.min_basis:
        return False
    if row.min_co2_t_per_yr is not None:
        co2_t = releases.get("CO2") / _KG_PER_T if releases is not None else 0.0
        return co2_t >= row.min_co2_t_per_yr
    return True


def _span(years: tuple[int, ...]) -> str:
    """'2021–2023' for consecutive years, '2019, 2021, 2023' when the facility skipped some."""
    if len(years) > 1 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def _source(facility: Facility, row: MappingRow, basis: Basis) -> str:
    return (
        f"{EPRTR_CITATION}, facility {facility.facility_id}: {basis.label}; "
        f"× {row.factor:g} per mapping row '{row.id}' ({MAPPING_FILE})"
    )


def declarations_for(
    facility: Facility,
    mapping: list[MappingRow],
    kb: KnowledgeBase,
    waste: FacilityWaste | None,
    releases: FacilityReleases | None,
) -> tuple[list[OutputDeclaration], list[InputDeclaration]]:
    """The outputs and inputs the mapping infers for one facility (none for a closed facility)."""
    outputs: list[OutputDeclaration] = []
    inputs: list[InputDeclaration] = []
    if facility.status != "functional":
        return outputs, inputs
    sid = site_id(facility)
    for row in rows_for_activity(mapping, facility.activity_code, facility.name):
        basis = _basis(row, facility, waste, releases)
        if basis is None or not _conditions_hold(row, basis, releases):
            continue
        quantity = round(basis.value * row.factor, 1)
        if quantity < MIN_QUANTITY_PER_YR:
            continue
        common = {
            "site_id": sid,
            "resource_code": row.resource_code,
            "unit": kb.resource(row.resource_code).canonical_unit,
            "quantity": quantity,
            "quantity_unit": row.quantity_unit,
            "confidentiality": Confidentiality.AGENCY,
            "is_estimate": True,
            "year": basis.year,
            "source": _source(facility, row, basis),
            "note": row.assumption,
        }
        if row.direction == "output":
            quality = Quality(
                temperature_c=row.temperature_c, moisture_pct=row.moisture_pct, purity_pct=row.purity_pct
            )
            outputs.append(OutputDeclaration(id=f"{sid}-out-{row.id}", quality=quality, **common))
        else:
            inputs.append(
                InputDeclaration(
                    id=f"{sid}-in-{row.id}",
                    requirement=QualityRequirement(min_temperature_c=row.min_temperature_c),
                    **common,
                )
            )
    return outputs, inputs
