"""Site water balance: in = out + losses per site and per month, reuse on site and across."""

from __future__ import annotations

import pytest

from symbiosis.domain.resource import WaterSource
from symbiosis.water.balance import monthly_site_balances, site_balances
from symbiosis.water.network_model import solve_network
from symbiosis.water.operations import FixedFlowOperation, FixedLoadOperation
from symbiosis.water.problem import Mode, WaterProblem
from symbiosis.water.sources import WaterSupply


def _two_sites() -> WaterProblem:
    ops = (
        FixedLoadOperation("wash", "a", "washer", {"c": 1}, {"c": 0}, {"c": 100}),
        FixedLoadOperation("tower", "a", "cooling tower", {"c": 2}, {"c": 50}, {"c": 250}, loss_m3_per_h=3.0),
        FixedFlowOperation("boiler", "b", "boiler feed", 6.0, 0.0, {"c": 20}, {}),
        FixedFlowOperation("rinse", "b", "rinse", 12.0, 10.0, {"c": 150}, {"c": 120}),
    )
    sources = (
        WaterSupply("well", "well at a", WaterSource.GROUND, 0.2, site_id="a", max_m3_per_h=15.0),
        WaterSupply("mains", "mains", WaterSource.MAINS, 1.8),
        WaterSupply("sea", "sea", WaterSource.SEA, 0.05, mg_per_l={"c": 400}),
    )
    return WaterProblem(ops, sources)


@pytest.mark.parametrize("across", [False, True])
def test_each_site_balances(across: bool) -> None:
    net = solve_network(_two_sites(), Mode.REUSE, across_sites=across, objective="cost")
    bal = site_balances(net)
    assert set(bal) == {"a", "b"}
    for b in bal.values():
        assert b.in_m3_per_h == pytest.approx(b.out_m3_per_h + b.losses_m3_per_h, abs=1e-7)
        assert b.released_m3_per_h == 0
    # the same totals counted straight from the arcs
    assert sum(sum(b.from_sources_m3_per_h.values()) for b in bal.values()) == pytest.approx(
        net.source_water_m3_per_h
    )
    fresh = sum(v for b in bal.values() for k, v in b.from_sources_m3_per_h.items() if k != "sea")
    assert fresh == pytest.approx(net.fresh_m3_per_h)
    assert sum(b.discharged_m3_per_h for b in bal.values()) == pytest.approx(net.wastewater_m3_per_h)
    assert bal["a"].losses_m3_per_h == pytest.approx(3.0) and bal["b"].losses_m3_per_h == pytest.approx(8.0)
    if not across:
        assert all(b.sent_m3_per_h == 0 and b.received_m3_per_h == 0 for b in bal.values())
    assert net.by_source_m3_per_h().get("well", 0.0) <= 15.0 + 1e-7


def test_months_add_up_to_the_year() -> None:
    p = _two_sites()
    net = solve_network(p, Mode.REUSE, objective="cost")
    rows = monthly_site_balances(p, Mode.REUSE, objective="cost")
    assert len(rows) == 24
    for site, b in site_balances(net).items():
        mine = [r for r in rows if r["site_id"] == site]
        assert sum(r["in_m3"] for r in mine) == pytest.approx(b.in_m3_per_h * 8760)
        for r in mine:
            assert r["in_m3"] == pytest.approx(r["out_m3"] + r["losses_m3"], abs=1e-6)
    feb = next(r for r in rows if r["site_id"] == "a" and r["month"] == "Feb")
    assert feb["in_m3"] == pytest.approx(site_balances(net)["a"].in_m3_per_h * 28 * 24)


def test_a_seasonal_operation_changes_the_months() -> None:
    """A washer working May–September only, a fifth of its year's water each month: by hand,
    1 kg/h at 100 ppm is 10 m³/h on average, so 0.2 × 87,600 m³ in each working month and none
    in winter; the rinse (2 m³/h in, 1.5 out) loses 0.5 m³/h all year; every month balances."""
    profile = (0, 0, 0, 0, 0.2, 0.2, 0.2, 0.2, 0.2, 0, 0, 0)
    wash = FixedLoadOperation("wash", "a", "washer", {"c": 1}, {"c": 0}, {"c": 100}, monthly_profile=profile)
    rinse = FixedFlowOperation("rinse", "b", "rinse", 2.0, 1.5, {"c": 150}, {"c": 120})
    p = WaterProblem((wash, rinse), (WaterSupply("mains", "mains", WaterSource.MAINS, 1.8),))
    rows = {(r["site_id"], r["month"]): r for r in monthly_site_balances(p, Mode.REUSE, objective="cost")}
    assert rows[("a", "Jan")]["fresh_m3"] == 0 and rows[("a", "Jan")]["in_m3"] == 0
    for month in ("May", "Jun", "Jul", "Aug", "Sep"):
        assert rows[("a", month)]["fresh_m3"] == pytest.approx(0.2 * 87_600)
    for r in rows.values():
        assert r["in_m3"] == pytest.approx(r["out_m3"] + r["losses_m3"], abs=1e-6)
    assert rows[("b", "Jan")]["losses_m3"] == pytest.approx(0.5 * 31 * 24)


def test_an_effluent_declared_alone_is_water_released() -> None:
    """Kalundborg's treatment plant gives off 6 Mm³/yr it takes from no source of the network:
    released, and its site still balances."""
    from pathlib import Path

    from symbiosis.water.dataset_files import read_water_problem

    p = read_water_problem(Path(__file__).resolve().parents[2] / "datasets" / "kalundborg")
    bal = site_balances(solve_network(p, Mode.REUSE, objective="cost"))
    assert bal["forsyning_wwtp"].released_m3_per_h == pytest.approx(6e6 / 8760)
    for b in bal.values():
        assert b.in_m3_per_h == pytest.approx(b.out_m3_per_h + b.losses_m3_per_h, abs=1e-6)
