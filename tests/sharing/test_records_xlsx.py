"""Sharing files in a dataset workbook: sheets ``sharing_offers`` and ``sharing_needs`` beside the
other tables, read exactly as the CSVs are (the CSV folder is the oracle), bad cells named by sheet
and row, nothing returned when one is bad."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from symbiosis import DATASETS_DIR
from symbiosis.dataset_io import write_dataset
from symbiosis.errors import InvalidInput
from symbiosis.graph.sharing_store import need_props, offer_props
from symbiosis.knowledge import load_knowledge_base
from symbiosis.sharing.records import NEEDS_FILE, OFFERS_FILE, read_sharing

PARK = DATASETS_DIR / "sharing_plaine_ain"


def _workbook(tmp_path: Path, change: tuple[int, str, str] | None = None) -> Path:
    """The park as one workbook; ``change`` = (offer row, column, new text) edits one offer cell."""
    kb = load_knowledge_base()
    path = write_dataset(read_sharing(PARK, kb).dataset, tmp_path / "park.xlsx", "xlsx")
    book = load_workbook(path)
    for file_name in (OFFERS_FILE, NEEDS_FILE):
        rows = list(csv.reader((PARK / file_name).open(encoding="utf-8")))
        if change is not None and file_name == OFFERS_FILE:
            row, column, text = change
            rows[row - 1][rows[0].index(column)] = text
        sheet = book.create_sheet(file_name.removesuffix(".csv"))
        for cells in rows:
            sheet.append(cells)
    book.save(path)
    return path


def test_a_workbook_reads_like_the_csv_folder(tmp_path: Path) -> None:
    kb = load_knowledge_base()
    folder, workbook = read_sharing(PARK, kb), read_sharing(_workbook(tmp_path), kb)
    assert len(workbook.offers) == 13 and len(workbook.needs) == len(folder.needs) > 0
    assert [offer_props(o) for o in workbook.offers] == [offer_props(o) for o in folder.offers]
    assert [need_props(n) for n in workbook.needs] == [need_props(n) for n in folder.needs]


@pytest.mark.parametrize(("column", "text"), [("capacity", "0"), ("slots", "170"), ("category", "piscine")])
def test_a_bad_cell_is_named_by_sheet_row_and_field(tmp_path: Path, column: str, text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        read_sharing(_workbook(tmp_path, (3, column, text)), load_knowledge_base())
    assert [(i.location, i.field) for i in err.value.issues] == [
        ("park.xlsx sheet sharing_offers row 3", column)
    ]
