"""Every plan link says why it exists: rule id, substitution ratio, one-line reason — in the plan,
its JSON and the CLI's CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from symbiosis.cli.optimize_cmd import write_links_csv
from symbiosis.optimizer import optimize

from .builders import cset, input_, link, output


def _slurry():  # noqa: ANN202
    """350,000 t of slurry credited with 0.01 t of fertiliser each: 3,500 t delivered. By hand: each t
    saves 5 (disposal) + 0.01 × 300 (fertiliser) − 4 (truck) = 4 €."""
    o = output("slurry", 350_000.0, 5.0)
    i = input_("fert", 10_000.0, 300.0)
    rule = link(o, i, 4.0, delivery_factor=0.01).model_copy(
        update={"rule_id": "slurry-fertiliser", "ratio": 0.01, "input_resource": "fertiliser"}
    )
    return cset([o], [i], [rule])


def test_a_link_carries_its_rule_ratio_and_reason(tmp_path: Path) -> None:
    plan = optimize(_slurry())
    (lf,) = plan.links
    assert lf.qty_per_yr == pytest.approx(350_000.0)
    assert lf.delivered_per_yr == pytest.approx(3_500.0)
    assert lf.rule_id == "slurry-fertiliser" and lf.ratio == pytest.approx(0.01)
    assert lf.reason.startswith("1 t R = 0.01 t fertiliser (rule slurry-fertiliser)")
    assert plan.to_dict()["links"][0]["reason"] == lf.reason
    json.dumps(plan.to_dict())
    path = tmp_path / "links.csv"
    write_links_csv(plan, path)
    with path.open() as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["rule_id"] == "slurry-fertiliser" and float(row["ratio"]) == pytest.approx(0.01)
    assert row["reason"] == lf.reason


def test_same_resource_reuse_and_transport_loss_are_said() -> None:
    o, i = output("o1", 100.0, 50.0), input_("i1", 100.0, 30.0)
    lossy = link(o, i, 10.0).model_copy(update={"delivery_factor": 0.98})
    (lf,) = optimize(cset([o], [i], [lossy])).links
    assert lf.rule_id is None and lf.ratio == pytest.approx(1.0)
    assert "(same resource)" in lf.reason and "truck 1 km, 2.0% lost" in lf.reason
