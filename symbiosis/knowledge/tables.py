"""Reading the knowledge base's CSV tables into plain dicts, row numbers kept for error messages."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based line number in the file (the header is row 1) and its cells."""

    file: str
    number: int
    cells: dict[str, str]

    @property
    def location(self) -> str:
        return f"{self.file} row {self.number}"

    def values(self, list_fields: frozenset[str] = frozenset(), drop: frozenset[str] = frozenset()) -> dict:
        """Non-empty cells, list fields split on ';' — empty cells fall back to the model default."""
        out: dict[str, object] = {}
        for key, raw in self.cells.items():
            if key in drop:
                continue
            value = (raw or "").strip()
            if key in list_fields:
                out[key] = tuple(p.strip() for p in value.split(LIST_SEPARATOR) if p.strip())
            elif value:
                out[key] = value
        return out


def read_rows(path: Path) -> Iterator[Row]:
    """Rows of a UTF-8 CSV with a header; a missing file yields nothing (the caller reports it)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        for number, cells in enumerate(reader, start=2):
            if any((v or "").strip() for v in cells.values() if isinstance(v, str)):
                row = {k: v for k, v in cells.items() if k is not None}
                extra = [v for v in cells.get(None) or () if v.strip()]  # type: ignore[call-overload]
                if extra:  # more cells than header columns: the model rejects the unknown field
                    row["(extra cells)"] = ";".join(extra)
                yield Row(path.name, number, row)
