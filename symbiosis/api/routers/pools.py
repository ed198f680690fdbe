"""Pooled collection and purchasing proposed for a territory: tours, costs, each member's share."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from symbiosis.api.deps import Ctx, CurrentUser, roles
from symbiosis.api.schemas.pools import PoolForCompany, PoolPublic, PoolsPublic
from symbiosis.domain.bounds import FiniteFloat
from symbiosis.services import pools
from symbiosis.services.principal import Role

router = APIRouter(
    prefix="/pools", tags=["pools"], dependencies=[roles(Role.ADMIN, Role.AGENCY, Role.COMPANY)]
)

CarbonPrice = Annotated[
    FiniteFloat,
    Query(ge=0, le=pools.MAX_CARBON_PRICE_EUR_PER_T, description="€ per t CO2e added to every cost"),
]


@router.get("", response_model=PoolsPublic, summary="Proposed pools of a territory, best saving first")
def list_pools(
    ctx: Ctx, p: CurrentUser,
    territory_id: Annotated[str, Query(description="territory (its sub-territories included)")],
    carbon_price_eur_per_t: CarbonPrice = 0.0,
) -> Any:  # fmt: skip
    data = pools.list_pools(ctx, p, territory_id, carbon_price_eur_per_t)
    return {"data": data, "count": len(data)}


@router.get("/{pool_id}", response_model=PoolPublic | PoolForCompany, summary="One proposed pool")
def get_pool(
    ctx: Ctx, p: CurrentUser, pool_id: str, territory_id: str, carbon_price_eur_per_t: CarbonPrice = 0.0
) -> Any:
    return pools.get_pool(ctx, p, territory_id, pool_id, carbon_price_eur_per_t)
