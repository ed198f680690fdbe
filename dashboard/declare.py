"""Validation of the Declare form with the rules the API and the importer use: the domain models
(`OutputDeclaration` / `InputDeclaration`, pint units) and the knowledge base (resource codes and
their canonical units). Errors come back per form field, so the page shows each under its widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from symbiosis.domain import InputDeclaration, OutputDeclaration
from symbiosis.errors import issues_from_validation_error
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


def validate_declaration(
    kind: str, form: dict[str, object], kb: KnowledgeBase, site_ids: set[str]
) -> Checked:
    """A declaration from form values (blank fields left out), or the errors keyed by form field."""
    if kind not in PRICE_FIELD:
        raise ValueError(f"kind {kind!r}: expected 'output' or 'input'")
    errors: dict[str, str] = {}
    values = {k: v for k, v in form.items() if not _blank(v)}
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
    nested_key, nested_fields = (
        ("quality", OUTPUT_QUALITY_FIELDS) if kind == "output" else ("requirement", INPUT_REQUIREMENT_FIELDS)
    )
    values[nested_key] = {f: values.pop(f) for f in nested_fields if f in values}
    model = OutputDeclaration if kind == "output" else InputDeclaration
    try:
        decl = model.model_validate(values)
    except ValidationError as err:
        for issue in issues_from_validation_error(err, kind):
            name = issue.field.removeprefix(f"{nested_key}.")
            if name == "unit" and "resource_code" in errors:
                continue  # already said: the resource is unknown
            errors.setdefault(name, f"{issue.value!r}: {issue.expected}")
        return Checked(None, errors)
    return Checked(None if errors else decl, errors)
