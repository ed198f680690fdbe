"""The sharing page on the real store, per role: facilitators see their territory's allocation and
heat map; a company is refused (as the API's allocation refuses it), an analyst gets aggregates,
an anonymous visitor the sign-in only."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_scope import page_text, shown

from symbiosis.domain.enums import Confidentiality
from symbiosis.graph import open_graph
from symbiosis.graph.sharing_store import SharingStore
from symbiosis.settings import Settings
from symbiosis.sharing.records import ALL_MONTHS, Need, Offer
from symbiosis.sharing.slots import parse_slots

pytestmark = pytest.mark.graph

TERRITORY = "kalundborg_symbiosis"


@pytest.fixture
def sharing_in_store(store_settings: Settings) -> None:
    """A hall offered by Asnæs in the evening, and Novo Nordisk's Tuesday-evening need of it."""
    common = {"months": ALL_MONTHS, "valid_from": None, "valid_to": None, "recurring": True,
              "confidentiality": Confidentiality.AGENCY, "is_estimate": True, "source": "test"}  # fmt: skip
    free = parse_slots("lun-ven 18:00-23:00")
    hall = Offer(id="hall_asnaes", site_id="asnaes", category="hall", name="Salle des fêtes d'Asnæs",
                 capacity=400, free=free, used=~free, price_eur_per_unit_h=0.03, max_distance_km=math.inf,
                 **common)  # fmt: skip
    sport = Need(id="sport_novo", site_id="novo_nordisk_kal", category="hall", capacity=300,
                 hours=parse_slots("mar 19:00-22:00"), budget_eur_per_unit_h=math.inf, max_distance_km=15,
                 **common)  # fmt: skip
    with open_graph(store_settings) as repo:
        store = SharingStore(repo)
        store.ensure_schema()
        store.save([hall], [sport])


@pytest.mark.parametrize("role", ["agency", "admin"])
def test_facilitators_see_allocation_and_heat_map(
    graph_app: Callable[..., AppTest], sharing_in_store: None, role: str
) -> None:
    at = graph_app("sharing", as_user=role, territory=TERRITORY)
    assert not at.exception and not at.error, [e.value for e in at.error]
    m = {x.label: x.value for x in at.metric}
    assert m["Besoins servis"] == "1 / 1"
    assert any("Salle des fêtes d'Asnæs" in str(v) for v in at.dataframe[0].value["Offre"])
    assert at.get("plotly_chart")
    # used every hour it is not offered (143 h), plus Tuesday 19:00–22:00 shared (3 h)
    assert "Occupé 143 h sur 168 (85%) avant, 146 h (87%) après." in [c.value for c in at.caption]


def test_company_analyst_and_anonymous(graph_app: Callable[..., AppTest], sharing_in_store: None) -> None:
    company = graph_app("sharing", as_user="company", territory=TERRITORY)
    assert company.warning and not company.metric and not company.get("plotly_chart")
    assert not shown("Salle des fêtes d'Asnæs", page_text(company))
    analyst = graph_app("sharing", as_user="analyst", territory=TERRITORY)
    assert any("agrégats publiés" in i.value for i in analyst.info) and not analyst.get("plotly_chart")
    anonymous = graph_app("sharing")
    assert any("pour consulter le tableau de bord" in i.value for i in anonymous.info)
    assert not anonymous.metric
