"""Solve one piece of the problem (a connected component, a territory, or all of it).

Continuous problems (no fixed costs) are one LP. With fixed costs we first solve the LP
relaxation — its optimum is a *valid lower bound* — then improve a plan by slope scaling
(re-solve the LP with each fixed cost spread over last iteration's flow, x ≤ M·y made inactive;
evaluate each design exactly by fixing the build decisions), then solve the MILP restricted to a
kernel of promising links (the LP support and the best design's links; `kernel_milp`), and finally
hand the best design to HiGHS's branch-and-bound on the whole model as an incumbent
(``setSolution``) for the remaining time. On large
instances HiGHS alone stalls at the root for minutes; slope scaling finds good designs in a few
warm LP solves.
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass

import numpy as np

from symbiosis.optimizer.bound_process import WholeModelBound, child_processes_allowed
from symbiosis.optimizer.compile import CompiledModel, compile_model, full_vector
from symbiosis.optimizer.data import FloatArray, IntArray, ProblemData
from symbiosis.optimizer.errors import InfeasibleProblem
from symbiosis.optimizer.gaps import highs_abs_gap, proven_within, saving_gap
from symbiosis.optimizer.gcpause import without_gc
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.neighbourhood import NeighbourhoodSearch
from symbiosis.optimizer.options import OptimizeOptions
from symbiosis.optimizer.results import PlanArrays, baseline_objective, objective_of, plan_arrays_from_flows
from symbiosis.optimizer.solve import HighsSession, SolveOutcome, relative_gap

log = logging.getLogger(__name__)

_FLOW_TOL = 1e-7
_KERNEL_MAX_SHARE = 0.5  # a kernel larger than this share of the links is not worth a separate MILP
_INFEASIBLE = ("Infeasible", "Primal infeasible or unbounded")
# HiGHS's own relative gap (on the whole objective) when our saving test is passed to it as an
# absolute gap (`gaps.highs_abs_gap`): small enough never to be what stops it
_HIGHS_REL_GAP = 1e-9


@dataclass
class PieceResult:
    plan: PlanArrays
    objective: float
    bound: float
    status: str  # "Optimal" or HiGHS's status for the part that stopped early
    time_s: float
    baseline: float  # objective of today's situation (no exchange) on this piece

    @property
    def gap(self) -> float:
        """Gap on the saving against the baseline (`gaps.saving_gap`): what the stopping test uses."""
        return saving_gap(self.baseline, self.objective, self.bound)

    @property
    def objective_gap(self) -> float:
        return relative_gap(self.objective, self.bound)


def _plan(d: ProblemData, c: CompiledModel, x: FloatArray) -> PlanArrays:
    return plan_arrays_from_flows(d, x[c.flow_cols])


def _check(out: SolveOutcome, what: str) -> None:
    if out.status in _INFEASIBLE:
        raise InfeasibleProblem(
            f"{what} is infeasible: no plan satisfies every constraint (check the CO2 cap against the "
            "lowest emissions reachable, and inlet limits against the virgin supply's own quality)"
        )


def _deadline_left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.05, deadline - time.perf_counter())


def _fallback(d: ProblemData, c: CompiledModel, opts: OptimizeOptions, status: str) -> PlanArrays:
    """Today's situation (no exchange) when the solver stopped before any plan: always feasible
    unless a CO2 cap is set, in which case there is nothing honest to return."""
    if opts.co2_cap_t is not None:
        raise InfeasibleProblem(
            f"the solver stopped with status '{status}' before finding a plan under the CO2 cap; "
            "raise --time-limit"
        )
    return _plan(d, c, np.zeros(c.n_cols))


def slope_scaling(
    s: HighsSession,
    d: ProblemData,
    c: CompiledModel,
    x_lp: FloatArray,
    opts: OptimizeOptions,
    deadline: float | None,
) -> tuple[PlanArrays, FloatArray, float]:
    """Best design found by slope scaling from the LP relaxation ``x_lp``: (plan, columns, objective)."""
    base = c.objective
    bl = c.build_links
    F = d.fixed_cost_eur_per_yr[bl]
    m_total = d.big_m()[:, bl].sum(axis=0)
    ones = np.ones(len(bl))
    zeros = np.zeros(len(bl))
    flows = x_lp[c.flow_cols][:, bl].sum(axis=0)
    best: tuple[PlanArrays, FloatArray, float] | None = None
    seen: set[bytes] = set()
    basis = s.h.getBasis()  # the LP relaxation's
    for _ in range(max(1, opts.slope_iterations)):
        if deadline is not None and time.perf_counter() > deadline:
            break
        slope = np.where(
            flows > _FLOW_TOL, F / np.maximum(flows, _FLOW_TOL), F / np.maximum(m_total, _FLOW_TOL)
        )
        cost = base.copy()
        cost[c.build_cols] = 0.0
        cost[c.flow_cols[:, bl]] += slope
        s.set_costs(cost)
        s.set_col_bounds(c.build_cols, zeros, ones)
        if basis is not None:  # continue from the last slope LP, not from the design evaluation
            s.h.setBasis(basis)
        out = s.run(_deadline_left(deadline))
        if out.x is None:
            break
        basis = s.h.getBasis()
        flows = out.x[c.flow_cols][:, bl].sum(axis=0)
        is_open = flows > _FLOW_TOL
        key = np.packbits(is_open).tobytes()
        if key in seen:
            break
        seen.add(key)
        # evaluate the design exactly: open links may carry flow, closed ones may not
        trial = _evaluate(s, d, c, is_open, deadline)
        if trial is None:
            break
        if best is None or trial[2] < best[2]:
            best = trial
    if best is not None:
        best = _drop_search(s, d, c, best, deadline)
    s.set_costs(base)
    s.set_col_bounds(c.build_cols, zeros, ones)
    if best is None:
        plan = _plan(d, c, np.zeros(c.n_cols))
        best = (
            plan,
            full_vector(c, plan, np.zeros(c.n_cols)),
            objective_of(d, plan, c.carbon_price_eur_per_t),
        )
    return best


def _evaluate(
    s: HighsSession, d: ProblemData, c: CompiledModel, is_open: np.ndarray, deadline: float | None
) -> tuple[PlanArrays, FloatArray, float] | None:
    """Exact cost of a design: the LP with the build decisions fixed.

    Solved cold: with thousands of bounds changed at once, a warm start from the previous basis
    took 184 s where a cold solve (presolve drops the closed links) takes 0.75 s at 100,000 links.
    """
    s.set_costs(c.objective)
    s.set_col_bounds(c.build_cols, is_open.astype(np.float64), is_open.astype(np.float64))
    s.h.clearSolver()
    ev = s.run(_deadline_left(deadline))
    if ev.x is None:
        return None
    plan = _plan(d, c, ev.x)
    return plan, full_vector(c, plan, ev.x), objective_of(d, plan, c.carbon_price_eur_per_t)


def _drop_search(
    s: HighsSession,
    d: ProblemData,
    c: CompiledModel,
    best: tuple[PlanArrays, FloatArray, float],
    deadline: float | None,
    rounds: int = 6,
) -> tuple[PlanArrays, FloatArray, float]:
    """Local search: close built links whose fixed cost their flow does not repay.

    A link's worth is bounded by flow × its gain against today's fallbacks (disposal + virgin − its
    running cost, CO2 priced in). Links below that bound, or the weakest tenth when none is, are
    closed together and the design re-evaluated exactly; kept only if cheaper.
    """
    obj = c.objective
    bl = c.build_links
    F = d.fixed_cost_eur_per_yr[bl]
    t0 = 0
    gain = (
        obj[c.disposal_cols[t0, d.link_out[bl]]]
        + d.delivery_factor[bl] * obj[c.virgin_cols[t0, d.link_in[bl]]]
        - obj[c.flow_cols[t0, bl]]
    )
    fraction = 0.1
    for _ in range(rounds):
        if deadline is not None and time.perf_counter() > deadline:
            break
        plan = best[0]
        is_open = plan.built[bl]
        worth = plan.flow[:, bl].sum(axis=0) * np.maximum(gain, 0.0)
        ratio = np.where(is_open, worth / np.maximum(F, 1e-9), np.inf)
        drop = is_open & (ratio < 1.0)
        if not drop.any():
            n_open = int(is_open.sum())
            if n_open == 0:
                break
            k = max(1, int(n_open * fraction))
            drop = np.zeros_like(is_open)
            drop[np.argsort(ratio)[:k]] = True
        trial = _evaluate(s, d, c, is_open & ~drop, deadline)
        if trial is not None and trial[2] < best[2] - 1e-9 * abs(best[2]):
            best = trial
        elif fraction > 0.01:
            fraction /= 2
        else:
            break
    return best


def kernel_milp(
    d: ProblemData,
    opts: OptimizeOptions,
    c: CompiledModel,
    x_lp: FloatArray,
    best: PlanArrays,
    time_limit_s: float | None,
) -> tuple[PlanArrays, float] | None:
    """The MILP restricted to a *kernel* of promising links, solved by HiGHS: (plan, objective).

    First the LP relaxation's support alone (every link with flow there): ≈ 1,900 of the 100,000
    links on the stress instance, which HiGHS solves to optimality in ≈ 6 s (227.7 M€ against slope
    scaling's 240.1). Only if that plan is no better than ``best`` (or that kernel is unusable), the
    support plus ``best``'s links, warm-started from ``best`` (which lies in it, so HiGHS starts
    from a feasible incumbent), for the time left. That larger kernel was the only one before; its
    ≈ 300 extra links make it much harder — dual bound 218 M€ against 227.5 after 25 s, and on a
    loaded machine nothing better than slope scaling's plan in 22 s — so when the support's MILP
    has already improved on ``best`` the time goes to the neighbourhood search instead (one run
    each, 60 s: 222.1 M€ against 223.1 with both kernels). Each plan is feasible for the whole
    problem (left-out links stay closed); the kernels' dual bounds are *not* bounds for the whole
    problem (links were left out), so they are never reported. Returns None when the kernels are
    most of the problem (the warm-started branch and bound on the whole model then does the same
    job) or when HiGHS found no plan.
    """
    deadline = None if time_limit_s is None else time.perf_counter() + time_limit_s
    best_obj = objective_of(d, best, c.carbon_price_eur_per_t)
    abs_gap = highs_abs_gap(baseline_objective(d, c.carbon_price_eur_per_t), best_obj, opts.mip_rel_gap)
    lp_used = (x_lp[c.flow_cols] > _FLOW_TOL).any(axis=0)
    union = lp_used | (best.flow > _FLOW_TOL).any(axis=0)
    found: tuple[PlanArrays, float] | None = None
    if lp_used.any() and union.sum() > lp_used.sum():
        first_s = None if time_limit_s is None else 0.5 * time_limit_s
        found = _solve_kernel(d, opts, c, np.flatnonzero(lp_used), None, first_s, abs_gap)
        if found is not None and found[1] < best_obj:
            return found
    left = None if deadline is None else deadline - time.perf_counter()
    if left is None or left > 0.5:
        res = _solve_kernel(d, opts, c, np.flatnonzero(union), best, left, abs_gap)
        if res is not None and (found is None or res[1] < found[1]):
            found = res
    return found


def _solve_kernel(
    d: ProblemData,
    opts: OptimizeOptions,
    c: CompiledModel,
    keep: IntArray,
    start: PlanArrays | None,
    time_limit_s: float | None,
    abs_gap: float = 0.0,
) -> tuple[PlanArrays, float] | None:
    """HiGHS on the MILP over the links ``keep`` only (others closed), optionally warm-started."""
    if len(keep) == 0 or len(keep) > _KERNEL_MAX_SHARE * d.n_links:
        return None
    sub = d.subset(keep, np.arange(len(d.output_ids)), np.arange(len(d.input_ids)))
    cs = compile_model(build_model(sub, opts.carbon_price_eur_per_t, opts.co2_cap_t))
    ss = HighsSession(cs, threads=opts.threads)
    if start is not None:
        warm = plan_arrays_from_flows(sub, start.flow[:, keep])
        ss.warm_start(full_vector(cs, warm, np.zeros(cs.n_cols)))
    out = ss.run(time_limit_s, _HIGHS_REL_GAP, abs_gap)
    log.debug(
        "kernel MILP on %d of %d links (%s): %s, objective %s, bound %s",
        len(keep),
        d.n_links,
        "warm" if start is not None else "cold",
        out.status,
        out.objective,
        out.bound,
    )
    if out.x is None:
        return None
    flow = np.zeros((d.n_periods, d.n_links))
    flow[:, keep] = out.x[cs.flow_cols]
    plan = plan_arrays_from_flows(d, flow)
    return plan, objective_of(d, plan, c.carbon_price_eur_per_t)


@without_gc
def solve_piece(d: ProblemData, opts: OptimizeOptions, time_limit_s: float | None = None) -> PieceResult:
    """Build, compile and solve one piece; see the module docstring for the MILP strategy."""
    t0 = time.perf_counter()
    deadline = None if time_limit_s is None else t0 + time_limit_s
    helper = _start_whole_model_bound(d, opts, time_limit_s) if d.has_fixed_costs and opts.heuristic else None
    try:
        m = build_model(d, opts.carbon_price_eur_per_t, opts.co2_cap_t)
        c = compile_model(m)
        mip = bool(c.integer.any())
        baseline = baseline_objective(d, opts.carbon_price_eur_per_t)
        if not mip or not opts.heuristic:
            # an LP, or plain HiGHS on the MILP, stopped by our test on the saving (a callback)
            s = HighsSession(c, threads=opts.threads)
            s.stop_when_saving_proven(baseline, opts.mip_rel_gap)
            out = s.run(_deadline_left(deadline), _HIGHS_REL_GAP if mip else None)
            _check(out, "the exchange problem")
            plan = _plan(d, c, out.x) if out.x is not None else _fallback(d, c, opts, out.status)
            obj = objective_of(d, plan, c.carbon_price_eur_per_t)
            bound = min(out.bound if out.bound is not None else -np.inf, obj)
            status = _status(baseline, obj, bound, opts, out.status)
            return PieceResult(plan, obj, bound, status, time.perf_counter() - t0, baseline)

        return _heuristic(d, opts, c, deadline, helper, t0, baseline)
    finally:
        if helper is not None:
            helper.stop()


def _status(baseline: float, obj: float, bound: float, opts: OptimizeOptions, highs_status: str) -> str:
    """ "Optimal" when the saving is proven within ``opts.mip_rel_gap``, else why not."""
    if proven_within(baseline, obj, bound, opts.mip_rel_gap):
        return "Optimal"
    return "Gap above tolerance" if highs_status == "Optimal" else highs_status


def _adopt(
    d: ProblemData,
    c: CompiledModel,
    plan: PlanArrays,
    obj: float,
    bound: float,
    other_flow: FloatArray | None,
    other_bound: float | None,
) -> tuple[PlanArrays, float, float]:
    """What a HiGHS branch and bound on the whole model adds: its plan if cheaper, its bound if higher."""
    if other_bound is not None:
        bound = max(bound, other_bound)
    if other_flow is not None:
        other = plan_arrays_from_flows(d, other_flow)
        other_obj = objective_of(d, other, c.carbon_price_eur_per_t)
        if other_obj < obj:
            plan, obj = other, other_obj
    return plan, obj, bound


def _start_whole_model_bound(
    d: ProblemData, opts: OptimizeOptions, time_limit_s: float | None
) -> WholeModelBound | None:
    """HiGHS on the whole model in a second process, when there is a time limit and it is worth it."""
    if not opts.bound_process or time_limit_s is None or d.n_links < opts.parallel_min_links:
        return None
    if not child_processes_allowed():
        return None
    return WholeModelBound(d, opts.carbon_price_eur_per_t, opts.co2_cap_t, opts.mip_rel_gap, time_limit_s)


def _heuristic(
    d: ProblemData,
    opts: OptimizeOptions,
    c: CompiledModel,
    deadline: float | None,
    helper: WholeModelBound | None,
    t0: float,
    baseline: float,
) -> PieceResult:
    """LP bound → slope scaling → kernel MILP → neighbourhood search (with a helper) or warm HiGHS."""
    s = HighsSession(c, threads=opts.threads, integer=False)
    lp = s.run(_deadline_left(deadline))
    _check(lp, "the exchange problem")
    if lp.x is None or lp.bound is None:
        plan = _fallback(d, c, opts, lp.status)
        return PieceResult(
            plan,
            objective_of(d, plan, c.carbon_price_eur_per_t),
            -np.inf,
            lp.status,
            time.perf_counter() - t0,
            baseline,
        )
    lp_bound = lp.bound
    log.debug("LP relaxation %.6g after %.1f s", lp_bound, time.perf_counter() - t0)
    plan, x_best, obj = slope_scaling(s, d, c, lp.x, opts, deadline)
    log.debug("slope scaling %.6g after %.1f s", obj, time.perf_counter() - t0)
    left = _deadline_left(deadline)
    if (
        opts.kernel_share > 0
        and not proven_within(baseline, obj, lp_bound, opts.mip_rel_gap)
        and (left is None or left > 1.0)
    ):
        kernel = kernel_milp(d, opts, c, lp.x, plan, None if left is None else left * opts.kernel_share)
        if kernel is not None and kernel[1] < obj:
            plan, obj = kernel
            x_best = full_vector(c, plan, np.zeros(c.n_cols))
        log.debug("kernel MILP %.6g after %.1f s", obj, time.perf_counter() - t0)
    status = "Optimal" if proven_within(baseline, obj, lp_bound, opts.mip_rel_gap) else "Time limit reached"
    bound = lp_bound
    if helper is not None and deadline is not None:
        if status == "Optimal":  # the LP bound proves it: nothing to wait for
            return PieceResult(plan, obj, min(bound, obj), status, time.perf_counter() - t0, baseline)
        lns = NeighbourhoodSearch(d, opts)
        # stop early enough to collect the second process's answer within the limit
        lns_deadline = deadline - helper.wrap_up_s
        flow, obj = lns.run(plan.flow, obj, lns_deadline, stop=helper.proved_optimal)
        plan = plan_arrays_from_flows(d, flow)
        log.debug(
            "neighbourhood search %.6g after %.1f s (%d rounds, %d improvements)",
            obj,
            time.perf_counter() - t0,
            lns.rounds,
            lns.improvements,
        )
        del lns
        # The collector is paused (gcpause.py), so every object built so far — the Pyomo models of
        # the whole problem and of hundreds of neighbourhoods — waits in the youngest generation,
        # and the first automatic collection after the pause rescans them all: ≈ 1 s on 100,000
        # links, which landed after the time limit (61.1 s for a 60 s limit). Collect here, while
        # the second process finishes anyway, inside the wrap-up time.
        gc.collect()
        whole = helper.result()
        log.debug("whole-model HiGHS: %s, bound %s", whole.status, whole.bound)
        plan, obj, bound = _adopt(d, c, plan, obj, bound, whole.flow, whole.bound)
        if proven_within(baseline, obj, bound, opts.mip_rel_gap):
            status = "Optimal"
        return PieceResult(plan, obj, min(bound, obj), status, time.perf_counter() - t0, baseline)
    left = _deadline_left(deadline)
    if not proven_within(baseline, obj, lp_bound, opts.mip_rel_gap) and (left is None or left > 0.5):
        s.set_integrality(True)
        s.warm_start(x_best)
        s.stop_when_saving_proven(baseline, opts.mip_rel_gap)
        out = s.run(left, _HIGHS_REL_GAP, highs_abs_gap(baseline, obj, opts.mip_rel_gap))
        status = out.status
        mip_flow = None if out.x is None else out.x[c.flow_cols]
        plan, obj, bound = _adopt(d, c, plan, obj, bound, mip_flow, out.bound)
        status = _status(baseline, obj, min(bound, obj), opts, status)
    return PieceResult(plan, obj, min(bound, obj), status, time.perf_counter() - t0, baseline)
