"""Small Streamlit helpers shared by pages (kept here so page scripts stay a screen long)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.i18n import localised, tr

PAGE_SIZE = 200


def paged_table(
    frame: pd.DataFrame,
    key: str,
    lang: str,
    page_size: int = PAGE_SIZE,
    shape: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Show one page of a frame (a page picker appears when it has more rows); returns that page.
    ``shape`` turns the page into what a user reads (`dashboard.display`: names, formatted
    figures); without it, raw columns get their catalogue headers."""
    pages = data.n_pages(len(frame), page_size)
    page = 1
    if pages > 1:
        page = int(st.number_input(tr("table.page", lang, pages=pages), 1, pages, 1, key=f"{key}_page"))
    part = data.page_of(frame, page, page_size)
    shown = shape(part) if shape is not None else part.rename(columns=localised(list(part.columns), lang))
    st.dataframe(shown, hide_index=True, key=f"{key}_table")
    st.caption(tr("table.rows", lang, shown=len(part), total=len(frame)))
    return part
