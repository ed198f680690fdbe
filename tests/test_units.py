"""Unit conversion to canonical annual quantities: the basis every comparison downstream rests on."""

import pytest

from symbiosis.errors import UnitError
from symbiosis.units import CanonicalUnit, parse_decimal, to_canonical_per_year


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


@pytest.mark.parametrize(
    ("unit", "canonical", "per_yr"),
    [
        ("t/an", "t", 1.0),
        ("t/jour", "t", 365.0),
        ("t/j", "t", 365.0),
        ("tonnes par an", "t", 1.0),
        ("t/mois", "t", 12.0),
        ("m³/h", "m3", 8760.0),
        ("m³ par heure", "m3", 8760.0),
        ("m3/semaine", "m3", 365 / 7),
        ("GWh/an", "MWh", 1000.0),
        ("MWh/jour", "MWh", 365.0),
    ],
)
def test_french_unit_words(unit: str, canonical: str, per_yr: float) -> None:
    assert to_canonical_per_year(1.0, unit, canonical) == pytest.approx(per_yr)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("1 200", 1200.0),
        ("1\u202f200,5", 1200.5),
        ("1\u00a0000", 1000.0),
        ("1e3", 1000.0),
        ("-3", -3.0),
        (",5", 0.5),
        ("1e308", 1e308),
    ],
)
def test_parse_decimal_reads_french_and_english_numbers(text: str, value: float) -> None:
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.200,5", "1 23", "inf", "nan", "1e309", "12,5 t"])
def test_parse_decimal_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)
