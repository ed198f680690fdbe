"""The dashboard on the real embedded graph store: a private ArcadeDB server in a tmp home (never
the user's .symbiosis/), Kalundborg imported, the overview read from it and a declaration saved to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from symbiosis.domain.dataset import Dataset
from symbiosis.graph import embedded, open_graph
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture(scope="module")
def store_settings(tmp_path_factory: pytest.TempPathFactory, kalundborg: Dataset) -> Iterator[Settings]:
    settings = Settings(
        home_dir=tmp_path_factory.mktemp("dashboard-home"),
        neo4j_uri=None,
        embedded_bolt_port=0,
        embedded_http_port=0,
        embedded_heap="1g",
    )
    embedded.ensure_running(settings)
    try:
        with open_graph(settings) as repo:
            repo.ensure_schema()
            repo.import_dataset(kalundborg)
        yield settings
    finally:
        embedded.stop(settings)


def test_overview_and_declare_through_the_embedded_store(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SYMBIOSIS_DASHBOARD_DATASET", raising=False)
    monkeypatch.delenv("SYMBIOSIS_NEO4J_URI", raising=False)
    monkeypatch.setenv("SYMBIOSIS_HOME_DIR", str(store_settings.home_dir))
    monkeypatch.setenv("SYMBIOSIS_EMBEDDED_HEAP", store_settings.embedded_heap)
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox(key="source_kind").value == "graph"
    m = {x.label: x.value for x in at.metric}
    assert (m["Sites"], m["Entreprises"], m["Échanges existants"]) == ("14", "12", "18")
    assert int(m["Synergies possibles"]) > 0

    at.switch_page("views/declare.py").run()
    at.text_input(key="d_id").input("o_dashboard_test")
    at.selectbox(key="d_site").set_value("asnaes")
    at.selectbox(key="d_resource").set_value("fly_ash")
    at.text_input(key="d_qty").input("1000")
    at.text_input(key="d_unit").input("t/yr")
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert "o_dashboard_test" in at.success[0].value
    with open_graph(store_settings) as repo:
        saved = [d for d in repo.export_dataset("kalundborg_symbiosis").outputs if d.id == "o_dashboard_test"]
    assert [(d.site_id, d.resource_code, d.quantity_per_yr) for d in saved] == [("asnaes", "fly_ash", 1000.0)]
