"""Stored optimisation runs started from the Scenarios page, through `symbiosis.services.runs` — the
calls behind ``POST /runs`` and ``GET /runs/{id}`` — so the run is a record in the graph store,
computed by the API's worker process, visible to whoever may see its territory, and its planned
links promotable on the Synergy pipeline page like any run started over the API.

The in-page optimisation of the Scenarios page stays for quick what-ifs; a stored run is what a
facilitator keeps and acts on. Nothing here imports Streamlit.
"""

from __future__ import annotations

import json
import string
from typing import Any

from dashboard.formats import fmt_number
from dashboard.i18n import TEXTS, tr
from dashboard.scenario import Scenario
from symbiosis.services import runs
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import NotFound
from symbiosis.services.principal import Principal, Role

ROLES = (Role.ADMIN, Role.AGENCY)
"""Who may start and follow runs (as the ``/runs`` router)."""
MAX_SHOWN = 5
"""Runs of this session the page keeps following (newest first)."""


def run_params(territory_id: str, scenario: Scenario) -> dict[str, Any]:
    """The scenario as a run's parameters: ``RunCreate``'s fields, plus the distance limit the
    worker applies to the candidates (the in-page scenario has one; ``POST /runs`` does not)."""
    return {
        "territory_id": territory_id,
        "carbon_price_eur_per_t": scenario.carbon_price_eur_per_t,
        "co2_cap_t": scenario.co2_cap_t,
        "max_distance_km": scenario.max_distance_km,
        "time_limit_s": scenario.time_limit_s,
        "pareto_points": None,
    }


def may_start(who: Principal | None) -> bool:
    return who is not None and who.role in ROLES


def start(
    svc: ServiceContext, jobs: runs.JobRunner, who: Principal, territory_id: str, scenario: Scenario
) -> dict[str, Any]:
    """A queued run (``runs.create_run``: role and territory checked there; `InvalidInput` for a
    territory the user may not see)."""
    return runs.create_run(svc, jobs, who, run_params(territory_id, scenario))


def follow(svc: ServiceContext, who: Principal, run_ids: list[str]) -> list[dict[str, Any]]:
    """The current state of these runs, as ``GET /runs/{id}`` (a run the user may no longer see —
    deleted, or its territory taken out of the user's scope — is left out)."""
    out = []
    for run_id in run_ids[:MAX_SHOWN]:
        try:
            out.append(runs.get_run(svc, who, run_id))
        except NotFound:
            continue
    return out


def is_active(run: dict[str, Any]) -> bool:
    return run.get("status") in runs.ACTIVE


def kpis(run: dict[str, Any]) -> dict[str, Any] | None:
    """A finished plan's totals (`Kpis.to_dict`), else None."""
    return (run.get("result") or {}).get("kpis")


def n_links(run: dict[str, Any]) -> int:
    return len(((run.get("result") or {}).get("plan") or {}).get("links") or [])


def label(run: dict[str, Any]) -> str:
    """What the run optimised: carbon price, cap and distance limit, as `Scenario.label` writes them."""
    return Scenario(
        float(run.get("carbon_price_eur_per_t") or 0.0),
        run.get("co2_cap_t"),
        run.get("max_distance_km"),
        run.get("time_limit_s"),
    ).label()


def progress_text(run: dict[str, Any], lang: str) -> str:
    """What the run is doing, in ``lang``: its stage (`symbiosis.services.run_worker.STAGES`) from the
    catalogue with its figures formatted; a record written before stages existed keeps its
    (English) message."""
    key = f"runstage.{run.get('stage')}"
    if key not in TEXTS:
        return str(run.get("message") or "")
    try:
        values = json.loads(run.get("stage_values_json") or "{}")
    except json.JSONDecodeError:
        values = {}
    shown = {k: fmt_number(v, lang) if isinstance(v, int | float) else str(v) for k, v in values.items()}
    needed = {f for _, f, _, _ in string.Formatter().parse(tr(key, lang)) if f}
    if not needed <= shown.keys():  # a figure the sentence needs is missing: the message says it all
        return str(run.get("message") or "")
    return tr(key, lang, **shown)
