"""Exchanges known to exist (e.g. Kalundborg's), as documented — the ground truth for tests."""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from symbiosis.domain.base import IDENTIFIER_PATTERN, Frozen
from symbiosis.domain.bounds import checked_quantity_per_yr
from symbiosis.errors import UnitError
from symbiosis.units import CanonicalUnit, to_canonical_per_year


class KnownExchange(Frozen):
    id: str = Field(pattern=IDENTIFIER_PATTERN)
    from_site_id: str = Field(pattern=IDENTIFIER_PATTERN)
    to_site_id: str = Field(pattern=IDENTIFIER_PATTERN)
    resource_code: str = Field(pattern=r"^[a-z0-9_]+$")
    output_id: str | None = None
    input_id: str | None = None
    unit: CanonicalUnit
    quantity_unit: str | None = None  # before quantity: its bound is checked once the unit is known
    quantity: float | None = Field(default=None, ge=0.0, description="None when no figure is published")
    since_year: int | None = Field(default=None, ge=1900, le=2100)
    year: int | None = Field(default=None, ge=1900, le=2100, description="year the quantity refers to")
    is_estimate: bool = False
    source: str = Field(min_length=3)
    note: str = ""

    @field_validator("quantity_unit")
    @classmethod
    def _unit_convertible(cls, v: str | None, info: ValidationInfo) -> str | None:
        unit = info.data.get("unit")
        if v is not None and unit is not None:
            try:
                to_canonical_per_year(1.0, v, unit)
            except UnitError as exc:
                raise ValueError(str(exc)) from None
        return v

    @field_validator("quantity")
    @classmethod
    def _bounded(cls, v: float | None, info: ValidationInfo) -> float | None:
        d = info.data
        if v is not None and d.get("unit") is not None and d.get("quantity_unit") is not None:
            checked_quantity_per_yr(v, d["quantity_unit"], d["unit"])
        return v

    @property
    def quantity_per_yr(self) -> float | None:
        if self.quantity is None or self.quantity_unit is None:
            return None
        return to_canonical_per_year(self.quantity, self.quantity_unit, self.unit)
