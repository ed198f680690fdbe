"""The optimiser's entry points: `optimize` (one plan) and `pareto_front` (cost vs CO2).

data → model → solve → results, with decomposition in between for scale. Nothing here knows
about the API or the graph store: callers hand over a `CandidateSet`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from symbiosis.domain.candidate import CandidateSet
from symbiosis.optimizer.compile import compile_model
from symbiosis.optimizer.data import ProblemData, build_problem_data
from symbiosis.optimizer.decompose import solve_decomposed, solve_part
from symbiosis.optimizer.errors import InfeasibleProblem, NonOptimalSolve
from symbiosis.optimizer.gcpause import without_gc
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.options import OptimizeOptions
from symbiosis.optimizer.piece import _check
from symbiosis.optimizer.results import (
    ExchangePlan,
    SolverReport,
    baseline_objective,
    build_plan,
    objective_of,
    plan_arrays_from_flows,
    plan_cost,
    savings_share_proven,
)
from symbiosis.optimizer.sifting import SiftingSession
from symbiosis.optimizer.solve import HighsSession, relative_gap


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
    gap = relative_gap(objective, bound)
    if status != "Optimal" and gap <= opts.mip_rel_gap:
        status = "Optimal"
    if status != "Optimal" and not opts.accept_gap:
        raise NonOptimalSolve(status, gap, objective)
    baseline = baseline_objective(d, opts.carbon_price_eur_per_t)
    report = SolverReport(
        status="optimal" if status == "Optimal" else status,
        objective=objective,
        lower_bound=bound,
        gap=gap,
        time_s=time.perf_counter() - t0,
        method=method,
        n_components=n_comp,
        baseline_objective=baseline,
        savings_share_proven=savings_share_proven(baseline, objective, bound),
    )
    return build_plan(d, plan, report, opts.carbon_price_eur_per_t, opts.co2_cap_t)


_TIE_BREAK_T_PER_EUR = 1e-7


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
    status: str
    solve_time_s: float = 0.0  # HiGHS time for this point (warm re-solve for LPs)


@without_gc
def pareto_front(
    problem: CandidateSet | ProblemData, n_points: int, opts: OptimizeOptions | None = None
) -> list[ParetoPoint]:
    """Minimum cost for ``n_points`` CO2 caps evenly spaced from the min-cost plan's CO2 down to
    the least CO2 reachable (ε-constraint).

    Continuous problems re-solve one persistent HiGHS model: only the cap's row bound changes, so
    each point starts from the previous basis (the caps tighten from the min-cost end, a short
    dual-simplex run each). With ``opts.sifting`` (default) that model holds only the columns
    pricing has shown to matter (`SiftingSession`, exact; several times faster on 100,000 links).
    The least-CO2 end is the min-CO2 plan with ties broken towards lower cost by a tiny cost weight,
    rather than a separate, badly degenerate solve at CO2 = minimum.
    With fixed costs each point is a full MILP solve (time limit shared); the least-CO2 end is
    still exact, as CO2 does not depend on build decisions.
    """
    if n_points < 2:
        raise ValueError("a Pareto front needs at least 2 points")
    opts = replace(opts or OptimizeOptions(), carbon_price_eur_per_t=0.0, co2_cap_t=None)
    d = _data(problem, opts)
    c = compile_model(build_model(d))
    mip = d.has_fixed_costs
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
    co2_hi = float(c.co2_t @ first.x)
    co2_lo = float(c.co2_t @ low.x)
    s.set_costs(c.cost)
    s.restore_basis(min_cost_basis)  # tightening caps from here keeps every re-solve a short dual-simplex run
    points: list[ParetoPoint] = []
    per_point = None if opts.time_limit_s is None else opts.time_limit_s / n_points
    for k, eps in enumerate(np.linspace(co2_hi, co2_lo, n_points).tolist()):
        cap = None if k == 0 else eps * (1 + 1e-9) + 1e-9
        if mip:
            r = solve_part(d, replace(opts, co2_cap_t=cap, accept_gap=True), per_point)
            cost, co2 = plan_cost(d, r.plan)
            status = "Optimal" if relative_gap(r.objective, r.bound) <= opts.mip_rel_gap else r.status
            solve_s = r.time_s
        else:
            if k == 0:
                out = first
            elif k == n_points - 1:
                out = low
            else:
                s.set_co2_cap(eps * (1 + 1e-9) + 1e-9)
                out = s.run(per_point)
                _check(out, f"the Pareto point with CO2 ≤ {eps:.6g} t")
            if out.x is None:
                raise InfeasibleProblem(f"no plan found for CO2 ≤ {eps:.6g} t (status {out.status})")
            p = plan_arrays_from_flows(d, out.x[c.flow_cols])
            cost, co2 = plan_cost(d, p)
            status = out.status
            solve_s = out.time_s
        points.append(ParetoPoint(cap, cost, co2, status, solve_s))
    return points


__all__ = ["ParetoPoint", "optimize", "pareto_front", "objective_of"]
