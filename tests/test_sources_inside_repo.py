"""No `source` cell or document may point outside the repository, except to a public URL.

Users install the project alone: a citation of the authors' private notes ("REFERENCE.md §1") or
of a sibling folder (``../shared/…``) is a citation nobody can open (issue 15 item 11).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"https?://\S+")
OUTSIDE = re.compile(r"REFERENCE\.md|\.\./shared|(?<![\w.\-])shared/")
DOC_DIRS = ("docs", "datasets", "bench", "symbiosis", "dashboard")


def outside_pointers(text: str) -> list[str]:
    """Pointers to files outside the repository, once public URLs are set aside."""
    return OUTSIDE.findall(URL.sub(" ", text))


def is_citation_column(name: str) -> bool:
    """Columns holding a citation or its reasoning: `source`, `price_source`, `co2_source`,
    `price_basis`, `note`, `assumption` (the sharing categories cite in `*_source`, issue 19)."""
    return name in ("source", "note", "assumption") or name.endswith(("_source", "_basis"))


def _docs() -> list[Path]:
    found = [ROOT / "README.md"]
    for d in DOC_DIRS:
        found += sorted((ROOT / d).rglob("*.md")) + sorted((ROOT / d).rglob("*.py"))
    return [p for p in found if p.is_file()]


def _csv_files() -> list[Path]:
    return sorted((ROOT / "datasets").rglob("*.csv"))


def test_the_pattern_catches_outside_pointers_and_spares_urls() -> None:
    assert outside_pointers("estimate (REFERENCE.md §1)") == ["REFERENCE.md"]
    assert outside_pointers("see ../shared/reference-data/SOURCES.txt") == ["../shared"]
    assert outside_pointers("copied from shared/reference-data") == ["shared/"]
    assert outside_pointers("https://example.org/shared/REFERENCE.md and https://www.symbiosis.dk/en/") == []
    cited = "Fiksel J. (2009), Design for Environment, p. 184; datasets/knowledge/source/"
    assert outside_pointers(cited) == []


def test_citation_columns_include_the_sharing_category_sources() -> None:
    cited = ("price_source", "co2_source", "price_basis", "source", "note")
    assert all(is_citation_column(c) for c in cited)
    assert not any(is_citation_column(c) for c in ("code", "name_fr", "sourced", "price_eur_per_unit_h"))


@pytest.mark.parametrize("path", _docs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_point_inside_the_repository(path: Path) -> None:
    hits = [
        f"line {n}: {line.strip()[:120]}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if outside_pointers(line)
    ]
    assert hits == []


@pytest.mark.parametrize("path", _csv_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_source_cells_point_inside_the_repository(path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        reader = csv.DictReader(fh, delimiter=";" if sample.count(";") > sample.count(",") else ",")
        cols = [c for c in reader.fieldnames or () if is_citation_column(c)]
        hits = [
            f"row {n} {c}: {row[c][:120]}"
            for n, row in enumerate(reader, start=2)
            for c in cols
            if outside_pointers(row[c] or "")
        ]
    assert hits == []
