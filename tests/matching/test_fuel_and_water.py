"""Burnt by-products carry their combustion CO2; water saved counts only fresh water not abstracted.

Figures are worked out by hand from kb_builder's parameters (issue 15, items 5 and 6).
"""

from __future__ import annotations

import pytest

from symbiosis.errors import InvalidInput
from symbiosis.matching import MatchingService
from symbiosis.optimizer.results import LinkFlow, water_abstraction_balance

from .kb_builder import Builder, make_kb


def test_refinery_gas_burnt_instead_of_natural_gas_is_charged_its_combustion() -> None:
    b = Builder()
    b.out("o-gas", b.site("refinery"), "refinery_gas", 60_000, "MWh/yr")
    b.inp("i-gas", b.site("board", km_north=5.0), "natural_gas", 100_000, "MWh/yr")
    (c,) = MatchingService(b.dataset(), make_kb()).candidates()
    q = 60_000.0
    pipe_km = 5.0 * 1.2
    flared = 207.36 * q / 1000  # avoided flaring at the giver: 12,441.6 t
    gas = 235.43 * q / 1000  # natural gas no longer bought and burnt: 14,125.8 t
    burnt = 207.36 * q / 1000  # the refinery gas now burnt at the receiver: 12,441.6 t
    transport = 0.002 * pipe_km * q / 1000  # 0.72 t
    pre = 1.0 * q / 1000  # desulphurisation, 60 t
    assert c.combustion_co2_kg_per_unit == pytest.approx(207.36)
    assert c.combustion_co2_t_per_yr == pytest.approx(12_441.6)
    assert c.co2_avoided_t_per_yr == pytest.approx(flared + gas - transport - pre - burnt)
    assert c.co2_avoided_t_per_yr == pytest.approx(14_065.08)
    # the optimiser multiplies the flow by this: transport + pre-treatment + combustion
    assert c.variable_co2_kg_per_unit == pytest.approx(0.002 * pipe_km + 1.0 + 207.36)
    assert "burnt at the receiver 12,442" in c.explanation


def test_a_fuel_for_itself_is_charged_too_and_a_non_fuel_is_not() -> None:
    b = Builder()
    b.out("o-ng", b.site("a"), "natural_gas", 1000, "MWh/yr")
    b.inp("i-ng", b.site("b", km_north=1.0), "natural_gas", 1000, "MWh/yr")
    b.out("o-ash", b.site("c"), "fly_ash", 1000, "t/yr")
    b.inp("i-clk", b.site("d", km_north=1.0), "clinker", 1000, "t/yr")
    by_id = {c.output_id: c for c in MatchingService(b.dataset(), make_kb()).candidates()}
    assert by_id["o-ng"].combustion_co2_t_per_yr == pytest.approx(201.96)
    assert by_id["o-ash"].combustion_co2_t_per_yr == 0.0


def _water(out_resource: str, in_resource: str, km: float = 5.0, **out_kw: object) -> MatchingService:
    b = Builder()
    b.out("o-w", b.site("giver"), out_resource, 1_000_000, "m3/yr", **out_kw)
    b.inp("i-w", b.site("taker", km_north=km), in_resource, 1_000_000, "m3/yr")
    return MatchingService(b.dataset(), make_kb())


def test_reused_water_saves_the_receivers_fresh_mains_water() -> None:
    (c,) = _water("process_water", "process_water").candidates()
    df = 1.0 - 0.001 * 6.0  # loss 0.001 per pipe km over 6 km
    assert c.water_abstraction_m3_per_unit == pytest.approx({"mains": -df})
    assert c.exchangeable_qty_per_yr == pytest.approx(1_000_000.0)
    assert c.fresh_water_saved_m3_per_yr == pytest.approx(994_000.0)


def test_lake_water_instead_of_mains_is_a_change_of_source_not_a_saving() -> None:
    (c,) = _water("lake_water", "process_water").candidates()
    df = 1.0 - 0.006
    assert c.water_abstraction_m3_per_unit == pytest.approx({"mains": -df, "surface": 1.0})
    # 1,000,000 m3 more taken from the lake, 994,000 m3 less from mains: 6,000 m3 more fresh water
    assert c.fresh_water_saved_m3_per_yr == pytest.approx(-6_000.0)
    assert c.avoided_disposal_eur_per_yr == 0.0 and c.avoided_disposal_co2_t_per_yr == 0.0
    assert "surface +1,000,000" in c.explanation and "mains -994,000" in c.explanation


def test_warm_water_to_a_fish_farm_saves_no_fresh_water() -> None:
    (c,) = _water("warm_water", "warm_water").candidates()
    assert c.water_abstraction_m3_per_unit == pytest.approx({"sea": -0.994})
    assert c.fresh_water_saved_m3_per_yr == 0.0


def test_lake_water_declared_with_a_disposal_cost_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        _water("lake_water", "process_water", disposal_cost_eur_per_unit=2.0)
    text = str(err.value)
    assert "output o-w" in text and "disposal_cost_eur_per_unit" in text and "no disposal credit" in text
    # zero is what it is: accepted
    assert len(_water("lake_water", "process_water", disposal_cost_eur_per_unit=0.0).candidates()) == 1


def test_plan_water_balance_sums_links_by_source() -> None:
    b = Builder()
    b.out("o-lake", b.site("intake"), "lake_water", 1_000_000, "m3/yr")
    b.out("o-used", b.site("plant"), "process_water", 500_000, "m3/yr")
    b.out("o-warm", b.site("power"), "warm_water", 300_000, "m3/yr")
    b.inp("i-proc", b.site("mill", km_north=5.0), "process_water", 2_000_000, "m3/yr")
    b.inp("i-fish", b.site("fish", km_north=5.0, lon=11.05), "warm_water", 300_000, "m3/yr")
    cands = MatchingService(b.dataset(), make_kb()).candidates()
    flows = {
        ("o-lake", "i-proc"): 400_000.0,
        ("o-used", "i-proc"): 500_000.0,
        ("o-warm", "i-fish"): 300_000.0,
    }
    links = [
        LinkFlow(f"{o}->{i}", o, i, "g", "r", "m3", "m3", [q], q, q, True, 0.0, 0.0)
        for (o, i), q in flows.items()
    ]
    assert {(c.output_id, c.input_id) for c in cands} >= set(flows)
    kpi = water_abstraction_balance(links, cands)
    df = {c.output_id + c.input_id: c.delivery_factor for c in cands}
    mains = -400_000 * df["o-lakei-proc"] - 500_000 * df["o-usedi-proc"]
    sea = -300_000 * df["o-warmi-fish"]
    assert kpi["abstraction_change_m3_per_yr"] == pytest.approx(
        {"mains": mains, "surface": 400_000, "sea": sea}
    )
    assert kpi["fresh_water_saved_m3_per_yr"] == pytest.approx(-mains - 400_000)
