"""Errors users see. Each names what went wrong in words a facilitator can act on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError


class SymbiosisError(Exception):
    """Base of every error meant to be shown to a user without a traceback."""


class GraphStoreUnavailable(SymbiosisError):
    def __init__(self, uri: str, reason: str) -> None:
        super().__init__(f"graph store at {uri} is unreachable: {reason}")
        self.uri = uri
        self.reason = reason


class DuplicateKey(SymbiosisError):
    """A create hit a uniqueness constraint: another record already holds this key (possibly one
    created a moment ago by a concurrent request). The services turn it into a 409 Conflict."""

    def __init__(self, label: str, field: str, value: object) -> None:
        super().__init__(f"a {label} with {field} {value!r} exists already")
        self.label = label
        self.field = field
        self.value = value


class UnitError(SymbiosisError, ValueError):
    """A quantity's unit is unknown or of the wrong dimension (raised inside pydantic validators)."""


@dataclass(frozen=True)
class Issue:
    """One problem with one record: where, which field, what value, what was expected."""

    location: str  # e.g. "outputs.csv row 4" or "output o-12"
    field: str
    value: object
    expected: str

    def __str__(self) -> str:
        return f"{self.location}: field '{self.field}' = {self.value!r}: {self.expected}"


@dataclass
class InvalidInput(SymbiosisError):
    """Raised with every issue found, so a user fixes a whole file in one pass."""

    issues: list[Issue] = field(default_factory=list)
    what: str = "input"

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{len(self.issues)} problem(s) in {self.what}"
        return head + ":\n" + "\n".join(f"  - {i}" for i in self.issues)


def issues_from_validation_error(err: ValidationError, location: str) -> list[Issue]:
    """Turn pydantic's error list into `Issue`s naming field, value and expectation."""
    out: list[Issue] = []
    for e in err.errors(include_url=False):
        loc = ".".join(str(p) for p in e.get("loc", ())) or "(record)"
        msg = str(e.get("msg", "invalid"))
        msg = msg.removeprefix("Value error, ")
        out.append(Issue(location=location, field=loc, value=e.get("input"), expected=msg))
    return out


def raise_if_issues(issues: Iterable[Issue], what: str) -> None:
    found = list(issues)
    if found:
        raise InvalidInput(found, what)
