"""The one place where the domain models' validation errors become messages a user reads, in their
language, keyed by the form field that shows them — once each, with the value as typed and what is
expected; never a raw Python dict or pydantic's English.

The bounds themselves are the domain models' (`symbiosis.domain`): the form validates with the same
models as the API, so it refuses exactly what the API refuses. Here only the wording is decided:
pydantic's error *type* and its context (``ge``, ``le``…) pick a catalogue message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from dashboard.formats import fmt_number
from dashboard.i18n import tr
from symbiosis.domain.bounds import MAX_QUANTITY_PER_YR
from symbiosis.units import CanonicalUnit

LOG = logging.getLogger("symbiosis.dashboard")

_BOUNDS = {
    "greater_than_equal": ("formerr.ge", "ge"),
    "greater_than": ("formerr.gt", "gt"),
    "less_than_equal": ("formerr.le", "le"),
    "less_than": ("formerr.lt", "lt"),
}
_NUMBER_TYPES = {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}
DERIVED = "quantity_per_yr"
"""Computed from quantity and unit: its error repeats theirs, so it is shown only on its own."""


def _shown(value: object, lang: str) -> str:
    if isinstance(value, float):
        return fmt_number(value, lang, 6).rstrip("0").rstrip(",.") or "0"
    return str(value)


def message(error: ErrorDetails, lang: str, typed: object, canonical_unit: str | None) -> str:
    """One pydantic error as a sentence in ``lang``; ``typed`` = the value as the user typed it."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = _shown(typed, lang)
    if kind == "missing":
        return tr("formerr.missing", lang)
    if kind in _NUMBER_TYPES:
        return tr("formerr.number", lang, value=value)
    if kind == "finite_number":
        return tr("formerr.finite", lang, value=value)
    if kind in _BOUNDS:
        key, bound = _BOUNDS[kind]
        return tr(key, lang, value=value, limit=_shown(ctx.get(bound), lang))
    if kind == "string_pattern_mismatch":
        return tr("formerr.pattern", lang, value=value)
    if kind in ("enum", "literal_error"):
        return tr("formerr.choice", lang, value=value)
    if kind == "value_error" and "once converted" in str(ctx.get("error", "")) and canonical_unit:
        limit = MAX_QUANTITY_PER_YR[CanonicalUnit(canonical_unit)]  # the API's yearly bound
        return tr("formerr.per_year_max", lang, value=value, limit=fmt_number(limit, lang, 0),
                  unit=canonical_unit)  # fmt: skip
    if kind == "value_error" and error["loc"][-1:] == ("quantity_unit",):
        reason = str(ctx.get("error", ""))
        if "is not a quantity" in reason:
            return tr("formerr.unit_dimension", lang, value=value, unit=canonical_unit or "?")
        return tr("formerr.unit_unknown", lang, value=value)
    LOG.info("form value refused without a catalogue message: %s", error)
    return tr("formerr.refused", lang, value=value)


def field_messages(
    err: ValidationError, lang: str, typed: Mapping[str, object], canonical_unit: str | None
) -> dict[str, str]:
    """Messages keyed by form field (nested quality/requirement fields by their own name), the
    first one per field only; a derived-quantity error is dropped when quantity or unit has one."""
    out: dict[str, str] = {}
    for error in err.errors(include_url=False):
        loc = [str(p) for p in error["loc"]]
        name = loc[-1] if loc else "form"  # a whole-record error: shown above the form
        if name in out:
            continue
        out[name] = message(error, lang, typed.get(name, error.get("input")), canonical_unit)
    if DERIVED in out and ({"quantity", "quantity_unit"} & out.keys()):
        del out[DERIVED]
    return out
