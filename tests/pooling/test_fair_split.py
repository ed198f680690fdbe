"""Shapley value, sampled Shapley, core check and pro rata against hand computations."""

from __future__ import annotations

import pytest

from symbiosis.pooling.fair_split import core_violations, pro_rata, shapley_exact, shapley_sampled

# A 3-member cost game (€/yr): alone 100, 80, 60; pairs 150, 130, 110; all three 170.
V = {(): 0, (0,): 100, (1,): 80, (2,): 60, (0, 1): 150, (0, 2): 130, (1, 2): 110, (0, 1, 2): 170}


def v(s: frozenset[int]) -> float:
    return float(V[tuple(sorted(s))])


def test_shapley_equals_the_hand_computation() -> None:
    # φ0 = 1/3·100 + 1/6·(150−80) + 1/6·(130−60) + 1/3·(170−110) = 33.33+11.67+11.67+20 = 76.67
    # φ1 = 1/3·80 + 1/6·(150−100) + 1/6·(110−60) + 1/3·(170−130) = 26.67+8.33+8.33+13.33 = 56.67
    # φ2 = 170 − 76.67 − 56.67 = 36.67
    assert shapley_exact(3, v) == pytest.approx((230 / 3, 170 / 3, 110 / 3))


def test_core_check_accepts_the_fair_split_and_catches_a_hand_made_unfair_one() -> None:
    assert core_violations(3, v, shapley_exact(3, v)) == []
    unfair = (40.0, 20.0, 110.0)  # member 2 pays 110 > 60 it would pay alone; the total is right
    bad = core_violations(3, v, unfair)
    assert [(sorted(s), round(e, 6)) for s, e in bad] == [([2], 50.0), ([0, 2], 20.0), ([1, 2], 20.0)]


def test_core_check_boundary_and_budget_balance() -> None:
    at_limit = (100.0, 50.0, 20.0)  # {0} pays exactly its stand-alone 100: allowed
    assert core_violations(3, v, at_limit) == []
    assert [sorted(s) for s, _ in core_violations(3, v, (100.01, 49.99, 20.0))] == [[0]]
    short = (70.0, 50.0, 30.0)  # 150 ≠ 170: the pool is not paid for
    assert [sorted(s) for s, _ in core_violations(3, v, short)] == [[0, 1, 2]]


def test_pro_rata_by_volume() -> None:
    assert pro_rata([10.0, 30.0, 60.0], 170.0) == pytest.approx((17.0, 51.0, 102.0))


def test_sampled_shapley_lies_within_its_stated_bound() -> None:
    exact = shapley_exact(3, v)
    width = 200.0  # every marginal cost here lies in [0, 100]... within a 200-wide interval
    s = shapley_sampled(3, v, [width] * 3, n_orders=400, seed=3)
    for est, true, half in zip(s.shares, exact, s.half_width, strict=True):
        assert abs(est - true) <= half
    assert sum(s.shares) == pytest.approx(170.0)  # every order charges exactly v(N)
    assert s.half_width[0] == pytest.approx(200.0 * ((__import__("math").log(2 * 3 / 0.05)) / 800) ** 0.5)
