"""Failed-login throttling: a lockout per account and per client, counted in the graph store.

Why in the store: tokens and users live there, so every API process must see the same counters —
otherwise an attacker spreads guesses over processes. Per account, `login_max_failures` wrong
passwords within `login_lockout_s` lock the account for `login_lockout_s`: even the right password
is refused until then (guessing cannot go on in the background). Per client address, four times as
many failures lock that address out for every account (one client spraying many accounts).
Unknown e-mails are counted and locked alike, so the answers never reveal whether an account exists.

Counters are read-modify-write records: two processes failing at the same instant may count one
failure once, which at worst lets an attacker a few more tries per window — never unlimited ones.
A success clears the account's counter, not the client's (a client with one valid account must
not reset its own limit by logging into it).
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import TooManyRequests

THROTTLE = "LoginThrottle"
CLIENT_FACTOR = 4


def _keys(ctx: ServiceContext, email: str, client: str | None) -> list[tuple[str, int, str]]:
    """(record id, failures allowed, what is locked) per counter; ids are hashes, not addresses."""
    limit = ctx.settings.login_max_failures

    def digest(kind: str, value: str) -> str:
        return f"{kind}_{hashlib.sha256(value.encode()).hexdigest()[:32]}"

    keys = [(digest("account", email.strip().lower()), limit, "this account")]
    if client:
        keys.append((digest("client", client), CLIENT_FACTOR * limit, "your address"))
    return keys


def check(ctx: ServiceContext, email: str, client: str | None, now: float | None = None) -> None:
    """`TooManyRequests` when the account or the client is locked out; before any password check."""
    now = time.time() if now is None else now
    for key, _, what in _keys(ctx, email, client):
        record = ctx.repo().get_record(THROTTLE, key)
        if record is not None and float(record.get("locked_until") or 0) > now:
            wait = math.ceil(float(record["locked_until"]) - now)
            raise TooManyRequests(f"too many failed logins for {what}: try again in {wait} s", wait)


def failed(ctx: ServiceContext, email: str, client: str | None, now: float | None = None) -> None:
    """Count one failed login against the account and the client; lock when a limit is reached."""
    now = time.time() if now is None else now
    window = ctx.settings.login_lockout_s
    for key, limit, _ in _keys(ctx, email, client):
        record: dict[str, Any] = ctx.repo().get_record(THROTTLE, key) or {"id": key}
        if now - float(record.get("since") or 0) > window:  # a new window
            record |= {"failures": 0, "since": now}
        record["failures"] = int(record.get("failures") or 0) + 1
        if record["failures"] >= limit:
            record["locked_until"] = now + window
            record["failures"], record["since"] = 0, now  # counting starts over after the lockout
        ctx.repo().save_record(THROTTLE, record)


def succeeded(ctx: ServiceContext, email: str) -> None:
    key, _, _ = _keys(ctx, email, None)[0]
    if ctx.repo().get_record(THROTTLE, key) is not None:
        ctx.repo().delete_record(THROTTLE, key)
