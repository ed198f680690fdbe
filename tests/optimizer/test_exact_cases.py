"""Hand-solved cases: each optimum is worked out in the docstring and asserted exactly."""

from __future__ import annotations

import pytest

from symbiosis.optimizer import OptimizeOptions, optimize

from .builders import cset, flat, input_, link, months, output


def _flow(plan, link_id: str) -> float:
    return next((lf.qty_per_yr for lf in plan.links if lf.link_id == link_id), 0.0)


@pytest.mark.parametrize(
    ("fixed_eur", "built", "objective"), [(5_000.0, True, 6_000.0), (8_000.0, False, 8_000.0)]
)
def test_fixed_cost_decides_whether_a_link_is_built(fixed_eur: float, built: bool, objective: float) -> None:
    """100 t; disposal 50 €/t, virgin 30 €/t, transport 10 €/t. Baseline 5,000 + 3,000 = 8,000 €.
    With the link: 100 × 10 + F. F = 5,000 → 6,000 (build); F = 8,000 → 9,000 > 8,000 (skip)."""
    o, i = output("o1", 100, 50), input_("i1", 100, 30)
    plan = optimize(cset([o], [i], [link(o, i, 10, fixed_eur=fixed_eur)]))
    assert plan.solver.objective == pytest.approx(objective, abs=1e-6)
    assert plan.totals.cost_eur_per_yr == pytest.approx(objective, abs=1e-6)
    assert plan.totals.baseline_cost_eur_per_yr == pytest.approx(8_000)
    assert plan.totals.savings_eur_per_yr == pytest.approx(8_000 - objective, abs=1e-6)
    assert _flow(plan, "o1->i1") == pytest.approx(100.0 if built else 0.0, abs=1e-6)
    assert any(lf.built for lf in plan.links) is built


def test_substitution_ratio_delivers_a_fraction_of_the_flow() -> None:
    """1 t ash replaces 0.5 t cement. Ash 100 t (disposal 20 €/t), cement need 60 t (100 €/t), transport
    5 €/t. Each t sent gains 20 + 0.5 × 100 − 5 = 65 > 0, so send all 100 t (≤ 60 / 0.5 = 120):
    50 t delivered, 10 t virgin. Cost = 100 × 5 + 10 × 100 = 1,500 €."""
    o, i = output("ash", 100, 20), input_("cement", 60, 100)
    plan = optimize(cset([o], [i], [link(o, i, 5, delivery_factor=0.5)]))
    assert plan.solver.objective == pytest.approx(1_500.0)
    lf = plan.links[0]
    assert lf.qty_per_yr == pytest.approx(100.0)
    assert lf.delivered_per_yr == pytest.approx(50.0)
    assert plan.totals.virgin_avoided_per_yr == {"t": pytest.approx(50.0)}
    assert plan.totals.diverted_from_disposal_per_yr == {"t": pytest.approx(100.0)}


def _two_suppliers():
    """Input: 100 t, virgin 100 €/t and 1,000 kg CO2/t. Near supplier: 10 €/t, 500 kg/t; far: 30 €/t,
    100 kg/t; both 100 t, free to dispose, no disposal CO2."""
    near, far = output("near", 100, 0), output("far", 100, 0)
    i = input_("plant", 100, 100, virgin_co2_kg=1000)
    return cset([near, far], [i], [link(near, i, 10, var_co2_kg=500), link(far, i, 30, var_co2_kg=100)])


def test_without_cap_the_cheap_supplier_wins() -> None:
    plan = optimize(_two_suppliers())
    assert plan.solver.objective == pytest.approx(1_000.0)
    assert plan.totals.co2_t_per_yr == pytest.approx(50.0)
    assert _flow(plan, "near->plant") == pytest.approx(100.0)


def test_co2_cap_changes_the_choice() -> None:
    """CO2 ≤ 20 t: x_near + x_far = 100 and 0.5 x_near + 0.1 x_far ≤ 20 → x_near = 25, x_far = 75;
    cost 25 × 10 + 75 × 30 = 2,500 €."""
    plan = optimize(_two_suppliers(), OptimizeOptions(co2_cap_t=20.0))
    assert plan.solver.objective == pytest.approx(2_500.0)
    assert plan.totals.co2_t_per_yr == pytest.approx(20.0)
    assert _flow(plan, "near->plant") == pytest.approx(25.0)
    assert _flow(plan, "far->plant") == pytest.approx(75.0)


