"""``POST /water/targets``: Wang & Smith's (1994) published targets from the tables sent as JSON
(the CSV files' rows, text or JSON numbers alike), every bad cell named with its table row, field,
value and expectation, the size bounds on both sides, roles, and nothing stored."""

from __future__ import annotations

import csv
from typing import Any

import pytest
from pydantic import ValidationError

from symbiosis import DATASETS_DIR
from symbiosis.api.schemas.water import MAX_OPERATIONS, MAX_SOURCES, WaterTargetsRequest

pytestmark = pytest.mark.graph  # the API's store is behind every request, even one that reads none

WANG_SMITH = DATASETS_DIR / "wang_smith_1994"


def _csv_rows(name: str) -> list[dict[str, str]]:
    """The dataset file's rows as the body carries them: column → cell, empty cells left out."""
    with (WANG_SMITH / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return [{k: v for k, v in row.items() if v} for row in csv.DictReader(f)]


def _wang_smith_body() -> dict[str, Any]:
    return {name: _csv_rows(name) for name in ("water_sources", "water_operations", "water_treatments")}


def _native_body() -> dict[str, Any]:
    """The same problem with JSON numbers and objects instead of the CSV's text."""
    ops = [(2, 0, 100), (5, 50, 100), (30, 50, 800), (4, 400, 800)]  # Table 1: load kg/h, Cin, Cout max
    return {
        "water_sources": [
            {"id": "fresh", "name": "Fresh water", "type": "mains", "contaminants_mg_per_l": {"c": 0}}
        ],
        "water_operations": [
            {
                "id": f"op{i}",
                "site_id": "plant_site",
                "name": f"Operation {i}",
                "kind": "fixed_load",
                "loads_kg_per_h": {"c": load},
                "max_inlet_mg_per_l": {"c": cin},
                "max_outlet_mg_per_l": {"c": cout},
            }
            for i, (load, cin, cout) in enumerate(ops, start=1)
        ],  # fmt: skip
        "water_treatments": [
            {
                "id": "regen",
                "site_id": "plant_site",
                "name": "Regeneration",
                "source": "paper",
                "outlet_mg_per_l": {"c": 5},
                "shared": False,
            }
        ],  # fmt: skip
    }


def _fresh(answer: dict[str, Any]) -> list[float]:
    return [t["fresh_m3_per_h"] for t in answer["targets"]]


def test_wang_smith_tables_sent_as_json_give_the_published_targets(as_role) -> None:  # noqa: ANN001
    r = as_role("agency", "POST", "/water/targets", json=_wang_smith_body())
    assert r.status_code == 200, r.text
    answer = r.json()
    # 112.5 t/h without reuse and 90 t/h with reuse (the paper); 20 t/h regenerating to 5 ppm
    assert _fresh(answer) == pytest.approx([112.5, 90.0, 90.0, 20.0])
    curve = answer["composite_curves"]["c"]["limiting_composite"]
    assert curve == [pytest.approx(p) for p in ([0, 0], [1, 50], [9, 100], [21, 400], [41, 800])]
    assert answer["plan"]["fresh_water_saved_m3_per_yr"] == pytest.approx((112.5 - 20) * 8760)
    native = as_role("admin", "POST", "/water/targets", json=_native_body())
    assert native.status_code == 200, native.text
    assert _fresh(native.json()) == pytest.approx([112.5, 90.0, 90.0, 20.0])


def _errors(r) -> list[dict[str, Any]]:  # noqa: ANN001
    assert r.status_code == 422, r.text
    assert r.json()["detail"] and "Traceback" not in r.text
    return r.json()["errors"]


def test_every_bad_cell_is_named_with_its_row_field_value_and_expectation(as_role) -> None:  # noqa: ANN001
    body = _native_body()
    body["water_operations"][1]["kind"] = "fixed_loud"
    body["water_operations"][2]["max_outlet_mg_per_l"] = {"c": 20}  # below its inlet limit of 50
    body["water_sources"][0]["type"] = "river"
    body["water_treatments"][0]["quantity_unit"] = "kWh"
    body["water_treatments"][0]["max_quantity"] = 10
    errors = _errors(as_role("agency", "POST", "/water/targets", json=body))
    by_place = {(e["location"], e["field"]): e for e in errors}
    assert by_place[("water_operations[1]", "kind")]["value"] == "fixed_loud"
    assert "fixed_load" in by_place[("water_operations[1]", "kind")]["expected"]
    assert by_place[("water_sources[0]", "type")]["expected"] == "one of ground, surface, mains, sea"
    assert "water flow unit" in by_place[("water_treatments[0]", "quantity_unit")]["expected"]
    assert "inlet" in by_place[("water_operations[2]", "max_outlet_mg_per_l[c]")]["expected"]
    # the valid rows are not blamed
    assert not any(loc in ("water_operations[0]", "water_operations[3]") for loc, _ in by_place)


def test_shape_errors_name_the_field(as_role) -> None:  # noqa: ANN001
    body = _native_body()
    body["water_operations"][0]["colour"] = "blue"
    body["water_operations"][1]["loads_kg_per_h"] = {"c": 1e12}
    errors = _errors(as_role("agency", "POST", "/water/targets", json=body))
    fields = {e["field"] for e in errors}
    assert any(f.endswith("water_operations.0.colour") for f in fields), fields
    assert any("water_operations.1.loads_kg_per_h" in f for f in fields), fields


def test_a_problem_without_fresh_water_enough_is_a_clear_error(as_role) -> None:  # noqa: ANN001
    body = _native_body()
    body["water_sources"][0]["max_quantity"] = 10  # m³/h: below the 20 t/h even regeneration needs
    r = as_role("agency", "POST", "/water/targets", json=body)
    assert r.status_code == 400 and "Traceback" not in r.text, r.text
    assert "no water network meets every limit" in r.json()["detail"]
    body["water_sources"][0]["max_quantity"] = 200  # above the 112.5 t/h of no reuse: computed
    assert as_role("agency", "POST", "/water/targets", json=body).status_code == 200


def test_roles_and_nothing_is_stored(as_role, ctx) -> None:  # noqa: ANN001
    before = ctx.repo().data_version()
    assert as_role("company", "POST", "/water/targets", json=_native_body()).status_code == 403
    assert as_role("analyst", "POST", "/water/targets", json=_native_body()).status_code == 403
    assert as_role("anon", "POST", "/water/targets", json=_native_body()).status_code == 401
    assert as_role("agency", "POST", "/water/targets", json=_native_body()).status_code == 200
    assert ctx.repo().data_version() == before


def _op(i: int) -> dict[str, Any]:
    return {"id": f"o{i}", "site_id": "s", "name": f"o{i}", "kind": "fixed_load", "loads_kg_per_h": {"c": 1}}


@pytest.mark.parametrize(
    ("n_ops", "n_sources", "ok"),
    [
        (MAX_OPERATIONS, 1, True), (MAX_OPERATIONS + 1, 1, False),
        (1, MAX_SOURCES, True), (1, MAX_SOURCES + 1, False), (0, 1, False),
    ],
)  # fmt: skip
def test_size_bounds_on_both_sides(n_ops: int, n_sources: int, ok: bool) -> None:
    body = {
        "water_operations": [_op(i) for i in range(n_ops)],
        "water_sources": [{"id": f"s{i}", "name": "s", "type": "mains"} for i in range(n_sources)],
    }
    if ok:
        WaterTargetsRequest.model_validate(body)
    else:
        with pytest.raises(ValidationError):
            WaterTargetsRequest.model_validate(body)
