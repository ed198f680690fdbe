"""The pooled contracts page: the example zone's pools (datasets/zone_laigle) in French and English,
with names and units, the tour on the map and who pays what; on the graph store, a member company
sees its own share and masked partners, and the zone's agency puts a pool in the synergy pipeline.

Local-files tests read the dataset folder; store tests start a private store of each engine
holding the zone (and nothing else, so the other dashboard suites keep Kalundborg as their default
territory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_support import NEEDS_CHROMIUM
from conftest import APP, APPTEST_TIMEOUT_S, PASSWORD, seed_store, sign_in
from graph_engines import GRAPH_ENGINES, local_store
from streamlit.testing.v1 import AppTest
from test_dashboard_scope import page_text
from test_french_everywhere import english_words

from dashboard import pools
from dashboard.sources import DATASET_ENV
from symbiosis import DATASETS_DIR
from symbiosis.dataset_io import read_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.settings import Settings
from symbiosis.units import parse_decimal

ZONE = DATASETS_DIR / "zone_laigle"
TERRITORY = "cc_pays_de_laigle"


@pytest.fixture(scope="module")
def zone(kb: KnowledgeBase) -> Dataset:
    return read_dataset(ZONE, kb)


def _names(ds: Dataset) -> list[str]:
    return [f.name for f in ds.firms] + [s.name for s in ds.sites] + [t.name for t in ds.territories]


@pytest.fixture
def zone_app(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], AppTest]:
    """The dashboard on the zone's dataset folder, on the pools page of the intercommunality."""
    monkeypatch.setenv(DATASET_ENV, str(ZONE))

    def open_page(lang: str = "fr") -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT_S)
        at.run()
        if lang != "fr":
            at.sidebar.radio(key="lang").set_value(lang).run()
        at.sidebar.selectbox(key="territory").set_value(TERRITORY).run()
        at.switch_page("views/pools.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def _table(at: AppTest, column: str):  # noqa: ANN202
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def test_pools_page_in_french_with_names(zone_app: Callable[[str], AppTest], zone: Dataset) -> None:
    at = zone_app("fr")
    text = page_text(at)
    assert at.title[0].value.startswith("Collectes et achats mutualisés")
    table = _table(at, "Économie (€/an)")
    assert list(table["Flux"]) == ["Plastiques", "Bois de rebut", "Résidus organiques"]
    assert set(table["Site de traitement / fournisseur"]) == {
        "Centre de tri et recyclage (plastiques, bois)",
        "Unité de méthanisation agricole",
    }
    assert [m.label for m in at.metric][0] == "Mutualisations proposées" and at.metric[0].value == "3"
    # names, never ids; no English word once the proper names are set aside
    assert not [s.id for s in zone.sites if s.id in text]
    assert english_words(text, _names(zone)) == []
    split = _table(at, "Part équitable — Shapley (€/an)")
    assert len(split) == 5 and "Plasturgie A (moulage)" in set(split["Membre"])
    assert any("cœur vérifié" in c.value for c in at.caption)
    # who pays what adds up: the fair shares (rounded to the euro) make the pooled contract
    pooled = parse_decimal(table["Contrat mutualisé (€/an)"][0].replace("\u202f", ""))
    shares = sum(parse_decimal(x.replace("\u202f", "")) for x in split["Part équitable — Shapley (€/an)"])
    assert abs(shares - pooled) <= len(split)
    assert at.selectbox(key="po_pick").options[0].startswith("Plastiques — collecte, 5 membres → Centre")


def _euros(text: str) -> float:
    return parse_decimal(text.replace("\u202f", ""))


def test_pools_page_in_english(zone_app: Callable[[str], AppTest], zone: Dataset) -> None:
    at = zone_app("en")
    table = _table(at, "Saving (€/yr)")
    assert list(table["Stream"])[0].startswith("Plastics") and list(table["Kind"]) == ["collection"] * 3
    assert "Fair share — Shapley (€/yr)" in _table(at, "Member").columns
    assert english_words(page_text(at), _names(zone))  # the leak check finds English here: it can fail


def test_another_stream_and_a_carbon_price(zone_app: Callable[[str], AppTest]) -> None:
    at = zone_app("fr")
    before = _table(at, "Économie (€/an)")["Contrat mutualisé (€/an)"].tolist()
    at.selectbox(key="po_pick").select_index(2).run()
    split = _table(at, "Part équitable — Shapley (€/an)")
    assert len(split) == 2  # the digester's pool: two members
    # two players by hand: φ₁ = (v({1}) + v({1,2}) − v({2})) / 2, v({i}) = today's contract
    pooled = _euros(_table(at, "Économie (€/an)")["Contrat mutualisé (€/an)"][2])
    today = [_euros(x) for x in split["Contrats séparés (€/an)"]]
    shapley = [_euros(x) for x in split["Part équitable — Shapley (€/an)"]]
    for i in (0, 1):
        assert abs(shapley[i] - (today[i] + pooled - today[1 - i]) / 2) <= 1.5  # figures shown to the €
    at.number_input(key="po_carbon").set_value(500.0).run()
    assert not at.exception
    after = _table(at, "Économie (€/an)")["Contrat mutualisé (€/an)"].tolist()
    assert after != before  # the truck's CO2 now costs something


def test_tour_layers_go_round_from_the_hub() -> None:
    hub = {"site_name": "H", "firm_name": "HF", "latitude_deg": 48.0, "longitude_deg": 0.5}
    stops = [
        {"site_name": n, "firm_name": n, "latitude_deg": 48.0 + k / 100, "longitude_deg": 0.6}
        for k, n in enumerate("ABC")
    ]
    paths, points = pools.tour_frames({"hub": hub, "routes": [stops[:2], stops[2:]]}, "fr")
    assert len(paths) == 2 and len(points) == 4
    for path, route in zip(paths["path"], (stops[:2], stops[2:]), strict=True):
        assert path[0] == path[-1] == [0.5, 48.0] and len(path) == len(route) + 2
    assert list(points["name"]) == ["H", "A", "B", "C"]
    assert list(paths["name"]) == ["Tournée 1 : 2 arrêts", "Tournée 2 : 1 arrêts"]


def test_partner_letters_are_stable_and_only_for_masked_partners() -> None:
    def pool(refs: list[str | None]) -> dict:
        return {
            "partners": [{"partner_ref": r} for r in refs],
            "hub": {"partner_ref": None},
        }

    a = pools.partner_names([pool(["p_b", None, "p_a"])], "fr")
    b = pools.partner_names([pool(["p_a"]), pool(["p_b"])], "en")
    assert a == {"p_a": "Partenaire A", "p_b": "Partenaire B"}
    assert b == {"p_a": "Partner A", "p_b": "Partner B"}


# --- on the graph store ----------------------------------------------------------------------

ZONE_ACCOUNTS = {
    "zone_agency": ("agency", [TERRITORY], None),
    "zone_member": ("company", [], "plasturgie_a"),
}


@pytest.fixture(scope="module", params=GRAPH_ENGINES)
def zone_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, zone: Dataset
) -> Iterator[Settings]:
    with local_store(request.param, tmp_path_factory.mktemp("pools-dashboard-home")) as settings:
        seed_store(settings, zone, ZONE_ACCOUNTS)
        yield settings


