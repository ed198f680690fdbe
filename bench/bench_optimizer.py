"""Optimiser benchmarks: figures and ratios measured side by side in one run (not tests).

    .venv/bin/python bench/bench_optimizer.py            # 1,000 × 1,000, 100,000 links (minutes)
    .venv/bin/python bench/bench_optimizer.py --small    # 200 × 200, 5,000 links (< 1 minute)

1. LP: stage times of data → Pyomo build → compile to CSC → passModel → HiGHS solve → read-back,
   and the ratio end-to-end / HiGHS solve (target ≤ 2). For comparison, Pyomo's own
   `LinearStandardFormCompiler` on the same model (and with --pyomo-interfaces, appsi's HiGHS).
2. Pareto: 10 ε-points on the LP, warm re-solves, against one cold solve (target ≤ 3×).
3. MILP (fixed costs on 30 % of links, each 10–100 % of the link's annual gain; then a stress case
   with a fixed cost on every link): monolithic HiGHS, a plain territory split, the two-stage
   territory split with border repair, and our method (LP bound + slope scaling + warm-started
   HiGHS), the same time budget each, gaps to the best valid lower bound (target: ours ≤ 5 %).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from dataclasses import replace

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from symbiosis.optimizer.compile import compile_model  # noqa: E402
from symbiosis.optimizer.data import ProblemData, build_problem_data  # noqa: E402
from symbiosis.optimizer.decompose import _territory_of_links, solve_by_territory  # noqa: E402
from symbiosis.optimizer.gcpause import gc_paused  # noqa: E402
from symbiosis.optimizer.model import build_model  # noqa: E402
from symbiosis.optimizer.options import OptimizeOptions  # noqa: E402
from symbiosis.optimizer.piece import objective_of, solve_piece  # noqa: E402
from symbiosis.optimizer.results import plan_arrays_from_flows  # noqa: E402
from symbiosis.optimizer.service import pareto_front  # noqa: E402
from symbiosis.optimizer.solve import HighsSession  # noqa: E402
from symbiosis.optimizer.synthetic import synthetic_candidate_set  # noqa: E402


def _clock() -> float:
    return time.perf_counter()


def bench_lp(d: ProblemData, threads: int, pyomo_interfaces: bool) -> float:
    print("\n== LP: end-to-end vs HiGHS's own solve ==")
    gc.collect()
    with gc_paused():
        t0 = _clock()
        m = build_model(d, carbon_price_eur_per_t=50.0)
        t1 = _clock()
        c = compile_model(m)
        t2 = _clock()
        s = HighsSession(c, threads=threads)
        t3 = _clock()
        s.h.run()
        t4 = _clock()
        x = np.asarray(s.h.getSolution().col_value)
        plan = plan_arrays_from_flows(d, x[c.flow_cols])
        obj = objective_of(d, plan, 50.0)
        t5 = _clock()
    status = s.h.modelStatusToString(s.h.getModelStatus())
    build, comp, hand, solve, read = t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4
    e2e = t5 - t0
    print(
        f"rows {c.n_rows:,}  cols {c.n_cols:,}  nnz {c.matrix.nnz:,}  status {status}  objective {obj:,.0f} €"
    )
    for name, v in [
        ("Pyomo build", build),
        ("compile → CSC", comp),
        ("passModel", hand),
        ("HiGHS solve", solve),
        ("read-back", read),
    ]:
        print(f"  {name:<16} {v:7.3f} s")
    print(f"  end-to-end       {e2e:7.3f} s   ratio end-to-end / solve = {e2e / solve:.2f}  (target ≤ 2)")
    t6 = _clock()
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    with gc_paused():
        LinearStandardFormCompiler().write(m)
    print(f"  for comparison: Pyomo LinearStandardFormCompiler on the same model {_clock() - t6:.3f} s")
    if pyomo_interfaces:
        from pyomo.contrib.appsi.solvers.highs import Highs as AppsiHighs

        t7 = _clock()
        opt = AppsiHighs()
        opt.config.load_solution = False
        opt.set_instance(m)
        t8 = _clock()
        opt.solve(m)
        print(f"  for comparison: appsi HiGHS set_instance {t8 - t7:.2f} s, then solve {_clock() - t8:.2f} s")
    t9 = _clock()
    del m, s
    gc.collect()
    print(f"  teardown (deferred garbage collection of the model, not in end-to-end) {_clock() - t9:.3f} s")
    return solve


def bench_pareto(d: ProblemData, threads: int, one_solve_s: float) -> None:
    print("\n== Pareto: 10 ε-points by warm re-solves ==")
    gc.collect()
    t0 = _clock()
    pts = pareto_front(d, 10, OptimizeOptions(threads=threads))
    total = _clock() - t0
    for p in pts:
        cap = "—" if p.co2_cap_t is None else f"{p.co2_cap_t:,.0f}"
        cost, co2 = p.cost_eur_per_yr, p.co2_t_per_yr
        print(f"  cap {cap:>12} t   cost {cost:14,.0f} €   CO2 {co2:12,.0f} t   {p.status}")
    solves = sum(p.solve_time_s for p in pts)
    print(
        f"  HiGHS time for the 10 points (incl. the min-CO2 end point): {solves:.2f} s = "
        f"{solves / one_solve_s:.2f}× one cold solve ({one_solve_s:.2f} s)  (target ≤ 3×)"
    )
    print(
        f"  whole call incl. Pyomo build and compile: {total:.2f} s = "
        f"{total / one_solve_s:.2f}× one cold solve"
    )


def _territory_split(d: ProblemData, opts: OptimizeOptions, budget_s: float) -> float:
    """Each territory's internal links alone, cross-border links dropped, budget shared by size."""
    giver, internal = _territory_of_links(d)
    flow = np.zeros((d.n_periods, d.n_links))
    terrs = sorted({t for t, ok in zip(giver, internal.tolist(), strict=True) if ok}, key=str)
    giver_arr = np.array(giver, dtype=object)
    t_end = _clock() + budget_s
    for k, terr in enumerate(terrs):
        links = np.flatnonzero(internal & (giver_arr == terr))
        outs = np.array([o for o, t in enumerate(d.output_territory) if t == terr], dtype=np.int64)
        ins = np.array([i for i, t in enumerate(d.input_territory) if t == terr], dtype=np.int64)
        left = max(0.2, (t_end - _clock()) / (len(terrs) - k))
        r = solve_piece(d.subset(links, outs, ins), replace(opts, heuristic=False), left)
        flow[:, links] = r.plan.flow
    return objective_of(d, plan_arrays_from_flows(d, flow), opts.carbon_price_eur_per_t)


