"""Typed dependency aliases injected into the thin route handlers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer

from symbiosis.services import users
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import Unauthenticated
from symbiosis.services.principal import Principal, Role
from symbiosis.services.runs import JobRunner

TOKEN_URL = "/auth/token"
oauth2_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def get_context(request: Request) -> ServiceContext:
    return request.app.state.ctx


def get_jobs(request: Request) -> JobRunner:
    return request.app.state.jobs


Ctx = Annotated[ServiceContext, Depends(get_context)]
Jobs = Annotated[JobRunner, Depends(get_jobs)]


def current_principal(ctx: Ctx, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Principal:
    if not token:
        raise Unauthenticated(
            f"not logged in: send 'Authorization: Bearer <token>' (get one at POST {TOKEN_URL})"
        )
    return users.principal_from_token(ctx, token)


CurrentUser = Annotated[Principal, Depends(current_principal)]
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000
"""Pagination bounds, for every paged list: the graph stores take SKIP/LIMIT as 32-bit integers
(an offset of 2^31 used to be a 500), and no territory holds a billion rows."""
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"rows to skip (at most {MAX_OFFSET:,})")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"rows to return (at most {MAX_LIMIT})")]


def roles(*allowed: Role) -> Any:
    """A router-level dependency: refuse other roles (403) before the body is even validated, so
    a role that may never call an endpoint learns nothing from its validation errors."""

    def check(p: CurrentUser) -> None:
        p.require(*allowed)

    return Depends(check)
