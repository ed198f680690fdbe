"""Unit conversion to the three canonical annual units (t, m³, MWh per year) with pint.

Declarations arrive as firms write them ("250 t/day", "6 Mm3/yr", "12 MW", "35 GWh"). An amount
without a time base is read as per year; a power (MW) is read as running all year (8,760 h).
Anything pint cannot read, or of another dimension than the resource's canonical unit, is an
`UnitError` naming the unit and what was expected.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from functools import lru_cache

import pint

from symbiosis.errors import UnitError


class CanonicalUnit(StrEnum):
    TONNE = "t"
    CUBIC_METRE = "m3"
    MWH = "MWh"


_PINT_NAME = {CanonicalUnit.TONNE: "tonne", CanonicalUnit.CUBIC_METRE: "meter**3", CanonicalUnit.MWH: "MWh"}
HOURS_PER_YEAR = 8760.0


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    ureg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    # Industry counts a year as 8,760 h; pint's Julian year (365.25 d) would skew MW → MWh/yr.
    ureg.define("industrial_year = 365 * day")
    return ureg


def _normalise(unit: str) -> str:
    u = unit.strip()
    for a, b in (("³", "**3"), ("²", "**2"), ("€", "EUR"), ("per ", "/ "), (" / ", "/")):
        u = u.replace(a, b)
    # pint reads "kt" as knot and "Mm3" as cubic megametre: spell out what industry means.
    u = re.sub(r"\bkt\b", "kilotonne", u)
    u = re.sub(r"\bMt\b", "megatonne", u)
    u = re.sub(r"\bMm3\b", "(1e6*m**3)", u)
    u = re.sub(r"\bm3\b", "m**3", u)
    u = re.sub(r"\s+(pa|p\.a\.)$", "/industrial_year", u)
    u = re.sub(r"/\s*(y|yr|a|year|annum)\b", "/industrial_year", u)
    return _french_words(u)


_FRENCH_TIME = (
    (r"/\s*(an|ans|année|annee|années)\b", "/industrial_year"),
    (r"\b(jours?|j)\b", "day"),
    (r"\bheures?\b", "hour"),
    (r"\bsemaines?\b", "week"),
    (r"\bmois\b", "(industrial_year/12)"),
    (r"\btonnes?\b", "tonne"),
)


def _french_words(u: str) -> str:
    """French unit words as a French firm writes them: ``t/jour``, ``GWh/an``, ``m³ par heure``."""
    u = re.sub(r"\s+par\s+", "/", u)
    for pattern, english in _FRENCH_TIME:
        u = re.sub(pattern, english, u)
    return u


_GROUPING = re.compile(r"(?<=\d)[\s\u00a0\u202f'](?=\d{3}\b)")


def parse_decimal(text: str) -> float:
    """A number as a French or English user types it: ``12,5``, ``1 234,5`` (spaces, non-breaking
    or thin, between thousands), ``12.5``, ``1e3``. `ValueError` for anything else — including a
    number that is not finite (``inf``, ``nan``, ``1e400``): no physical quantity is infinite.
    """
    raw = text.strip()
    t = _GROUPING.sub("", raw)
    if "," in t:
        if "." in t or t.count(",") > 1:
            raise ValueError(f"{text!r}: expected a number such as 12,5 or 12.5")
        t = t.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", t):
        raise ValueError(f"{text!r}: expected a number such as 12,5 or 12.5")
    value = float(t)
    if not math.isfinite(value):
        raise ValueError(f"{text!r}: expected a finite number")
    return value


@lru_cache(maxsize=512)
def _parse(unit: str) -> pint.Quantity:
    ureg = registry()
    if not unit or not unit.strip():
        raise UnitError("a unit is required, e.g. 't/yr', 'm3/yr' or 'MWh/yr'")
    try:
        parsed = ureg.parse_expression(_normalise(unit))
    except Exception as exc:  # pint raises several unrelated exception types
        raise UnitError(f"unknown unit {unit!r}: expected a unit such as 't/yr', 'm3/h' or 'MWh/yr'") from exc
    if not isinstance(parsed, pint.Quantity):
        raise UnitError(f"unknown unit {unit!r}: expected a unit such as 't/yr', 'm3/h' or 'MWh/yr'")
    return parsed


def to_canonical_per_year(value: float, unit: str, canonical: CanonicalUnit | str) -> float:
    """Convert ``value`` in ``unit`` to ``canonical`` units per year.

    >>> round(to_canonical_per_year(250, "t/day", "t"))
    91250
    >>> to_canonical_per_year(2, "MW", "MWh")
    17520.0
    """
    return float(value) * _factor_per_year(unit, CanonicalUnit(canonical))


@lru_cache(maxsize=2048)
def _factor_per_year(unit: str, target: CanonicalUnit) -> float:
    """Canonical units per year in one ``unit``: conversions are linear, so pint runs once per unit
    (a 300k-row import would otherwise spend minutes in pint)."""
    ureg = registry()
    q = _parse(unit)
    annual = ureg.Quantity(1.0, _PINT_NAME[target]) / ureg.industrial_year
    amount = ureg.Quantity(1.0, _PINT_NAME[target])
    if target is CanonicalUnit.MWH:
        power = ureg.Quantity(1.0, "MW")
        if q.dimensionality == power.dimensionality:  # MW is an energy rate already
            return float(q.to("MWh/industrial_year").magnitude)
    if q.dimensionality == annual.dimensionality:
        return float(q.to(annual.units).magnitude)
    if q.dimensionality == amount.dimensionality:
        return float(q.to(amount.units).magnitude)
    raise UnitError(
        f"unit {unit!r} is not a quantity of {target.value} per year: expected something convertible "
        f"to '{target.value}/yr' (mass, volume or energy as the resource requires)"
    )
