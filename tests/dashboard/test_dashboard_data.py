"""Data shaping for the pages, on Kalundborg and on hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts, data
from dashboard.scenario import Scenario, run_scenario
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.service import MatchingService
from symbiosis.optimizer import ExchangePlan


@pytest.fixture(scope="module")
def solved(kalundborg: Dataset, kb: KnowledgeBase) -> tuple[MatchingService, ExchangePlan]:
    service = MatchingService(kalundborg, kb)
    return service, run_scenario(service, Scenario())


def test_sector_of_walks_up_to_the_nace_section(kb: KnowledgeBase) -> None:
    assert data.sector_of("35.12", kb)[0] == "D"
    assert data.sector_of("19.20", kb)[0] == "C"
    assert data.sector_of("D", kb)[0] == "D"
    assert data.sector_of(None, kb) == (data.UNKNOWN_SECTOR, "")


def test_sites_frame_has_one_coloured_row_per_site(kalundborg: Dataset, kb: KnowledgeBase) -> None:
    sites = data.sites_frame(kalundborg, kb)
    assert len(sites) == len(kalundborg.sites) == 14
    asnaes = sites.set_index("site_id").loc["asnaes"]
    assert asnaes["sector"] == "D" and asnaes["colour"] == list(data.sector_colour("D"))
    assert sites["n_outputs"].sum() == len(kalundborg.outputs)


def test_territory_kpis_count_the_dataset(kalundborg: Dataset, solved: tuple) -> None:
    _, plan = solved
    k = data.territory_kpis(kalundborg, 31, plan)
    assert (k.n_sites, k.n_firms, k.n_outputs, k.n_inputs, k.n_known_exchanges) == (14, 12, 20, 18, 18)
    assert k.savings_eur_per_yr == pytest.approx(plan.totals.savings_eur_per_yr)
    assert k.outputs_per_yr["t"] == pytest.approx(
        sum(d.quantity_per_yr for d in kalundborg.outputs if d.unit == "t")
    )


def test_link_savings_add_up_to_the_plan_savings(solved: tuple) -> None:
    service, plan = solved
    links = data.link_savings_frame(plan, service.candidates(explain=False))
    assert len(links) == len(plan.links) > 0
    assert links["savings_eur_per_yr"].sum() == pytest.approx(plan.totals.savings_eur_per_yr, rel=1e-6)
    assert links["co2_avoided_t_per_yr"].sum() == pytest.approx(plan.totals.co2_avoided_t_per_yr, rel=1e-6)


def test_plan_summary_splits_tonnes_from_other_units(solved: tuple) -> None:
    _, plan = solved
    s = data.plan_summary(plan)
    assert s.diverted_t_per_yr == plan.totals.diverted_from_disposal_per_yr["t"]
    assert "t" not in s.diverted_other and set(s.diverted_other) <= {"m3", "MWh"}
    assert s.n_links == len(plan.links)


def test_arcs_join_site_positions(kalundborg: Dataset, kb: KnowledgeBase, solved: tuple) -> None:
    service, _ = solved
    sites = data.sites_frame(kalundborg, kb)
    arcs = data.arcs_frame(data.candidates_frame(service.candidates(explain=False)), sites)
    assert len(arcs) == service.count()
    first = arcs.iloc[0]
    pos = sites.set_index("site_id")
    assert (first["from_lon"], first["from_lat"]) == (
        pos.loc[first["giver"], "lon"],
        pos.loc[first["giver"], "lat"],
    )


def test_paging_clamps_and_covers_every_row() -> None:
    frame = pd.DataFrame({"x": range(1001)})
    assert data.n_pages(len(frame), 200) == 6
    assert data.page_of(frame, 6, 200)["x"].tolist() == [1000]
    assert data.page_of(frame, 99, 200)["x"].tolist() == [1000]
    assert data.page_of(frame, 0, 200)["x"].tolist() == list(range(200))
    assert data.n_pages(0, 200) == 1


def test_large_territories_get_an_aggregated_map() -> None:
    n = charts.AGGREGATE_ABOVE_SITES + 1
    sites = pd.DataFrame(
        {
            "lon": [2.0] * n,
            "lat": [46.0] * n,
            "colour": [[0, 0, 0]] * n,
            "site": "s",
            "firm": "f",
            "sector": "C",
        }
    )
    empty = data.arcs_frame(data.candidates_frame([]), sites)
    big, small = charts.site_map(sites, empty, empty), charts.site_map(sites.head(10), empty, empty)
    assert [layer.type for layer in big.layers] == ["GeoJsonLayer", "HexagonLayer"]  # outlines, then sites
    assert [layer.type for layer in small.layers] == ["GeoJsonLayer", "ScatterplotLayer"]


def test_binned_sites_keep_every_site_counted() -> None:
    sites = pd.DataFrame({"lon": [2.001, 2.002, 2.5, -0.001], "lat": [46.001, 46.003, 46.0, 46.0]})
    bins = data.binned_sites(sites, cell_deg=0.02)
    assert bins["n"].sum() == 4 and len(bins) == 3
    assert sorted(bins["n"].tolist()) == [1, 1, 2]
