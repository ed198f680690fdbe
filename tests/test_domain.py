"""Domain validation: bad input is rejected with the field, the value and what was expected."""

import math

import pytest
from pydantic import ValidationError

from symbiosis.domain import InputDeclaration, OutputDeclaration, Site, Territory
from symbiosis.domain.declarations import FLAT_PROFILE, normalise_profile
from symbiosis.errors import issues_from_validation_error


def _output(**overrides: object) -> dict:
    base: dict[str, object] = {
        "id": "o1",
        "site_id": "s1",
        "resource_code": "fly_ash",
        "unit": "t",
        "quantity": 250,
        "quantity_unit": "t/day",
    }
    base.update(overrides)
    return base


def _issues(model: type, data: dict) -> dict[str, tuple[object, str]]:
    with pytest.raises(ValidationError) as err:
        model.model_validate(data)
    return {i.field: (i.value, i.expected) for i in issues_from_validation_error(err.value, "test row 2")}


def test_declaration_derives_canonical_annual_quantity() -> None:
    out = OutputDeclaration.model_validate(_output())
    assert out.quantity_per_yr == pytest.approx(91_250)
    assert out.monthly_profile == FLAT_PROFILE
    assert sum(out.monthly_quantity()) == pytest.approx(91_250)


def test_kt_per_year_and_mw_declarations() -> None:
    assert (
        OutputDeclaration.model_validate(_output(quantity=135, quantity_unit="kt/yr")).quantity_per_yr
        == 135_000
    )
    heat = InputDeclaration.model_validate(
        {
            "id": "i1",
            "site_id": "s1",
            "resource_code": "heat_medium_50_90c",
            "unit": "MWh",
            "quantity": 10,
            "quantity_unit": "MW",
        }
    )
    assert heat.quantity_per_yr == 87_600


def test_negative_quantity_names_field_value_and_expectation() -> None:
    issues = _issues(OutputDeclaration, _output(quantity=-5))
    value, expected = issues["quantity"]
    assert value == -5
    assert "greater than or equal to 0" in expected


def test_unknown_unit_in_a_declaration() -> None:
    issues = _issues(OutputDeclaration, _output(quantity_unit="bananas/yr"))
    value, expected = issues["quantity_unit"]
    assert value == "bananas/yr"
    assert "unknown unit" in expected and "expected" in expected


def test_incompatible_unit_in_a_declaration() -> None:
    issues = _issues(OutputDeclaration, _output(quantity_unit="m3/h"))
    value, expected = issues["quantity_unit"]
    assert value == "m3/h"
    assert "'t/yr'" in expected


@pytest.mark.parametrize(("field", "value"), [("latitude_deg", 91.0), ("longitude_deg", -180.5)])
def test_coordinates_out_of_range(field: str, value: float) -> None:
    data = {
        "id": "s1",
        "firm_id": "f1",
        "name": "Site",
        "latitude_deg": 55.0,
        "longitude_deg": 11.0,
        field: value,
    }
    issues = _issues(Site, data)
    got, expected = issues[field]
    assert got == value
    assert "less than or equal" in expected or "greater than or equal" in expected


@pytest.mark.parametrize(
    ("profile", "needle"),
    [
        ("1;1;1", "12 monthly values, got 3"),
        ([1.0] * 13, "12 monthly values, got 13"),
        ("1;1;1;1;1;1;1;1;1;1;1;-1", "non-negative"),
        ("0;0;0;0;0;0;0;0;0;0;0;0", "positive"),
        ("a;b;c;d;e;f;g;h;i;j;k;l", "12 numbers"),
    ],
)
def test_profile_must_be_twelve_non_negative_values(profile: object, needle: str) -> None:
    issues = _issues(OutputDeclaration, _output(monthly_profile=profile))
    value, expected = issues["monthly_profile"]
    assert value == profile
    assert needle in expected


