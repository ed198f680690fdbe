"""Consent to disclose identities and exact figures to a partner firm (companies)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from symbiosis.api.deps import Ctx, CurrentUser, roles
from symbiosis.api.schemas.other import ConsentPublic, ConsentsPublic
from symbiosis.services import consents
from symbiosis.services.principal import Role

router = APIRouter(prefix="/consents", tags=["consents"], dependencies=[roles(Role.COMPANY)])


@router.get("", response_model=ConsentsPublic)
def list_consents(ctx: Ctx, p: CurrentUser) -> Any:
    data = consents.list_consents(ctx, p)
    return {"data": data, "count": len(data)}


@router.get("/{partner_ref}", response_model=ConsentPublic)
def get_consent(ctx: Ctx, p: CurrentUser, partner_ref: str) -> Any:
    return consents.consent_status(ctx, p, partner_ref)


@router.put("/{partner_ref}", response_model=ConsentPublic, summary="Consent to disclose to this partner")
def give_consent(ctx: Ctx, p: CurrentUser, partner_ref: str) -> Any:
    return consents.give_consent(ctx, p, partner_ref)


@router.delete("/{partner_ref}", status_code=status.HTTP_204_NO_CONTENT, summary="Withdraw consent")
def withdraw_consent(ctx: Ctx, p: CurrentUser, partner_ref: str) -> None:
    consents.withdraw_consent(ctx, p, partner_ref)
