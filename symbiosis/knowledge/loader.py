"""Load the resource knowledge base from datasets/knowledge/ and check it hangs together.

Each row passes through its domain model (so a bad number names its field), then the tables are
cross-checked: a rule must name known resources, every resource family needs a FamilyInfo, every
pipeline family a pipeline row, every EWC mapping a known resource. All problems are gathered and
raised together as one `InvalidInput`, each with its file and row.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from symbiosis.domain.enums import ResourceFamily, TransportMode
from symbiosis.domain.resource import (
    EmissionFactor,
    EwcCode,
    FamilyInfo,
    NaceCode,
    PipelineParameters,
    Resource,
    SubstitutionRule,
    TruckParameters,
)
from symbiosis.energy.parameters import load_energy_tables
from symbiosis.errors import InvalidInput, Issue, issues_from_validation_error
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.knowledge.tables import Row, read_rows
from symbiosis.settings import get_settings

M = TypeVar("M", bound=BaseModel)

FILES = {
    "families": "families.csv",
    "resources": "resources.csv",
    "rules": "substitution_rules.csv",
    "truck": "truck.csv",
    "pipelines": "pipelines.csv",
    "emission_factors": "emission_factors.csv",
    "ewc": "ewc_codes.csv",
    "nace": "nace_rev2_1.csv",
}
_SOURCE_ONLY = frozenset({"source"})  # code lists keep a source column their models do not carry


def load_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """The knowledge base at ``path`` (default: ``settings.datasets_dir / "knowledge"``, cached)."""
    if path is None:
        return _load_default(get_settings().datasets_dir / "knowledge")
    return _load(Path(path))


@lru_cache(maxsize=1)
def _load_default(path: Path) -> KnowledgeBase:
    return _load(path)


class _Collector:
    """Gathers issues while tables are read, so one pass reports everything."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.issues: list[Issue] = []

    def rows(self, key: str) -> list[Row]:
        path = self.folder / FILES[key]
        if not path.is_file():
            self.issues.append(Issue(str(path), "(file)", None, "the file is required"))
            return []
        return list(read_rows(path))

    def models(
        self,
        key: str,
        model: type[M],
        list_fields: frozenset[str] = frozenset(),
        drop: frozenset[str] = frozenset(),
    ) -> list[tuple[Row, M]]:
        out: list[tuple[Row, M]] = []
        for row in self.rows(key):
            if drop and len((row.cells.get("source") or "").strip()) < 3:
                self.issues.append(
                    Issue(row.location, "source", row.cells.get("source"), "a source is required")
                )
            try:
                out.append((row, model.model_validate(row.values(list_fields, drop))))
            except ValidationError as err:
                self.issues.extend(issues_from_validation_error(err, row.location))
        return out

    def unique(self, items: list[tuple[Row, M]], key: Callable[[M], object], field: str) -> dict:
        seen: dict[object, M] = {}
        for row, item in items:
            k = key(item)
            if k in seen:
                self.issues.append(
                    Issue(row.location, field, k, "a unique value (it appears earlier in the file)")
                )
            else:
                seen[k] = item
        return seen


def _load(folder: Path) -> KnowledgeBase:
    c = _Collector(folder)
    families: dict[ResourceFamily, FamilyInfo] = c.unique(
        c.models("families", FamilyInfo), lambda f: f.family, "family"
    )
    resource_rows = c.models("resources", Resource, list_fields=frozenset({"ewc_codes"}))
    resources: dict[str, Resource] = c.unique(resource_rows, lambda r: r.code, "code")
    rule_rows = c.models("rules", SubstitutionRule)
    c.unique(rule_rows, lambda r: r.id, "id")
    truck_rows = c.models("truck", TruckParameters)
    pipeline_rows = c.models("pipelines", PipelineParameters)
    pipelines: dict[ResourceFamily, PipelineParameters] = c.unique(
        pipeline_rows, lambda p: p.family, "family"
    )
    factors: dict[str, EmissionFactor] = c.unique(
        c.models("emission_factors", EmissionFactor), lambda e: e.id, "id"
    )
    ewc_rows = c.models("ewc", EwcCode, drop=_SOURCE_ONLY)
    ewc: dict[str, EwcCode] = c.unique(ewc_rows, lambda e: e.code, "code")
    nace: dict[str, NaceCode] = c.unique(
        c.models("nace", NaceCode, drop=_SOURCE_ONLY), lambda n: n.code, "code"
    )

    _check_rules(c, rule_rows, resources)
    _check_fuels_and_water(c, resource_rows, rule_rows, resources)
    _check_families(c, resource_rows, families, pipeline_rows)
    _check_ewc(c, ewc_rows, resource_rows, resources, ewc)
    _check_nace(c, nace)
    energy = load_energy_tables(folder, c.issues)
    if len(truck_rows) != 1 and not any(FILES["truck"] in i.location for i in c.issues):
        c.issues.append(
            Issue(FILES["truck"], "(rows)", len(truck_rows), "exactly one row of truck parameters")
        )
    if c.issues:
        raise InvalidInput(c.issues, f"knowledge base {folder}")
    return KnowledgeBase(
        resources=resources,
        families=families,
        rules=[r for _, r in rule_rows],
        truck=truck_rows[0][1],
        pipelines=pipelines,
        emission_factors=factors,
        ewc=ewc,
        nace=nace,
        energy=energy,
    )


