"""No English left in the French dashboard: every page rendered in French (local-files source:
Kalundborg), and the explanation of every output × input pair, hold no English word once the
proper names of the dataset (firms, sites, territories) are set aside. The same check on the
English rendering finds English words, so it can fail."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_scope import page_text  # every string the run put on screen

from dashboard.explain_i18n import explanation
from dashboard.names import Labels
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.service import MatchingService

ENGLISH = {
    "the", "and", "of", "with", "without", "by", "from", "for", "is", "are", "not", "none", "all",
    "months", "month", "common", "replaces", "needs", "accepts", "reach", "road", "truck", "yr",
    "year", "saved", "avoided", "exchangeable", "declared", "limit", "rule", "same", "resource",
    "firm", "firms", "input", "inputs", "output", "outputs", "should", "required", "field", "error",
    "steam", "water", "heat", "waste", "figures", "sent", "delivered", "disposal",
    "supply", "transport", "viable", "sign", "page", "territory", "overview", "match", "matches",
    "scenario", "network", "declare", "optimise", "cost", "price",
}  # fmt: skip
PAGES = ("overview", "matches", "scenarios", "network", "pools", "synergies", "declare")


def english_words(text: str, names: list[str]) -> list[str]:
    """English words of ``text`` once every proper name is removed."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    words = re.findall(r"[A-Za-zÀ-ÿ]+", text)
    return sorted(
        {w for w in words if w.lower() in ENGLISH and w.lower() not in {"transport", "net", "page"}}
    )


def _names(ds: Dataset) -> list[str]:
    return (
        [f.name for f in ds.firms]
        + [s.name for s in ds.sites]
        + [t.name for t in ds.territories]
        + [x for x in (s.id for s in ds.sites)]
    )


def test_every_explanation_is_french(kalundborg: Dataset, kb: KnowledgeBase) -> None:
    service = MatchingService(kalundborg, kb)
    fr, en = Labels.of(kalundborg, kb, "fr"), Labels.of(kalundborg, kb, "en")
    names = _names(kalundborg)
    n = 0
    found_english = False
    for out in kalundborg.outputs:
        for inp in kalundborg.inputs:
            cand = service.explain(out.id, inp.id)
            text = explanation(cand, fr)
            assert english_words(text, names) == [], (cand.id, text)
            found_english |= bool(english_words(explanation(cand, en), names))
            n += 1
    assert n >= 300 and found_english  # every pair, near misses included; the check can fail


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_french(app: Callable[[str], AppTest], kalundborg: Dataset, page: str) -> None:
    at = app(page)
    if page == "scenarios":
        at.number_input(key="sc_price").set_value(100.0)
        at.button[0].click().run()
        at.button(key="sc_pareto").click().run()
    if page == "network":
        at.button(key="nw_run").click().run()
    assert not at.exception
    assert english_words(page_text(at), _names(kalundborg)) == []

    at.sidebar.radio(key="lang").set_value("en").run()
    assert english_words(page_text(at), _names(kalundborg))  # the English page is caught
