"""Scale: split the problem where it is exactly separable, and approximately where it must be.

* **Connected components** (exact). Links are edges between outputs and inputs; no constraint
  couples two components (the CO2 cap does — then the problem is solved whole), so the optimum is
  the union of the components' optima and the lower bound the sum of theirs. Components are solved
  in parallel processes when big enough to repay the start-up.
* **Territory split** (heuristic, for a MILP component above ``max_component_links``). Stage 1
  solves each territory's internal links alone; stage 2 repairs the cross-border links: the whole
  component is re-solved with the territories' build decisions fixed, the cross-border ones free,
  warm-started from stage 1's plan. The LP relaxation of the whole component is solved first, so
  the plan always comes with a valid lower bound.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import networkx as nx
import numpy as np

from symbiosis.optimizer.bound_process import child_processes_allowed
from symbiosis.optimizer.compile import compile_model, full_vector
from symbiosis.optimizer.data import IntArray, ProblemData
from symbiosis.optimizer.errors import InfeasibleProblem
from symbiosis.optimizer.gaps import highs_abs_gap, proven_within
from symbiosis.optimizer.gcpause import without_gc
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.options import OptimizeOptions
from symbiosis.optimizer.piece import PieceResult, _check, solve_piece
from symbiosis.optimizer.results import PlanArrays, baseline_objective, objective_of, plan_arrays_from_flows
from symbiosis.optimizer.solve import HighsSession
from symbiosis.optimizer.verify import check_plan
from symbiosis.spawning import POOL_CONTEXT


@dataclass
class Part:
    link_pos: IntArray
    output_pos: IntArray
    input_pos: IntArray


def components(d: ProblemData) -> list[Part]:
    """Connected components of the output–input graph that contain at least one link."""
    g = nx.Graph()
    g.add_edges_from(
        (("o", int(o)), ("i", int(i)), {"l": n})
        for n, (o, i) in enumerate(zip(d.link_out, d.link_in, strict=True))
    )
    parts = []
    for nodes in nx.connected_components(g):
        outs = np.array(sorted(k for kind, k in nodes if kind == "o"), dtype=np.int64)
        ins = np.array(sorted(k for kind, k in nodes if kind == "i"), dtype=np.int64)
        parts.append(Part(np.empty(0, dtype=np.int64), outs, ins))
    comp_of_output = np.full(len(d.output_ids), -1, dtype=np.int64)
    for k, p in enumerate(parts):
        comp_of_output[p.output_pos] = k
    link_comp = comp_of_output[d.link_out]
    order = np.argsort(link_comp, kind="stable")
    cuts = np.searchsorted(link_comp[order], np.arange(len(parts) + 1))
    for k, p in enumerate(parts):
        p.link_pos = order[cuts[k] : cuts[k + 1]]
    parts.sort(key=lambda p: -len(p.link_pos))
    return parts


def _territory_of_links(d: ProblemData) -> tuple[list[str | None], np.ndarray]:
    giver = [d.output_territory[o] for o in d.link_out.tolist()]
    receiver = [d.input_territory[i] for i in d.link_in.tolist()]
    internal = np.array([a == b for a, b in zip(giver, receiver, strict=True)], dtype=bool)
    return giver, internal


@without_gc
def solve_by_territory(d: ProblemData, opts: OptimizeOptions, time_limit_s: float | None) -> PieceResult:
    """Two-stage territory decomposition of one MILP component (see module docstring)."""
    t0 = time.perf_counter()
    deadline = None if time_limit_s is None else t0 + time_limit_s
    m = build_model(d, opts.carbon_price_eur_per_t, opts.co2_cap_t)
    c = compile_model(m)
    s = HighsSession(c, threads=opts.threads, integer=False)
    lp = s.run(time_limit_s)
    _check(lp, "the exchange problem")
    lp_bound = lp.bound if lp.bound is not None else -np.inf

    giver, internal = _territory_of_links(d)
    terrs = sorted({t for t, ok in zip(giver, internal.tolist(), strict=True) if ok}, key=str)
    flow = np.zeros((d.n_periods, d.n_links))
    n_terr = max(1, len(terrs))
    for k, terr in enumerate(terrs):
        links = np.flatnonzero(internal & np.array([t == terr for t in giver]))
        outs = np.array(
            [o for o in range(len(d.output_ids)) if d.output_territory[o] == terr], dtype=np.int64
        )
        ins = np.array([i for i in range(len(d.input_ids)) if d.input_territory[i] == terr], dtype=np.int64)
        left = None if deadline is None else max(0.1, (deadline - time.perf_counter()) * 0.5 / (n_terr - k))
        sub = replace(opts, co2_cap_t=None, bound_process=False)  # the cores are the territories'
        res = solve_piece(d.subset(links, outs, ins), sub, left)
        flow[:, links] = res.plan.flow
    stage1 = plan_arrays_from_flows(d, flow)
    # the territories are solved without the CO2 cap (it couples them): their union is a plan only
    # if it happens to meet the cap; otherwise only stage 2, which has the cap, can give one
    stage1_ok = not check_plan(d, stage1, opts.co2_cap_t)
    best_plan = stage1 if stage1_ok else None
    best_obj = objective_of(d, stage1, c.carbon_price_eur_per_t) if stage1_ok else np.inf

    # stage 2: repair cross-border links with the territories' designs fixed
    bl = c.build_links
    fixed = internal[bl]
    lo = np.where(fixed, stage1.built[bl], 0.0).astype(np.float64)
    hi = np.where(fixed, stage1.built[bl], 1.0).astype(np.float64)
    s.set_col_bounds(c.build_cols, lo, hi)
    s.set_integrality(True)
    s.warm_start(full_vector(c, stage1, np.zeros(c.n_cols)))
    left = None if deadline is None else max(0.1, deadline - time.perf_counter())
    abs_gap = highs_abs_gap(baseline_objective(d, opts.carbon_price_eur_per_t), best_obj, opts.mip_rel_gap)
    out = s.run(left, 1e-9, abs_gap)
    if out.x is not None:
        plan = plan_arrays_from_flows(d, out.x[c.flow_cols])
        obj = objective_of(d, plan, c.carbon_price_eur_per_t)
        if obj < best_obj:
            best_plan, best_obj = plan, obj
    if best_plan is None:
        raise InfeasibleProblem(
            "the territory split found no plan under the CO2 cap in the time given; raise --time-limit"
        )
    baseline = baseline_objective(d, opts.carbon_price_eur_per_t)
    status = (
        "Optimal"
        if proven_within(baseline, best_obj, lp_bound, opts.mip_rel_gap)
        else "Heuristic plan (territory split)"
    )
    return PieceResult(
        best_plan, best_obj, min(lp_bound, best_obj), status, time.perf_counter() - t0, baseline
    )


def solve_part(d: ProblemData, opts: OptimizeOptions, time_limit_s: float | None) -> PieceResult:
    """One component: whole, or by territory when it is a large MILP spanning several territories."""
    multi_territory = len(set(d.output_territory) | set(d.input_territory)) > 1
    if d.has_fixed_costs and d.n_links > opts.max_component_links and multi_territory:
        return solve_by_territory(d, opts, time_limit_s)
    return solve_piece(d, opts, time_limit_s)


def _solve_job(args: tuple[ProblemData, OptimizeOptions, float | None]) -> PieceResult:
    return solve_part(*args)


def solve_decomposed(
    d: ProblemData, opts: OptimizeOptions, time_limit_s: float | None
) -> tuple[PlanArrays, float, float, str, int]:
    """Solve every component and assemble: (plan, objective, lower bound, worst status, n components).

    Declarations without any link keep today's disposal/virgin supply: their cost is exact.
    """
    parts = components(d)
    subs = [d.subset(p.link_pos, p.output_pos, p.input_pos) for p in parts]
    parallel = (
        len(subs) > 1
        and d.n_links >= opts.parallel_min_links
        and opts.workers > 1
        and child_processes_allowed()
    )
    lanes = min(opts.workers, len(subs)) if parallel else 1

    def budget(sd: ProblemData) -> float | None:
        """A component's share of the time limit: by size, times the number of parallel lanes."""
        if time_limit_s is None:
            return None
        return max(1.0, time_limit_s * lanes * sd.n_links / max(1, d.n_links))

    # with components in parallel the cores are taken: no second process per component
    part_opts = replace(opts, bound_process=False) if parallel else opts
    jobs = [(sd, part_opts, budget(sd)) for sd in subs]
    if parallel:
        with ProcessPoolExecutor(max_workers=min(opts.workers, len(jobs)), mp_context=POOL_CONTEXT) as pool:
            results = list(pool.map(_solve_job, jobs))
    else:
        results = [_solve_job(j) for j in jobs]
    flow = np.zeros((d.n_periods, d.n_links))
    for p, r in zip(parts, results, strict=True):
        flow[:, p.link_pos] = r.plan.flow
    plan = plan_arrays_from_flows(d, flow)
    objective = objective_of(d, plan, opts.carbon_price_eur_per_t)
    # exact cost of what no component touches + each component's bound
    linked_obj = sum(r.objective for r in results)
    bound = objective - linked_obj + sum(r.bound for r in results)
    statuses = [r.status for r in results if r.status != "Optimal"]
    return plan, objective, min(bound, objective), (statuses[0] if statuses else "Optimal"), len(parts)