def test_profile_is_rescaled_to_fractions() -> None:
    out = OutputDeclaration.model_validate(_output(monthly_profile="0;0;0;0;1;1;1;1;1;0;0;0"))
    assert out.monthly_profile[4] == pytest.approx(0.2)
    assert out.monthly_profile[0] == 0.0
    assert sum(out.monthly_profile) == pytest.approx(1.0)


def test_profile_normalisation_is_idempotent() -> None:
    """A written profile reads back identical (datasets round-trip exactly)."""
    once = normalise_profile("15;13;12;9;6;4;3;3;5;8;11;14")
    assert normalise_profile(list(once)) == once


def test_territory_cannot_be_its_own_parent() -> None:
    issues = _issues(Territory, {"id": "dk", "name": "Denmark", "level": "country", "parent_id": "dk"})
    assert any("enclosing" in expected for _, expected in issues.values())


def test_unknown_column_is_an_error_not_silence() -> None:
    issues = _issues(
        Site,
        {"id": "s1", "firm_id": "f1", "name": "S", "latitude_deg": 1, "longitude_deg": 1, "lattitude": 3},
    )
    assert "lattitude" in issues


# --- edge bounds (symbiosis.domain.bounds): both sides of every bound ----------------------------

NON_FINITE = [float("inf"), float("-inf"), float("nan")]
# canonical unit, a resource of that unit, the bound (t, m3, MWh per year) written out by hand
BOUND_CASES = [("t", "fly_ash", 1e9), ("m3", "cooling_water", 1e11), ("MWh", "waste_heat", 1e9)]


@pytest.mark.parametrize(("unit", "code", "limit"), BOUND_CASES)
def test_quantity_per_year_bound_per_canonical_unit(unit: str, code: str, limit: float) -> None:
    at = _output(unit=unit, resource_code=code, quantity=limit, quantity_unit=f"{unit}/yr")
    assert OutputDeclaration.model_validate(at).quantity_per_yr == limit
    over = _output(unit=unit, resource_code=code, quantity=limit * 1.000001, quantity_unit=f"{unit}/yr")
    value, expected = _issues(OutputDeclaration, over)["quantity"]
    assert value == limit * 1.000001 and "at most" in expected and f"{unit}/yr" in expected


def test_quantity_bound_applies_after_unit_conversion() -> None:
    # 1e9 t/yr is 2,739,726.03 t/day (hand: 1e9 / 365): just under passes, just over fails
    assert OutputDeclaration.model_validate(_output(quantity=2_739_726, quantity_unit="t/day"))
    issues = _issues(OutputDeclaration, _output(quantity=2_739_727, quantity_unit="t/day"))
    assert set(issues) == {"quantity"}
    assert "1,000,000,000 t/yr" in issues["quantity"][1]
    # the issue's report: 1e308 t/day must be refused, never overflow to inf and be stored as null
    assert set(_issues(OutputDeclaration, _output(quantity=1e308, quantity_unit="t/day"))) == {"quantity"}


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize(
    ("model", "field"),
    [
        (OutputDeclaration, "quantity"),
        (OutputDeclaration, "disposal_cost_eur_per_unit"),
        (OutputDeclaration, "disposal_co2_kg_per_unit"),
        (InputDeclaration, "supply_price_eur_per_unit"),
        (InputDeclaration, "supply_co2_kg_per_unit"),
    ],
)
def test_non_finite_numbers_are_refused_with_the_field_named(model: type, field: str, value: float) -> None:
    issues = _issues(model, _output(**{field: value}))
    assert field in issues and "finite" in issues[field][1]


@pytest.mark.parametrize("value", NON_FINITE)
def test_non_finite_nested_and_site_numbers_are_refused(value: float) -> None:
    assert "quality.temperature_c" in _issues(OutputDeclaration, _output(quality={"temperature_c": value}))
    key = "quality.contaminants_mg_per_l.cod"
    assert key in _issues(OutputDeclaration, _output(quality={"contaminants_mg_per_l": {"cod": value}}))
    site = {"id": "s", "firm_id": "f", "name": "S", "latitude_deg": value, "longitude_deg": 10.0}
    assert "latitude_deg" in _issues(Site, site)


