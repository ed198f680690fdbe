"""The Declare form's checks: the domain models and the knowledge base, errors per field."""

from __future__ import annotations

from dashboard.declare import validate_declaration
from symbiosis.domain import InputDeclaration, OutputDeclaration
from symbiosis.knowledge.base import KnowledgeBase

SITES = {"asnaes", "refinery"}


def _form(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "o_new",
        "site_id": "asnaes",
        "resource_code": "fly_ash",
        "quantity": "10",
        "quantity_unit": "t/day",
        "temperature_c": "",
        "confidentiality": "agency",
    }
    return {**base, **over}


def test_a_valid_output_is_converted_to_canonical_units(kb: KnowledgeBase) -> None:
    checked = validate_declaration("output", _form(), kb, SITES)
    assert checked.ok and checked.errors == {}
    assert isinstance(checked.declaration, OutputDeclaration)
    assert checked.declaration.quantity_per_yr == 3650.0
    assert checked.declaration.unit == kb.resources["fly_ash"].canonical_unit


def test_errors_are_keyed_by_form_field(kb: KnowledgeBase) -> None:
    checked = validate_declaration(
        "output",
        _form(quantity="-3", quantity_unit="MWh/yr", site_id="nowhere", temperature_c="5000"),
        kb,
        SITES,
    )
    assert not checked.ok
    assert set(checked.errors) == {"quantity", "quantity_unit", "site_id", "temperature_c"}
    assert "'nowhere'" in checked.errors["site_id"]
    assert "'MWh/yr'" in checked.errors["quantity_unit"]


def test_unknown_resource_and_missing_id(kb: KnowledgeBase) -> None:
    checked = validate_declaration("input", _form(id="", resource_code="moon_dust"), kb, SITES)
    assert set(checked.errors) == {"id", "resource_code"}


def test_input_requirements_are_checked(kb: KnowledgeBase) -> None:
    ok = validate_declaration(
        "input", _form(id="i_new", resource_code="natural_gypsum", min_purity_pct="95"), kb, SITES
    )
    assert isinstance(ok.declaration, InputDeclaration) and ok.declaration.requirement.min_purity_pct == 95
    bad = validate_declaration(
        "input", _form(id="i_new", resource_code="natural_gypsum", min_purity_pct="140"), kb, SITES
    )
    assert set(bad.errors) == {"min_purity_pct"}
