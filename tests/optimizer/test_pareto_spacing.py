"""The Pareto front spans the plans, not the LP relaxation: from the min-cost plan's CO2 to the
least-CO2 plan's, evenly; it is monotone by construction; every point says what is proven."""

from __future__ import annotations

import numpy as np
import pytest

from symbiosis.optimizer import OptimizeOptions, pareto_front
from symbiosis.optimizer.compile import compile_model
from symbiosis.optimizer.data import ProblemData, build_problem_data
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.results import plan_arrays_from_flows
from symbiosis.optimizer.service import _FrontPlan, make_monotone
from symbiosis.optimizer.solve import HighsSession
from symbiosis.optimizer.synthetic import synthetic_candidate_set
from symbiosis.optimizer.verify import plan_co2_t

from .oracle import lp_optimum, milp_optimum_by_enumeration

N = 5


@pytest.fixture(scope="module")
def d() -> ProblemData:
    """Eight pipelines among 18 links: small enough to enumerate every design."""
    data = build_problem_data(synthetic_candidate_set(6, 6, 18, seed=4, fixed_cost_share=0.5))
    assert 0 < int((data.fixed_cost_eur_per_yr > 0).sum()) <= 12
    return data


@pytest.fixture(scope="module")
def front(d: ProblemData):  # noqa: ANN201
    return pareto_front(d, N, OptimizeOptions(mip_rel_gap=1e-6))


def _lp_relaxation_co2(d: ProblemData) -> float:
    c = compile_model(build_model(d, relax_build=True))
    out = HighsSession(c, integer=False).run()
    assert out.x is not None
    return float(c.co2_t @ out.x)


def test_the_first_point_is_the_min_cost_plan(d: ProblemData, front) -> None:  # noqa: ANN001
    assert front[0].co2_cap_t is None
    assert front[0].cost_eur_per_yr == pytest.approx(milp_optimum_by_enumeration(d), rel=1e-7)
    # the instance is one where the relaxation's CO2 is not the plan's (the old spacing's start)
    assert abs(_lp_relaxation_co2(d) - front[0].co2_t_per_yr) > 1e-3 * front[0].co2_t_per_yr


def test_the_last_point_reaches_the_least_co2_plan(d: ProblemData, front) -> None:  # noqa: ANN001
    least = lp_optimum(d, minimise_co2=True)
    assert least is not None
    least_co2 = plan_co2_t(d, plan_arrays_from_flows(d, least[1]))
    assert front[-1].co2_t_per_yr == pytest.approx(least_co2, rel=1e-6)


def test_caps_are_evenly_spaced_from_the_min_cost_plan(front) -> None:  # noqa: ANN001
    hi, lo = front[0].co2_t_per_yr, front[-1].co2_t_per_yr
    caps = [p.co2_cap_t for p in front[1:]]
    expected = np.linspace(hi, lo, N)[1:]
    assert caps == pytest.approx(expected, rel=1e-6)
    for p in front[1:]:
        assert p.co2_t_per_yr <= p.co2_cap_t * (1 + 1e-7)


def test_each_point_is_the_cheapest_plan_under_its_cap(d: ProblemData, front) -> None:  # noqa: ANN001
    for p in front[1:]:
        assert p.cost_eur_per_yr == pytest.approx(
            milp_optimum_by_enumeration(d, co2_cap_t=p.co2_cap_t), rel=1e-6
        )
        assert p.status == "optimal" and p.saving_gap is not None and p.saving_gap <= 1e-6, p


def _fp(cap: float | None, cost: float, co2: float, rejected: str = "") -> _FrontPlan:
    plan = plan_arrays_from_flows(_tiny(), np.zeros((1, 1)))
    return _FrontPlan(cap, plan, cost, co2, -np.inf, "Optimal", 0.0, rejected=rejected)


def _tiny() -> ProblemData:
    return build_problem_data(synthetic_candidate_set(1, 1, 1, seed=0))


def test_a_dearer_point_takes_the_tighter_points_plan() -> None:
    """Point 1 (cap 90) stopped at 120 €, point 2 (cap 80) found 110 €: point 2's plan meets cap 90."""
    pts = [_fp(None, 100.0, 95.0), _fp(90.0, 120.0, 88.0), _fp(80.0, 110.0, 79.0)]
    make_monotone(pts)
    assert [p.cost for p in pts] == [100.0, 110.0, 110.0]
    assert pts[1].co2 == 79.0 and "80.0 t" in pts[1].note


def test_a_looser_points_plan_is_offered_only_when_it_meets_the_cap() -> None:
    fits = [_fp(None, 100.0, 95.0), _fp(96.0, 130.0, 90.0)]
    make_monotone(fits)
    assert fits[1].cost == 100.0 and fits[1].co2 == 95.0
    too_high = [_fp(None, 100.0, 95.0), _fp(94.9, 130.0, 90.0)]
    make_monotone(too_high)
    assert too_high[1].cost == 130.0


def test_a_rejected_plan_is_replaced_by_a_neighbours() -> None:
    pts = [_fp(None, 100.0, 95.0), _fp(90.0, 50.0, 99.0, rejected="co2 cap"), _fp(80.0, 110.0, 79.0)]
    make_monotone(pts)
    assert pts[1].rejected == "" and pts[1].cost == 110.0


def test_the_same_plan_found_twice_is_not_swapped() -> None:
    """Two points that found the same plan differ by rounding only: no note, no swap."""
    pts = [_fp(None, 100.0, 95.0), _fp(90.0, 110.0 * (1 + 1e-12), 88.0), _fp(80.0, 110.0, 88.0)]
    make_monotone(pts)
    assert pts[1].note == "" and pts[1].cost == 110.0 * (1 + 1e-12)
