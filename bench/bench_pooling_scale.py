"""Pools proposed for 10^4 sites declaring 20 pooled streams: time and gap to HiGHS's bound.

Run: ``.venv/bin/python bench/bench_pooling_scale.py [sites ...] [--no-before]`` (default 1000
10000; ``--quick``: 300). Each size runs the former settings once ("before": 300 idle iterations
per routed tour, the whole choice as one MILP) and the current ones ``repeats`` times ("after"),
side by side, with the speed-up and the after run's gap to the one-MILP run's HiGHS bound.
A seeded synthetic France: activity zones of 25 sites within ~3 km scattered over
metropolitan France, every site declaring one or two of 20 streams (10 trucked resources × collection
or purchase), 40 hubs per stream. Contract terms are synthetic too (capacity 6 t, 2 calls a month,
three all-units tiers). Times are wall-clock medians of ``repeats`` runs of detection + costing +
choice (the Shapley split of each chosen pool is skipped: it is per pool and printed by the CLI).
"""

from __future__ import annotations

import statistics
import sys
import time

from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge import load_knowledge_base
from symbiosis.pooling import vrp
from symbiosis.pooling.service import propose_pools
from symbiosis.pooling.synthetic import pooled_dataset, synthetic_terms
from symbiosis.pooling.terms import StreamTerms

RESOURCES = (
    "plastics", "wood", "metal_scrap", "organic_residues", "spent_solvents",
    "solvents", "fly_ash", "foundry_sand", "gypsum_waste", "biomass",
)  # fmt: skip
STREAMS = [(r, side) for r in RESOURCES for side in ("collection", "purchase")]


def synthetic(n_sites: int, seed: int = 1) -> tuple[Dataset, dict[tuple[str, str], StreamTerms]]:
    """The benchmark's instance: `symbiosis.pooling.synthetic` with 20 streams and synthetic terms."""
    return pooled_dataset(n_sites, STREAMS, seed), synthetic_terms(STREAMS)


FORMER_NO_IMPROVEMENT = 300  # the routing's stopping rule before this benchmark's fix


def _run(ds: Dataset, kb, terms, before: bool) -> tuple[float, object]:  # noqa: ANN001
    """One propose_pools run; ``before``: the former settings (300 idle iterations per tour, the
    whole choice as one MILP), to measure the fix side by side on the same machine state."""
    saved = vrp.NO_IMPROVEMENT_ITERATIONS
    if before:
        vrp.NO_IMPROVEMENT_ITERATIONS = FORMER_NO_IMPROVEMENT
    try:
        t0 = time.perf_counter()
        res = propose_pools(ds, kb, 100.0, terms=terms, split=False, by_group=False if before else None)
        return time.perf_counter() - t0, res
    finally:
        vrp.NO_IMPROVEMENT_ITERATIONS = saved


def main() -> None:
    args = sys.argv[1:]
    quick = "--quick" in args  # make bench's smoke run
    compare = "--no-before" not in args  # the former settings too (slow: ~4 min at 10^4 sites)
    sizes = [300] if quick else ([int(a) for a in args if a.isdigit()] or [1000, 10000])
    repeats = 1 if quick else 3
    kb = load_knowledge_base()
    print(
        f"{'sites':>6} {'settings':>8} {'groups':>6} {'options':>7} {'pools':>5} {'median s':>8} "
        f"{'choice s':>8} {'objective €':>13} {'bound €':>13} {'gap':>8} {'saving €/yr':>12}"
    )
    for n in sizes:
        ds, terms = synthetic(n)
        rows = {}
        for before in (True, False) if compare else (False,):
            times, res = [], None
            for _ in range(1 if before else repeats):  # the former settings once: minutes at 10^4
                elapsed, res = _run(ds, kb, terms, before)
                times.append(elapsed)
            assert res is not None and res.choice is not None
            rows[before] = (statistics.median(times), res)
            ch = res.choice
            print(
                f"{n:>6} {'before' if before else 'after':>8} {res.n_groups:>6} {res.n_options:>7} "
                f"{len(res.pools):>5} {statistics.median(times):>8.1f} {ch.time_s:>8.2f} "
                f"{ch.objective_eur:>13,.0f} {ch.bound_eur:>13,.0f} {ch.gap:>8.2e} "
                f"{sum(p.saving_eur for p in res.pools):>12,.0f}"
            )
        if compare:
            (t_before, r_before), (t_after, r_after) = rows[True], rows[False]
            # HiGHS's dual bound of the one-MILP run is a valid bound for the after run's choice
            # (same options when the tours agree, which the objective columns show)
            gap = (r_after.choice.objective_eur - r_before.choice.bound_eur) / max(
                abs(r_after.choice.objective_eur), 1e-9
            )
            print(
                f"{n:>6} speed-up {t_before / t_after:.1f}x; after's objective vs HiGHS's bound of the "
                f"whole MILP: gap {gap:.2e}"
            )


if __name__ == "__main__":
    main()
