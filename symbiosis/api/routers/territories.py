"""Territories: reference data every role reads; admins write."""

from __future__ import annotations

from fastapi import APIRouter, status

from symbiosis.api.deps import Ctx, CurrentUser
from symbiosis.api.schemas.common import changes
from symbiosis.api.schemas.registry import TerritoriesPublic, TerritoryCreate, TerritoryUpdate
from symbiosis.domain import Territory
from symbiosis.services import registry

router = APIRouter(prefix="/territories", tags=["territories"])


@router.get("", response_model=TerritoriesPublic)
def list_territories(ctx: Ctx, p: CurrentUser) -> TerritoriesPublic:
    data = registry.list_territories(ctx, p)
    return TerritoriesPublic(data=data, count=len(data))


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
