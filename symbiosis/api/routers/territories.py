"""Territories: reference data every role reads; admins write."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from symbiosis.api.deps import Ctx, CurrentUser, Limit, Offset
from symbiosis.api.schemas.common import changes
from symbiosis.api.schemas.registry import TerritoriesPublic, TerritoryCreate, TerritoryUpdate
from symbiosis.domain import Territory
from symbiosis.domain.enums import TerritoryLevel
from symbiosis.services import registry

router = APIRouter(prefix="/territories", tags=["territories"])


@router.get("", response_model=TerritoriesPublic, summary="Territories, paged: a subtree, children, a level")
def list_territories(
    ctx: Ctx,
    p: CurrentUser,
    offset: Offset = 0,
    limit: Limit = 1000,
    within: Annotated[str | None, Query(description="this territory and everything below it")] = None,
    parent_id: Annotated[str | None, Query(description="the direct children of this territory")] = None,
    level: TerritoryLevel | None = None,
) -> TerritoriesPublic:
    data = registry.list_territories(ctx, p, within=within, parent_id=parent_id, level=level)
    return TerritoriesPublic(data=data[offset : offset + limit], count=len(data))


@router.get("/{territory_id}", response_model=Territory)
def get_territory(ctx: Ctx, p: CurrentUser, territory_id: str) -> Territory:
    return registry.get_territory(ctx, p, territory_id)


@router.post("", response_model=Territory, status_code=status.HTTP_201_CREATED)
def create_territory(ctx: Ctx, p: CurrentUser, body: TerritoryCreate) -> Territory:
    return registry.create_territory(ctx, p, body.model_dump())


@router.patch("/{territory_id}", response_model=Territory)
def update_territory(ctx: Ctx, p: CurrentUser, territory_id: str, body: TerritoryUpdate) -> Territory:
    return registry.update_territory(ctx, p, territory_id, changes(body))


@router.delete("/{territory_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_territory(ctx: Ctx, p: CurrentUser, territory_id: str) -> None:
    registry.delete_territory(ctx, p, territory_id)
