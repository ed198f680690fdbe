"""Unit conversion to canonical annual quantities: the basis every comparison downstream rests on."""

import pytest

from symbiosis.errors import UnitError
from symbiosis.units import CanonicalUnit, to_canonical_per_year


@pytest.mark.parametrize(
    ("value", "unit", "canonical", "expected"),
    [
        (250, "t/day", "t", 250 * 365),
        (135, "kt/yr", "t", 135_000),
        (2, "Mt/yr", "t", 2_000_000),
        (50, "t/h", "t", 50 * 8760),
        (100, "m3/h", "m3", 100 * 8760),
        (6, "Mm3/yr", "m3", 6_000_000),
        (12, "MW", "MWh", 12 * 8760),
        (35, "GWh", "MWh", 35_000),
        (35, "GWh/yr", "MWh", 35_000),
        (3600, "GJ/yr", "MWh", 1000),
        (80, "MWh/yr", "MWh", 80),
        (42, "t", "t", 42),  # no time base: per year
        (1, "kWh/h", "MWh", 8.76),
        (3, "m³/day", "m3", 3 * 365),
    ],
)
def test_converts_to_canonical_per_year(value: float, unit: str, canonical: str, expected: float) -> None:
    assert to_canonical_per_year(value, unit, canonical) == pytest.approx(expected, rel=1e-12)


def test_a_year_is_8760_hours_not_a_julian_year() -> None:
    assert to_canonical_per_year(1, "MW", CanonicalUnit.MWH) == 8760.0


def test_conversion_is_linear_in_the_value() -> None:
    one = to_canonical_per_year(1, "t/day", "t")
    assert to_canonical_per_year(7.5, "t/day", "t") == pytest.approx(7.5 * one)
    assert to_canonical_per_year(0, "t/day", "t") == 0.0


@pytest.mark.parametrize("unit", ["furlongs/fortnight", "bananas", "t//yr"])
def test_unknown_unit_names_the_unit_and_what_is_expected(unit: str) -> None:
    with pytest.raises(UnitError) as err:
        to_canonical_per_year(1, unit, "t")
    message = str(err.value)
    assert repr(unit) in message
    assert "expected" in message


def test_empty_unit_is_rejected() -> None:
    with pytest.raises(UnitError, match="required"):
        to_canonical_per_year(1, "  ", "t")


@pytest.mark.parametrize(("unit", "canonical"), [("m3/h", "t"), ("t/yr", "MWh"), ("MW", "m3"), ("km", "t")])
def test_incompatible_unit_names_the_unit_and_the_target(unit: str, canonical: str) -> None:
    with pytest.raises(UnitError) as err:
        to_canonical_per_year(1, unit, canonical)
    message = str(err.value)
    assert repr(unit) in message
    assert f"'{canonical}/yr'" in message


def test_unit_error_is_a_value_error_so_pydantic_reports_it() -> None:
    assert issubclass(UnitError, ValueError)