@pytest.fixture
def zone_env(zone_store: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The environment points the dashboard (here, or a server it starts) at the zone's store."""
    monkeypatch.delenv(DATASET_ENV, raising=False)
    monkeypatch.delenv("SYMBIOSIS_NEO4J_URI", raising=False)
    monkeypatch.setenv("SYMBIOSIS_HOME_DIR", str(zone_store.home_dir))
    monkeypatch.setenv("SYMBIOSIS_EMBEDDED_HEAP", zone_store.embedded_heap)
    monkeypatch.setenv("SYMBIOSIS_GRAPH_ENGINE", zone_store.graph_engine)
    return zone_store


@pytest.fixture
def zone_graph_app(zone_env: Settings) -> Callable[..., AppTest]:

    def open_page(as_user: str, page: str = "pools") -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT_S)
        at.run()
        sign_in(at, as_user)
        at.sidebar.selectbox(key="territory").set_value(TERRITORY).run()
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


@pytest.mark.graph
def test_a_member_company_sees_its_share_and_masked_partners(
    zone_graph_app: Callable[..., AppTest], zone: Dataset
) -> None:
    at = zone_graph_app("zone_member")
    own = _table(at, "Votre part équitable (€/an)")
    assert list(own["Flux"]) == ["Plastiques"] and list(own["Membres"]) == [5]
    partners = _table(at, "Visibilité")
    # four members and the recycler (the hub): five masked partners, lettered by reference
    labels = list(partners["Membre"])
    assert len(set(labels)) == 4 and set(labels) < {f"Partenaire {x}" for x in "ABCDE"}
    assert set(partners["Visibilité"]) == {"Masqué (fourchettes)"}
    text = page_text(at)
    others = [s.name for s in zone.sites if s.firm_id != "plasturgie_a"] + [
        f.name for f in zone.firms if f.id != "plasturgie_a"
    ]
    assert [x for x in others if x in text] == []
    assert any("La carte de la tournée apparaît" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == "po_promote"]


