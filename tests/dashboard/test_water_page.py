"""The water page (issue 17) through Streamlit's AppTest and its data module on its own: Wang &
Smith's (1994) published targets and the hand-drawn composite curve on screen, Kalundborg's
network with names, the territory cut, the site balances closing, and both languages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import water
from dashboard.sources import DataSource, SourceKind
from symbiosis import DATASETS_DIR
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.resource import WaterSource
from symbiosis.units import parse_decimal
from symbiosis.water.dataset_files import read_water_problem
from symbiosis.water.operations import FixedLoadOperation
from symbiosis.water.problem import WaterProblem
from symbiosis.water.sources import WaterSupply

WANG_SMITH = str((DATASETS_DIR / "wang_smith_1994").resolve())
KALUNDBORG = DATASETS_DIR / "kalundborg"


def _water(app: Callable[[str], AppTest]) -> AppTest:
    at = app("water")
    assert at.title[0].value.startswith("Réseau d'eau")
    return at


def test_kalundborg_water_page_shows_targets_network_and_balance_by_name(
    app: Callable[[str], AppTest],
) -> None:
    at = _water(app)
    assert not at.error, [e.value for e in at.error]
    targets = at.dataframe[0].value
    assert list(targets["Cas"]) == [
        "Sans réutilisation",
        "Réutilisation sur chaque site",
        "Réutilisation entre sites",
    ]
    fresh = [parse_decimal(v) for v in targets["Eau douce (m³/h)"]]
    assert fresh[0] >= fresh[1] >= fresh[2] > 0  # more pipes never need more fresh water
    # no fixed-load operation in Kalundborg: the page says why there is no curve
    assert any("Pas de courbe composite" in i.value for i in at.info)
    flows = at.dataframe[1].value
    shown = " ".join(flows["De"]) + " ".join(flows["Vers"])
    assert "Fish farm (flow-through tanks)" in shown and "Rejet" in shown
    assert "wo_fish_farm" not in shown and "asnaes" not in shown.split()  # names, not ids
    balance = at.dataframe[2].value
    assert "Eau de mer" in set(balance["Poste"]) and "asnaes" not in set(balance["Site"])
    m = {x.label: x.value for x in at.metric}
    before, after = (
        parse_decimal(m["Eau douce sans réutilisation"][:-5]),
        parse_decimal(m["Eau douce du plan"][:-5]),
    )
    assert after < before
    assert parse_decimal(m["Eau douce économisée (m³/an)"]) == pytest.approx(
        (before - after) * 8760, rel=1e-3
    )


def test_wang_smith_example_gives_the_published_targets_and_the_hand_drawn_curve(
    app: Callable[[str], AppTest],
) -> None:
    at = _water(app)
    box = at.selectbox(key="wa_tables")
    assert box.options[0].endswith("territoire choisi") and any("Wang & Smith" in o for o in box.options)
    box.set_value(WANG_SMITH).run()
    assert not at.exception and not at.error
    targets = at.dataframe[0].value
    # Wang & Smith (1994): 112.5 t/h without reuse, 90 t/h with reuse; 20 t/h regenerating to 5 ppm
    assert list(targets["Eau douce (m³/h)"]) == ["112,50", "90,00", "90,00", "20,00"]
    assert targets["Cas"].iloc[3] == "Réutilisation et régénération entre sites"
    m = {x.label: x.value for x in at.metric}
    assert (m["Eau douce sans réutilisation"], m["Eau douce du plan"]) == ("112,50 m³/h", "20,00 m³/h")
    assert m["Eau douce économisée (m³/an)"] == "810\u202f300"  # (112.5 − 20) × 8,760 h
    chart = at.get("plotly_chart")
    assert len(chart) == 1
    spec = json.loads(chart[0].proto.spec)
    curve, line = spec["data"]
    # drawn by hand from Table 1: 0–50 ppm op1 (20 t/h) 1 kg/h; 50–100 ops 1-3 (160 t/h) 8 kg/h;
    # 100–400 op3 (40 t/h) 12 kg/h; 400–800 ops 3-4 (50 t/h) 20 kg/h
    assert curve["x"] == pytest.approx([0, 1, 9, 21, 41]) and curve["y"] == pytest.approx(
        [0, 50, 100, 400, 800]
    )
    assert line["x"] == pytest.approx([0, 41]) and line["y"] == pytest.approx([0, 41_000 / 90])
    at.selectbox(key="wa_case").set_value("t3").run()
    flows = at.dataframe[1].value
    assert "Regeneration to 5 ppm" in set(flows["De"]) | set(flows["Vers"])
    into_discharge = sum(
        parse_decimal(v) for v, to in zip(flows["Débit (m³/h)"], flows["Vers"], strict=True) if to == "Rejet"
    )
    assert into_discharge == pytest.approx(20.0, abs=0.02)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value.startswith("Water network")
    assert list(at.dataframe[0].value["Case"])[0] == "No reuse"
    assert list(at.dataframe[0].value["Fresh water (m³/h)"]) == ["112.50", "90.00", "90.00", "20.00"]


def test_the_territory_cut_keeps_only_its_sites(app: Callable[[str], AppTest]) -> None:
    at = _water(app)
    at.sidebar.selectbox(key="territory").set_value("kalundborg_symbiosis").run()
    assert len(at.dataframe) == 3  # every water operation is in the industrial park
    at.sidebar.selectbox(key="territory").set_value("dk_aalborg").run()
    assert not at.exception
    assert any("Aucune opération consommatrice d'eau" in i.value for i in at.info)
    assert len(at.dataframe) == 0


# the data module on its own -------------------------------------------------------------------


def _op(ident: str, site: str) -> FixedLoadOperation:
    return FixedLoadOperation(ident, site, ident, {"c": 1.0}, {"c": 0.0}, {"c": 100.0})


def test_restricted_keeps_the_sites_operations_and_the_sources_they_may_draw_from() -> None:
    p = WaterProblem(
        (_op("a", "s1"), _op("b", "s2")),
        (
            WaterSupply("open", "open", WaterSource.MAINS, 1.0, 0.0, None, None, {}),
            WaterSupply("own2", "own2", WaterSource.GROUND, 1.0, 0.0, None, "s2", {}),
        ),
    )
    cut = water.restricted(p, {"s1"})
    assert cut is not None
    assert [o.id for o in cut.operations] == ["a"] and [s.id for s in cut.supplies] == ["open"]
    both = water.restricted(p, {"s1", "s2"})
    assert both is not None and [s.id for s in both.supplies] == ["open", "own2"]
    assert water.restricted(p, {"elsewhere"}) is None


def test_water_tables_choices_offer_the_own_folder_first_and_only_when_it_has_water_tables(
    tmp_path: Path,
) -> None:
    examples = water.water_tables_choices(DataSource(SourceKind.GRAPH))
    assert examples and not any(c.territory for c in examples)
    assert {Path(c.folder).name for c in examples} == {"kalundborg", "wang_smith_1994"}
    own = water.water_tables_choices(DataSource(SourceKind.FOLDER, str(KALUNDBORG)))
    assert own[0].territory and own[0].title == "Kalundborg Symbiosis (Denmark)"
    assert [Path(c.folder).name for c in own] == ["kalundborg", "wang_smith_1994"]  # not listed twice
    assert not any(
        c.territory for c in water.water_tables_choices(DataSource(SourceKind.FOLDER, str(tmp_path)))
    )


def test_every_site_balance_shown_closes_before_and_after() -> None:
    """sources + received + released = sent + discharged + losses, per site, on both networks."""
    from symbiosis.dataset_io import read_dataset
    from symbiosis.knowledge import load_knowledge_base

    ds = read_dataset(KALUNDBORG, load_knowledge_base())
    results = water.compute(read_water_problem(KALUNDBORG, {s.id for s in ds.sites}), 100.0)
    rows = water.balance_rows(results.before, results.after)
    ins = ("type_ground", "type_surface", "type_mains", "type_sea", "received", "released")
    outs = ("sent", "discharged", "losses")
    for side in (2, 3):
        totals: dict[str, float] = {}
        for row in rows:
            sign = 1 if row[1] in ins else -1 if row[1] in outs else 0
            totals[row[0]] = totals.get(row[0], 0.0) + sign * row[side]
        assert totals and all(abs(v) < 1e-6 for v in totals.values()), totals
    flows = water.flows_frame(results.after, {}, "fr")
    discharged = sum(
        parse_decimal(v) for v, to in zip(flows["Débit (m³/h)"], flows["Vers"], strict=True) if to == "Rejet"
    )
    assert discharged == pytest.approx(results.after.wastewater_m3_per_h, abs=0.01 * len(flows))


def test_the_water_page_is_french_and_english_when_switched(
    app: Callable[[str], AppTest], kalundborg: Dataset
) -> None:
    """No English word on the French page once the dataset's proper names (firms, sites, water
    operations and sources, the examples' titles) are set aside; the English page has some, so
    the check can fail."""
    from test_dashboard_scope import page_text
    from test_french_everywhere import english_words

    problem = read_water_problem(KALUNDBORG, {s.id for s in kalundborg.sites})
    names = (
        [f.name for f in kalundborg.firms]
        + [s.name for s in kalundborg.sites]
        + [t.name for t in kalundborg.territories]
        + [o.name for o in problem.operations]
        + [s.name for s in problem.supplies]
        + [c.title for c in water.water_tables_choices(DataSource(SourceKind.FOLDER, str(KALUNDBORG)))]
    )
    at = _water(app)
    assert english_words(page_text(at), names) == []
    at.sidebar.radio(key="lang").set_value("en").run()
    assert english_words(page_text(at), names) != []


def test_a_small_flow_is_shown_by_name_with_its_hand_computed_rate() -> None:
    """One operation picking up 0.05 kg/h between 0 and 100 mg/L needs 0.5 m³/h (0.05 kg/h ÷
    100 g/m³): the network lists the source feeding it and its effluent discharged, both 0,50."""
    p = WaterProblem(
        (FixedLoadOperation("rinse", "s1", "Rinse", {"c": 0.05}, {"c": 0.0}, {"c": 100.0}),),
        (WaterSupply("well", "Well", WaterSource.GROUND, 0.1, 0.0, None, None, {}),),
    )
    results = water.compute(p, 100.0)
    flows = water.flows_frame(results.after, {"s1": "Site one"}, "fr")
    assert sorted(zip(flows["De"], flows["Vers"], flows["Débit (m³/h)"], strict=True)) == [
        ("Rinse — Site one", "Rejet", "0,50"),
        ("Well (Eau souterraine)", "Rinse — Site one", "0,50"),
    ]
    assert list(water.flows_frame(results.after, {}, "en")["Flow (m³/h)"]) == ["0.50", "0.50"]


@pytest.mark.graph
def test_on_the_graph_store_roles_decide_and_the_examples_are_offered(
    graph_app: Callable[..., AppTest],
) -> None:
    """The store holds no water tables: an agency is offered the shipped examples (and computes
    Wang & Smith's); a company account is refused, as on the Network page; signed out, sign in."""
    at = graph_app("water")
    assert not at.dataframe and not any("Réseau d'eau" in t.value for t in at.title)
    company = graph_app("water", as_user="company", territory="kalundborg_symbiosis")
    assert any("pas ouverte" in w.value for w in company.warning) and not company.dataframe
    agency = graph_app("water", as_user="agency", territory="kalundborg_symbiosis")
    assert any("base graphe ne contient pas les tables eau" in c.value for c in agency.caption)
    assert not any(o.endswith("territoire choisi") for o in agency.selectbox(key="wa_tables").options)
    agency.selectbox(key="wa_tables").set_value(WANG_SMITH).run()
    assert list(agency.dataframe[0].value["Eau douce (m³/h)"]) == ["112,50", "90,00", "90,00", "20,00"]
