"""Share caps: a rule's cap is pooled over one resource's links into one input; a water stream's
dilution cap (limit ÷ concentration) is its own, and blends are left to the linear-mixing
constraint (docs/OPTIMIZER.md, "share caps")."""

from __future__ import annotations

import pytest

from symbiosis.optimizer import optimize
from symbiosis.optimizer.data import build_problem_data
from symbiosis.units import CanonicalUnit

from .builders import cset, input_, link, output
from .oracle import lp_optimum

M3 = CanonicalUnit.CUBIC_METRE


def _water(clean_qty: float = 100.0):  # noqa: ANN202
    """An input of 100 m³ limited to 50 mg/l (virgin water 1 €/m³, clean) fed by two reusable streams
    at 100 and 800 mg/l (disposal 2 €/m³ each, transport 0.1 €/m³). Matching stores each stream's
    dilution cap: 50/100 = ½ and 50/800 = 1/16."""
    a = output("a", clean_qty, 2.0, unit=M3, conc={"cod": 100.0})
    b = output("b", 100.0, 2.0, unit=M3, conc={"cod": 800.0})
    i = input_("plant", 100.0, 1.0, unit=M3, limits={"cod": 50.0})
    links = [
        link(a, i, 0.1, max_share=50 / 100, needs_dilution=True),
        link(b, i, 0.1, max_share=50 / 800, needs_dilution=True),
    ]
    return cset([a, b], [i], links)


def _flow(plan, link_id: str) -> float:  # noqa: ANN001
    return next((lf.qty_per_yr for lf in plan.links if lf.link_id == link_id), 0.0)


def test_the_cleaner_stream_may_cover_half_the_demand() -> None:
    """By hand: every m³ reused saves 2 (disposal) + 1 (virgin) − 0.1 = 2.9 €. Mixing: 100 a + 800 b
    ≤ 50 × 100 and a + b ≤ 100, so the most water reused is a = 50, b = 0 (b uses 8× the budget per
    m³). Baseline 200 × 2 + 100 × 1 = 500 €; plan 500 − 2.9 × 50 = 355 €. Pooling the smallest cap
    held a to 1/16 × 100 = 6.25 m³ (481.875 €)."""
    plan = optimize(_water())
    assert _flow(plan, "a->plant") == pytest.approx(50.0, abs=1e-6)
    assert _flow(plan, "b->plant") == pytest.approx(0.0, abs=1e-6)
    assert plan.solver.objective == pytest.approx(355.0, abs=1e-6)


def test_a_blend_of_both_streams_when_the_clean_one_runs_short() -> None:
    """Stream a has only 40 m³: a = 40 takes 4,000 of the 5,000 mg/l·m³ budget, b = 1,000 / 800 =
    1.25 m³. Reused 41.25 m³: 500 − 2.9 × 41.25 = 380.375 €; the blend is exactly at 50 mg/l."""
    cs = _water(clean_qty=40.0)
    plan = optimize(cs)
    assert _flow(plan, "a->plant") == pytest.approx(40.0, abs=1e-6)
    assert _flow(plan, "b->plant") == pytest.approx(1.25, abs=1e-6)
    baseline = 140 * 2.0 + 100 * 1.0
    assert plan.solver.objective == pytest.approx(baseline - 2.9 * 41.25, abs=1e-6)
    oracle = lp_optimum(build_problem_data(cs))
    assert oracle is not None and plan.solver.objective == pytest.approx(oracle[0], abs=1e-6)


def test_no_share_group_is_built_from_dilution_caps() -> None:
    assert build_problem_data(_water()).shares == []


def _ash(second_resource: str):  # noqa: ANN202
    """Two ash outputs (100 t each, disposal 20 €/t) into a 100 t cement input (100 €/t), a rule
    capping ash at 30 % of the input on every link (no dilution)."""
    a = output("a1", 100.0, 20.0)
    b = output("a2", 100.0, 20.0).model_copy(update={"resource_code": second_resource})
    i = input_("kiln", 100.0, 100.0)
    return cset([a, b], [i], [link(a, i, 5.0, max_share=0.3), link(b, i, 5.0, max_share=0.3)])


@pytest.mark.parametrize(("second", "delivered"), [("R", 30.0), ("S", 60.0)])
def test_a_rule_cap_is_pooled_over_one_resource_only(second: str, delivered: float) -> None:
    """Same resource: both links share the rule's 30 t; another resource has its own 30 t."""
    plan = optimize(_ash(second))
    assert sum(lf.delivered_per_yr for lf in plan.links) == pytest.approx(delivered, abs=1e-6)
    oracle = lp_optimum(build_problem_data(_ash(second)))
    assert oracle is not None and plan.solver.objective == pytest.approx(oracle[0], abs=1e-6)
