"""The synergy pipeline page's data: synergies of a territory grouped by status, their history as
a table, and what a facilitator may promote (candidates, and the planned links of finished
optimisation runs) — all read through `symbiosis.services` with the signed-in principal, so role
and territory rules are the API's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from dashboard import stored_runs
from dashboard.formats import fmt_number, unit_label
from dashboard.i18n import tr
from dashboard.names import Labels
from symbiosis.domain.dataset import Dataset
from symbiosis.matching.service import CandidateQuery, MatchingService
from symbiosis.services import matches, runs, synergies
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal
from symbiosis.services.synergies import NEXT, SynergyStatus

ORDER = (
    SynergyStatus.IDENTIFIED,
    SynergyStatus.CONTACTED,
    SynergyStatus.UNDER_STUDY,
    SynergyStatus.SIGNED,
    SynergyStatus.IMPLEMENTED,
    SynergyStatus.ABANDONED,
)
HISTORY_COLUMNS = ["at", "by", "from", "to", "note", "date"]
MAX_CANDIDATES = 500
SELECTED_CANDIDATE = "selected_candidate"
"""Session key the match explorer fills with its chosen candidate id (``output_id->input_id``)."""


def by_status(
    ctx: ServiceContext, p: Principal, territory_id: str
) -> dict[SynergyStatus, list[dict[str, Any]]]:
    """The caller's synergies touching the territory (or one nested in it), newest first per status."""
    inside = ctx.tree().descendants([territory_id])
    groups: dict[SynergyStatus, list[dict[str, Any]]] = {s: [] for s in ORDER}
    for rec in synergies.list_synergies(ctx, p, None):
        if inside & set(rec.get("territory_ids") or []):
            groups[SynergyStatus(rec["status"])].append(rec)
    for recs in groups.values():
        recs.sort(key=lambda r: (r.get("updated_at") or "", r["id"]), reverse=True)
    return groups


def history_frame(record: dict[str, Any], status_name: Callable[[str], str] = str) -> pd.DataFrame:
    """Who moved it, when, from which status to which (named by ``status_name``), with the note —
    oldest first."""
    rows = [
        {**h, "from": status_name(h["from"]) if h.get("from") else "", "to": status_name(h["to"])}
        for h in record.get("history") or []
    ]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def next_statuses(record: dict[str, Any]) -> list[SynergyStatus]:
    """Where the synergy may go now, in pipeline order (empty for a final status)."""
    allowed = NEXT[SynergyStatus(record["status"])]
    return [s for s in ORDER if s in allowed]


def promotable(ctx: ServiceContext, p: Principal, territory_id: str) -> list[dict[str, Any]]:
    """The best candidates of the territory the caller may see (`NotFound` outside its scope)."""
    rows, _ = matches.find_matches(ctx, p, territory_id, CandidateQuery(), 0, MAX_CANDIDATES)
    return rows


def candidate_label(row: dict[str, Any], labels: Labels) -> str:
    """ "Gypse de désulfuration : Asnæs (Ørsted) → Gyproc, 50 657 €/an" — names, the user's language."""
    return tr(
        "synergies.candidate_label",
        labels.lang,
        resource=labels.resource(row["output_resource"]),
        giver=labels.site(row["giver_site_id"]),
        receiver=labels.site(row["receiver_site_id"]),
        gain=fmt_number(row["net_gain_eur_per_yr"], labels.lang),
    )


def preselected(options: list[str], wanted: str | None) -> int:
    """Index of the explorer's choice among the options (the first when absent)."""
    return options.index(wanted) if wanted in options else 0


def finished_runs(ctx: ServiceContext, p: Principal, territory_id: str) -> list[dict[str, Any]]:
    """The caller's finished optimisation runs (plans, not Pareto fronts) of the territory or one
    nested in it, newest first — `runs.list_runs` decides which runs the caller may see."""
    inside = ctx.tree().descendants([territory_id])
    return [
        r
        for r in runs.list_runs(ctx, p, None)
        if r.get("territory_id") in inside and r.get("status") == "done" and not r.get("pareto_points")
    ]


def planned_links(ctx: ServiceContext, p: Principal, run_id: str) -> list[dict[str, Any]]:
    """The links of a run's plan, largest flow first (`NotFound` for a run the caller may not see)."""
    run = runs.get_run(ctx, p, run_id)
    plan = (run.get("result") or {}).get("plan") or {}
    links = list(plan.get("links") or [])
    return sorted(links, key=lambda lk: (-float(lk.get("qty_per_yr") or 0.0), lk["link_id"]))


def run_label(run: dict[str, Any]) -> str:
    when = str(run.get("finished_at") or run.get("created_at") or "")[:16].replace("T", " ")
    return f"{run['id']} — {run.get('territory_id')}, {stored_runs.label(run)}, {when}"


def link_label(link: dict[str, Any], labels: Labels) -> str:
    """ "Asnæs (Ørsted) → Gyproc, 170 000 t/an" — a planned link by its sites' names."""
    return tr(
        "synergies.link_label",
        labels.lang,
        giver=labels.site(link["giver_site_id"]),
        receiver=labels.site(link["receiver_site_id"]),
        qty=fmt_number(float(link["qty_per_yr"]), labels.lang),
        unit=unit_label(str(link["unit_out"])),
    )


def gains_by_pair(service: MatchingService) -> dict[tuple[str, str], float]:
    """Net gain (€/yr) of each candidate, by (output id, input id): the value a synergy card shows."""
    return {(c.output_id, c.input_id): c.net_gain_eur_per_yr for c in service.candidates(explain=False)}


def resource_of(record: dict[str, Any], ds: Dataset, labels: Labels) -> str:
    """The resource a synergy exchanges, by name (its output's resource code, looked up)."""
    codes = {d.id: d.resource_code for d in ds.outputs}
    code = codes.get(record["output_id"])
    return labels.resource(code) if code else str(record["output_id"])


def source_label(record: dict[str, Any], t: Callable[..., str]) -> str:
    """Where a card came from: the match explorer, a run (named), or the pooled contracts page."""
    source = str(record.get("source") or "")
    if source.startswith("run "):
        return t("synergies.source_run", id=source.removeprefix("run "))
    if record.get("kind") == "pool":
        return t("synergies.source_pool")
    return t("synergies.source_candidate")


def pool_card_label(record: dict[str, Any], labels: Labels, status: str) -> str:
    """A pool's card title: stream, members, treatment or supply site, status and yearly saving."""
    return tr(
        "synergies.pool_item",
        labels.lang,
        resource=labels.resource(str(record.get("resource_code"))),
        n=len(record.get("member_site_ids") or []),
        hub=labels.site(str(record.get("hub_site_id"))),
        status=status,
        value=fmt_number(record.get("value_eur_per_yr"), labels.lang),
    )
