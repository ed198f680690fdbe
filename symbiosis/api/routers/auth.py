"""OAuth2 password flow: POST the e-mail as ``username`` and the password, get a JWT bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from symbiosis.api.deps import Ctx, CurrentUser
from symbiosis.api.schemas.other import Token, UserPublic
from symbiosis.services import users

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=Token, summary="Log in (OAuth2 password flow)")
def login(ctx: Ctx, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    return Token(access_token=users.login(ctx, form.username, form.password))


@router.get("/users/me", response_model=UserPublic, summary="Who am I")
def me(p: CurrentUser) -> UserPublic:
    return UserPublic(
        id=p.user_id, email=p.email, role=p.role, territory_ids=list(p.territory_ids), firm_id=p.firm_id
    )