@pytest.mark.parametrize(
    ("field", "inside", "outside"),
    [
        ("disposal_cost_eur_per_unit", 1e6, 1.000001e6),
        ("disposal_cost_eur_per_unit", -1e6, -1.000001e6),
        ("disposal_co2_kg_per_unit", 1e5, 1.000001e5),
        ("disposal_co2_kg_per_unit", 0.0, -0.001),
    ],
)
def test_money_and_emission_bounds(field: str, inside: float, outside: float) -> None:
    assert OutputDeclaration.model_validate(_output(**{field: inside}))
    assert field in _issues(OutputDeclaration, _output(**{field: outside}))


def test_input_price_and_contaminant_bounds() -> None:
    inp = _output(resource_code="natural_gypsum")
    assert InputDeclaration.model_validate(inp | {"supply_price_eur_per_unit": 1e6})
    assert "supply_price_eur_per_unit" in _issues(
        InputDeclaration, inp | {"supply_price_eur_per_unit": 1.1e6}
    )
    ok = {"max_contaminants_mg_per_l": {"cod": 1e6}}
    assert InputDeclaration.model_validate(inp | {"requirement": ok})
    bad = {"max_contaminants_mg_per_l": {"cod": 1.1e6}}
    assert "requirement.max_contaminants_mg_per_l.cod" in _issues(
        InputDeclaration, inp | {"requirement": bad}
    )


def test_text_length_bound() -> None:
    from symbiosis.domain import Firm
    from symbiosis.domain.bounds import MAX_TEXT_CHARS

    assert Firm(id="f", name="x" * MAX_TEXT_CHARS).name == "x" * MAX_TEXT_CHARS
    assert "name" in _issues(Firm, {"id": "f", "name": "x" * (MAX_TEXT_CHARS + 1)})
    assert OutputDeclaration.model_validate(_output(note="n" * MAX_TEXT_CHARS))
    assert "note" in _issues(OutputDeclaration, _output(note="n" * (MAX_TEXT_CHARS + 1)))


def test_known_exchange_quantity_is_bounded_too() -> None:
    from symbiosis.domain import KnownExchange

    x = {"id": "x", "from_site_id": "a", "to_site_id": "b", "resource_code": "fly_ash", "unit": "t",
         "quantity_unit": "t/yr", "source": "test"}  # fmt: skip
    assert KnownExchange.model_validate(x | {"quantity": 1e9}).quantity_per_yr == 1e9
    assert "quantity" in _issues(KnownExchange, x | {"quantity": 1.01e9})


@pytest.mark.parametrize(("quantity", "accepted"), [("1e9", True), ("1.000001e9", False), ("Infinity", False),
                                                    ("nan", False), ("1e308", False)])  # fmt: skip
def test_the_dashboard_form_refuses_what_the_api_refuses(quantity: str, accepted: bool) -> None:
    """The declaration form checks through the same domain models: the same bound, the same words."""
    from dashboard.declare import validate_declaration
    from symbiosis.knowledge import load_knowledge_base

    form = {"id": "o_new", "site_id": "asnaes", "resource_code": "fly_ash", "quantity": quantity,
            "quantity_unit": "t/yr", "confidentiality": "agency"}  # fmt: skip
    checked = validate_declaration("output", form, load_knowledge_base(), {"asnaes"})
    assert checked.ok is accepted
    try:
        OutputDeclaration.model_validate(_output(quantity=float(quantity), quantity_unit="t/yr"))
        api_refuses = False
    except ValidationError as err:
        api_refuses = any(e["loc"][-1] == "quantity" for e in err.errors())
    assert api_refuses is not accepted
    if not accepted:  # the same field, in the user's language; a bound names the API's limit
        assert set(checked.errors) == {"quantity"}
        if math.isfinite(float(quantity)):
            assert "1 000 000 000 t/an" in checked.errors["quantity"].replace("\u202f", " ")
