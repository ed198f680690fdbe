"""A company account's candidates, exactly as `symbiosis.services.matches.find_matches` hands them to
it (the rows ``GET /matches`` returns), shaped for the match explorer and the overview.

A row is either *disclosed* (own-firm pair, a public partner-side declaration, or mutual consent:
the partner's name and exact figures) or *masked* (an opaque partner reference, 1-2-5 ranges, the
conditions without their figures). This module only formats what the service decided; it never
reads a candidate the service did not return.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard import explain_i18n
from dashboard.i18n import TEXTS, tr
from dashboard.names import Labels
from symbiosis.domain.candidate import Candidate
from symbiosis.matching.service import CandidateQuery
from symbiosis.services import matches
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal

MAX_ROWS = 2_000
"""Candidates touching one firm's sites, best first: a page holds them all in practice."""

COLUMNS = [
    "match",
    "own_side",
    "own_site_id",
    "partner",
    "disclosed_by",
    "output_resource",
    "input_resource",
    "family",
    "transport_mode",
    "distance_km",
    "exchangeable_qty_per_yr",
    "unit_out",
    "net_gain_eur_per_yr",
    "co2_avoided_t_per_yr",
]
_FIGURES = ("distance_km", "exchangeable_qty_per_yr", "net_gain_eur_per_yr", "co2_avoided_t_per_yr")


def company_matches(
    svc: ServiceContext, who: Principal, territory_id: str, query: CandidateQuery
) -> tuple[list[dict[str, Any]], int]:
    """The company's candidates in the territory and how many there are (`NotFound` for a site
    that is not its own, as over HTTP)."""
    return matches.find_matches(svc, who, territory_id, query, 0, MAX_ROWS)


def row_key(row: dict[str, Any]) -> str:
    """What identifies a row to the company: the link id when disclosed, else the service's pseudonym."""
    return str(row["link_id"] if row["disclosed"] else row["id"])


def own_site(row: dict[str, Any]) -> str:
    if not row["disclosed"]:
        return str(row["own_site_id"])
    return str(row["giver_site_id"] if row["own_side"] == "giver" else row["receiver_site_id"])


def partner(row: dict[str, Any]) -> str:
    """The partner's name when the service disclosed it, else its opaque reference."""
    if row["disclosed"]:
        side = "receiver" if row["own_side"] == "giver" else "giver"
        name = row.get(f"{side}_firm_name") or row.get(f"{side}_firm_id")
        if name:
            return str(name)
    return str(row.get("partner_ref") or "")


def _number(value: float, column: str) -> str:
    digits = 1 if column == "distance_km" else 0
    return f"{value:,.{digits}f}".replace(",", "\u202f")


def figure(row: dict[str, Any], column: str) -> str:
    """An exact figure when disclosed, else the service's 1-2-5 range (``lo – hi``)."""
    if row["disclosed"]:
        return _number(float(row[column]), column)
    lo, hi = row[f"{column}_range"]
    return f"{_number(float(lo), column)} – {_number(float(hi), column)}"


def matches_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One line per row the service returned; figures as text (exact or a range, never both)."""
    out = [
        [
            row_key(r),
            r["own_side"],
            own_site(r),
            partner(r),
            r["disclosed_by"],
            r["output_resource"],
            r["input_resource"],
            r["family"],
            r["transport_mode"],
            figure(r, "distance_km"),
            figure(r, "exchangeable_qty_per_yr"),
            r["unit_out"],
            figure(r, "net_gain_eur_per_yr"),
            figure(r, "co2_avoided_t_per_yr"),
        ]
        for r in rows
    ]
    return pd.DataFrame(out, columns=COLUMNS)


def explanation(row: dict[str, Any], lang: str = "fr", labels: Labels | None = None) -> str:
    """A disclosed row's explanation (in ``labels``' language when given, else the service's own
    English); for a masked one, which conditions held (their figures would quote the partner's
    declaration), named in ``lang``."""
    if row["disclosed"] and row.get("explanation"):
        if labels is None:
            return str(row["explanation"])
        cand = Candidate.model_validate({k: row[k] for k in Candidate.model_fields if k in row})
        return explain_i18n.explanation(cand, labels)
    conditions = row.get("conditions") or row.get("checks") or []
    return "\n".join(f"{'✓' if c['held'] else '✗'} {condition_name(c['name'], lang)}" for c in conditions)


def condition_name(name: str, lang: str) -> str:
    """A matching condition (`symbiosis.matching.explain`: resource, timing, contaminant:cod, …) as
    the user reads it; one the catalogue does not know keeps its own name."""
    kind, _, what = name.partition(":")
    key = f"condition.{kind}"
    if key not in TEXTS:
        return name
    return tr(key, lang) + (f" ({what})" if what else "")


def arc_pairs(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Giver and receiver sites of the disclosed rows (masked rows name no partner site), for
    `data.arcs_frame` — which drops the ends the company may not place on its map."""
    pairs = [(r["giver_site_id"], r["receiver_site_id"], r["family"]) for r in rows if r["disclosed"]]
    return pd.DataFrame(pairs, columns=["giver_site_id", "receiver_site_id", "family"])
