"""The Declare form: its values as the service layer's payload, and problems keyed by form field.

With the graph store as source, the page writes through `services.registry.create_declaration`
with the signed-in principal (the API's validation and access rules); with a file source it only
checks the form with the same domain models (`OutputDeclaration` / `InputDeclaration`, pint units)
and the knowledge base. Either way errors come back per form field, shown under each widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from symbiosis.domain import InputDeclaration, OutputDeclaration
from symbiosis.errors import Issue, issues_from_validation_error
from symbiosis.knowledge.base import KnowledgeBase

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


def payload_from_form(kind: str, form: dict[str, object]) -> dict[str, object]:
    """The form as a service payload: blank fields left out, quality/requirement fields nested."""
    if kind not in PRICE_FIELD:
        raise ValueError(f"kind {kind!r}: expected 'output' or 'input'")
    values = {k: v.strip() if isinstance(v, str) else v for k, v in form.items() if not _blank(v)}
    nested_key, nested_fields = _nested(kind)
    values[nested_key] = {f: values.pop(f) for f in nested_fields if f in values}
    return values


def field_errors(kind: str, issues: list[Issue], errors: dict[str, str] | None = None) -> dict[str, str]:
    """Issues keyed by the form field that shows them (nested quality fields by their own name)."""
    out = dict(errors or {})
    nested_key, _ = _nested(kind)
    for issue in issues:
        name = issue.field.removeprefix(f"{nested_key}.")
        if name == "unit" and "resource_code" in out:
            continue  # already said: the resource is unknown
        out.setdefault(name, f"{issue.value!r}: {issue.expected}")
    return out


def validate_declaration(
    kind: str, form: dict[str, object], kb: KnowledgeBase, site_ids: set[str]
) -> Checked:
    """A declaration from form values (blank fields left out), or the errors keyed by form field."""
    values = payload_from_form(kind, form)
    errors: dict[str, str] = {}
    site = values.get("site_id")
    if site is not None and site not in site_ids:
        errors["site_id"] = f"{site!r}: expected a site of this territory"
    code = values.get("resource_code")
    if code is not None:
        resource = kb.resources.get(str(code))
        if resource is None:
            errors["resource_code"] = f"{code!r}: expected a resource code of the knowledge base"
        else:
            values["unit"] = resource.canonical_unit
    model = OutputDeclaration if kind == "output" else InputDeclaration
    try:
        decl = model.model_validate(values)
    except ValidationError as err:
        return Checked(None, field_errors(kind, issues_from_validation_error(err, kind), errors))
    return Checked(None if errors else decl, errors)
