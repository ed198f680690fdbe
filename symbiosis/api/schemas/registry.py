"""Territories, firms, sites, output and input declarations."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from symbiosis.api.schemas.common import update_schema
from symbiosis.domain import Firm, InputDeclaration, OutputDeclaration, Site, Territory
from symbiosis.domain.base import IDENTIFIER_PATTERN
from symbiosis.domain.bounds import EDGE_CONFIG
from symbiosis.domain.enums import TerritoryLevel
from symbiosis.services.cache import knowledge_base
from symbiosis.units import CanonicalUnit

TERRITORY_EXAMPLE = {
    "id": "dk_kalundborg", "name": "Kalundborg Municipality", "level": "municipality",
    "parent_id": "dk_region_zealand", "code": "326", "source": "Danmarks Statistik",
}  # fmt: skip
FIRM_EXAMPLE = {"name": "Novo Nordisk", "nace_code": "21.20", "source": "company register"}
SITE_EXAMPLE = {
    "firm_id": "novo_nordisk", "name": "Kalundborg production site", "latitude_deg": 55.667,
    "longitude_deg": 11.113, "territory_id": "kalundborg_symbiosis", "source": "company",
}  # fmt: skip
OUTPUT_EXAMPLE = {
    "site_id": "novo_nordisk_kal", "resource_code": "yeast_slurry", "quantity": 250, "quantity_unit": "t/day",
    "quality": {"moisture_pct": 85}, "confidentiality": "private", "note": "declared over the API",
}  # fmt: skip
INPUT_EXAMPLE = {
    "site_id": "pig_farm", "resource_code": "animal_feed", "quantity": 30000, "quantity_unit": "t/yr",
    "supply_price_eur_per_unit": 250,
}  # fmt: skip

ID = Field(default=None, pattern=IDENTIFIER_PATTERN, description="assigned by the service when absent")


def _examples(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


class TerritoryCreate(Territory):
    model_config = _examples(TERRITORY_EXAMPLE)


class FirmCreate(Firm):
    model_config = _examples(FIRM_EXAMPLE)
    id: str | None = ID  # type: ignore[assignment]


class SiteCreate(Site):
    model_config = _examples(SITE_EXAMPLE)
    id: str | None = ID  # type: ignore[assignment]
    firm_id: str | None = Field(default=None, description="a company account's own firm when absent")  # type: ignore[assignment]


class _DefaultUnit:
    """Declarations from the API may leave ``unit`` out: the resource's canonical unit applies."""

    @model_validator(mode="before")
    @classmethod
    def _default_unit(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("unit"):
            resource = knowledge_base().resources.get(str(data.get("resource_code")))
            if resource is not None:
                return {**data, "unit": resource.canonical_unit}
        return data


class OutputCreate(_DefaultUnit, OutputDeclaration):
    """The same validation as a dataset row: every problem reported at once, field by field."""

    model_config = _examples(OUTPUT_EXAMPLE)
    id: str | None = ID  # type: ignore[assignment]
    unit: CanonicalUnit | None = Field(default=None, description="default: the resource's canonical unit")  # type: ignore[assignment]


class InputCreate(_DefaultUnit, InputDeclaration):
    model_config = _examples(INPUT_EXAMPLE)
    id: str | None = ID  # type: ignore[assignment]
    unit: CanonicalUnit | None = Field(default=None, description="default: the resource's canonical unit")  # type: ignore[assignment]


class _Update(BaseModel):
    """Only the fields sent change; the merged record is validated like a new one."""

    model_config = ConfigDict(extra="forbid", **EDGE_CONFIG)


class TerritoryUpdate(_Update):
    model_config = _examples({"name": "Kalundborg Municipality"})
    name: str | None = None
    level: TerritoryLevel | None = None
    parent_id: str | None = None
    code: str | None = None
    source: str | None = None


class FirmUpdate(_Update):
    model_config = _examples({"nace_code": "21.20"})
    name: str | None = None
    nace_code: str | None = None
    source: str | None = None


class SiteUpdate(_Update):
    model_config = _examples({"name": "Main works"})
    firm_id: str | None = None
    name: str | None = None
    latitude_deg: float | None = None
    longitude_deg: float | None = None
    territory_id: str | None = None
    source: str | None = None


_DERIVED = frozenset({"quantity_per_yr", "id"})
OutputUpdate = update_schema(
    "OutputUpdate",
    OutputDeclaration,
    exclude=_DERIVED,
    example={"quantity": 300, "quantity_unit": "t/day"},
)
InputUpdate = update_schema(
    "InputUpdate", InputDeclaration, exclude=_DERIVED, example={"supply_price_eur_per_unit": 240}
)


class TerritoriesPublic(BaseModel):
    data: list[Territory]
    count: int


class FirmsPublic(BaseModel):
    data: list[Firm]
    count: int


class SitesPublic(BaseModel):
    data: list[Site]
    count: int


class OutputPublic(OutputDeclaration):
    firm_id: str
    territory_id: str | None


class InputPublic(InputDeclaration):
    firm_id: str
    territory_id: str | None


class OutputsPublic(BaseModel):
    data: list[OutputPublic]
    count: int


class InputsPublic(BaseModel):
    data: list[InputPublic]
    count: int
