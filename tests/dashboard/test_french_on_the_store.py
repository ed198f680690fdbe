"""No English in the French dashboard on the graph store either: every page as the territory's
agency and as a company account sees it (the views the local-files scan of
test_french_everywhere.py does not reach: sign-in, the company's masked matches and pools, the
synergy pipeline's promotion forms, stored runs)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_scope import page_text
from test_french_everywhere import PAGES, _names, english_words

from symbiosis.domain.dataset import Dataset

pytestmark = pytest.mark.graph

TERRITORY = "kalundborg_symbiosis"


@pytest.mark.parametrize("role", ["agency", "company"])
@pytest.mark.parametrize("page", PAGES)
def test_every_store_page_is_french(
    graph_app: Callable[..., AppTest], kalundborg: Dataset, page: str, role: str
) -> None:
    at = graph_app(page, as_user=role, territory=TERRITORY)
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    names = [*_names(kalundborg), f"{role}@example.org"]
    assert english_words(text, names) == [], text
