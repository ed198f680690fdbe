"""Every dashboard page × every role, on the real embedded store: the dashboard shows each visitor
what the API would let them read, and nothing firm-level otherwise.

| page \\ role | anonymous | company | agency (its territory) | analyst | admin |
| read-only pages | sign-in only | own view or refused | full | aggregates | full |
| synergies, declare | sign-in only | refused / own sites | full | refused | full |

Anonymous visitors see only the sign-in (the API answers nothing without a token); only an admin
sees the data-source switch.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_scope import page_text, shown  # the same leak check as the scope tests

from symbiosis.domain.dataset import Dataset

pytestmark = pytest.mark.graph

TERRITORY = "kalundborg_symbiosis"
OWN_FIRM = "novo_nordisk"
PAGES = (
    "overview", "matches", "scenarios", "network", "pools", "synergies", "declare", "sharing_book", "sharing",
    "water",
)  # fmt: skip
ROLES = ("anonymous", "company", "agency", "analyst", "admin")

# what each role gets on each page: "sign_in" | "full" | "own" | "aggregates" | "refused"
EXPECTED: dict[str, dict[str, str]] = {
    "anonymous": dict.fromkeys(PAGES, "sign_in"),
    "company": {
        "overview": "own",
        "matches": "own",
        "scenarios": "refused",
        "network": "refused",
        "pools": "own",
        "synergies": "refused",
        "declare": "own",
        "sharing_book": "own",  # its own records and others' public ones, as GET /sharing/offers
        "sharing": "refused",  # the allocation is the facilitators' (POST /sharing/allocations)
        "water": "refused",  # firm-level water networks, as the network page
    },
    "agency": dict.fromkeys(PAGES, "full"),
    "analyst": {
        "overview": "aggregates",
        "matches": "aggregates",
        "scenarios": "aggregates",
        "network": "aggregates",
        "pools": "aggregates",
        "synergies": "refused",
        "declare": "refused",
        "sharing_book": "aggregates",
        "sharing": "aggregates",
        "water": "aggregates",
    },
    "admin": dict.fromkeys(PAGES, "full"),
}


def _charts(at: AppTest) -> list:
    return [*at.get("deck_gl_json_chart"), *at.get("plotly_chart")]


def _other_firms(kalundborg: Dataset) -> list[str]:
    """Names and site ids of every firm but the company account's own."""
    others = [f.name for f in kalundborg.firms if f.id != OWN_FIRM]
    return others + [s.id for s in kalundborg.sites if s.firm_id != OWN_FIRM]


def _open(graph_app: Callable[..., AppTest], page: str, role: str) -> AppTest:
    if role == "anonymous":
        return graph_app(page)
    return graph_app(page, as_user=role, territory=TERRITORY)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_page_shows_each_role_what_the_api_would(
    graph_app: Callable[..., AppTest], kalundborg: Dataset, page: str, role: str
) -> None:
    at = _open(graph_app, page, role)
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    verdict = EXPECTED[role][page]
    switch = [w for w in at.sidebar.selectbox if w.key == "source_kind"]
    assert bool(switch) == (role == "admin")  # the data-source switch is the admin's only

    firm_level = [f.name for f in kalundborg.firms] + [s.id for s in kalundborg.sites]
    if verdict == "sign_in":
        assert any("pour consulter le tableau de bord" in i.value for i in at.info)
        assert not at.title and not at.metric and not at.dataframe and not _charts(at)
        assert not [w for w in at.sidebar.selectbox if w.key == "territory"]
        assert [x for x in firm_level if shown(x, text)] == []
    elif verdict == "refused":
        assert at.warning, "the page says why it is refused"
        assert not _charts(at)
        if page != "synergies":  # which lists the operating exchanges the visitor may see (none here)
            assert not at.metric and not at.dataframe
        assert [x for x in _other_firms(kalundborg) if shown(x, text)] == []
    elif verdict == "aggregates":
        assert any("agrégats publiés" in i.value for i in at.info)
        assert not _charts(at)
        assert [x for x in firm_level if shown(x, text)] == []
    elif verdict == "own":
        assert not at.error
        assert [x for x in _other_firms(kalundborg) if shown(x, text)] == []
        if page == "pools":  # Kalundborg has no pool (tests/dashboard/test_pools_page.py has some)
            assert any("Aucune mutualisation" in i.value for i in at.info)
        else:
            assert shown("Novo Nordisk Kalundborg", text)  # its own site, by name: the check can fail
    else:  # full: firm-level objects of the territory are shown
        assert not at.error, [e.value for e in at.error]
        if page == "scenarios":  # nothing optimised yet: the form and its hint
            assert at.number_input(key="sc_price") is not None
        elif page == "declare":
            assert "Ørsted (Asnæs power station)" in at.selectbox(key="d_site").options  # by name
        elif page == "pools":  # no two Kalundborg firms declare the same stream
            assert any("Aucune mutualisation" in i.value for i in at.info)
        elif page == "sharing_book":  # no offer in this store: the declare form lists the sites by name
            assert "Asnæs power station" in at.selectbox(key="shb_site").options
        elif page == "sharing":  # Kalundborg declares no offer: said with the territory's name
            assert any("Aucune offre de mutualisation déclarée dans" in i.value for i in at.info)
        else:
            assert any(shown(x, text) for x in firm_level), f"{page} shows no firm or site"
