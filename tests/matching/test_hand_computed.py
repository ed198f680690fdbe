"""Exact cases worked out by hand from the test's own knowledge-base parameters (kb_builder)."""

from __future__ import annotations

import math

import pytest

from symbiosis.domain import ResourceFamily
from symbiosis.matching import CandidateQuery, MatchingService, MatchOptions
from symbiosis.matching.geo import great_circle_km

from .kb_builder import HEAT_PIPE, Builder, make_kb

SUMMER = "0;0;0;0;1;1;1;1;1;0;0;0"
WINTER = "1;1;1;0;0;0;0;0;0;0;1;1"


def test_fgd_gypsum_12_km_by_truck() -> None:
    b = Builder()
    b.out("o-fgd", b.site("power"), "fgd_gypsum", 150_000, "t/yr", purity_pct=96.0, moisture_pct=9.0)
    b.inp("i-gyp", b.site("gyproc", km_north=12.0), "natural_gypsum", 200_000, "t/yr")
    svc = MatchingService(b.dataset(), make_kb())
    (c,) = svc.candidates()

    assert great_circle_km(55.0, 11.0, 55.0 + 12.0 / (6371.0088 * math.pi / 180), 11.0) == pytest.approx(12.0)
    road_km = 12.0 * 1.3  # detour factor
    per_t = 0.10 * road_km + 5.0  # €/t·km on road km + handling
    q = 150_000.0  # the giver's whole output fits the receiver's 200,000 t
    transport = per_t * q  # 984,000 €/yr
    avoided_disposal = 20.0 * q  # 3,000,000
    avoided_supply = 15.0 * q * 1.0  # ratio 1
    assert c.rule_id == "fgd-for-gypsum"
    assert c.distance_km == pytest.approx(12.0, rel=1e-9)
    assert c.route_km == pytest.approx(15.6, rel=1e-9)
    assert c.exchangeable_qty_per_yr == pytest.approx(q)
    assert c.variable_cost_eur_per_unit == pytest.approx(6.56)
    assert c.transport_cost_eur_per_yr == pytest.approx(984_000.0)
    assert c.net_gain_eur_per_yr == pytest.approx(avoided_disposal + avoided_supply - transport)  # 4,266,000
    assert c.net_gain_eur_per_yr == pytest.approx(4_266_000.0)
    co2_transport_t = 0.1 * road_km * q / 1000  # 234 t
    co2_avoided = 10.0 * q / 1000 + 120.0 * q / 1000 - co2_transport_t
    assert c.transport_co2_t_per_yr == pytest.approx(234.0)
    assert c.co2_avoided_t_per_yr == pytest.approx(co2_avoided)
    assert c.co2_avoided_t_per_yr == pytest.approx(19_266.0)
    assert c.fixed_cost_eur_per_yr == 0.0 and c.delivery_factor == 1.0
    assert "purity 96 %, needs ≥ 90 %" in c.explanation
    assert "moisture 9 %, accepts ≤ 12 %" in c.explanation
    assert "net gain 4,266,000 €/yr" in c.explanation
    assert svc.unmatched == []


def _heat(
    b: Builder,
    out_temp: float,
    need_temp: float,
    km: float,
    out_profile: str | None = None,
    in_profile: str | None = None,
) -> None:
    kw_o = {"monthly_profile": out_profile} if out_profile else {}
    kw_i = {"monthly_profile": in_profile} if in_profile else {}
    b.out("o-heat", b.site("plant"), "hot_water", 10_000, "MWh/yr", temperature_c=out_temp, **kw_o)
    b.inp(
        "i-heat",
        b.site("town", km_north=km),
        "hot_water",
        5_000,
        "MWh/yr",
        min_temperature_c=need_temp,
        **kw_i,
    )


def test_heat_too_cold_is_a_near_miss_with_its_message() -> None:
    b = Builder()
    _heat(b, out_temp=55.0, need_temp=70.0, km=5.0)
    svc = MatchingService(b.dataset(), make_kb(), MatchOptions(keep_near_misses=True))
    assert svc.candidates() == []
    (miss,) = svc.candidates(CandidateQuery(near_misses=True))
    assert not miss.viable
    temp = next(c for c in miss.checks if c.name == "temperature")
    assert not temp.held and temp.detail == "temperature 55 °C, needs ≥ 70 °C"
    assert "✗ temperature 55 °C, needs ≥ 70 °C" in svc.explain("o-heat", "i-heat").explanation
    reasons = {u.declaration_id: u.reason for u in svc.unmatched}
    assert reasons["o-heat"] == "1 partner(s) within reach, none viable: too cold"


