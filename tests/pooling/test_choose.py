"""The pool choice model (Pyomo → compiled arrays → HiGHS) on hand-solved instances."""

from __future__ import annotations

import pytest

from symbiosis.pooling.choose import PoolOption, choose_pools
from symbiosis.pooling.terms import PriceTier

TIERS = [(PriceTier(0.0, 10.0), PriceTier(12.0, 5.0))]  # all-units: ≥ 12 t/yr pays 5 €/t on every tonne
ALONE = [100.0, 100.0, 100.0]


def options(co2_all: float = 0.0, volume_all: float = 15.0) -> list[PoolOption]:
    return [
        PoolOption(0, (0, 1), 10.0, 20.0, 0.0),  # 20 + 10 t × 10 €/t = 120, member 2 alone 100 → 220
        PoolOption(0, (0, 1, 2), volume_all, 50.0, co2_all),  # 50 + 15 t × 5 €/t = 125
    ]


def test_hand_solved_optimum_takes_the_whole_pool_at_the_lower_price() -> None:
    c = choose_pools(options(), TIERS, ALONE, [0.0] * 3)
    assert c.chosen == (1,) and c.alone == ()
    assert c.objective_eur == pytest.approx(125.0)
    assert c.gap <= 1e-6 and c.bound_eur <= c.objective_eur + 1e-6


def test_carbon_price_flips_the_choice() -> None:
    # the big pool emits 1 t: at 100 €/t it costs 225 ≤ 220? no — 225 > 220, the pair wins
    c = choose_pools(options(co2_all=1.0), TIERS, ALONE, [0.0] * 3, carbon_price_eur_per_t=100.0)
    assert c.chosen == (0,) and c.alone == (2,)
    assert c.objective_eur == pytest.approx(220.0)
    c = choose_pools(options(co2_all=1.0), TIERS, ALONE, [0.0] * 3, carbon_price_eur_per_t=90.0)
    assert c.chosen == (1,) and c.objective_eur == pytest.approx(215.0)


def test_price_break_boundary_both_sides() -> None:
    # exactly 12 t reaches the 5 €/t tier: 50 + 60 = 110;
    # 11.99 t does not: 50 + 119.9 = 169.9, still below the pair + one alone (220)
    at = choose_pools(options(volume_all=12.0), TIERS, ALONE, [0.0] * 3)
    assert at.chosen == (1,) and at.objective_eur == pytest.approx(110.0)
    below = choose_pools(options(volume_all=11.99), TIERS, ALONE, [0.0] * 3)
    assert below.chosen == (1,) and below.objective_eur == pytest.approx(169.9)


def test_nobody_pools_when_alone_is_cheaper() -> None:
    c = choose_pools(options(), TIERS, [30.0, 30.0, 30.0], [0.0] * 3)
    assert c.chosen == () and c.alone == (0, 1, 2) and c.objective_eur == pytest.approx(90.0)
