"""Accounts (admins only)."""

from __future__ import annotations

from fastapi import APIRouter, status

from symbiosis.api.deps import Ctx, CurrentUser, roles
from symbiosis.api.schemas.other import UserCreate, UserPublic, UsersPublic
from symbiosis.services import users
from symbiosis.services.principal import Role

router = APIRouter(prefix="/users", tags=["users"], dependencies=[roles(Role.ADMIN)])


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def create_user(ctx: Ctx, p: CurrentUser, body: UserCreate) -> dict:
    return users.create_user(ctx, p, **body.model_dump())


@router.get("", response_model=UsersPublic)
def list_users(ctx: Ctx, p: CurrentUser) -> UsersPublic:
    data = users.list_users(ctx, p)
    return UsersPublic(data=[UserPublic.model_validate(u) for u in data], count=len(data))


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(ctx: Ctx, p: CurrentUser, user_id: str) -> None:
    users.delete_user(ctx, p, user_id)
