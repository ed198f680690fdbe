"""NACE Rev. 2.1 codes for prefilled firms, from the E-PRTR Annex I activities of their facilities.

E-PRTR names each facility's Annex I activity, not its operator's NACE class. Some activities fix
the class (a cement kiln is 23.51); others only a group or a division (a foundry is 24.5, casting
iron or steel); some none (surface treatment is an in-house step of many industries). The table
`nace_mapping.csv` gives, per activity, the most specific code every installation of that
activity falls in — or nothing — with its reasoning.

A firm gets a code only when every one of its facilities maps to one; the code is then the most
specific code common to them all (a firm rearing both pigs, 01.46, and poultry, 01.47, is 01.4),
provided that is at least a division. One unmapped facility leaves the firm without a code: a
guess would look like a fact in every view downstream.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pydantic import Field, ValidationError

from symbiosis.domain import Firm
from symbiosis.domain.base import Frozen
from symbiosis.errors import InvalidInput, Issue, issues_from_validation_error
from symbiosis.knowledge import KnowledgeBase

NACE_LEVEL_DIVISION = 2
"""Codes coarser than a division (a section letter) say too little to be worth attaching."""


class NaceMappingRow(Frozen):
    activity_code: str = Field(pattern=r"^\d\([a-g]\)(\([ivx]+\))?$", description="E-PRTR Annex I code")
    activity_name: str
    nace_code: str | None = Field(default=None, description="NACE Rev. 2.1 code; empty when ambiguous")
    reasoning: str = Field(min_length=10)


def read_nace_mapping(path: Path, kb: KnowledgeBase) -> dict[str, NaceMappingRow]:
    """Rows by activity code; every code must be a NACE Rev. 2.1 code at division level or below."""
    rows: dict[str, NaceMappingRow] = {}
    issues: list[Issue] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, raw in enumerate(csv.DictReader(fh), start=2):
            where = f"{path.name} row {line_no}"
            try:
                row = NaceMappingRow.model_validate({k: v for k, v in raw.items() if v not in ("", None)})
            except ValidationError as exc:
                issues.extend(issues_from_validation_error(exc, where))
                continue
            if row.activity_code in rows:
                issues.append(Issue(where, "activity_code", row.activity_code, "one row per activity"))
            entry = kb.nace.get(row.nace_code) if row.nace_code else None
            if row.nace_code and (entry is None or entry.level < NACE_LEVEL_DIVISION):
                issues.append(
                    Issue(where, "nace_code", row.nace_code, "a NACE Rev. 2.1 division, group or class code")
                )
            rows[row.activity_code] = row
    if issues:
        raise InvalidInput(issues, path.name)
    return rows


def _lineage(code: str, kb: KnowledgeBase) -> list[str]:
    """``'01.47'`` → ``['A', '01', '01.4', '01.47']``: the code and its ancestors, broadest first."""
    chain = [code]
    while (parent := kb.nace[chain[-1]].parent_code) is not None:
        chain.append(parent)
    return chain[::-1]


def common_nace_code(codes: Iterable[str], kb: KnowledgeBase) -> str | None:
    """The most specific code every one of ``codes`` falls in, if it is at least a division."""
    lineages = [_lineage(c, kb) for c in codes]
    if not lineages:
        return None
    shared: str | None = None
    for level_codes in zip(*lineages, strict=False):
        if len(set(level_codes)) > 1:
            break
        shared = level_codes[0]
    if shared is None or kb.nace[shared].level < NACE_LEVEL_DIVISION:
        return None
    return shared


def assign_nace_codes(
    firms: list[Firm],
    activities_of_firm: dict[str, list[str]],
    mapping: dict[str, NaceMappingRow],
    kb: KnowledgeBase,
    mapping_file: str,
) -> list[Firm]:
    """The firms again, with ``nace_code`` set (and said so in ``source``) where it is determined."""
    out = []
    for firm in firms:
        activities = sorted(set(activities_of_firm.get(firm.id, [])))
        codes = [mapping[a].nace_code for a in activities if a in mapping]
        if not activities or len(codes) != len(activities) or None in codes:
            out.append(firm)
            continue
        code = common_nace_code([c for c in codes if c is not None], kb)
        if code is None:
            out.append(firm)
            continue
        why = (
            f"; NACE {code} from the E-PRTR Annex I activit{'ies' if len(activities) > 1 else 'y'} "
            f"{', '.join(activities)} of its facilities ({mapping_file}); its registered main "
            "activity may differ"
        )
        out.append(firm.model_copy(update={"nace_code": code, "source": f"{firm.source or ''}{why}"}))
    return out


def activities_by_firm(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(firm id, activity code) pairs → activity codes per firm."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for firm_id, activity in pairs:
        grouped[firm_id].append(activity)
    return dict(grouped)
