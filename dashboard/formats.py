"""Numbers as each language writes them: ``1 234 567,5`` in French (narrow no-break space between
thousands, decimal comma), ``1,234,567.5`` in English. Every figure a page shows goes through here,
so no raw ``42420163.4861`` reaches a user. (Named `formats`, not `numbers`: `streamlit run` puts
dashboard/ on sys.path, where a `numbers.py` shadows the standard library's in spawned workers.)"""

from __future__ import annotations

import math

NARROW_NBSP = "\u202f"


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """``value`` rounded to ``decimals`` places in ``lang``'s format; "—" for a missing value."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        return text.replace(",", NARROW_NBSP).replace(".", ",")
    return text


def fmt_quantity(value: float | None, unit: str, lang: str, decimals: int = 0) -> str:
    """A figure and its unit, separated by a no-break space (``3 650 t/an``)."""
    return f"{fmt_number(value, lang, decimals)}\u00a0{unit}"


_UNIT_LABELS = {"m3": "m³"}


def unit_label(unit: str) -> str:
    """A canonical unit as printed (``m3`` → ``m³``)."""
    return _UNIT_LABELS.get(unit, unit)
