"""Errors the service layer raises; the API maps each to one HTTP status."""

from __future__ import annotations

from symbiosis.errors import SymbiosisError


class NotFound(SymbiosisError):
    """Missing, or not visible to the caller: the two are indistinguishable on purpose, so a company
    never learns that another firm's object exists."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident!r} not found")
        self.kind = kind
        self.ident = ident


class Forbidden(SymbiosisError):
    """The caller's role may not do this at all (whatever the object)."""


class Unauthenticated(SymbiosisError):
    """No valid credentials."""


class Conflict(SymbiosisError):
    """The request clashes with the current state (an id in use, a disallowed status change…)."""


class Misconfigured(SymbiosisError):
    """Settings that make the service unsafe to start (e.g. production without a secret)."""


class SharedDataFault(SymbiosisError):
    """A computation shared by many principals (a territory's matching) failed on stored data.

    Its message is generic on purpose: the data at fault may be another firm's private declaration,
    so the caller learns only that it is not theirs to fix; the details go to the server log (and
    to admins, who may see every record anyway)."""

    def __init__(self, territory_id: str) -> None:
        super().__init__(
            f"the matching of territory {territory_id!r} cannot be computed from the data stored at the "
            "moment; an administrator can see why in the server log"
        )
        self.territory_id = territory_id


class TooManyRequests(SymbiosisError):
    """Too many attempts (failed logins): wait ``retry_after_s`` seconds (→ 429 with Retry-After)."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
