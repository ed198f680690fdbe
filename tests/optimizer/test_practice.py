"""Known exchanges are today's practice: the plan reports what they already save and, separately,
what the new links add (hand calculations), and marks each link existing or new."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis import DATASETS_DIR
from symbiosis.cli import app
from symbiosis.domain.exchange import KnownExchange
from symbiosis.optimizer import OptimizeOptions, optimize
from symbiosis.optimizer.practice import existing_link_ids
from symbiosis.units import CanonicalUnit

from .builders import cset, input_, link, output


def _park():  # noqa: ANN202
    """o1 (100 t, disposal 50 €/t, 100 kg CO2/t) → i1 (100 t, virgin 30 €/t, 200 kg/t), truck 10 €/t:
    runs today. o2 (100 t, disposal 40 €/t) → i2 (100 t, virgin 20 €/t), truck 5 €/t: new."""
    o1, o2 = output("o1", 100.0, 50.0, 100.0), output("o2", 100.0, 40.0)
    i1, i2 = input_("i1", 100.0, 30.0, 200.0), input_("i2", 100.0, 20.0)
    return cset([o1, o2], [i1, i2], [link(o1, i1, 10.0), link(o2, i2, 5.0)])


def _known(**ids: str) -> KnownExchange:
    return KnownExchange(
        id="x1", from_site_id="site-o1", to_site_id="site-i1", resource_code="r", unit=CanonicalUnit.TONNE,
        source="test", **ids,
    )  # fmt: skip


def test_existing_and_new_savings_by_hand() -> None:
    """No exchange: 5,000 + 4,000 + 3,000 + 2,000 = 14,000 €; 10 + 20 = 30 t CO2.
    Today (o1 → i1 only): 14,000 − 100 × (50 + 30 − 10) = 7,000 €, CO2 0 t: saves 7,000 €, 30 t.
    Plan (both): 7,000 − 100 × (40 + 20 − 5) = 1,500 €: the new link adds 5,500 € and no CO2."""
    cs = _park()
    plan = optimize(
        cs, OptimizeOptions(existing_links=existing_link_ids(cs, [_known(output_id="o1", input_id="i1")]))
    )
    p = plan.practice
    assert p is not None
    assert p.baseline_cost_eur_per_yr == pytest.approx(14_000.0)
    assert p.practice_cost_eur_per_yr == pytest.approx(7_000.0)
    assert p.plan_cost_eur_per_yr == pytest.approx(1_500.0)
    assert p.existing_savings_eur_per_yr == pytest.approx(7_000.0)
    assert p.new_savings_eur_per_yr == pytest.approx(5_500.0)
    assert p.existing_co2_avoided_t_per_yr == pytest.approx(30.0)
    assert p.new_co2_avoided_t_per_yr == pytest.approx(0.0, abs=1e-9)
    assert {lf.link_id: lf.existing for lf in plan.links} == {"o1->i1": True, "o2->i2": False}
    assert (p.n_existing_links_in_plan, p.n_new_links_in_plan) == (1, 1)
    assert plan.to_dict()["practice"]["new_savings_eur_per_yr"] == pytest.approx(5_500.0)


def test_without_known_exchanges_everything_is_new() -> None:
    plan = optimize(_park())
    assert plan.practice is None and not any(lf.existing for lf in plan.links)


def test_known_exchanges_match_by_ids_or_by_sites_and_resource() -> None:
    cs = _park()
    assert existing_link_ids(cs, [_known(output_id="o1", input_id="i1")]) == {"o1->i1"}
    assert existing_link_ids(cs, [_known(output_id="o2", input_id="i1")]) == frozenset()
    lower = cset(list(cs.outputs.values()), list(cs.inputs.values()), [
        c.model_copy(update={"output_resource": "r"}) for c in cs.candidates
    ])  # fmt: skip
    assert existing_link_ids(lower, [_known()]) == {"o1->i1"}  # site-o1 → site-i1, resource r
    assert existing_link_ids(lower, [_known().model_copy(update={"resource_code": "s"})]) == frozenset()


KALUNDBORG = DATASETS_DIR / "kalundborg"


@pytest.mark.skipif(not KALUNDBORG.exists(), reason="Kalundborg dataset not present")
def test_kalundborg_plan_separates_todays_exchanges(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    res = CliRunner().invoke(
        app, ["optimize", "--dataset", str(KALUNDBORG), "--json", str(out), "--limit", "0"]
    )
    assert res.exit_code == 0, res.output
    assert "added by new exchanges" in res.output
    plan = json.loads(out.read_text())
    p = plan["practice"]
    assert p["n_existing_links_known"] > 0 and p["n_existing_links_in_plan"] > 0
    total = plan["totals"]["savings_eur_per_yr"]
    assert p["existing_savings_eur_per_yr"] + p["new_savings_eur_per_yr"] == pytest.approx(total, rel=1e-9)
    assert 0 < p["new_savings_eur_per_yr"] < total  # today's exchanges are not counted as new
