"""The Declare form: its values as the service layer's payload, and problems keyed by form field.

With the graph store as source, the page writes through `services.registry.create_declaration`
with the signed-in principal (the API's validation and access rules); with a file source it only
checks the form with the same domain models (`OutputDeclaration` / `InputDeclaration`, pint units)
and the knowledge base. Either way errors come back per form field, shown under each widget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pydantic import ValidationError

from dashboard.form_errors import field_messages
from dashboard.formats import unit_label
from dashboard.i18n import tr
from symbiosis.domain import InputDeclaration, OutputDeclaration
from symbiosis.errors import Issue
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.units import parse_decimal

OUTPUT_QUALITY_FIELDS = ("temperature_c", "purity_pct", "moisture_pct")
INPUT_REQUIREMENT_FIELDS = ("min_temperature_c", "max_temperature_c", "min_purity_pct", "max_moisture_pct")
PRICE_FIELD = {"output": "disposal_cost_eur_per_unit", "input": "supply_price_eur_per_unit"}


@dataclass
class Checked:
    declaration: OutputDeclaration | InputDeclaration | None = None
    errors: dict[str, str] = field(default_factory=dict)  # form field → what was expected

    @property
    def ok(self) -> bool:
        return self.declaration is not None and not self.errors


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _nested(kind: str) -> tuple[str, tuple[str, ...]]:
    return (
        ("quality", OUTPUT_QUALITY_FIELDS) if kind == "output" else ("requirement", INPUT_REQUIREMENT_FIELDS)
    )


NUMBER_FIELDS = ("quantity", *OUTPUT_QUALITY_FIELDS, *INPUT_REQUIREMENT_FIELDS, *PRICE_FIELD.values())


def payload_from_form(kind: str, form: dict[str, object]) -> dict[str, object]:
    """The form as a service payload: blank fields left out, numbers read in French or English
    format (``12,5``, ``1 200``; a text that is no number stays text, for the model to refuse),
    quality/requirement fields nested."""
    if kind not in PRICE_FIELD:
        raise ValueError(f"kind {kind!r}: expected 'output' or 'input'")
    values = {k: v.strip() if isinstance(v, str) else v for k, v in form.items() if not _blank(v)}
    for name in NUMBER_FIELDS:
        if isinstance(values.get(name), str):
            try:
                values[name] = parse_decimal(str(values[name]))
            except ValueError:
                pass
    nested_key, nested_fields = _nested(kind)
    values[nested_key] = {f: values.pop(f) for f in nested_fields if f in values}
    return values


def number_errors(form: dict[str, object], lang: str) -> dict[str, str]:
    """Numeric fields that are not a finite number (``inf``, ``1e400`` or ``nan`` would otherwise
    pass as floats)."""
    out = {}
    for name in NUMBER_FIELDS:
        text = form.get(name)
        if isinstance(text, str) and text.strip():
            try:
                parse_decimal(text)
            except ValueError:
                key = "formerr.finite" if _infinite(text) else "formerr.number"
                out[name] = tr(key, lang, value=text.strip())
    return out


def _infinite(text: str) -> bool:
    try:
        return not math.isfinite(float(text.strip().replace(",", ".")))
    except ValueError:
        return False


def validate_declaration(
    kind: str,
    form: dict[str, object],
    kb: KnowledgeBase,
    site_ids: set[str],
    lang: str = "fr",
    id_required: bool = True,
) -> Checked:
    """A declaration from form values (blank fields left out), or the errors keyed by form field —
    validated by the domain models, as the API does, and worded in ``lang``
    (`dashboard.form_errors`). ``id_required=False``: the service assigns a missing id."""
    values = payload_from_form(kind, form)
    errors = number_errors(form, lang)
    site = values.get("site_id")
    if site is not None and site not in site_ids:
        errors["site_id"] = tr("formerr.site", lang, value=site)
    code = values.get("resource_code")
    canonical: str | None = None
    if code is not None:
        resource = kb.resources.get(str(code))
        if resource is None:
            errors["resource_code"] = tr("formerr.resource", lang, value=code)
        else:
            values["unit"] = resource.canonical_unit
            canonical = unit_label(resource.canonical_unit.value)
    if not id_required and "id" not in values:
        values["id"] = f"{kind[0]}_form_check"  # a placeholder: the service assigns the real one
    model = OutputDeclaration if kind == "output" else InputDeclaration
    try:
        decl = model.model_validate(values)
    except ValidationError as err:
        typed = {k: v for k, v in form.items() if isinstance(v, str)}
        found = field_messages(err, lang, typed, canonical)
        if "unit" in found:  # the canonical unit follows the resource: its error is the resource's
            unit_error = found.pop("unit")
            found.setdefault("resource_code", unit_error)
        return Checked(None, {**found, **errors})
    return Checked(None if errors else decl, errors)


def issue_messages(issues: list[Issue], lang: str) -> dict[str, str]:
    """What the service refused after the form's own check passed (a site that is not the user's,
    an id given by a company account…), worded in ``lang`` per field."""
    out: dict[str, str] = {}
    for issue in issues:
        name = issue.field.rsplit(".", 1)[-1]
        key = {"site_id": "formerr.site", "resource_code": "formerr.resource"}.get(name, "formerr.refused")
        out.setdefault(name, tr(key, lang, value=issue.value))
    return out
