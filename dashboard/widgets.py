"""Small Streamlit helpers shared by pages (kept here so page scripts stay a screen long)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.i18n import localised, tr

PAGE_SIZE = 200


def paged_table(frame: pd.DataFrame, key: str, lang: str, page_size: int = PAGE_SIZE) -> pd.DataFrame:
    """Show one page of a frame (a page picker appears when it has more rows); returns that page."""
    pages = data.n_pages(len(frame), page_size)
    page = 1
    if pages > 1:
        page = int(st.number_input(tr("table.page", lang, pages=pages), 1, pages, 1, key=f"{key}_page"))
    part = data.page_of(frame, page, page_size)
    st.dataframe(
        part.rename(columns=localised(list(part.columns), lang)), hide_index=True, key=f"{key}_table"
    )
    st.caption(tr("table.rows", lang, shown=len(part), total=len(frame)))
    return part
