"""Domain validation: bad input is rejected with the field, the value and what was expected."""

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
