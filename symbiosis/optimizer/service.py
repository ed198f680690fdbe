"""The optimiser's entry points: `optimize` (one plan) and `pareto_front` (cost vs CO2).

data → model → solve → results, with decomposition in between for scale. Nothing here knows
about the API or the graph store: callers hand over a `CandidateSet`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from symbiosis.domain.candidate import CandidateSet
from symbiosis.optimizer.compile import compile_model
from symbiosis.optimizer.data import ProblemData, build_problem_data
from symbiosis.optimizer.decompose import solve_decomposed, solve_part
from symbiosis.optimizer.errors import InfeasibleProblem, NonOptimalSolve, PlanRejected
from symbiosis.optimizer.gaps import proven_within, saving_gap
from symbiosis.optimizer.gcpause import without_gc
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.options import OptimizeOptions
from symbiosis.optimizer.piece import _check
from symbiosis.optimizer.practice import PracticeSplit
from symbiosis.optimizer.results import (
    ExchangePlan,
    PlanArrays,
    SolverReport,
    baseline_objective,
    build_plan,
    objective_of,
    plan_arrays_from_flows,
    plan_cost,
    savings_share_proven,
)
from symbiosis.optimizer.sifting import SiftingSession
from symbiosis.optimizer.solve import HighsSession, SolveOutcome, relative_gap
from symbiosis.optimizer.verify import check_plan


def _data(problem: CandidateSet | ProblemData, opts: OptimizeOptions) -> ProblemData:
    return problem if isinstance(problem, ProblemData) else build_problem_data(problem, monthly=opts.monthly)


def optimize(problem: CandidateSet | ProblemData, opts: OptimizeOptions | None = None) -> ExchangePlan:
    """The cost- (and carbon-) minimising exchange plan.

    Raises `NonOptimalSolve` when optimality is not proven within the time limit, unless
    ``opts.accept_gap``; then the plan's `SolverReport` states the gap to a valid lower bound.
    """
    opts = opts or OptimizeOptions()
    t0 = time.perf_counter()
    d = _data(problem, opts)
    if opts.co2_cap_t is None:
        plan, objective, bound, status, n_comp = solve_decomposed(d, opts, opts.time_limit_s)
        method = "components" if n_comp > 1 else "monolithic"
    else:  # the cap couples every component
        try:
            r = solve_part(d, opts, opts.time_limit_s)
        except InfeasibleProblem as exc:
            least = least_co2_t(d)
            if least is not None and least > opts.co2_cap_t:
                raise InfeasibleProblem(
                    f"no plan meets the CO2 cap of {opts.co2_cap_t:,.1f} t/yr: the least CO2e any plan "
                    f"reaches is {least:,.1f} t/yr (--co2-cap must be at least that)"
                ) from exc
            raise
        plan, objective, bound, status, n_comp = r.plan, r.objective, r.bound, r.status, 1
        method = "monolithic (CO2 cap couples components)"
    baseline = baseline_objective(d, opts.carbon_price_eur_per_t)
    verify_or_reject(d, plan, opts.co2_cap_t, "this run")
    proven = proven_within(baseline, objective, bound, opts.mip_rel_gap)
    if not proven and not opts.accept_gap:
        raise NonOptimalSolve(status, saving_gap(baseline, objective, bound), objective)
    report = SolverReport(
        status="optimal" if proven else "feasible",
        objective=objective,
        lower_bound=bound,
        gap=relative_gap(objective, bound),
        time_s=time.perf_counter() - t0,
        method=method,
        n_components=n_comp,
        baseline_objective=baseline,
        savings_share_proven=savings_share_proven(baseline, objective, bound),
        saving_gap=saving_gap(baseline, objective, bound),
        detail="proven within the tolerance on the saving" if proven else status,
        verified=True,
    )
    result = build_plan(d, plan, report, opts.carbon_price_eur_per_t, opts.co2_cap_t)
    if opts.existing_links:
        result.practice = todays_practice(d, opts, result)
    return result


def todays_practice(d: ProblemData, opts: OptimizeOptions, result: ExchangePlan) -> PracticeSplit:
    """Solve the same problem with only the existing links (no CO2 cap: today is what it is) and
    split the plan's saving into what today's exchanges already make and what the new links add.
    Marks each plan link existing or new."""
    existing = np.array([lid in opts.existing_links for lid in d.link_ids], dtype=bool)
    for lf in result.links:
        lf.existing = lf.link_id in opts.existing_links
    pos = np.flatnonzero(existing)
    if len(pos) == 0:
        practice = plan_arrays_from_flows(d, np.zeros((d.n_periods, d.n_links)))
    else:
        sub = d.subset(pos, np.arange(len(d.output_ids)), np.arange(len(d.input_ids)))
        sub_opts = replace(opts, co2_cap_t=None, accept_gap=True, existing_links=frozenset())
        sub_plan = solve_decomposed(sub, sub_opts, opts.time_limit_s)[0]
        verify_or_reject(sub, sub_plan, None, "today's practice")
        flow = np.zeros((d.n_periods, d.n_links))
        flow[:, pos] = sub_plan.flow
        practice = plan_arrays_from_flows(d, flow)
    cost, co2 = plan_cost(d, practice)
    t = result.totals
    return PracticeSplit(
        n_existing_links_known=len(pos),
        n_existing_links_in_plan=sum(lf.existing for lf in result.links),
        n_new_links_in_plan=sum(not lf.existing for lf in result.links),
        baseline_cost_eur_per_yr=t.baseline_cost_eur_per_yr,
        baseline_co2_t_per_yr=t.baseline_co2_t_per_yr,
        practice_cost_eur_per_yr=cost,
        practice_co2_t_per_yr=co2,
        plan_cost_eur_per_yr=t.cost_eur_per_yr,
        plan_co2_t_per_yr=t.co2_t_per_yr,
    )


_TIE_BREAK_T_PER_EUR = 1e-7


def verify_or_reject(d: ProblemData, plan: PlanArrays, co2_cap_t: float | None, what: str) -> None:
    """Raise `PlanRejected` unless ``plan`` meets every constraint (independent check, verify.py)."""
    broken = check_plan(d, plan, co2_cap_t)
    if broken:
        raise PlanRejected(what, broken)


@without_gc
def least_co2_t(d: ProblemData) -> float | None:
    """The least CO2e (t/yr) any plan can reach: an LP, as CO2 does not depend on build decisions."""
    c = compile_model(build_model(d))
    s = HighsSession(c, integer=False)
    s.set_costs(c.co2_t)
    out = s.run()
    return None if out.x is None else float(c.co2_t @ out.x)


@dataclass
class ParetoPoint:
    co2_cap_t: float | None  # None for the unconstrained minimum-cost point
    cost_eur_per_yr: float
    co2_t_per_yr: float
    status: str  # "optimal" (saving proven within the tolerance) or "feasible" (gap stated)
    solve_time_s: float = 0.0  # HiGHS time for this point (warm re-solve for LPs)
    lower_bound_eur_per_yr: float | None = None  # valid lower bound on the cost under this cap
    saving_gap: float | None = None  # (cost − bound) / |baseline − bound|, see gaps.py
    note: str = ""  # e.g. "plan of the point capped at … t (cheaper, and within this cap)"


@dataclass
class _FrontPlan:
    """One point's plan while the front is assembled (arrays, not yet a `ParetoPoint`)."""

    cap: float | None
    plan: PlanArrays
    cost: float
    co2: float
    bound: float
    solver_status: str
    time_s: float
    note: str = ""
    rejected: str = ""


