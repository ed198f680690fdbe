"""Firms."""

from __future__ import annotations

from fastapi import APIRouter, status

from symbiosis.api.deps import Ctx, CurrentUser, Limit, Offset, roles
from symbiosis.api.schemas.common import changes
from symbiosis.api.schemas.registry import FirmCreate, FirmsPublic, FirmUpdate
from symbiosis.domain import Firm
from symbiosis.services import registry
from symbiosis.services.principal import Role

router = APIRouter(
    prefix="/firms", tags=["firms"], dependencies=[roles(Role.ADMIN, Role.AGENCY, Role.COMPANY)]
)


@router.get("", response_model=FirmsPublic)
def list_firms(ctx: Ctx, p: CurrentUser, offset: Offset = 0, limit: Limit = 100) -> FirmsPublic:
    data, count = registry.list_firms(ctx, p, offset, limit)
    return FirmsPublic(data=data, count=count)


@router.get("/{firm_id}", response_model=Firm)
def get_firm(ctx: Ctx, p: CurrentUser, firm_id: str) -> Firm:
    return registry.get_firm(ctx, p, firm_id)


@router.post("", response_model=Firm, status_code=status.HTTP_201_CREATED)
def create_firm(ctx: Ctx, p: CurrentUser, body: FirmCreate) -> Firm:
    return registry.create_firm(ctx, p, body.model_dump(exclude_none=True))


@router.patch("/{firm_id}", response_model=Firm)
def update_firm(ctx: Ctx, p: CurrentUser, firm_id: str, body: FirmUpdate) -> Firm:
    return registry.update_firm(ctx, p, firm_id, changes(body))


@router.delete("/{firm_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_firm(ctx: Ctx, p: CurrentUser, firm_id: str) -> None:
    registry.delete_firm(ctx, p, firm_id)