def test_carbon_price_changes_the_choice() -> None:
    """At 100 €/t CO2: near costs 10 + 50 = 60 €/t, far 30 + 10 = 40 €/t → far: 3,000 € + 10 t × 100."""
    plan = optimize(_two_suppliers(), OptimizeOptions(carbon_price_eur_per_t=100.0))
    assert plan.solver.objective == pytest.approx(4_000.0)
    assert plan.totals.cost_eur_per_yr == pytest.approx(3_000.0)
    assert _flow(plan, "far->plant") == pytest.approx(100.0)


def test_water_quality_limit_forces_dilution_with_fresh_water() -> None:
    """Treated effluent, 500 mg/l chloride, 100 m3 (disposal 2 €/m3); cooling water needs 100 m3 at
    ≤ 200 mg/l (fresh 1 €/m3, clean). 500 x ≤ 200 × 100 → x = 40; cost 40 × 0.5 + 60 × 2 + 60 × 1 = 200 €."""
    o = output("effluent", 100, 2, unit="m3", conc={"chloride": 500})
    i = input_("cooling", 100, 1, unit="m3", limits={"chloride": 200})
    plan = optimize(cset([o], [i], [link(o, i, 0.5, needs_dilution=True)]))
    assert plan.solver.objective == pytest.approx(200.0)
    assert _flow(plan, "effluent->cooling") == pytest.approx(40.0)
    assert plan.totals.virgin_avoided_per_yr == {"m3": pytest.approx(40.0)}


def test_max_share_of_input_caps_a_substitute() -> None:
    """Same as the ratio case with a 30 % cap on 60 t: delivered ≤ 18 t → flow 36 t;
    cost 36 × 5 + 64 × 20 + 42 × 100 = 5,660 €."""
    o, i = output("ash", 100, 20), input_("cement", 60, 100)
    plan = optimize(cset([o], [i], [link(o, i, 5, delivery_factor=0.5, max_share=0.3)]))
    assert plan.solver.objective == pytest.approx(5_660.0)
    assert plan.links[0].delivered_per_yr == pytest.approx(18.0)


@pytest.mark.parametrize(
    ("give_months", "take_months", "exchanged"),
    [(range(0, 6), range(6, 12), 0.0), (range(0, 8), range(4, 12), 40.0)],
)
def test_monthly_profiles_only_exchange_where_they_overlap(
    give_months: range, take_months: range, exchanged: float
) -> None:
    """10 t/month each. Jan–Jun vs Jul–Dec never meet (an annual model would wrongly send 60 t);
    Jan–Aug vs May–Dec overlap 4 months → 40 t. Disposal 50, virgin 30, transport 10 €/t."""
    o = output("o", months(10, give_months), 50)
    i = input_("i", months(10, take_months), 30)
    plan = optimize(cset([o], [i], [link(o, i, 10)]))
    assert plan.n_periods == 12
    assert _flow(plan, "o->i") == pytest.approx(exchanged)
    supplied = 10 * len(give_months)
    needed = 10 * len(take_months)
    assert plan.solver.objective == pytest.approx(
        (supplied - exchanged) * 50 + (needed - exchanged) * 30 + exchanged * 10
    )


def test_flat_profiles_use_one_annual_period() -> None:
    o, i = output("o", flat(120), 50), input_("i", 120, 30)
    plan = optimize(cset([o], [i], [link(o, i, 10)]))
    assert plan.n_periods == 1
    assert plan.links[0].qty_per_period == [pytest.approx(120.0)]


def test_per_site_and_territory_totals_add_up() -> None:
    o = output("o", 100, 50, territory="A")
    i = input_("i", 100, 30, territory="B")
    plan = optimize(cset([o], [i], [link(o, i, 10)]))
    assert set(plan.per_territory) == {"A", "B"}
    assert sum(k.cost_eur_per_yr for k in plan.per_territory.values()) == pytest.approx(
        plan.totals.cost_eur_per_yr
    )
    assert sum(k.cost_eur_per_yr for k in plan.per_site.values()) == pytest.approx(1_000.0)
    assert plan.per_site["site-o"].cost_eur_per_yr == pytest.approx(500.0)  # half the transport
