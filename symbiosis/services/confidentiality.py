"""What a declaration's confidentiality level lets others see — decided here and nowhere else.

Every declaration carries a `Confidentiality` level chosen by the declaring firm:

* ``public`` — the firm publishes it: a partner company sees this declaration's exact figures and
  the declaring firm's identity in its matches, without consent;
* ``agency`` (default) — facilitators of the territory see exact figures; a partner company sees
  an opaque partner reference and 1-2-5 ranges until both firms consent;
* ``private`` — as ``agency`` for facilitators (their mandate is to see every declaration of their
  territory) and for companies; in addition the declaration is left out of the published
  aggregates entirely (not only when a total has fewer than three firms).

A candidate joins two declarations. A company always sees its own side; what it sees of the
partner is decided by the partner-side declaration alone (the input when the company gives, the
output when it receives) — one firm's choice to publish never publishes the other's figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum

from symbiosis.domain.candidate import Candidate
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import Confidentiality
from symbiosis.services.cache import TerritoryMatch

LevelKey = tuple[str, str]  # ("output" | "input", declaration id)


class Disclosure(StrEnum):
    """Why a company sees a candidate's partner and exact figures (or that it does not)."""

    OWN_FIRM = "own_firm"  # both sides are the company's own sites
    PUBLIC = "public"  # the partner-side declaration is public
    CONSENT = "consent"  # both firms consented to disclose to each other
    NONE = "none"  # ranges and an opaque partner reference


def partner_side(c: Candidate, company_gives: bool) -> LevelKey:
    """The declaration of the candidate that belongs to the company's partner."""
    return ("input", c.input_id) if company_gives else ("output", c.output_id)


def company_disclosure(
    tm: TerritoryMatch, c: Candidate, own_firm_id: str, disclosed_firms: set[str]
) -> Disclosure:
    """What a company account (firm ``own_firm_id``) may see of candidate ``c``'s partner."""
    gives = tm.site_firm.get(c.giver_site_id) == own_firm_id
    partner = tm.site_firm.get(c.receiver_site_id if gives else c.giver_site_id)
    if partner == own_firm_id:
        return Disclosure.OWN_FIRM
    if tm.levels.get(partner_side(c, gives)) is Confidentiality.PUBLIC:
        return Disclosure.PUBLIC
    if partner in disclosed_firms:
        return Disclosure.CONSENT
    return Disclosure.NONE


def counts_in_aggregates(level: Confidentiality) -> bool:
    """Whether a declaration of this level may contribute to published aggregates at all."""
    return level is not Confidentiality.PRIVATE


def aggregable_dataset(ds: Dataset) -> Dataset:
    """The dataset with its private declarations removed (firms, sites and exchanges kept)."""
    return replace(
        ds,
        outputs=[d for d in ds.outputs if counts_in_aggregates(d.confidentiality)],
        inputs=[d for d in ds.inputs if counts_in_aggregates(d.confidentiality)],
    )


def aggregable_candidates(tm: TerritoryMatch, cands: Iterable[Candidate]) -> list[Candidate]:
    """Candidates neither of whose declarations is private."""
    return [
        c
        for c in cands
        if counts_in_aggregates(tm.levels.get(("output", c.output_id), Confidentiality.AGENCY))
        and counts_in_aggregates(tm.levels.get(("input", c.input_id), Confidentiality.AGENCY))
    ]