@pytest.mark.graph
def test_the_zone_agency_tracks_a_pool_to_implemented(zone_graph_app: Callable[..., AppTest]) -> None:
    at = zone_graph_app("zone_agency")
    at.selectbox(key="po_pick").select_index(1).run()  # the wood pool
    at.text_input(key="po_note").input("club d'entreprises, réunion de janvier")
    at.button(key="po_promote").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("créée" in s.value or "syn_" in s.value for s in at.success)
    at.button(key="po_promote").click().run()  # twice: refused, in French
    assert [e.value for e in at.error] == [
        "Cette mutualisation est déjà suivie ; faites avancer la fiche existante, ou abandonnez-la d'abord."
    ]

    at.switch_page("views/synergies.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [h.value for h in at.subheader if "Identifiée" in h.value] == ["Identifiée (1)"]
    (card,) = [e for e in at.expander if e.label.startswith("Mutualisation Bois de rebut (5 membres)")]
    assert "Centre de tri et recyclage" in card.label and "€/an" in card.label
    for status in ("contacted", "under_study", "signed", "implemented"):
        (move,) = [s for s in at.selectbox if s.key.startswith("sy_next_")]
        move.set_value(status).run()
        (button,) = [b for b in at.button if b.key.startswith("sy_move_")]
        button.click().run()
        assert not at.error, [e.value for e in at.error]
    assert [h.value for h in at.subheader if "Réalisée" in h.value] == ["Réalisée (1)"]


# --- in headless Chromium ------------------------------------------------------------------------


@pytest.fixture
def zone_dashboard(zone_store: Settings, monkeypatch: pytest.MonkeyPatch, artifacts: Path) -> Iterator[str]:
    """The dashboard served on the zone's private store (graph source: sign-in first)."""
    from browser_support import served_dashboard

    monkeypatch.delenv(DATASET_ENV, raising=False)
    monkeypatch.delenv("SYMBIOSIS_NEO4J_URI", raising=False)
    monkeypatch.setenv("SYMBIOSIS_HOME_DIR", str(zone_store.home_dir))
    monkeypatch.setenv("SYMBIOSIS_EMBEDDED_HEAP", zone_store.embedded_heap)
    monkeypatch.setenv("SYMBIOSIS_GRAPH_ENGINE", zone_store.graph_engine)
    with served_dashboard(None, artifacts / "streamlit-pools.log") as url:
        yield url


def _sign_in_browser(browser, url: str, who: str, ready: str) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from test_stored_runs_browser import _click_until

    browser.get(url)
    email = "//input[@aria-label='E-mail']"
    WebDriverWait(browser, BROWSER_WAIT_S).until(lambda d: d.find_elements(By.XPATH, email))
    browser.find_element(By.XPATH, email).send_keys(f"{who}@example.org")
    browser.find_element(By.XPATH, "//input[@aria-label='Mot de passe']").send_keys(PASSWORD)
    _click_until(
        browser,
        "//button[.//p[normalize-space()='Se connecter']]",
        lambda d: ready in _body(d),
        wait_s=BROWSER_WAIT_S / 2,
    )


def _body(driver) -> str:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


BROWSER_WAIT_S = 240


@pytest.mark.graph
@pytest.mark.browser
@pytest.mark.slow
@NEEDS_CHROMIUM
def test_in_the_browser_the_agency_tracks_a_pool_and_a_member_sees_its_share(
    zone_dashboard: str,
    browser,  # noqa: ANN001
    artifacts: Path,
    zone: Dataset,
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait
    from test_stored_runs_browser import _click_until

    # the zone's facilitator lands on its own territory; the pools page in French, with names
    _sign_in_browser(browser, f"{zone_dashboard}/pools", "zone_agency", "Mutualisations proposées")
    WebDriverWait(browser, BROWSER_WAIT_S).until(lambda d: "Qui paie quoi (€/an)" in _body(d))
    text = _body(browser)
    browser.save_screenshot(str(artifacts / f"pools-agency-fr-{zone_dashboard.rsplit(':', 1)[1]}.png"))
    # tables are drawn on a canvas (no text to read): the tour's heading and the core verdict are
    assert "Tournée : 23,3 km par passage, 2 passages par mois" in text and "cœur vérifié" in text
    assert not [s.id for s in zone.sites if s.id in text]
    _click_until(
        browser,
        "//button[.//p[normalize-space()='Suivre cette mutualisation comme synergie']]",
        lambda d: "créée" in _body(d) or "déjà suivie" in _body(d),
        wait_s=BROWSER_WAIT_S / 2,
    )
    browser.get(f"{zone_dashboard}/synergies")  # a new session: signed out again
    _sign_in_browser(
        browser, f"{zone_dashboard}/synergies", "zone_agency", "Mutualisation Plastiques (5 membres)"
    )
    assert "Mutualisation Plastiques (5 membres) → Centre de tri et recyclage (plastiques, bois)" in _body(
        browser
    )
    browser.save_screenshot(str(artifacts / f"pools-pipeline-fr-{zone_dashboard.rsplit(':', 1)[1]}.png"))

    # a member company: its own share, partners lettered, no partner named
    _sign_in_browser(browser, f"{zone_dashboard}/pools", "zone_member", "Les autres membres")
    text = _body(browser)
    browser.save_screenshot(str(artifacts / f"pools-member-fr-{zone_dashboard.rsplit(':', 1)[1]}.png"))
    others = [s.name for s in zone.sites if s.firm_id != "plasturgie_a"]
    assert [x for x in others if x in text] == []
    assert "La carte de la tournée apparaît" in text
