"""The Mutualisation offers-and-bookings page on the real store, per role: a map of the offers and
needs the visitor may see (by name), the week's bookings as a day × hour grid, and a declare form
whose refusals name the field in French."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_scope import page_text, shown
from test_sharing_page import sharing_in_store  # noqa: F401  (the fixture: a hall and a need)

from symbiosis.graph import open_graph
from symbiosis.graph.sharing_store import SharingStore
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph

TERRITORY = "kalundborg_symbiosis"
HALL = "Salle des fêtes d'Asnæs"


@pytest.fixture
def booked(store_settings: Settings, sharing_in_store: None) -> None:  # noqa: F811
    """Novo Nordisk books 300 m² of the hall on Tuesdays 19:00–22:00 in the first half of 2026."""
    with open_graph(store_settings) as repo:
        store = SharingStore(repo)
        if store.booking("novo_tue") is None:  # the store lives for the session
            store.book("novo_tue", "hall_asnaes", 300, [43, 44, 45], date(2026, 1, 1), date(2026, 6, 30),
                       need_id="sport_novo", booked_by="novo_nordisk")  # fmt: skip


def _map_labels(at: AppTest) -> list[str]:
    return [str(v) for d in at.dataframe for v in d.value.iloc[:, 0]]


def test_facilitator_sees_map_and_calendar_by_name(graph_app: Callable[..., AppTest], booked: None) -> None:
    at = graph_app("sharing_book", as_user="agency", territory=TERRITORY)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.get("deck_gl_json_chart")
    labels = _map_labels(at)
    assert any(label.startswith(f"Offre : {HALL} — ") and label.endswith(", 400") for label in labels), labels
    assert any(label.startswith("Besoin : ") and "Novo Nordisk" in label for label in labels), labels
    assert not any("hall_asnaes" in label for label in labels)  # names, not ids
    assert at.get("plotly_chart")
    assert "3 heures réservées la semaine du 2026-01-05." in [c.value for c in at.caption]
    at.date_input(key="shb_week").set_value(date(2026, 7, 6)).run()  # after the booking's last day
    assert not at.get("plotly_chart")
    assert any("Aucune réservation la semaine du 2026-07-06" in i.value for i in at.info)


def test_company_sees_its_own_and_not_the_agency_level_offer(
    graph_app: Callable[..., AppTest], booked: None
) -> None:
    at = graph_app("sharing_book", as_user="company", territory=TERRITORY)
    assert not at.exception and not at.error, [e.value for e in at.error]
    text = page_text(at)
    assert not shown(HALL, text) and not shown("hall_asnaes", text)  # Asnæs's offer is 'agency'
    assert any(label.startswith("Besoin : ") for label in _map_labels(at))  # its own need
    # its own booking is in its calendar, the offer unnamed since the company may not see it
    assert "3 heures réservées la semaine du 2026-01-05." in [c.value for c in at.caption]


def _submit(at: AppTest, **fields: object) -> AppTest:
    for key, value in fields.items():
        widget = at.number_input(key=key) if key in ("shb_capacity", "shb_price") else at.text_input(key=key)
        widget.set_value(value)
    next(b for b in at.button if b.label == "Déclarer").click()
    return at.run()


def test_declare_form_names_the_field_in_french_and_writes_nothing_on_error(
    graph_app: Callable[..., AppTest],
    store_settings: Settings,
    sharing_in_store: None,  # noqa: F811
) -> None:
    at = graph_app("sharing_book", as_user="company", territory=TERRITORY)
    at = _submit(
        at, shb_id="novo_salle", shb_capacity=0.0, shb_slots="lun 25:00-26:00", shb_name="Salle Novo"
    )
    errors = [e.value for e in at.error]
    assert errors[0] == "2 problème(s) : rien n'a été enregistré.", errors
    assert any(e.startswith("« Capacité » : « 0") and "un nombre strictement positif" in e for e in errors)
    assert any(e.startswith("« Créneaux hebdomadaires »") for e in errors), errors
    with open_graph(store_settings) as repo:
        assert SharingStore(repo).get("offer", "novo_salle") is None
    at = _submit(at, shb_capacity=12.0, shb_slots="mar 18:00-20:00")
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [
        "Offre « Salle Novo » déclaré(e) sur Novo Nordisk Kalundborg : mar 18:00–20:00."
    ]
    with open_graph(store_settings) as repo:
        offer, _ = SharingStore(repo).get("offer", "novo_salle")
    assert offer.capacity == 12 and offer.site_id == "novo_nordisk_kal"
    at = _submit(at)  # the same id again
    assert any(e.startswith("« Identifiant » : « novo_salle »") for e in (x.value for x in at.error))
