"""Accounts: created by an admin (the first one by the CLI), logged in with a password, turned into
a `Principal` on every request from the token's subject."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from symbiosis.errors import DuplicateKey, InvalidInput, Issue
from symbiosis.services import login_guard
from symbiosis.services.context import ServiceContext, utc_now
from symbiosis.services.errors import Conflict, NotFound, Unauthenticated
from symbiosis.services.principal import Principal, Role
from symbiosis.services.security import password_problem

USER = "User"
REVOKED = "RevokedToken"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _principal(record: dict[str, Any]) -> Principal:
    return Principal(
        user_id=record["id"],
        email=record["email"],
        role=Role(record["role"]),
        territory_ids=tuple(record.get("territory_ids") or ()),
        firm_id=record.get("firm_id"),
    )


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A user record without its password hash."""
    return {k: v for k, v in record.items() if k != "password_hash"}


def _check_new_user(
    ctx: ServiceContext, email: str, password: str, role: Role, territory_ids: list[str], firm_id: str | None
) -> None:
    issues: list[Issue] = []
    if not EMAIL.match(email):
        issues.append(Issue("user", "email", email, "an e-mail address such as name@example.org"))
    if (weak := password_problem(password, email, email.split("@")[0])) is not None:
        issues.append(Issue("user", "password", "***", weak))
    if role is Role.AGENCY and not territory_ids:
        issues.append(Issue("user", "territory_ids", territory_ids, "at least one territory for an agency"))
    known = ctx.tree().territories
    for tid in territory_ids:
        if tid not in known:
            issues.append(Issue("user", "territory_ids", tid, "the id of an existing territory"))
    if role is Role.COMPANY and (firm_id is None or ctx.repo().get_firm(firm_id) is None):
        issues.append(Issue("user", "firm_id", firm_id, "the id of an existing firm for a company account"))
    if role is not Role.COMPANY and firm_id is not None:
        issues.append(Issue("user", "firm_id", firm_id, "no firm: only company accounts are bound to a firm"))
    if issues:
        raise InvalidInput(issues, "user")
    if ctx.repo().user_by_email(email) is not None:
        raise Conflict(f"a user with e-mail {email!r} exists already")


def create_user_record(
    ctx: ServiceContext, email: str, password: str, role: Role, territory_ids: list[str] | None = None,
    firm_id: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """No role check: the CLI (`users create-admin`) and `create_user` both come through here."""
    email = email.strip().lower()
    territory_ids = list(territory_ids or [])
    _check_new_user(ctx, email, password, role, territory_ids, firm_id)
    record = {
        "id": f"user_{uuid.uuid4().hex[:16]}",
        "email": email,
        "role": role.value,
        "territory_ids": territory_ids,
        "firm_id": firm_id,
        "password_hash": ctx.passwords.hash(password),
        "created_at": utc_now(),
    }
    try:  # the e-mail check above is advisory: the uniqueness constraint decides concurrent creates
        ctx.repo().create_record(USER, record)
    except DuplicateKey as exc:
        raise Conflict(f"a user with {exc.field} {exc.value!r} exists already") from None
    return public(record)


def create_user(ctx: ServiceContext, p: Principal, **fields: Any) -> dict[str, Any]:
    p.require(Role.ADMIN)
    return create_user_record(ctx, **fields)


def list_users(ctx: ServiceContext, p: Principal) -> list[dict[str, Any]]:
    p.require(Role.ADMIN)
    return [public(r) for r in ctx.repo().list_records(USER)]


def delete_user(ctx: ServiceContext, p: Principal, user_id: str) -> None:
    p.require(Role.ADMIN)
    if ctx.repo().get_record(USER, user_id) is None:
        raise NotFound("user", user_id)
    if user_id == p.user_id:
        raise Conflict("you cannot delete your own account")
    ctx.repo().delete_record(USER, user_id)


def login(ctx: ServiceContext, email: str, password: str, client: str | None = None) -> str:
    """A bearer token, or `Unauthenticated` — the same answer for a wrong password and no account.

    Throttled per account and per ``client`` address (`symbiosis.services.login_guard`): once
    locked, even the right password gets `TooManyRequests` until the lockout ends."""
    login_guard.check(ctx, email, client)
    record = ctx.repo().user_by_email(email.strip().lower())
    if not ctx.passwords.verify(record["password_hash"] if record else None, password) or record is None:
        login_guard.failed(ctx, email, client)
        raise Unauthenticated("wrong e-mail or password")
    login_guard.succeeded(ctx, email)
    return ctx.tokens.issue(record["id"], record["role"])


def principal_from_token(ctx: ServiceContext, token: str) -> Principal:
    """The caller of a valid token — read from the store on every request, not from a cache, so a
    logout or a deleted account elsewhere (another API process) takes effect at once."""
    claims = ctx.tokens.claims(token)
    revoked, record = ctx.repo().token_holder(claims.jti, claims.subject)  # one round trip
    if revoked:
        raise Unauthenticated("this token was revoked (logged out): log in again")
    if record is None:
        raise Unauthenticated("the account of this token no longer exists")
    return _principal(record)


REVOCATION_KEPT_AFTER_EXPIRY_S = 300
"""A revocation outlives its token by this much: an API process whose clock is behind would still
take the expired token for valid that long."""


def logout(ctx: ServiceContext, token: str) -> None:
    """Revoke ``token`` by its jti, in the store (every API process honours it until it expires),
    and purge the revocations of tokens long expired — they can refuse nothing any more, and
    without the purge every logout would leave one record for ever."""
    claims = ctx.tokens.claims(token)
    ctx.repo().save_record(
        REVOKED, {"id": claims.jti, "user_id": claims.subject, "expires_at": claims.expires_at}
    )
    ctx.repo().purge_revoked(time.time() - REVOCATION_KEPT_AFTER_EXPIRY_S)