def test_months_not_overlapping() -> None:
    b = Builder()
    _heat(b, 90.0, 70.0, km=5.0, out_profile=SUMMER, in_profile=WINTER)
    svc = MatchingService(b.dataset(), make_kb())
    assert svc.candidates() == []
    c = svc.explain("o-heat", "i-heat")
    timing = next(ch for ch in c.checks if ch.name == "timing")
    assert not timing.held
    assert timing.detail == (
        "no month in common: giver has it May, Jun, Jul, Aug, Sep, receiver needs it Jan, Feb, Mar, Nov, Dec"
    )
    assert "no month in common" in {u.declaration_id: u.reason for u in svc.unmatched}["i-heat"]


def test_partial_overlap_is_bounded_month_by_month() -> None:
    b = Builder()
    # output flat 1,200 MWh/yr = 100/month; input May–Sep, 5 months × 40 = 200 MWh/yr
    b.out("o", b.site("a"), "hot_water", 1200, "MWh/yr", temperature_c=90.0)
    b.inp("i", b.site("b", km_north=1.0), "hot_water", 200, "MWh/yr", monthly_profile=SUMMER)
    (c,) = MatchingService(b.dataset(), make_kb()).candidates()
    df = 1.0 - 0.01 * 1.2  # loss over 1.2 pipe km
    assert c.delivery_factor == pytest.approx(df)
    expected = [0.0] * 4 + [40.0 / df] * 5 + [0.0] * 3  # output sent to deliver 40 MWh/month
    assert list(c.monthly_qty) == pytest.approx(expected)
    assert c.exchangeable_qty_per_yr == pytest.approx(200.0 / df)


def test_too_far() -> None:
    b = Builder()
    _heat(b, 90.0, 70.0, km=48.0)
    svc = MatchingService(b.dataset(), make_kb())
    assert svc.candidates() == []
    dist = next(ch for ch in svc.explain("o-heat", "i-heat").checks if ch.name == "distance")
    assert not dist.held and dist.detail == "too far: 48 km, reach 20 km for heat"
    assert {u.declaration_id: u.reason for u in svc.unmatched}["o-heat"] == (
        "no partner within reach: nearest is 48.0 km away, reach 20 km for heat"
    )
    # the family's reach can be overridden by an option
    wide = MatchingService(b.dataset(), make_kb(), MatchOptions(reach_km={ResourceFamily.HEAT: 50.0}))
    assert len(wide.candidates()) == 1


def test_substitution_ratio_and_share_cap() -> None:
    b = Builder()
    b.out("o-ash", b.site("power"), "fly_ash", 10_000, "t/yr")
    b.inp("i-clk", b.site("cement", km_north=50.0), "clinker", 20_000, "t/yr")
    (c,) = MatchingService(b.dataset(), make_kb()).candidates()
    # 1 t ash replaces 0.8 t clinker; ash may cover at most 30 % of the 20,000 t need = 6,000 t clinker
    sent = 20_000 * 0.3 / 0.8  # 7,500 t of ash
    assert c.ratio == 0.8 and c.delivery_factor == pytest.approx(0.8) and c.max_share_of_input == 0.3
    assert c.exchangeable_qty_per_yr == pytest.approx(sent)
    assert c.avoided_supply_eur_per_yr == pytest.approx(sent * 0.8 * 60.0)  # 360,000
    assert c.avoided_disposal_eur_per_yr == pytest.approx(sent * 30.0)  # 225,000
    transport = sent * (0.10 * 50.0 * 1.3 + 5.0)  # 86,250
    pre = sent * 2.0
    assert c.transport_cost_eur_per_yr == pytest.approx(transport)
    assert c.pretreatment_cost_eur_per_yr == pytest.approx(pre)
    assert c.net_gain_eur_per_yr == pytest.approx(360_000 + 225_000 - 86_250 - 15_000)
    assert c.variable_cost_eur_per_unit == pytest.approx(0.10 * 65.0 + 5.0 + 2.0)  # transport + pre-treatment
    co2 = sent * 5.0 / 1000 + sent * 0.8 * 800.0 / 1000 - sent * 0.1 * 65.0 / 1000 - sent * 1.5 / 1000
    assert c.co2_avoided_t_per_yr == pytest.approx(co2)


