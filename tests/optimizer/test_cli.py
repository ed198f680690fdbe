"""`symbiosis optimize` end to end on the Kalundborg dataset (matching → optimiser → files)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis import DATASETS_DIR
from symbiosis.cli import app

KALUNDBORG = DATASETS_DIR / "kalundborg"
pytestmark = pytest.mark.skipif(not KALUNDBORG.exists(), reason="Kalundborg dataset not present")


def test_optimize_writes_a_consistent_plan(tmp_path: Path) -> None:
    out_json, out_csv = tmp_path / "plan.json", tmp_path / "links.csv"
    res = CliRunner().invoke(
        app,
        ["optimize", "--dataset", str(KALUNDBORG), "--carbon-price", "80", "--json", str(out_json),
         "--csv", str(out_csv)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Exchange plan" in res.output
    plan = json.loads(out_json.read_text())
    assert plan["solver"]["status"] == "optimal" and plan["solver"]["verified"]
    assert all(lf["ratio"] > 0 and lf["reason"] for lf in plan["links"])
    totals = plan["totals"]
    assert totals["savings_eur_per_yr"] >= 0  # doing nothing is always feasible
    obj = totals["cost_eur_per_yr"] + 80 * totals["co2_t_per_yr"]
    assert plan["solver"]["objective"] == pytest.approx(obj, rel=1e-9)
    # water: only fresh water no longer abstracted is "saved"; the fish farm's warm water replaces
    # sea water, which appears in the balance (as the link's delivered m³) but is not counted
    water = plan["water"]
    change = water["abstraction_change_m3_per_yr"]
    fish = [lf for lf in plan["links"] if lf["input_id"] == "i_fish_farm_water"]
    assert len(fish) == 1
    assert change["sea"] == pytest.approx(-fish[0]["delivered_per_yr"], rel=1e-9)
    fresh = -(change.get("ground", 0.0) + change.get("surface", 0.0) + change.get("mains", 0.0))
    assert water["fresh_water_saved_m3_per_yr"] == pytest.approx(fresh, rel=1e-9)
    assert "fresh water no longer abstracted" in res.output
    with out_csv.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(plan["links"]) > 0
    assert sum(float(r["cost_eur_per_yr"]) for r in rows) == pytest.approx(
        sum(lf["cost_eur_per_yr"] for lf in plan["links"])
    )


def test_optimize_pareto_front(tmp_path: Path) -> None:
    out = tmp_path / "front.csv"
    res = CliRunner().invoke(
        app, ["optimize", "--dataset", str(KALUNDBORG), "--pareto", "4", "--csv", str(out)]
    )
    assert res.exit_code == 0, res.output
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4
    co2 = [float(r["co2_t_per_yr"]) for r in rows]
    assert co2 == sorted(co2, reverse=True)


def test_bad_carbon_price_is_one_clear_line() -> None:
    res = CliRunner().invoke(app, ["optimize", "--dataset", str(KALUNDBORG), "--carbon-price", "-5"])
    assert res.exit_code != 0
    assert "--carbon-price -5.0: expected a price ≥ 0 €/t" in str(res.exception)