def _cap_for(eps: float) -> float:
    """The cap for a spaced CO2 level: a hair above it, so a plan exactly at the level is feasible."""
    return eps * (1 + 1e-9) + 1e-9


_SAME_COST_REL = 1e-9


def make_monotone(points: list[_FrontPlan]) -> None:
    """Each point keeps the cheapest plan among its own and its neighbours' plans that meet its cap.

    Caps tighten along the list, so a later point's plan meets every earlier cap (backward pass),
    and an earlier point's plan meets a later cap when its CO2 is under it (forward pass). After
    both passes cost never decreases as the cap tightens — by construction, not by solver luck (a
    MILP point that stopped at its gap could be dearer than the next, tighter one). Rejected plans
    (``rejected`` set) count as infinitely dear and are replaced wherever a neighbour's plan fits.
    """

    def dear(p: _FrontPlan) -> float:
        return math.inf if p.rejected else p.cost

    def cheaper(a: _FrontPlan, b: _FrontPlan) -> bool:
        """a's plan is cheaper than b's by more than rounding (same plan found twice: no swap)."""
        return not a.rejected and dear(a) < dear(b) - _SAME_COST_REL * abs(a.cost)

    def take(dst: _FrontPlan, src: _FrontPlan) -> None:
        cap_txt = "none" if src.cap is None else f"{src.cap:,.1f} t"
        dst.plan, dst.cost, dst.co2, dst.rejected = src.plan, src.cost, src.co2, ""
        dst.note = f"plan of the point capped at {cap_txt} (cheaper, and within this cap)"

    for k in range(1, len(points)):
        prev, cur = points[k - 1], points[k]
        fits = cur.cap is None or prev.co2 <= cur.cap * (1 + 1e-9) + 1e-6
        if fits and cheaper(prev, cur):
            take(cur, prev)
    for k in range(len(points) - 2, -1, -1):
        nxt, cur = points[k + 1], points[k]
        if cheaper(nxt, cur):
            take(cur, nxt)