def test_pipeline_fixed_cost_via_crf() -> None:
    b = Builder()
    _heat(b, 90.0, 70.0, km=10.0)
    (c,) = MatchingService(b.dataset(), make_kb()).candidates()
    route = 10.0 * 1.2
    r, n = 0.05, 30
    crf = r * (1 + r) ** n / ((1 + r) ** n - 1)  # 0.065051...
    assert HEAT_PIPE.capital_recovery_factor == pytest.approx(crf)
    fixed = 1000.0 * 1000.0 * route * (crf + 0.02)  # capex €/m × m × (CRF + upkeep)
    assert c.fixed_cost_eur_per_yr == pytest.approx(fixed)
    assert c.fixed_cost_eur_per_yr == pytest.approx(1_020_617.22, rel=1e-8)
    df = 1.0 - 0.01 * route
    assert c.delivery_factor == pytest.approx(0.88)
    q = 5_000 / df  # output sent so that 5,000 MWh arrive
    assert c.exchangeable_qty_per_yr == pytest.approx(q)
    assert c.transport_cost_eur_per_yr == pytest.approx(0.05 * route * q + fixed)
    assert c.net_gain_eur_per_yr == pytest.approx(5_000 * 40.0 - 0.05 * route * q - fixed)
    assert c.transport_mode == "pipeline"


def test_water_above_limit_needs_dilution_other_families_do_not_match() -> None:
    b = Builder()
    b.out("o-w", b.site("dairy"), "process_water", 300_000, "m3/yr", contaminants_mg_per_l={"cod": 300.0})
    b.inp(
        "i-w",
        b.site("paper", km_north=3.0),
        "process_water",
        600_000,
        "m3/yr",
        max_contaminants_mg_per_l={"cod": 100.0},
    )
    b.out("o-s", b.site("wwtp", km_north=1.0), "sludge", 1_000, "t/yr", contaminants_mg_per_l={"cd": 5.0})
    b.inp("i-s", b.site("farm", km_north=2.0), "sludge", 1_000, "t/yr", max_contaminants_mg_per_l={"cd": 2.0})
    svc = MatchingService(b.dataset(), make_kb())
    (c,) = svc.candidates()
    assert c.output_id == "o-w" and c.needs_dilution
    assert c.max_share_of_input == pytest.approx(1 / 3)  # 100 / 300 mg/l: at most a third of the intake
    assert c.exchangeable_qty_per_yr == pytest.approx(200_000 / (1 - 0.001 * 3.6))
    assert "cod 300 mg/l above the limit 100 mg/l: usable only blended" in c.explanation
    miss = svc.explain("o-s", "i-s")
    assert not miss.viable
    assert next(ch for ch in miss.checks if ch.name == "contaminant:cd").detail == "cd 5 mg/l, limit 2 mg/l"


def test_max_temperature_for_cooling_water() -> None:
    b = Builder()
    b.out("o", b.site("a"), "process_water", 1000, "m3/yr", temperature_c=35.0)
    b.inp("i", b.site("b", km_north=1.0), "process_water", 1000, "m3/yr", max_temperature_c=25.0)
    svc = MatchingService(b.dataset(), make_kb())
    assert svc.candidates() == []
    assert "temperature 35 °C, accepts ≤ 25 °C" in svc.explain("o", "i").explanation


def test_unrelated_resources_explained() -> None:
    b = Builder()
    b.out("o", b.site("a"), "fly_ash", 1000, "t/yr")
    b.inp("i", b.site("b", km_north=1.0), "natural_gypsum", 1000, "t/yr")
    svc = MatchingService(b.dataset(), make_kb())
    c = svc.explain("o", "i")
    assert not c.viable and c.checks[0].detail == "no substitution rule lets fly_ash replace natural_gypsum"
    reasons = {u.declaration_id: u.reason for u in svc.unmatched}
    assert reasons == {
        "o": "no input needs fly_ash or a resource it can substitute for, in this dataset",
        "i": "no output offers natural_gypsum or a resource it can substitute for, in this dataset",
    }


def test_same_site_never_pairs() -> None:
    b = Builder()
    s = b.site("a")
    b.out("o", s, "fgd_gypsum", 100, "t/yr", purity_pct=95.0, moisture_pct=5.0)
    b.inp("i", s, "natural_gypsum", 100, "t/yr")
    svc = MatchingService(b.dataset(), make_kb())
    assert svc.candidates() == []
    assert {u.reason for u in svc.unmatched} == {"the only partners are on the same site"}
    c = svc.explain("o", "i")
    assert not c.viable and "✗ giver and receiver are the same site" in c.explanation
