"""OAuth2 password flow: POST the e-mail as ``username`` and the password, get a JWT bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from symbiosis.api.deps import Ctx, CurrentUser, oauth2_scheme
from symbiosis.api.schemas.other import Token, UserPublic
from symbiosis.services import users

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/token",
    response_model=Token,
    summary="Log in (OAuth2 password flow)",
    responses={429: {"description": "too many failed logins for the account or this address: wait"}},
)
def login(ctx: Ctx, request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    client = request.client.host if request.client else None
    return Token(access_token=users.login(ctx, form.username, form.password, client))


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke this token")
def logout(ctx: Ctx, p: CurrentUser, token: Annotated[str, Depends(oauth2_scheme)]) -> None:
    """The token sent is revoked in the store: every API process refuses it from now on."""
    users.logout(ctx, token)


@router.get("/users/me", response_model=UserPublic, summary="Who am I")
def me(p: CurrentUser) -> UserPublic:
    return UserPublic(
        id=p.user_id, email=p.email, role=p.role, territory_ids=list(p.territory_ids), firm_id=p.firm_id
    )