def bench_milp(d: ProblemData, threads: int, budget_s: float, label: str) -> None:
    giver, internal = _territory_of_links(d)
    n_fixed = int((d.fixed_cost_eur_per_yr > 0).sum())
    print(
        f"\n== MILP ({label}): {n_fixed:,} of {d.n_links:,} links with a fixed "
        f"cost, {1 - internal.mean():.0%} of links cross a territory border; {budget_s:.0f} s each, "
        f"{threads} threads =="
    )
    opts = OptimizeOptions(carbon_price_eur_per_t=50.0, threads=threads, accept_gap=True, mip_rel_gap=1e-3)
    runs: list[tuple[str, float, float]] = []
    bound = -np.inf
    for name, fn in (
        ("monolithic HiGHS", lambda: solve_piece(d, replace(opts, heuristic=False), budget_s)),
        ("plain territory split", lambda: _territory_split(d, opts, budget_s)),
        ("territory split + border repair", lambda: solve_by_territory(d, opts, budget_s)),
        ("ours: LP bound + slope scaling + warm HiGHS", lambda: solve_piece(d, opts, budget_s)),
    ):
        gc.collect()
        t0 = _clock()
        r = fn()
        elapsed = _clock() - t0
        if isinstance(r, float):
            runs.append((name, r, elapsed))
        else:
            runs.append((name, r.objective, elapsed))
            bound = max(bound, r.bound)

    print(f"  valid lower bound (best LP relaxation / HiGHS dual bound of the runs): {bound:,.0f} €")
    print(f"  {'method':<46}{'objective €':>16}{'gap to bound':>14}{'time s':>9}")
    for name, obj, elapsed in runs:
        print(f"  {name:<46}{obj:16,.0f}{(obj - bound) / abs(obj):>14.2%}{elapsed:9.1f}")
    ours = runs[-1][1]
    print(
        f"  ours vs monolithic {1 - ours / runs[0][1]:+.2%}, "
        f"vs plain territory split {1 - ours / runs[1][1]:+.2%} "
        "(positive = ours cheaper; target: gap ≤ 5 %)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="smoke-size instance, < 1 minute")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--milp-seconds", type=float, default=None)
    ap.add_argument("--pyomo-interfaces", action="store_true", help="also time appsi's HiGHS hand-off (slow)")
    ap.add_argument("--skip-milp", action="store_true")
    args = ap.parse_args()
    n, links, grid = (200, 5_000, 4) if args.small else (1_000, 100_000, 8)
    budget = args.milp_seconds or (4.0 if args.small else 60.0)
    t0 = _clock()
    cs = synthetic_candidate_set(n, n, links, seed=7, grid=grid)
    t1 = _clock()
    d = build_problem_data(cs)
    print(
        f"instance: {n:,} givers × {n:,} takers, {d.n_links:,} links, {grid}×{grid} territories; "
        f"generated in {t1 - t0:.2f} s, CandidateSet → arrays {_clock() - t1:.2f} s"
    )
    one = bench_lp(d, args.threads, args.pyomo_interfaces)
    bench_pareto(d, args.threads, one)
    if not args.skip_milp:
        for share, label in ((0.3, "30 % pipelines, as specified"), (1.0, "stress: every link a pipeline")):
            cs_mip = synthetic_candidate_set(n, n, links, seed=7, grid=grid, fixed_cost_share=share)
            bench_milp(build_problem_data(cs_mip), args.threads, budget, label)


if __name__ == "__main__":
    main()
