"""Aggregates for analysts: counts, totals per resource, potential — no firm-level figures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from symbiosis.api.deps import Ctx, CurrentUser, roles
from symbiosis.api.schemas.other import AggregatesPublic
from symbiosis.services import aggregates
from symbiosis.services.principal import Role

router = APIRouter(
    prefix="/aggregates", tags=["aggregates"], dependencies=[roles(Role.ADMIN, Role.AGENCY, Role.ANALYST)]
)


@router.get("/{territory_id}", response_model=AggregatesPublic)
def territory_aggregates(ctx: Ctx, p: CurrentUser, territory_id: str) -> Any:
    return aggregates.territory_aggregates(ctx, p, territory_id)
