"""What a site gives off (outputs) and what it needs (inputs).

A declaration keeps the quantity as the firm wrote it (``quantity`` in ``quantity_unit``) and the
same amount in the resource's canonical unit per year (``quantity_per_yr`` in ``unit``), derived
here with pint so every layer downstream compares like with like. Money and emissions are per
canonical unit (€/t, €/m³, €/MWh; kg CO2e per t, m³ or MWh); when absent, the resource's defaults
from the knowledge base apply.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from symbiosis.domain.base import IDENTIFIER_PATTERN, Frozen
from symbiosis.domain.bounds import (
    Co2KgPerUnit,
    ConcentrationMgPerL,
    EurPerUnit,
    NonNegativeEurPerUnit,
    checked_quantity_per_yr,
)
from symbiosis.domain.enums import Confidentiality
from symbiosis.errors import UnitError
from symbiosis.units import CanonicalUnit, to_canonical_per_year

MONTHS = 12
FLAT_PROFILE: tuple[float, ...] = (1.0 / MONTHS,) * MONTHS
Percent = Annotated[float, Field(ge=0.0, le=100.0)]


class Quality(Frozen):
    """Measured quality of an output."""

    temperature_c: float | None = Field(default=None, ge=-60.0, le=1600.0)
    return_temperature_c: float | None = Field(
        default=None,
        ge=-60.0,
        le=1600.0,
        description="heat: the temperature the stream may be cooled to (its return); the declared MWh "
        "are what cooling from temperature_c down to it gives",
    )
    contaminants_mg_per_l: dict[str, ConcentrationMgPerL] = Field(default_factory=dict)
    purity_pct: Percent | None = None
    moisture_pct: Percent | None = None


class QualityRequirement(Frozen):
    """Limits an input accepts. ``None`` means no limit."""

    min_temperature_c: float | None = Field(default=None, ge=-60.0, le=1600.0)
    max_temperature_c: float | None = Field(default=None, ge=-60.0, le=1600.0)
    return_temperature_c: float | None = Field(
        default=None,
        ge=-60.0,
        le=1600.0,
        description="heat: the temperature the receiver's water comes back at",
    )
    max_contaminants_mg_per_l: dict[str, ConcentrationMgPerL] = Field(default_factory=dict)
    min_purity_pct: Percent | None = None
    max_moisture_pct: Percent | None = None


def normalise_profile(values: object) -> tuple[float, ...]:
    """Twelve non-negative monthly weights, rescaled to fractions of the year that sum to 1."""
    if isinstance(values, str):
        parts = [p for p in values.replace(",", ";").split(";") if p.strip()]
        try:
            values = [float(p) for p in parts]
        except ValueError as exc:
            raise ValueError(f"expected 12 numbers separated by ';', got {values!r}") from exc
    if not isinstance(values, list | tuple):
        raise ValueError("expected a list of 12 non-negative monthly values")
    if len(values) != MONTHS:
        raise ValueError(f"expected 12 monthly values, got {len(values)}")
    try:
        floats = [float(v) for v in values]
    except (TypeError, ValueError) as exc:
        raise ValueError("expected 12 numbers") from exc
    if any(v < 0 or v != v for v in floats):
        raise ValueError("expected 12 non-negative monthly values")
    total = sum(floats)
    if total <= 0:
        raise ValueError("expected at least one month with a positive value")
    if abs(total - 1.0) <= 1e-9:  # already fractions: keep them, so a written profile reads back identical
        return tuple(floats)
    return tuple(v / total for v in floats)


class _Declaration(Frozen):
    id: str = Field(pattern=IDENTIFIER_PATTERN)
    site_id: str = Field(pattern=IDENTIFIER_PATTERN)
    resource_code: str = Field(pattern=r"^[a-z0-9_]+$")
    unit: CanonicalUnit = Field(description="the resource's canonical unit (t, m3 or MWh)")
    # quantity_unit before quantity: the quantity's bound is checked once its unit is known
    quantity_unit: str = Field(description="unit as declared, e.g. 't/day', 'm3/h', 'GWh/yr', 'MW'")
    quantity: float = Field(
        ge=0.0, description="amount as declared, in quantity_unit; at most 1e9 t, 1e11 m3 or 1e9 MWh per year"
    )
    monthly_profile: tuple[float, ...] = Field(default=FLAT_PROFILE, description="12 fractions of the year")
    peak_mw: float | None = Field(
        default=None, gt=0.0, le=1e5, description="heat (MWh resources): peak thermal power, sizes the pipe"
    )
    confidentiality: Confidentiality = Confidentiality.AGENCY
    is_estimate: bool = False
    year: int | None = Field(default=None, ge=1900, le=2100)
    source: str | None = None
    note: str = ""
    quantity_per_yr: float = Field(
        default=0.0, validate_default=True, description="derived: quantity in `unit` per year"
    )

    @field_validator("monthly_profile", mode="before")
    @classmethod
    def _profile(cls, v: object) -> tuple[float, ...]:
        return normalise_profile(v)

    @field_validator("quantity_unit")
    @classmethod
    def _unit_convertible(cls, v: str, info: ValidationInfo) -> str:
        unit = info.data.get("unit")
        if unit is not None:
            try:
                to_canonical_per_year(1.0, v, unit)
            except UnitError as exc:
                raise ValueError(str(exc)) from None
        return v

    @field_validator("quantity")
    @classmethod
    def _bounded(cls, v: float, info: ValidationInfo) -> float:
        d = info.data
        if "unit" in d and "quantity_unit" in d:
            checked_quantity_per_yr(v, d["quantity_unit"], d["unit"])
        return v

    @field_validator("quantity_per_yr")
    @classmethod
    def _derive(cls, v: float, info: ValidationInfo) -> float:
        d = info.data
        if {"unit", "quantity", "quantity_unit"} <= d.keys():
            return to_canonical_per_year(d["quantity"], d["quantity_unit"], d["unit"])
        return v  # an earlier field failed and is reported already

    def monthly_quantity(self) -> tuple[float, ...]:
        """Quantity available (or needed) in each month, canonical units."""
        q = self.quantity_per_yr
        return tuple(q * f for f in self.monthly_profile)


class OutputDeclaration(_Declaration):
    """A resource a site gives off, and what getting rid of it costs today."""

    quality: Quality = Field(default_factory=Quality)
    disposal_cost_eur_per_unit: EurPerUnit | None = Field(default=None, description="may be negative (sold)")
    disposal_co2_kg_per_unit: Co2KgPerUnit | None = None


class InputDeclaration(_Declaration):
    """A resource a site needs, and what buying it new costs today."""

    requirement: QualityRequirement = Field(default_factory=QualityRequirement)
    supply_price_eur_per_unit: NonNegativeEurPerUnit | None = None
    supply_co2_kg_per_unit: Co2KgPerUnit | None = None
