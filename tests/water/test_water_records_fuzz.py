"""The API's path for water tables sent as JSON (`WaterTargetsRequest` → the files' reader →
`water_report`) on generated tables, extreme numbers included: every answer is a report whose
networks pass the verifier, or a `SymbiosisError` / pydantic `ValidationError` (a 4xx) — never
another exception (a 500)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from symbiosis.api.schemas.water import WaterTargetsRequest
from symbiosis.errors import SymbiosisError
from symbiosis.water.dataset_files import water_problem_from_records
from symbiosis.water.report import water_report

NUMBERS = st.one_of(
    st.sampled_from([0.0, 1e-147, 1e-9, 1e-3, 1.0, 50.0, 1e6, 1e9, -1.0, 1e10]),
    st.floats(min_value=0, max_value=1e4, allow_nan=False),
)


KINDS = ["ground", "mains", "sea", "sea", "lake"]  # "lake" is not a source type: a named error
POSITIVE = st.sampled_from([1e-6, 1e-3, 0.5, 2.0, 50.0, 1e4, 1e8])


@st.composite
def bodies(draw: st.DrawFn) -> dict:
    """Mostly well-formed tables (so most reach the solver), at extreme magnitudes, with now and
    then a bad cell from NUMBERS (negative, beyond 10⁹) or a bad source type."""
    ops = []
    for i in range(draw(st.integers(1, 4))):
        site = draw(st.sampled_from(["s1", "s2"]))
        if draw(st.booleans()):
            cin = {k: draw(st.sampled_from([0.0, 10.0, 100.0])) for k in ("a", "b")}
            ops.append({
                "id": f"o{i}", "site_id": site, "name": f"op {i}", "kind": "fixed_load",
                "loads_kg_per_h": {"a": draw(POSITIVE), "b": draw(st.one_of(POSITIVE, NUMBERS))},
                "max_inlet_mg_per_l": cin,
                "max_outlet_mg_per_l": {k: v + draw(POSITIVE) for k, v in cin.items()},
                "loss_quantity": draw(st.one_of(st.none(), st.just(0.0), POSITIVE)),
            })  # fmt: skip
        else:
            flow = draw(POSITIVE)
            ops.append({
                "id": f"o{i}", "site_id": site, "name": f"op {i}", "kind": "fixed_flow",
                "inlet_quantity": flow, "outlet_quantity": draw(st.sampled_from([0.0, flow, flow / 2])),
                "max_inlet_mg_per_l": {"a": draw(st.sampled_from([5.0, 100.0, 1e4]))},
                "outlet_mg_per_l": {"a": draw(NUMBERS), "b": draw(NUMBERS)},
            })  # fmt: skip
    sources = [
        {"id": f"w{i}", "name": f"w{i}", "type": draw(st.sampled_from(KINDS)),
         "max_quantity": draw(st.one_of(st.none(), POSITIVE)),
         "price_eur_per_m3": draw(NUMBERS), "co2_kg_per_m3": draw(NUMBERS),
         "contaminants_mg_per_l": {"a": draw(st.sampled_from([0.0, 1.0, 20.0]))}}
        for i in range(draw(st.integers(1, 2)))
    ]  # fmt: skip
    treatments = [
        {"id": f"t{i}", "site_id": "s1", "name": "t", "source": "test",
         "outlet_mg_per_l": {"a": draw(st.sampled_from([0.0, 5.0]))},
         "removal_ratio": {"b": draw(st.sampled_from([0.0, 0.5, 0.99]))},
         "max_quantity": draw(st.one_of(st.none(), POSITIVE))}
        for i in range(draw(st.integers(0, 1)))
    ]  # fmt: skip
    return {"water_operations": ops, "water_sources": sources, "water_treatments": treatments}


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=bodies())
def test_generated_tables_give_a_report_or_a_clear_error(body: dict) -> None:
    try:
        request = WaterTargetsRequest.model_validate(body)
        report = water_report(water_problem_from_records(request.tables()), request.carbon_price_eur_per_t)
    except (SymbiosisError, ValidationError) as exc:
        assert str(exc).strip()
        return
    for t in report["targets"]:
        assert math.isfinite(t["fresh_m3_per_h"]) and t["fresh_m3_per_h"] >= -1e-9


def test_a_vanishing_concentration_is_solved_not_refused_by_the_solver() -> None:
    """Found by the test above: 2.8e-147 mg/L made a matrix value HiGHS refused (a 500)."""
    body = {
        "water_sources": [{"id": "w0", "name": "w0", "type": "ground", "contaminants_mg_per_l": {"a": 0.0}}],
        "water_operations": [
            {"id": "o0", "site_id": "s1", "name": "op 0", "kind": "fixed_flow", "inlet_quantity": 1e-06,
             "max_inlet_mg_per_l": {"a": 5.0}, "outlet_mg_per_l": {"a": 0.0, "b": 0.0}},
            {"id": "o1", "site_id": "s1", "name": "op 1", "kind": "fixed_flow", "inlet_quantity": 1e-06,
             "outlet_quantity": 1e-06, "max_inlet_mg_per_l": {"a": 5.0},
             "outlet_mg_per_l": {"a": 2.8442418911481405e-147, "b": 0.0}},
        ],
    }  # fmt: skip
    report = water_report(water_problem_from_records(WaterTargetsRequest.model_validate(body).tables()))
    # o0 takes 1e-6 m³/h: from the well without reuse, from o1's effluent (a = 0) with reuse
    assert [t["fresh_m3_per_h"] for t in report["targets"]] == pytest.approx([2e-6, 1e-6, 1e-6], abs=1e-12)
