"""Domain objects ⇄ flat graph properties.

Neo4j properties are scalars or homogeneous lists of scalars, never maps, so nested values are
flattened here, in one place:

* `Quality.contaminants_mg_per_l` → two parallel lists ``contaminant_names`` (str) and
  ``contaminant_mg_per_l`` (float), sorted by name; `QualityRequirement.max_contaminants_mg_per_l`
  → ``max_contaminant_names`` / ``max_contaminant_mg_per_l``. Lists stay queryable in Cypher
  (``'zinc' IN d.contaminant_names``), which a JSON string would not be.
* the other quality fields become top-level properties (``temperature_c``, ``min_purity_pct`` …).
* a `None` is simply not stored; reading a missing property gives `None` back.

Declarations keep ``quantity`` + ``quantity_unit`` (as declared) and ``unit`` + ``quantity_per_yr``
(canonical). Links (site, firm, territory, parent) are relationships, not properties, and come back
as extra columns of the read queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from symbiosis.domain import (
    Firm,
    InputDeclaration,
    KnownExchange,
    OutputDeclaration,
    Quality,
    QualityRequirement,
    Resource,
    Site,
    SubstitutionRule,
    Territory,
)
from symbiosis.errors import Issue, raise_if_issues

Row = dict[str, Any]
Props = dict[str, Any]
_SCALARS = (str, int, float, bool)


def check_props(props: Mapping[str, Any], location: str) -> Props:
    """Drop `None`s and refuse what a Neo4j property cannot hold (maps, mixed or nested lists)."""
    issues: list[Issue] = []
    out: Props = {}
    for key, value in props.items():
        if value is None:
            continue
        if isinstance(value, tuple | list):
            kinds = {float if type(v) is int else type(v) for v in value}  # ints widen to float
            if any(not isinstance(v, _SCALARS) for v in value) or len(kinds) > 1:
                issues.append(
                    Issue(location, key, value, "a list of values of one type (numbers or strings)")
                )
                continue
            out[key] = [float(v) for v in value] if kinds == {float} else list(value)
        elif isinstance(value, _SCALARS):
            out[key] = value
        else:
            issues.append(Issue(location, key, value, "a string, number, boolean or a list of one of them"))
    raise_if_issues(issues, "graph properties")
    return out


def _split(mapping: Mapping[str, float]) -> tuple[list[str], list[float]]:
    names = sorted(mapping)
    return names, [float(mapping[n]) for n in names]


def _join(names: list[str] | None, values: list[float] | None) -> dict[str, float]:
    return dict(zip(names or [], values or [], strict=True))


# --- domain → rows -----------------------------------------------------------------------------


def territory_row(t: Territory) -> Row:
    props = t.model_dump(mode="json", exclude={"parent_id"})
    return {"id": t.id, "parent_id": t.parent_id, "props": check_props(props, f"territory {t.id}")}


def firm_row(f: Firm) -> Row:
    return {"id": f.id, "props": check_props(f.model_dump(mode="json"), f"firm {f.id}")}


def site_row(s: Site) -> Row:
    props = s.model_dump(mode="json", exclude={"firm_id", "territory_id"})
    return {
        "id": s.id,
        "firm_id": s.firm_id,
        "territory_id": s.territory_id,
        "props": check_props(props, f"site {s.id}"),
    }


def output_row(o: OutputDeclaration) -> Row:
    props = o.model_dump(mode="json", exclude={"site_id", "quality"})
    names, values = _split(o.quality.contaminants_mg_per_l)
    props |= o.quality.model_dump(mode="json", exclude={"contaminants_mg_per_l"})
    props |= {"contaminant_names": names, "contaminant_mg_per_l": values}
    return {
        "id": o.id,
        "site_id": o.site_id,
        "resource_code": o.resource_code,
        "props": check_props(props, f"output {o.id}"),
    }


def input_row(i: InputDeclaration) -> Row:
    props = i.model_dump(mode="json", exclude={"site_id", "requirement"})
    names, values = _split(i.requirement.max_contaminants_mg_per_l)
    props |= i.requirement.model_dump(mode="json", exclude={"max_contaminants_mg_per_l"})
    props |= {"max_contaminant_names": names, "max_contaminant_mg_per_l": values}
    return {
        "id": i.id,
        "site_id": i.site_id,
        "resource_code": i.resource_code,
        "props": check_props(props, f"input {i.id}"),
    }


def exchange_row(x: KnownExchange) -> Row:
    props = x.model_dump(mode="json", exclude={"from_site_id", "to_site_id"})
    return {
        "id": x.id,
        "from_site_id": x.from_site_id,
        "to_site_id": x.to_site_id,
        "resource_code": x.resource_code,
        "props": check_props(props, f"exchange {x.id}"),
    }


def resource_row(r: Resource) -> Row:
    return {"id": r.code, "props": check_props(r.model_dump(mode="json"), f"resource {r.code}")}


def rule_row(rule: SubstitutionRule) -> Row:
    props = rule.model_dump(mode="json", exclude={"id"}) | {"rule_id": rule.id}
    return {
        "id": rule.id,
        "from_resource": rule.from_resource,
        "to_resource": rule.to_resource,
        "props": check_props(props, f"substitution rule {rule.id}"),
    }


# --- props → domain ----------------------------------------------------------------------------


def territory_from(props: Mapping[str, Any], parent_id: str | None) -> Territory:
    return Territory.model_validate({**props, "parent_id": parent_id})


def firm_from(props: Mapping[str, Any]) -> Firm:
    return Firm.model_validate(dict(props))


def site_from(props: Mapping[str, Any], firm_id: str, territory_id: str | None) -> Site:
    data = {k: v for k, v in props.items() if k != "location"}
    return Site.model_validate({**data, "firm_id": firm_id, "territory_id": territory_id})


_QUALITY_FIELDS = set(Quality.model_fields) - {"contaminants_mg_per_l"}
_REQUIREMENT_FIELDS = set(QualityRequirement.model_fields) - {"max_contaminants_mg_per_l"}
_FLAT_LISTS = {
    "contaminant_names",
    "contaminant_mg_per_l",
    "max_contaminant_names",
    "max_contaminant_mg_per_l",
}


def _declaration_data(props: Mapping[str, Any], site_id: str, nested: set[str]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in nested and k not in _FLAT_LISTS} | {"site_id": site_id}


def _keep_profile(decl: Any, props: Mapping[str, Any]) -> Any:
    """Keep the stored profile bit for bit: re-normalising can move the last digit, and an export
    must re-import to the identical export."""
    profile = props.get("monthly_profile")
    return decl.model_copy(update={"monthly_profile": tuple(profile)}) if profile else decl


def output_from(props: Mapping[str, Any], site_id: str) -> OutputDeclaration:
    quality = {k: props.get(k) for k in _QUALITY_FIELDS}
    quality["contaminants_mg_per_l"] = _join(
        props.get("contaminant_names"), props.get("contaminant_mg_per_l")
    )
    data = _declaration_data(props, site_id, _QUALITY_FIELDS) | {"quality": quality}
    return _keep_profile(OutputDeclaration.model_validate(data), props)


def input_from(props: Mapping[str, Any], site_id: str) -> InputDeclaration:
    req = {k: props.get(k) for k in _REQUIREMENT_FIELDS}
    req["max_contaminants_mg_per_l"] = _join(
        props.get("max_contaminant_names"), props.get("max_contaminant_mg_per_l")
    )
    data = _declaration_data(props, site_id, _REQUIREMENT_FIELDS) | {"requirement": req}
    return _keep_profile(InputDeclaration.model_validate(data), props)


def exchange_from(props: Mapping[str, Any], from_site_id: str, to_site_id: str) -> KnownExchange:
    return KnownExchange.model_validate({**props, "from_site_id": from_site_id, "to_site_id": to_site_id})
