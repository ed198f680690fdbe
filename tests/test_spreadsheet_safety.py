"""CSV formula injection: every text a spreadsheet could run is quoted, numbers stay numbers, and our
own import undoes the quote exactly."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbiosis.spreadsheet_safety import (
    FORMULA_STARTS,
    neutralise,
    neutralise_cell,
    neutralise_frame,
    restore,
)


@given(st.text())
def test_quote_then_restore_is_the_identity(text: str) -> None:
    assert restore(neutralise(text)) == text


@given(st.text())
def test_no_quoted_text_starts_a_formula(text: str) -> None:
    safe = neutralise(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert (safe != text) == (
        text.startswith(FORMULA_STARTS) or (text[:1] == "'" and text[1:2] in (*FORMULA_STARTS, "'"))
    )


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_trigger_is_quoted(start: str) -> None:
    assert neutralise(f"{start}cmd") == f"'{start}cmd"
    assert neutralise(f"a{start}cmd") == f"a{start}cmd"  # inside the text: no formula


@pytest.mark.parametrize(
    ("value", "numeric", "expected"),
    [
        ("-5", True, "-5"),  # a negative quantity in a numeric column
        ("-1.5e3", True, "-1.5e3"),
        ("-5", False, "-5"),  # a figure, even in a text column
        ("-1\u202f234 – 2\u202f000", False, "-1\u202f234 – 2\u202f000"),  # a formatted range
        ("-E1", True, "'-E1"),  # a cell reference, not a number
        ("-E1", False, "'-E1"),
        ("-", False, "'-"),
        (-5.0, False, -5.0),
        (None, False, None),
    ],
)
def test_numbers_stay_numbers_references_do_not(value: object, numeric: bool, expected: object) -> None:
    assert neutralise_cell(value, numeric) == expected


def test_a_frame_quotes_text_columns_and_keeps_numeric_ones() -> None:
    frame = pd.DataFrame({"partner": ['=HYPERLINK("x")', "Acme"], "net_gain": [-12.5, 3.0]})
    out = neutralise_frame(frame)
    assert out["partner"].tolist() == ['\'=HYPERLINK("x")', "Acme"]
    assert out["net_gain"].tolist() == [-12.5, 3.0] and out.to_csv(index=False).splitlines()[1].endswith(
        ",-12.5"
    )
    assert frame["partner"][0] == '=HYPERLINK("x")'  # a copy: the shown table is unchanged
