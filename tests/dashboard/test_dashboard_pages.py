"""Every page through Streamlit's AppTest on Kalundborg: renders, has its widgets, reacts to them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.sources import DATASET_ENV
from symbiosis import REPO_DIR
from symbiosis.dataset_io import write_dataset
from symbiosis.domain import Territory
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import TerritoryLevel
from symbiosis.units import parse_decimal


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_shows_the_map_and_territory_kpis(app: Callable[[str], AppTest]) -> None:
    at = app("overview")
    m = metrics(at)
    assert (m["Sites"], m["Entreprises"], m["Échanges existants"]) == ("14", "12", "18")
    assert int(m["Synergies possibles"]) > 0 and m["€ économisés / an"].endswith("€")
    deck = at.get("deck_gl_json_chart")
    assert len(deck) == 1
    spec = deck[0].proto.json
    assert "ScatterplotLayer" in spec and "ArcLayer" in spec
    at.toggle(key="ov_candidates").set_value(False)
    at.toggle(key="ov_plan").set_value(False).run()
    assert "Synergies possibles" not in metrics(at)
    assert "ArcLayer" not in at.get("deck_gl_json_chart")[0].proto.json


def test_language_switch_translates_the_page(app: Callable[[str], AppTest]) -> None:
    at = app("overview")
    assert at.title[0].value.startswith("Vue du territoire")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value.startswith("Territory overview")
    assert "Firms" in metrics(at) and "Entreprises" not in metrics(at)


def test_territory_choice_restricts_the_sites(app: Callable[[str], AppTest]) -> None:
    at = app("overview")
    box = at.sidebar.selectbox(key="territory")
    assert "kalundborg_symbiosis" in box.options[2] or any("kalundborg_symbiosis" in o for o in box.options)
    box.set_value("kalundborg_symbiosis").run()
    assert not at.exception
    assert int(metrics(at)["Sites"]) < 14


def test_match_explorer_filters_explains_and_exports(app: Callable[[str], AppTest]) -> None:
    at = app("matches")
    total = int(metrics(at)["Synergies trouvées"])
    assert total > 0
    at.selectbox(key="m_family").set_value("water").run()
    water = int(metrics(at)["Synergies trouvées"])
    assert 0 < water < total
    at.number_input(key="m_max_km").set_value(0.5).run()
    assert int(metrics(at)["Synergies trouvées"]) < water
    at.selectbox(key="m_family").set_value(None)
    at.number_input(key="m_max_km").set_value(0.0).run()
    at.number_input(key="m_min_gain").set_value(1e7).run()
    rich = int(metrics(at)["Synergies trouvées"])
    assert 0 < rich < total
    assert len(at.get("download_button")) == 1
    assert "gain net" in at.code[0].value and "→" in at.code[0].value  # the French explanation
    gains = [parse_decimal(v) for v in at.dataframe[0].value["Gain net (€/an)"]]  # "12 345 678" in French
    assert min(gains) >= 1e7


def test_scenario_results_follow_the_carbon_price(app: Callable[[str], AppTest]) -> None:
    at = app("scenarios")
    assert {"sc_price", "sc_cap", "sc_km", "sc_limit"} <= {w.key for w in at.number_input}
    assert "€ économisés / an" not in metrics(at)
    at.text_input(key="sc_name").input("sans prix")
    at.button[0].click().run()
    free = metrics(at)
    assert {
        "€ économisés / an",
        "t CO2e évitées / an",
        "Tonnes détournées de l'élimination / an",
        "Matière vierge évitée / an",
    } <= free.keys()
    assert len(at.get("plotly_chart")) == 1  # the Sankey
    at.number_input(key="sc_price").set_value(500.0)
    at.text_input(key="sc_name").input("500 €/t")
    at.button[0].click().run()
    priced = metrics(at)
    assert priced["t CO2e évitées / an"] != free["t CO2e évitées / an"]
    assert priced["€ économisés / an"] != free["€ économisés / an"]
    # compare side by side: both saved scenarios, each column with its own figures
    assert {s.key for s in at.selectbox} >= {"sc_cmp0", "sc_cmp1"}
    assert len(at.metric) >= 4 + 2 * 5
    at.button(key="sc_pareto").click().run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2  # Sankey and Pareto front
    assert [b for b in at.get("download_button") if "Exporter le front" in b.proto.label]


def test_the_current_plan_lies_on_the_pareto_front_with_a_legend(kalundborg: Dataset, kb) -> None:  # noqa: ANN001
    """The plan at a carbon price is the cheapest plan at its own CO2: the front's line runs through
    its star (the sampled caps alone would draw chords above it, as the issue saw)."""
    import json

    from dashboard import charts, data
    from dashboard.scenario import Scenario, run_pareto, run_scenario
    from symbiosis.matching.service import MatchingService

    service = MatchingService(kalundborg, kb)
    scenario = Scenario(100.0)
    s = data.plan_summary(run_scenario(service, scenario))
    points = run_pareto(service, scenario, 6)
    here = (s.co2_t_per_yr, s.cost_eur_per_yr)
    fig = json.loads(charts.pareto_chart(points, "CO2", "€", here, "Front", "Plan actuel").to_json())
    front, star = fig["data"]
    assert (front["name"], star["name"]) == ("Front", "Plan actuel") and fig["layout"]["showlegend"]
    assert (star["x"], star["y"]) == ([here[0]], [here[1]])
    assert here in list(zip(front["x"], front["y"], strict=True))
    assert front["x"] == sorted(front["x"])
    # the plan is no cheaper than any sampled plan emitting no more than it (an independent check
    # that it belongs on the front)
    assert all(p.cost_eur_per_yr >= here[1] - 1e-6 * here[1] for p in points if p.co2_t_per_yr <= here[0])
    export = charts.pareto_frame(points, here)
    assert len(export) == len(points) + 1 and export["current_plan"].sum() == 1


def test_network_view_ranks_keystones_and_simulates_a_departure(app: Callable[[str], AppTest]) -> None:
    at = app("network")
    assert len(at.get("plotly_chart")) == 1
    keys = at.dataframe[0].value
    assert len(keys) > 2
    at.button(key="nw_run").click().run()
    m = metrics(at)
    assert int(m["Échanges perdus"]) > 0
    assert {
        "Économies perdues (€/an)",
        "Économies après ré-optimisation",
        "Récupéré par la ré-optimisation",
    } <= m.keys()


def test_synergy_page_lists_the_operating_exchanges(app: Callable[[str], AppTest]) -> None:
    at = app("synergies")
    assert metrics(at)["Échanges en fonctionnement"] == "18"
    assert len(at.dataframe[0].value) == 18


def test_declare_shows_errors_per_field_then_accepts_a_valid_declaration(
    app: Callable[[str], AppTest],
) -> None:
    at = app("declare")
    at.text_input(key="d_id").input("o_test")
    at.text_input(key="d_qty").input("-5")
    at.text_input(key="d_unit").input("kg/parsec")
    at.button[0].click().run()
    errors = [e.value for e in at.error]
    assert any("quantity" not in e and "-5" in e for e in errors)  # under the quantity field
    assert any("kg/parsec" in e for e in errors)
    assert any("2 champ(s)" in e for e in errors)
    at.text_input(key="d_qty").input("2")
    at.text_input(key="d_unit").input("t/day")
    at.button[0].click().run()
    assert not at.error
    assert "o_test" in at.success[0].value and "730,0\u00a0t" in at.success[0].value


def test_territories_without_sites_are_not_listed(
    tmp_path: Path, kalundborg: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a whole French EPCI loaded, 37 empty communes would bury the one holding the sites."""
    empty = [
        Territory(id=f"dk_empty_{n}", name=f"Empty {n}", level=TerritoryLevel.MUNICIPALITY, parent_id="dk")
        for n in range(3)
    ]
    with_empty = replace(kalundborg, territories=[*kalundborg.territories, *empty])
    folder = write_dataset(with_empty, tmp_path / "ds")
    monkeypatch.setenv(DATASET_ENV, str(folder))
    at = AppTest.from_file(str(REPO_DIR / "dashboard" / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception
    options = at.sidebar.selectbox(key="territory").options
    assert len(options) == len(kalundborg.territories) and not any("dk_empty" in o for o in options)
    assert any("3 territoires sans aucun site" in c.value for c in at.sidebar.caption)


def test_the_match_export_holds_no_formula_and_keeps_negative_numbers(
    app: Callable[[str], AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CSV the download button serves: a text cell a spreadsheet would run is quoted, a negative
    gain stays a number (the bytes are caught where Streamlit stores the file)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from dashboard import data

    served: dict[str, bytes] = {}
    store = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):  # noqa: ANN001, ANN202
        if filename and isinstance(path_or_data, bytes):
            served[filename] = path_or_data
        return store(self, path_or_data, mimetype, kind, filename)

    frame_of = data.candidates_frame

    def hostile(cands):  # noqa: ANN001, ANN202
        frame = frame_of(cands)
        frame.loc[0, "output_resource"] = '=HYPERLINK("http://evil.example")'
        frame.loc[0, "net_gain_eur_per_yr"] = -1234.5
        return frame

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    monkeypatch.setattr(data, "candidates_frame", hostile)
    app("matches")
    text = next(v for k, v in served.items() if k.startswith("matches_")).decode("utf-8")
    first = next(csv.DictReader(io.StringIO(text)))
    assert first["output_resource"] == '\'=HYPERLINK("http://evil.example")'
    assert first["net_gain_eur_per_yr"] == "-1234.5"
# -- sharing (issue 19) --
def test_sharing_page_shows_allocation_and_the_occupancy_heat_map(app: Callable[[str], AppTest]) -> None:
    at = app("sharing")
    m = metrics(at)
    assert m["Besoins servis"] == "15 / 21" and m["Occupation moyenne"] == "31% → 39%"
    pairs = at.dataframe[0].value
    hall = "votre besoin mar 19:00–22:00 ; jeu 19:00–22:00 convient"
    assert len(pairs) == 15 and any(hall in w for w in pairs["Explication"])
    at.selectbox(key="sh_asset").select(11).run()  # the parking: idle at night before, shared after
    spec = at.get("plotly_chart")[0].proto.spec
    assert '"type":"heatmap"' in spec.replace(" ", "")
    assert "Occupé 70 h sur 168 (42%) avant, 140 h (83%) après." in [c.value for c in at.caption]
    at.session_state["lang"] = "en"
    at.run()
    assert metrics(at)["Needs served"] == "15 / 21"
