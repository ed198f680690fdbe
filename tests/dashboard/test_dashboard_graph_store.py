"""The dashboard on the real embedded graph store (the private one of `store_settings`): the
overview read from it, and the Declare page writing through the service layer with the signed-in
user — the API's own validation and access rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from symbiosis.graph import open_graph
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph


def _outputs(settings: Settings, site_id: str) -> dict[str, tuple[str, float, str]]:
    with open_graph(settings) as repo:
        ds = repo.export_dataset("kalundborg_symbiosis")
    return {
        d.id: (d.resource_code, d.quantity_per_yr, d.confidentiality.value)
        for d in ds.outputs
        if d.site_id == site_id
    }


def test_overview_reads_the_store_and_admin_declares(
    graph_app: Callable[..., AppTest], store_settings: Settings
) -> None:
    at = graph_app("overview", as_user="admin")
    assert at.sidebar.selectbox(key="source_kind").value == "graph"
    m = {x.label: x.value for x in at.metric}
    assert (m["Sites"], m["Entreprises"], m["Échanges existants"]) == ("14", "12", "18")
    assert int(m["Synergies possibles"]) > 0

    at = graph_app("declare")
    assert any("Connectez-vous" in i.value for i in at.info)  # signed out: no form, says why
    assert not [w for w in at.text_input if w.key == "d_qty"]

    at = graph_app("declare", as_user="admin")
    at.text_input(key="d_id").input("o_dashboard_test")
    at.selectbox(key="d_site").set_value("asnaes")
    at.selectbox(key="d_resource").set_value("fly_ash")
    at.text_input(key="d_qty").input("1000")
    at.text_input(key="d_unit").input("t/yr")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert "o_dashboard_test" in at.success[0].value
    assert _outputs(store_settings, "asnaes")["o_dashboard_test"] == ("fly_ash", 1000.0, "agency")


def test_company_declares_on_its_own_sites_only(
    graph_app: Callable[..., AppTest], store_settings: Settings
) -> None:
    before = _outputs(store_settings, "novo_nordisk_kal")
    at = graph_app("declare", as_user="company", territory="kalundborg_symbiosis")
    assert not [w for w in at.text_input if w.key == "d_id"]  # the service assigns company ids
    assert at.selectbox(key="d_site").options == ["Novo Nordisk Kalundborg"]  # its one site, by name

    at.selectbox(key="d_resource").set_value("warm_water")
    at.text_input(key="d_qty").input("60")
    at.text_input(key="d_unit").input("parsecs")
    at.button[0].click().run()
    errors = [e.value for e in at.error]
    assert any("« parsecs »" in e and "m³ par an" in e for e in errors)  # under the unit field
    assert any("1 champ(s)" in e for e in errors)
    assert _outputs(store_settings, "novo_nordisk_kal") == before

    at.text_input(key="d_unit").input("m3/h")
    at.selectbox(key="d_conf").set_value("private")
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = _outputs(store_settings, "novo_nordisk_kal")
    (new_id,) = set(after) - set(before)
    assert new_id.startswith("o_") and new_id in at.success[0].value
    assert after[new_id] == ("warm_water", pytest.approx(60 * 24 * 365), "private")
