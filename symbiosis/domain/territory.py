"""Territories nest: country › region › intercommunality/municipality › industrial park."""

from __future__ import annotations

from pydantic import Field, model_validator

from symbiosis.domain.base import IDENTIFIER_PATTERN, Frozen
from symbiosis.domain.enums import TerritoryLevel


class Territory(Frozen):
    id: str = Field(pattern=IDENTIFIER_PATTERN)
    name: str = Field(min_length=1)
    level: TerritoryLevel
    parent_id: str | None = Field(default=None, description="enclosing territory; None for a country")
    code: str | None = Field(default=None, description="official code (ISO, NUTS, SIREN of an EPCI, INSEE…)")
    source: str | None = Field(default=None, description="where the record comes from")

    @model_validator(mode="after")
    def _parent_not_self(self) -> Territory:
        if self.parent_id == self.id:
            raise ValueError(
                f"parent_id {self.parent_id!r} is the territory itself: expected an enclosing one"
            )
        return self
