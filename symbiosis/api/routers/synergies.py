"""The synergy pipeline: promote a candidate or planned link, move it along, keep its history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from symbiosis.api.deps import Ctx, CurrentUser, roles
from symbiosis.api.schemas.other import SynergiesPublic, SynergyCreate, SynergyPublic, SynergyUpdate
from symbiosis.services import synergies
from symbiosis.services.principal import Role
from symbiosis.services.synergies import SynergyStatus

router = APIRouter(prefix="/synergies", tags=["synergies"], dependencies=[roles(Role.ADMIN, Role.AGENCY)])


@router.post("", response_model=SynergyPublic, status_code=status.HTTP_201_CREATED)
def create_synergy(ctx: Ctx, p: CurrentUser, body: SynergyCreate) -> Any:
    fields = body.model_dump()
    pool_id, territory_id = fields.pop("pool_id"), fields.pop("territory_id")
    if pool_id is not None or territory_id is not None:
        others = {k: v for k, v in fields.items() if k != "note" and v is not None}
        return synergies.create_pool_synergy(ctx, p, territory_id, pool_id, body.note, others)
    return synergies.create_synergy(ctx, p, **fields)


@router.get("", response_model=SynergiesPublic)
def list_synergies(ctx: Ctx, p: CurrentUser, status: SynergyStatus | None = None) -> Any:
    data = synergies.list_synergies(ctx, p, status)
    return {"data": data, "count": len(data)}


@router.get("/{synergy_id}", response_model=SynergyPublic)
def get_synergy(ctx: Ctx, p: CurrentUser, synergy_id: str) -> Any:
    return synergies.get_synergy(ctx, p, synergy_id)


@router.patch("/{synergy_id}", response_model=SynergyPublic, summary="Change status and/or add a note")
def update_synergy(ctx: Ctx, p: CurrentUser, synergy_id: str, body: SynergyUpdate) -> Any:
    return synergies.update_synergy(ctx, p, synergy_id, body.status, body.note, body.date)
