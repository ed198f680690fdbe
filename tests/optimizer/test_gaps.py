"""The gap on the saving (gaps.py): hand values, both sides of the stopping test, and the absolute
gap handed to HiGHS implying it; the decomposition's bound counts declarations without links."""

from __future__ import annotations

import itertools

import pytest

from symbiosis.optimizer import OptimizeOptions, optimize
from symbiosis.optimizer.compile import compile_model
from symbiosis.optimizer.data import build_problem_data
from symbiosis.optimizer.gaps import highs_abs_gap, proven_within, saving_gap
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.results import baseline_objective
from symbiosis.optimizer.solve import HighsSession
from symbiosis.optimizer.synthetic import synthetic_candidate_set

from .oracle import milp_optimum_by_enumeration


def test_saving_gap_by_hand() -> None:
    """Today 100 €, plan 60 €, bound 50 €: the best plan could save 50, this one is 10 short: 20 %."""
    assert saving_gap(100.0, 60.0, 50.0) == pytest.approx(0.2)
    # the objective gap of the same plan is (60 − 50) / 60 ≈ 16.7 %: a different number
    assert saving_gap(1_000_000.0, 900_010.0, 900_000.0) == pytest.approx(1e-4)


def test_a_small_objective_gap_can_be_a_large_saving_gap() -> None:
    """455 M€ of unavoidable cost, 40 M€ saved: 10⁻⁴ of the objective is 45 k€, ≈ 0.1 % of the saving."""
    baseline, bound = 496e6, 455.6e6
    plan = bound * (1 + 1e-4)
    assert saving_gap(baseline, plan, bound) == pytest.approx(bound * 1e-4 / (baseline - bound))
    assert not proven_within(baseline, plan, bound, 1e-4)


@pytest.mark.parametrize(("objective", "proven"), [(60.0, True), (60.0 + 1e-6, False)])
def test_stopping_test_on_both_sides(objective: float, proven: bool) -> None:
    assert proven_within(100.0, objective, 50.0, 0.2) is proven


def test_under_a_cap_that_costs_money_the_gap_is_relative_to_that_cost() -> None:
    """Meeting the cap costs at least 20 € more than today (bound 120 vs 100); the plan is 1 € above."""
    assert saving_gap(100.0, 121.0, 120.0) == pytest.approx(0.05)


def test_no_bound_means_nothing_is_proven() -> None:
    assert saving_gap(100.0, 60.0, float("-inf")) == float("inf")
    assert not proven_within(100.0, 60.0, float("-inf"), 1.0)


def test_highs_absolute_gap_implies_the_saving_test() -> None:
    """For every ub ≤ incumbent and lb with ub − lb ≤ the absolute gap, the saving gap is ≤ tol."""
    baseline, incumbent, tol = 100.0, 60.0, 0.1
    abs_gap = highs_abs_gap(baseline, incumbent, tol)
    assert abs_gap == pytest.approx(4.0)
    for ub, slack in itertools.product([60.0, 55.0, 30.0, 0.0], [0.0, 0.5, 1.0]):
        lb = ub - abs_gap * slack
        assert saving_gap(baseline, ub, lb) <= tol + 1e-12
    # conservative, but not by more than a factor (1 − tol): the exact slack at the incumbent is
    # incumbent − lb with (incumbent − lb) / (baseline − lb) = tol, i.e. lb = 55.56, slack 4.44
    exact = incumbent - (incumbent - tol * baseline) / (1 - tol)
    assert saving_gap(baseline, incumbent, incumbent - exact) == pytest.approx(tol)
    assert (1 - tol) * exact <= abs_gap <= exact


def test_decomposition_bound_counts_declarations_without_links() -> None:
    """The bound of a plan assembled from components plus untouched declarations must equal the
    whole problem's optimum (proven to 10⁻⁹), computed independently by enumerating designs."""
    cs = synthetic_candidate_set(6, 6, 18, seed=4, fixed_cost_share=0.5)
    lonely_out = next(iter(cs.outputs.values())).model_copy(update={"declaration_id": "lonely-o"})
    lonely_in = next(iter(cs.inputs.values())).model_copy(update={"declaration_id": "lonely-i"})
    cs.outputs["lonely-o"], cs.inputs["lonely-i"] = lonely_out, lonely_in
    optimum = milp_optimum_by_enumeration(build_problem_data(cs))
    plan = optimize(cs, OptimizeOptions(heuristic=False, mip_rel_gap=1e-9, accept_gap=True))
    assert plan.solver.objective == pytest.approx(optimum, rel=1e-9)
    assert plan.solver.lower_bound == pytest.approx(optimum, rel=1e-7)
    assert plan.solver.lower_bound <= optimum * (1 + 1e-9)


def test_highs_is_interrupted_once_the_saving_is_proven() -> None:
    """The MIP-interrupt callback applies our test: with a loose tolerance (20 % of the saving)
    HiGHS is stopped early — its own status says interrupted — and the run counts as optimal."""
    tolerance = 0.2
    d = build_problem_data(synthetic_candidate_set(25, 25, 250, seed=3, fixed_cost_share=1.0))
    c = compile_model(build_model(d, 50.0))
    s = HighsSession(c)  # default threads: HiGHS's scheduler keeps the first thread count per process
    baseline = baseline_objective(d, 50.0)
    s.stop_when_saving_proven(baseline, tolerance)
    out = s.run(None, 1e-12)
    highs_status = s.h.modelStatusToString(s.h.getModelStatus())
    assert out.objective is not None and out.bound is not None
    assert out.status == "Optimal"
    assert saving_gap(baseline, out.objective, out.bound) <= tolerance
    assert highs_status == "Interrupted by user"
