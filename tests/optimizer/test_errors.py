"""Empty, infeasible and non-optimal outcomes give clear `SymbiosisError`s."""

from __future__ import annotations

import pytest

from symbiosis.domain.candidate import CandidateSet
from symbiosis.errors import SymbiosisError
from symbiosis.optimizer import (
    EmptyProblem,
    InfeasibleProblem,
    NonOptimalSolve,
    OptimizeOptions,
    optimize,
    pareto_front,
)
from symbiosis.optimizer.solve import HighsSession, SolveOutcome
from symbiosis.optimizer.synthetic import synthetic_candidate_set

from .builders import cset, input_, link, output


def test_empty_candidate_set_is_a_clear_error() -> None:
    o, i = output("o", 10, 5), input_("i", 10, 5)
    with pytest.raises(EmptyProblem, match=r"no candidate exchanges .* outputs \(1\) and inputs \(1\)"):
        optimize(cset([o], [i], []))
    with pytest.raises(EmptyProblem):
        optimize(CandidateSet())


def test_link_to_an_undeclared_input_is_named() -> None:
    o, i = output("o", 10, 5), input_("i", 10, 5)
    with pytest.raises(EmptyProblem, match="o->i .*input i"):
        optimize(cset([o], [], [link(o, i, 1)]))


def test_co2_cap_below_the_reachable_minimum_is_infeasible() -> None:
    """Least CO2 reachable: all 100 t from the far supplier = 10 t; a 5 t cap cannot be met."""
    near, far = output("near", 100, 0), output("far", 100, 0)
    i = input_("plant", 100, 100, virgin_co2_kg=1000)
    cs = cset([near, far], [i], [link(near, i, 10, var_co2_kg=500), link(far, i, 30, var_co2_kg=100)])
    with pytest.raises(
        InfeasibleProblem, match=r"CO2 cap of 5\.0 t/yr: the least CO2e any plan reaches is 10\.0"
    ) as err:
        optimize(cs, OptimizeOptions(co2_cap_t=5.0))
    assert isinstance(err.value, SymbiosisError)
    assert optimize(cs, OptimizeOptions(co2_cap_t=10.0)).solver.objective == pytest.approx(3_000.0)


def test_heuristic_plan_raises_unless_the_gap_is_accepted() -> None:
    cs = synthetic_candidate_set(50, 50, 500, seed=1, fixed_cost_share=0.3, grid=2)
    opts = OptimizeOptions(max_component_links=10)
    with pytest.raises(NonOptimalSolve, match=r"gap on the saving \d+\.\d+%"):
        optimize(cs, opts)
    plan = optimize(cs, OptimizeOptions(max_component_links=10, accept_gap=True))
    assert plan.solver.status != "optimal"
    assert plan.solver.gap > 1e-4


def test_a_solver_stopped_early_raises_or_reports_the_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    """HiGHS stopped before its root is done — as a short time limit does on a slow machine, but
    made deterministic by a node limit of 0 (this test once used a 1 ms time limit, and a fast
    machine finished the root within it: the result depended on the machine's speed)."""
    cs = synthetic_candidate_set(100, 100, 3000, seed=5, fixed_cost_share=0.6, grid=3)
    run = HighsSession.run

    def stopped_at_once(self: HighsSession, *args: object, **kwargs: object) -> SolveOutcome:
        self.h.setOptionValue("mip_max_nodes", 0)
        return run(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(HighsSession, "run", stopped_at_once)
    with pytest.raises(NonOptimalSolve, match="--time-limit"):
        optimize(cs, OptimizeOptions(heuristic=False))
    plan = optimize(cs, OptimizeOptions(heuristic=False, accept_gap=True))
    assert plan.solver.status == "feasible" and plan.solver.verified
    assert plan.solver.saving_gap == float("inf")  # no bound: nothing proven, and it says so
    assert plan.solver.objective <= plan.totals.baseline_cost_eur_per_yr + 1e-6


def test_pareto_front_trades_cost_for_co2() -> None:
    cs = synthetic_candidate_set(20, 20, 120, seed=4)
    pts = pareto_front(cs, 5)
    assert len(pts) == 5
    co2 = [p.co2_t_per_yr for p in pts]
    cost = [p.cost_eur_per_yr for p in pts]
    assert co2 == sorted(co2, reverse=True)
    assert cost == sorted(cost)
    assert pts[0].co2_cap_t is None
    for p in pts[1:]:
        assert p.co2_t_per_yr <= p.co2_cap_t + 1e-6
    base = optimize(cs)
    assert pts[0].cost_eur_per_yr == pytest.approx(base.solver.objective)


def test_pareto_front_with_fixed_costs_is_monotone() -> None:
    cs = synthetic_candidate_set(10, 10, 40, seed=6, fixed_cost_share=0.5)
    pts = pareto_front(cs, 4, OptimizeOptions(mip_rel_gap=1e-9))
    cost = [p.cost_eur_per_yr for p in pts]
    co2 = [p.co2_t_per_yr for p in pts]
    assert cost == sorted(cost)
    assert co2 == sorted(co2, reverse=True)
    assert all(p.status == "optimal" for p in pts), pts
