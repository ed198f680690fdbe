"""The Declare form's checks: the domain models and the knowledge base, errors per field in the
user's language, once each; French numbers and unit words accepted."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    ("resource", "quantity", "unit", "per_yr"),
    [
        ("fly_ash", "12,5", "t/jour", 12.5 * 365),
        ("fly_ash", "1 200", "t/an", 1200.0),
        ("fly_ash", "1\u202f200,5", "tonnes/an", 1200.5),
        ("fly_ash", "2", "t/mois", 24.0),
        ("warm_water", "60", "m³/h", 60 * 8760),
        ("warm_water", "3", "m³ par heure", 3 * 8760),
        ("heat_medium_50_90c", "1,5", "GWh/an", 1500.0),
        ("heat_medium_50_90c", "2", "MWh/j", 730.0),
    ],
)
def test_french_numbers_and_unit_words(
    kb: KnowledgeBase, resource: str, quantity: str, unit: str, per_yr: float
) -> None:
    checked = validate_declaration(
        "output", _form(resource_code=resource, quantity=quantity, quantity_unit=unit), kb, SITES
    )
    assert checked.errors == {}
    assert checked.declaration is not None
    assert checked.declaration.quantity_per_yr == pytest.approx(per_yr)


def test_errors_are_keyed_by_form_field_in_french(kb: KnowledgeBase) -> None:
    checked = validate_declaration(
        "output",
        _form(quantity="-3", quantity_unit="MWh/yr", site_id="nowhere", temperature_c="5000"),
        kb,
        SITES,
    )
    assert not checked.ok
    assert set(checked.errors) == {"quantity", "quantity_unit", "site_id", "temperature_c"}
    assert checked.errors["site_id"] == "« nowhere » : choisissez un de vos sites de ce territoire."
    assert checked.errors["quantity"] == "« -3 » : doit être supérieur ou égal à 0."
    assert checked.errors["quantity_unit"].startswith("« MWh/yr » : ce n'est pas une quantité de t par an")
    assert "inférieur ou égal" in checked.errors["temperature_c"]


def test_the_same_errors_in_english(kb: KnowledgeBase) -> None:
    checked = validate_declaration("output", _form(quantity="abc", quantity_unit="bananes"), kb, SITES, "en")
    assert checked.errors == {
        "quantity": "“abc”: a number is expected, e.g. 12.5 or 1200.",
        "quantity_unit": "“bananes”: unknown unit; expected e.g. t/yr, t/day, m3/h, GWh/yr or MW.",
    }


@pytest.mark.parametrize("bad", ["inf", "1e400", "-inf", "nan"])
def test_numbers_must_be_finite(kb: KnowledgeBase, bad: str) -> None:
    checked = validate_declaration("output", _form(quantity=bad), kb, SITES)
    assert set(checked.errors) == {"quantity"}
    assert "nombre" in checked.errors["quantity"]


def test_a_missing_field_says_so_once_without_the_record(kb: KnowledgeBase) -> None:
    checked = validate_declaration("output", _form(quantity=""), kb, SITES)
    assert checked.errors == {"quantity": "Champ obligatoire : renseignez-le."}  # not quantity_per_yr too
    assert not any("{" in m or "CanonicalUnit" in m for m in checked.errors.values())


def test_unknown_resource_and_missing_id(kb: KnowledgeBase) -> None:
    checked = validate_declaration("input", _form(id="", resource_code="moon_dust"), kb, SITES)
    assert set(checked.errors) == {"id", "resource_code"}
    assert (
        checked.errors["resource_code"] == "« moon_dust » : ressource inconnue de la base de connaissances."
    )
    assigned = validate_declaration(
        "input", _form(id="", resource_code="natural_gypsum"), kb, SITES, id_required=False
    )
    assert assigned.errors == {}  # the service assigns the id


def test_input_requirements_are_checked(kb: KnowledgeBase) -> None:
    ok = validate_declaration(
        "input", _form(id="i_new", resource_code="natural_gypsum", min_purity_pct="95"), kb, SITES
    )
    assert isinstance(ok.declaration, InputDeclaration) and ok.declaration.requirement.min_purity_pct == 95
    edge = validate_declaration(
        "input", _form(id="i_new", resource_code="natural_gypsum", min_purity_pct="100"), kb, SITES
    )
    assert edge.errors == {}
    bad = validate_declaration(
        "input", _form(id="i_new", resource_code="natural_gypsum", min_purity_pct="100,5"), kb, SITES
    )
    assert set(bad.errors) == {"min_purity_pct"}
    assert bad.errors["min_purity_pct"] == "« 100,5 » : doit être inférieur ou égal à 100."


def test_a_derived_quantity_error_is_not_said_twice() -> None:
    """When quantity (or its unit) is at fault, the derived yearly quantity's error repeats it."""
    from pydantic import BaseModel, Field, ValidationError

    from dashboard.form_errors import field_messages

    class Probe(BaseModel):
        quantity: float = Field(ge=0)
        quantity_per_yr: float = Field(ge=0)

    with pytest.raises(ValidationError) as both:
        Probe.model_validate({"quantity": -1, "quantity_per_yr": -365})
    assert set(field_messages(both.value, "fr", {"quantity": "-1"}, "t")) == {"quantity"}
    with pytest.raises(ValidationError) as alone:
        Probe.model_validate({"quantity": 1, "quantity_per_yr": -365})
    assert set(field_messages(alone.value, "fr", {}, "t")) == {"quantity_per_yr"}  # shown on its own