@without_gc
def pareto_front(
    problem: CandidateSet | ProblemData, n_points: int, opts: OptimizeOptions | None = None
) -> list[ParetoPoint]:
    """Minimum cost for ``n_points`` CO2 caps evenly spaced from the min-cost *plan*'s CO2 down to
    the least CO2 reachable (ε-constraint).

    Spacing starts from the CO2 of the best min-cost plan, not of the LP relaxation: with fixed
    costs the relaxation's CO2 can lie far below any plan's (on Kalundborg 94 % of the range had
    no point). Continuous problems re-solve one persistent HiGHS model: only the cap's row bound
    changes, so each point starts from the previous basis (the caps tighten from the min-cost end,
    a short dual-simplex run each). With ``opts.sifting`` (default) that model holds only the
    columns pricing has shown to matter (`SiftingSession`, exact; several times faster on 100,000
    links). The least-CO2 end is the min-CO2 plan with ties broken towards lower cost by a tiny cost
    weight, rather than a separate, badly degenerate solve at CO2 = minimum.
    With fixed costs each point is a full MILP solve (time limit shared); the least-CO2 end is
    still exact, as CO2 does not depend on build decisions.

    Every point's plan is checked against its cap and every other constraint (verify.py), and the
    front is made monotone (`make_monotone`); a point's status says what is proven about it.
    """
    if n_points < 2:
        raise ValueError("a Pareto front needs at least 2 points")
    opts = replace(opts or OptimizeOptions(), carbon_price_eur_per_t=0.0, co2_cap_t=None)
    d = _data(problem, opts)
    c = compile_model(build_model(d))
    mip = d.has_fixed_costs
    per_point = None if opts.time_limit_s is None else opts.time_limit_s / n_points
    baseline = baseline_objective(d, 0.0)
    s: HighsSession | SiftingSession
    if opts.sifting and not mip:
        s = SiftingSession(c, threads=opts.threads)
    else:
        s = HighsSession(c, threads=opts.threads, integer=False, co2_row=True)
    first = s.run(opts.time_limit_s)
    _check(first, "the exchange problem")
    min_cost_basis = s.save_basis()
    # least CO2, ties broken towards lower cost (a tiny cost weight: a lexicographic approximation)
    s.set_costs(c.co2_t + _TIE_BREAK_T_PER_EUR * c.cost)
    low = s.run(opts.time_limit_s)
    if first.x is None or low.x is None:
        raise InfeasibleProblem("the Pareto end points could not be solved")
    co2_lo = float(c.co2_t @ low.x)
    front: list[_FrontPlan] = []
    if mip:  # the min-cost end is a MILP plan, and the spacing starts from *its* CO2
        r0 = solve_part(d, replace(opts, accept_gap=True), per_point)
        cost0, co2_hi = plan_cost(d, r0.plan)
        front.append(_FrontPlan(None, r0.plan, cost0, co2_hi, r0.bound, r0.status, r0.time_s))
    else:
        p0 = plan_arrays_from_flows(d, first.x[c.flow_cols])
        cost0, co2_hi = plan_cost(d, p0)
        front.append(_FrontPlan(None, p0, cost0, co2_hi, _lp_bound(first, cost0), first.status, first.time_s))
    s.set_costs(c.cost)
    s.restore_basis(min_cost_basis)  # tightening caps from here keeps every re-solve a short dual-simplex run
    co2_lo = min(co2_lo, co2_hi)
    levels = np.linspace(co2_hi, co2_lo, n_points).tolist()
    for k, eps in enumerate(levels[1:], start=1):
        cap = _cap_for(eps)
        if mip:
            r = solve_part(d, replace(opts, co2_cap_t=cap, accept_gap=True), per_point)
            cost, co2 = plan_cost(d, r.plan)
            front.append(_FrontPlan(cap, r.plan, cost, co2, r.bound, r.status, r.time_s))
            continue
        if k == n_points - 1:
            out = low
        else:
            s.set_co2_cap(cap)
            out = s.run(per_point)
            _check(out, f"the Pareto point with CO2 ≤ {eps:.6g} t")
        if out.x is None:
            raise InfeasibleProblem(f"no plan found for CO2 ≤ {eps:.6g} t (status {out.status})")
        p = plan_arrays_from_flows(d, out.x[c.flow_cols])
        cost, co2 = plan_cost(d, p)
        bound = _lp_bound(out, cost) if k < n_points - 1 else _tie_break_bound(low, cost, co2, cap)
        front.append(_FrontPlan(cap, p, cost, co2, bound, out.status, out.time_s))
    for fp in front:
        broken = check_plan(d, fp.plan, fp.cap)
        fp.rejected = "; ".join(str(v) for v in broken[:3])
    make_monotone(front)
    still = [fp for fp in front if fp.rejected]
    if still:
        raise PlanRejected(
            f"the Pareto point capped at {still[0].cap}", check_plan(d, still[0].plan, still[0].cap)
        )
    return [_point(fp, baseline, opts.mip_rel_gap) for fp in front]


