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
