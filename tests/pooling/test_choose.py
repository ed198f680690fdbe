"""The pool choice model (Pyomo → compiled arrays → HiGHS) on hand-solved instances, and its
group-by-group decomposition against the MILP and a brute-force enumeration."""

from __future__ import annotations

import itertools
import random

import pytest

from symbiosis.pooling.choose import PoolOption, choose_by_group, choose_pools
from symbiosis.pooling.terms import PriceTier, StreamTerms

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


# --- the decomposition used at national scale ------------------------------------------------


def test_by_group_hand_solved_cases() -> None:
    """The same hand-solved cases as the MILP's above, group by group."""
    c = choose_by_group(options(), TIERS, ALONE, [0.0] * 3)
    assert (c.chosen, c.alone, c.gap) == ((1,), (), 0.0) and c.objective_eur == pytest.approx(125.0)
    c = choose_by_group(options(co2_all=1.0), TIERS, ALONE, [0.0] * 3, carbon_price_eur_per_t=100.0)
    assert (c.chosen, c.alone) == ((0,), (2,)) and c.objective_eur == pytest.approx(220.0)
    c = choose_by_group(options(co2_all=1.0), TIERS, ALONE, [0.0] * 3, carbon_price_eur_per_t=90.0)
    assert c.chosen == (1,) and c.objective_eur == pytest.approx(215.0)
    at = choose_by_group(options(volume_all=12.0), TIERS, ALONE, [0.0] * 3)
    assert at.objective_eur == pytest.approx(110.0)
    below = choose_by_group(options(volume_all=11.99), TIERS, ALONE, [0.0] * 3)
    assert below.objective_eur == pytest.approx(169.9)
    nobody = choose_by_group(options(), TIERS, [30.0, 30.0, 30.0], [0.0] * 3)
    assert nobody.chosen == () and nobody.alone == (0, 1, 2) and nobody.objective_eur == pytest.approx(90.0)


def _random_instance(rng: random.Random) -> tuple[list[PoolOption], list, list[float], list[float]]:
    """A few groups of 2–5 members, every subset of ≥ 2 an option, three all-units tiers each."""
    opts, tiers, alone_eur, alone_co2 = [], [], [], []
    for g in range(rng.randint(1, 4)):
        first = len(alone_eur)
        n = rng.randint(2, 5)
        vols = [rng.choice([2.0, 5.0, 7.5, 10.0]) for _ in range(n)]
        alone_eur += [rng.uniform(20, 200) for _ in range(n)]
        alone_co2 += [rng.uniform(0, 1) for _ in range(n)]
        tiers.append(
            (PriceTier(0, 10.0), PriceTier(10.0, rng.uniform(4, 9)), PriceTier(20.0, rng.uniform(1, 4)))
        )
        for k in range(2, n + 1):
            for s in itertools.combinations(range(n), k):
                opts.append(
                    PoolOption(
                        g, tuple(first + i for i in s), sum(vols[i] for i in s), rng.uniform(10, 150),
                        rng.uniform(0, 1.5),
                    )
                )  # fmt: skip
    return opts, tiers, alone_eur, alone_co2


def _brute_force(opts, tiers, alone_eur, alone_co2, cp: float) -> float:
    """Every choice of at most one option per group, priced by the all-units rule by hand
    (`StreamTerms.price_eur_per_t`: the highest tier whose threshold the volume reaches)."""
    groups = sorted({o.group for o in opts})
    per_group = [[None, *[o for o in opts if o.group == g]] for g in groups]
    best = float("inf")
    for pick in itertools.product(*per_group):
        pooled = {u for o in pick if o is not None for u in o.members}
        cost = sum(
            e + cp * c for u, (e, c) in enumerate(zip(alone_eur, alone_co2, strict=True)) if u not in pooled
        )
        for o in pick:
            if o is not None:
                t = StreamTerms("x", "collection", 1.0, 1, 0.0, tiers[o.group])
                cost += o.route_and_fixed_eur_per_yr + t.contract_price_eur_per_yr(o.volume_t_per_yr)
                cost += cp * o.co2_t_per_yr
        best = min(best, cost)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_by_group_equals_the_milp_and_brute_force(seed: int) -> None:
    """Differential: the decomposition, HiGHS on the whole MILP, and enumeration by hand agree.
    Volumes land on the tier breaks (10, 20 t) often, to test both sides of each break."""
    rng = random.Random(seed)
    opts, tiers, alone_eur, alone_co2 = _random_instance(rng)
    cp = rng.choice([0.0, 50.0])
    by_group = choose_by_group(opts, tiers, alone_eur, alone_co2, cp)
    milp = choose_pools(opts, tiers, alone_eur, alone_co2, cp)
    oracle = _brute_force(opts, tiers, alone_eur, alone_co2, cp)
    assert by_group.objective_eur == pytest.approx(oracle, rel=1e-9, abs=1e-6)
    assert milp.objective_eur == pytest.approx(oracle, rel=1e-6, abs=1e-4)
    # the chosen set costs what the decomposition says it costs
    pooled = {u for p in by_group.chosen for u in opts[p].members}
    assert sorted(pooled | set(by_group.alone)) == list(range(len(alone_eur)))
    assert len({opts[p].group for p in by_group.chosen}) == len(by_group.chosen)