def _lp_bound(out: SolveOutcome, cost: float) -> float:
    """An LP's optimum is its own bound; anything else proves nothing."""
    return min(cost, out.objective) if out.status == "Optimal" and out.objective is not None else -math.inf


def _tie_break_bound(low: SolveOutcome, cost: float, co2: float, cap: float) -> float:
    """A valid cost bound under ``cap`` for the tie-broken least-CO2 plan (Lagrangian duality).

    That plan minimises co2 + w·cost (w = `_TIE_BREAK_T_PER_EUR`), i.e. cost + λ·co2 with λ = 1/w
    €/t, so for every plan under the cap cost ≥ cost* + λ(co2* − cap): the bound is below the
    plan's cost by λ × (cap − co2*), about a cent per tonne of the cap's margin.
    """
    if low.status != "Optimal":
        return -math.inf
    return cost - (cap - co2) / _TIE_BREAK_T_PER_EUR


def _point(fp: _FrontPlan, baseline: float, tolerance: float) -> ParetoPoint:
    bound = min(fp.bound, fp.cost)
    gap = saving_gap(baseline, fp.cost, bound)
    return ParetoPoint(
        co2_cap_t=fp.cap,
        cost_eur_per_yr=fp.cost,
        co2_t_per_yr=fp.co2,
        status="optimal" if gap <= tolerance else "feasible",
        solve_time_s=fp.time_s,
        lower_bound_eur_per_yr=bound if math.isfinite(bound) else None,
        saving_gap=gap if math.isfinite(gap) else None,
        note=fp.note,
    )


__all__ = ["ParetoPoint", "optimize", "pareto_front", "objective_of"]
