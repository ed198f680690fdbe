"""The read-only pages (overview, match explorer, scenarios, network) on the real embedded store
show each signed-in user what the API would: a company its own sites and its candidates masked
until consent, an agency nothing outside its territories, an admin everything; and with
``SYMBIOSIS_DASHBOARD_REQUIRE_SIGN_IN`` no page renders before a sign-in."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.sources import DATASET_ENV
from symbiosis.domain.dataset import Dataset
from symbiosis.graph import open_graph
from symbiosis.knowledge import load_knowledge_base
from symbiosis.matching.service import MatchingService
from symbiosis.services.ranges import band
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph

TERRITORY = "kalundborg_symbiosis"
OWN_FIRM = "novo_nordisk"
READ_ONLY_PAGES = ("overview", "matches", "scenarios", "network")


def page_text(at: AppTest) -> str:
    """Every string the run put on screen: texts, alerts, metrics, tables, widget labels and the
    choices offered."""
    parts = [
        str(e.value)
        for kind in (
            "title",
            "subheader",
            "markdown",
            "caption",
            "code",
            "info",
            "warning",
            "success",
            "error",
        )
        for e in getattr(at, kind)
    ]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [d.value.to_csv() for d in at.dataframe]
    for kind in ("selectbox", "radio", "button", "text_input", "number_input", "toggle"):
        for w in getattr(at, kind):  # labels, and the choices offered
            parts.append(str(getattr(w, "label", "")))
            parts += [str(o) for o in getattr(w, "options", [])]
    return "\n".join(parts)


def shown(needle: str, text: str) -> bool:
    """``needle`` as a whole token (a site id ``refinery`` is not in a resource ``refinery_gas``)."""
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text) is not None


def _hidden_from_company(settings: Settings) -> tuple[set[str], set[str]]:
    """What a masked row must not give away: (partner names and ids, exact figures as written)."""
    with open_graph(settings) as repo:
        ds = repo.export_dataset(TERRITORY)
    firm_of = {s.id: s.firm_id for s in ds.sites}
    names = {f.id: f.name for f in ds.firms}
    identities: set[str] = set()
    figures: set[str] = set()
    for c in MatchingService(ds, load_knowledge_base()).candidates(explain=False):
        giver, receiver = firm_of[c.giver_site_id], firm_of[c.receiver_site_id]
        if OWN_FIRM not in (giver, receiver) or giver == receiver:
            continue
        partner_site = c.receiver_site_id if giver == OWN_FIRM else c.giver_site_id
        partner = firm_of[partner_site]
        identities |= {names[partner], partner, partner_site}
        for value in (c.exchangeable_qty_per_yr, c.net_gain_eur_per_yr):
            whole = round(value)
            if whole in band(whole):  # a round 1-2-5 figure is also a range's end: not a giveaway
                continue
            figures |= {str(whole), f"{whole:,}", f"{whole:,}".replace(",", "\u202f")}
    return identities, figures


def test_company_sees_its_own_matches_masked_before_consent(
    graph_app: Callable[..., AppTest], store_settings: Settings
) -> None:
    identities, figures = _hidden_from_company(store_settings)
    assert identities and figures

    admin = page_text(graph_app("matches", as_user="admin", territory=TERRITORY))
    assert any(shown(name, admin) for name in identities)  # the full view shows them: the check can fail
    assert any(shown(fig, admin) for fig in figures)

    at = graph_app("matches", as_user="company", territory=TERRITORY)
    assert not at.exception and not at.error
    (rows,) = [d.value for d in at.dataframe if "Votre site" in d.value.columns]  # then the consents
    assert len(rows) >= 4 and int(at.metric[0].value) == len(rows)
    assert set(rows["Votre site"]) == {"Novo Nordisk Kalundborg"}  # its name, not its id
    assert set(rows["Visibilité"]) == {"Masqué (fourchettes)"}
    assert all(p.startswith("Partenaire ") and " km" in p for p in rows["Partenaire"])  # stable labels
    assert all(" – " in q for q in rows["Quantité échangeable / an"])  # ranges, not figures
    assert at.selectbox(key="m_site").options == ["Tous", "Novo Nordisk Kalundborg"]

    text = page_text(at)
    assert [name for name in identities if shown(name, text)] == []
    assert [fig for fig in figures if shown(fig, text)] == []
    (why,) = at.code
    assert not any(ch.isdigit() for ch in why.value)  # conditions without the partner's values


def test_company_overview_is_its_own_sites_and_no_plan(graph_app: Callable[..., AppTest]) -> None:
    at = graph_app("overview", as_user="company", territory=TERRITORY)
    m = {x.label: x.value for x in at.metric}
    assert (m["Sites"], m["Entreprises"], m["Échanges existants"]) == ("1", "1", "0")
    assert int(m["Synergies possibles"]) >= 4
    assert "€ économisés / an" not in m
    assert not [w for w in at.toggle if w.key == "ov_plan"]
    sites = [d.value for d in at.dataframe if "Site" in d.value.columns]
    assert [list(s["Site"]) for s in sites] == [["Novo Nordisk Kalundborg"]]

    for page in ("scenarios", "network"):  # whole-territory plans: not for company accounts
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception
        assert any("entreprise" in w.value for w in at.warning)
        assert not at.metric and not at.dataframe and not at.get("plotly_chart")


@pytest.mark.parametrize("page", READ_ONLY_PAGES)
def test_agency_outside_its_territory_sees_nothing(graph_app: Callable[..., AppTest], page: str) -> None:
    at = graph_app(page, as_user="agency", territory="dk")  # the agency facilitates Kalundborg only
    assert any("hors de votre périmètre" in i.value for i in at.info)
    assert not at.metric and not at.dataframe
    assert not at.get("deck_gl_json_chart") and not at.get("plotly_chart")


@pytest.mark.parametrize("page", READ_ONLY_PAGES)
def test_analyst_sees_aggregates_only(
    graph_app: Callable[..., AppTest], kalundborg: Dataset, page: str
) -> None:
    """As through the API (`GET /aggregates`): counts and per-resource totals, nothing firm-level."""
    at = graph_app(page, as_user="analyst", territory=TERRITORY)
    assert not at.exception
    assert any("agrégats publiés" in i.value for i in at.info)
    m = {x.label: x.value for x in at.metric}
    assert {"Entreprises", "Sites", "Rejets", "Besoins", "Synergies possibles"} <= set(m)
    assert int(m["Entreprises"].replace(",", "")) >= 3 and int(m["Synergies possibles"].replace(",", "")) > 0
    (table,) = at.dataframe
    assert {"Ressource", "Entreprises", "Quantité / an"} <= set(table.value.columns)
    assert len(table.value) > 0
    text = page_text(at)
    firm_level = [f.name for f in kalundborg.firms] + [s.id for s in kalundborg.sites]
    firm_level += [d.id for d in (*kalundborg.outputs, *kalundborg.inputs)]
    assert not [x for x in firm_level if shown(x, text)]
    assert not at.get("deck_gl_json_chart") and not at.get("plotly_chart")


def test_an_agency_lands_on_its_own_territory_when_it_signs_in(graph_app: Callable[..., AppTest]) -> None:
    # an account without territories (admin) starts on the country
    assert graph_app("overview", as_user="admin").sidebar.selectbox(key="territory").value == "dk"
    at = graph_app("overview", as_user="agency")
    assert at.sidebar.selectbox(key="territory").value == "dk_kalundborg"
    assert not any("hors de votre périmètre" in i.value for i in at.info) and at.metric
    at.sidebar.selectbox(key="territory").set_value("dk").run()  # afterwards the choice is the user's
    at.run()
    assert at.sidebar.selectbox(key="territory").value == "dk"


def test_agency_sees_its_territory_in_full(graph_app: Callable[..., AppTest]) -> None:
    at = graph_app("overview", as_user="agency", territory=TERRITORY)
    m = {x.label: x.value for x in at.metric}
    assert int(m["Sites"]) == 9 and int(m["Entreprises"]) == 9
    at.switch_page("views/matches.py").run()
    assert "Ørsted (Asnæs power station)" in set(at.dataframe[0].value["Site donneur"])


@pytest.mark.parametrize("page", (*READ_ONLY_PAGES, "synergies", "declare"))
def test_require_sign_in_blocks_every_page(
    graph_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv("SYMBIOSIS_DASHBOARD_REQUIRE_SIGN_IN", "true")
    monkeypatch.setenv(DATASET_ENV, "datasets/kalundborg")  # no way round it through a file source
    at = graph_app(page)
    assert any("pour consulter le tableau de bord" in i.value for i in at.info)
    assert not at.title and not at.metric and not at.dataframe
    assert not [w for w in at.sidebar.selectbox if w.key in ("source_kind", "territory")]

    at = graph_app(page, as_user="admin", territory=TERRITORY)
    assert at.title and not any("pour consulter le tableau de bord" in i.value for i in at.info)