def _check_rules(
    c: _Collector, rule_rows: list[tuple[Row, SubstitutionRule]], resources: dict[str, Resource]
) -> None:
    pairs: dict[tuple[str, str], str] = {}
    for row, rule in rule_rows:
        pair = (rule.from_resource, rule.to_resource)
        if pair in pairs:  # matching keeps one pairing per resource pair: a second rule would be ignored
            c.issues.append(
                Issue(
                    row.location,
                    "to_resource",
                    rule.to_resource,
                    f"one rule per resource pair: rule {pairs[pair]!r} already lets {pair[0]} replace "
                    f"{pair[1]} (put the conditions in one rule)",
                )
            )
        pairs.setdefault(pair, rule.id)
        for field in ("from_resource", "to_resource"):
            code = getattr(rule, field)
            if code not in resources:
                c.issues.append(Issue(row.location, field, code, "a resource code defined in resources.csv"))
        if rule.from_resource == rule.to_resource:
            c.issues.append(
                Issue(
                    row.location,
                    "to_resource",
                    rule.to_resource,
                    "a different resource (same-resource exchange needs no rule)",
                )
            )


def _check_fuels_and_water(
    c: _Collector,
    resource_rows: list[tuple[Row, Resource]],
    rule_rows: list[tuple[Row, SubstitutionRule]],
    resources: dict[str, Resource],
) -> None:
    """What is burnt must say what its burning emits; abstracted water is never "disposed of".

    A receiver that burns its input (``combustion_co2_kg_per_unit`` set) burns whatever replaces
    it, so every resource a rule lets replace a fuel needs its own combustion factor — otherwise
    the exchange would be credited with the fuel avoided and never charged for the one burnt.
    """
    for row, rule in rule_rows:
        to, frm = resources.get(rule.to_resource), resources.get(rule.from_resource)
        if to is None or frm is None or to.combustion_co2_kg_per_unit is None:
            continue
        if frm.combustion_co2_kg_per_unit is None:
            c.issues.append(
                Issue(
                    row.location,
                    "from_resource",
                    rule.from_resource,
                    f"a resource with combustion_co2_kg_per_unit in resources.csv: {rule.to_resource} "
                    "is burnt, so what replaces it is burnt too (0 for a biogenic fuel)",
                )
            )
    for row, res in resource_rows:
        if res.water_source is not None and res.family is not ResourceFamily.WATER:
            c.issues.append(Issue(row.location, "water_source", res.water_source.value, "empty: not water"))
        if res.abstracted_water and (res.water_source is None or not res.water_source.is_fresh):
            c.issues.append(
                Issue(
                    row.location, "water_source", res.water_source, "ground or surface for abstracted water"
                )
            )
        if res.abstracted_water and (res.disposal_cost_eur_per_unit or res.disposal_co2_kg_per_unit):
            c.issues.append(
                Issue(
                    row.location,
                    "disposal_cost_eur_per_unit",
                    f"{res.disposal_cost_eur_per_unit:g} €, {res.disposal_co2_kg_per_unit:g} kg CO2e",
                    "0 and 0: abstracted water left in the lake is not disposed of",
                )
            )


def _check_families(
    c: _Collector,
    resource_rows: list[tuple[Row, Resource]],
    families: dict[ResourceFamily, FamilyInfo],
    pipeline_rows: list[tuple[Row, PipelineParameters]],
) -> None:
    for row, res in resource_rows:
        if res.family not in families:
            c.issues.append(
                Issue(row.location, "family", res.family.value, "a family defined in families.csv")
            )
    piped = {p.family for _, p in pipeline_rows}
    for row, pipe in pipeline_rows:
        info = families.get(pipe.family)
        if info is None or info.transport_mode is not TransportMode.PIPELINE:
            c.issues.append(
                Issue(
                    row.location,
                    "family",
                    pipe.family.value,
                    "a family whose transport_mode is 'pipeline' in families.csv",
                )
            )
    for fam, info in families.items():
        if info.transport_mode is TransportMode.PIPELINE and fam not in piped:
            c.issues.append(
                Issue(FILES["pipelines"], "family", fam.value, "a row for every family carried by pipeline")
            )


def _check_ewc(
    c: _Collector,
    ewc_rows: list[tuple[Row, EwcCode]],
    resource_rows: list[tuple[Row, Resource]],
    resources: dict[str, Resource],
    ewc: dict[str, EwcCode],
) -> None:
    for row, listed in ewc_rows:
        if listed.resource_code is not None and listed.resource_code not in resources:
            c.issues.append(
                Issue(
                    row.location,
                    "resource_code",
                    listed.resource_code,
                    "a resource code defined in resources.csv",
                )
            )
    if not ewc:
        return
    for row, res in resource_rows:
        for code in res.ewc_codes:
            entry = ewc.get(code)
            if entry is None:
                c.issues.append(
                    Issue(
                        row.location,
                        "ewc_codes",
                        code,
                        "a code of the EU List of Waste (ewc_codes.csv), e.g. '10 01 02' or '07 01 04*'",
                    )
                )
            elif entry.resource_code != res.code:
                c.issues.append(
                    Issue(
                        row.location,
                        "ewc_codes",
                        code,
                        f"ewc_codes.csv to map it to {res.code!r} too (it maps to "
                        f"{entry.resource_code!r}); rerun symbiosis.knowledge.reference_import",
                    )
                )


def _check_nace(c: _Collector, nace: dict[str, NaceCode]) -> None:
    for code, entry in nace.items():
        if entry.parent_code is not None and entry.parent_code not in nace:
            c.issues.append(
                Issue(
                    f"{FILES['nace']} code {code}",
                    "parent_code",
                    entry.parent_code,
                    "a NACE code present in the file",
                )
            )
