"""A company's consents, per partner reference, for the match explorer: what it gave, what it
received, and whether both have (→ the partner's name and exact figures are disclosed).

Every read and write is a `symbiosis.services.consents` call with the signed-in company — the same
as ``GET / PUT / DELETE /consents/{ref}`` — so the dashboard decides nothing about disclosure: a
partner is named here only when `services.matches` already returned it disclosed by consent.
Nothing here imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from dashboard import company
from symbiosis.matching.service import CandidateQuery
from symbiosis.services import consents
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal


class ConsentState(StrEnum):
    NONE = "none"
    GIVEN = "given"  # ours only: waiting for the partner
    RECEIVED = "received"  # theirs only: ours would disclose both ways
    MUTUAL = "mutual"  # both: disclosed


@dataclass(frozen=True)
class Partner:
    ref: str
    name: str | None
    """The partner's name once `services.matches` discloses it (mutual consent), else None."""
    n_matches: int
    given: bool
    received: bool

    @property
    def state(self) -> ConsentState:
        if self.given and self.received:
            return ConsentState.MUTUAL
        if self.given:
            return ConsentState.GIVEN
        return ConsentState.RECEIVED if self.received else ConsentState.NONE


def partners(svc: ServiceContext, who: Principal, territory_id: str) -> list[Partner]:
    """Every partner the company may consent to: those of its candidates in the territory (by the
    reference the service shows it), and those it gave or received consent from elsewhere. Partners
    with the most matches first, then by reference."""
    rows, _ = company.company_matches(svc, who, territory_id, CandidateQuery())
    count: dict[str, int] = {}
    names: dict[str, str] = {}
    for row in rows:
        ref = row.get("partner_ref")
        if not ref:  # a public partner-side row: already disclosed, and tied to no reference
            continue
        count[ref] = count.get(ref, 0) + 1
        if row["disclosed"] and row["disclosed_by"] == "consent":
            names[ref] = company.partner(row)
    stored = {c["partner_ref"]: c for c in consents.list_consents(svc, who)}
    out = [
        Partner(
            ref,
            names.get(ref),
            count.get(ref, 0),
            bool(stored.get(ref, {}).get("given")),
            bool(stored.get(ref, {}).get("received")),
        )
        for ref in set(count) | set(stored)
    ]
    return sorted(out, key=lambda p: (-p.n_matches, p.ref))


def give(svc: ServiceContext, who: Principal, ref: str) -> ConsentState:
    """``PUT /consents/{ref}``; the state after it."""
    return _state(consents.give_consent(svc, who, ref))


def withdraw(svc: ServiceContext, who: Principal, ref: str) -> ConsentState:
    """``DELETE /consents/{ref}``; the state after it."""
    consents.withdraw_consent(svc, who, ref)
    return _state(consents.consent_status(svc, who, ref))


def _state(status: dict[str, Any]) -> ConsentState:
    return Partner(status["partner_ref"], None, 0, status["given"], status["received"]).state


def label(p: Partner) -> str:
    return f"{p.name} ({p.ref})" if p.name else p.ref


def frame(items: list[Partner], state_name: Callable[[ConsentState], str] = str) -> pd.DataFrame:
    """One line per partner: reference, name when disclosed, matches, consent state (named by
    ``state_name``)."""
    rows = [(p.ref, p.name or "", p.n_matches, state_name(p.state)) for p in items]
    return pd.DataFrame(rows, columns=["partner_ref", "partner", "n_matches", "consent"])
