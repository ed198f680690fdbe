"""The body of one optimisation run, executed in its own process (so cancel can really stop it).

It reports over a pipe: ``("progress", fraction, message, stage, values)`` as it goes — the English
message for API clients and logs, the stage (one of `STAGES`) and its values for a user interface to
say the same in its own language — then one of ``("done", result)`` or ``("failed", reason)``.
Nothing here writes to the store: the parent process owns the run's record.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any

from symbiosis.errors import SymbiosisError
from symbiosis.settings import Settings

STAGES = ("queued", "started", "reading", "matching", "optimising", "finished", "cancelled")
"""Every stage a run's record may name (``stage``; its values in ``stage_values_json``)."""


def run_optimisation(settings: Settings, params: dict[str, Any], conn: Connection) -> None:
    try:
        conn.send(("done", _run(settings, params, conn)))
    except SymbiosisError as exc:
        conn.send(("failed", str(exc)))
    except Exception as exc:  # noqa: BLE001 - a run reports why it failed instead of vanishing
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _run(settings: Settings, params: dict[str, Any], conn: Connection) -> dict[str, Any]:
    # --- sharing (issue 19): an allocation of shared assets is a run of its own kind ---
    if params.get("kind") == "sharing_allocation":
        from symbiosis.graph.connection import open_graph
        from symbiosis.services.sharing import allocation_job

        with open_graph(settings) as repo:
            return allocation_job(repo, params, lambda f, msg: conn.send(("progress", f, msg)))
    # --- end sharing ---
    from symbiosis.graph.connection import open_graph
    from symbiosis.knowledge import load_knowledge_base
    from symbiosis.matching.service import CandidateQuery, MatchingService
    from symbiosis.optimizer import OptimizeOptions, optimize, pareto_front

    territory_id = params["territory_id"]
    conn.send(
        (
            "progress", 0.1, f"reading territory {territory_id} from the graph store", "reading",
            {"territory": territory_id},
        )
    )  # fmt: skip
    with open_graph(settings) as repo:
        dataset = repo.export_dataset(territory_id)
    n_out, n_in = len(dataset.outputs), len(dataset.inputs)
    conn.send(
        (
            "progress", 0.3, f"matching {n_out} outputs and {n_in} inputs", "matching",
            {"outputs": n_out, "inputs": n_in},
        )
    )  # fmt: skip
    kb = load_knowledge_base()
    # an optional distance limit (the dashboard's scenarios have one; POST /runs does not offer it)
    cset = MatchingService(dataset, kb).candidate_set(
        CandidateQuery(max_distance_km=params.get("max_distance_km"))
    )
    from symbiosis.optimizer.practice import existing_link_ids

    opts = OptimizeOptions(
        carbon_price_eur_per_t=params.get("carbon_price_eur_per_t") or 0.0,
        co2_cap_t=params.get("co2_cap_t"),
        time_limit_s=params.get("time_limit_s"),
        accept_gap=True,
        workers=1,
        # known exchanges are today's practice: the plan's "practice" block separates new savings
        existing_links=existing_link_ids(cset, dataset.exchanges),
    )
    n = params.get("pareto_points")
    n_links = len(cset.candidates)
    conn.send(("progress", 0.5, f"optimising {n_links} candidate links", "optimising", {"links": n_links}))
    if n:
        points = pareto_front(cset, int(n), opts)
        return {"kind": "pareto", "pareto": [p.__dict__ for p in points], "kpis": None, "plan": None}
    plan = optimize(cset, opts).to_dict()
    return {"kind": "plan", "plan": plan, "kpis": plan["totals"], "pareto": None}
