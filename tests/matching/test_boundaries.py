"""Every viability check on both sides of its boundary, and the search against a brute-force oracle.

A check written ``>=`` that becomes ``>`` (or ``<=`` → ``<``) only shows at the boundary itself, so
each test puts one pair exactly on it (viable) and one a hair beyond it (not viable). The oracle
at the end re-derives the viable set in plain Python (haversine, explicit loops), independently of
the k-d tree and of the all-pairs path that share the engine's code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from symbiosis.domain import ResourceFamily
from symbiosis.matching import CandidateQuery, MatchingService, MatchOptions, SearchMethod
from symbiosis.matching.engine import run_matching

from .kb_builder import Builder, make_kb
from .test_service import _random_instance


def _heat_pair(km: float, out_temp: float = 90.0, need_temp: float = 70.0) -> Builder:
    b = Builder()
    b.out("o-heat", b.site("plant"), "hot_water", 1000, "MWh/yr", temperature_c=out_temp)
    b.inp("i-heat", b.site("town", km_north=km), "hot_water", 1000, "MWh/yr", min_temperature_c=need_temp)
    return b


def _engine_km(b: Builder) -> float:
    """The distance exactly as the engine measures it (read back from a run with a wide reach)."""
    wide = MatchingService(b.dataset(), make_kb(), MatchOptions(reach_km={ResourceFamily.HEAT: 1000.0}))
    (c,) = wide.candidates()
    return c.distance_km


@pytest.mark.parametrize("method", [SearchMethod.INDEXED, SearchMethod.NAIVE])
@pytest.mark.parametrize("near", [False, True])
def test_reach_is_inclusive_at_exactly_the_reach(method: SearchMethod, near: bool) -> None:
    b = _heat_pair(km=7.0)
    d = _engine_km(b)
    at = MatchOptions(reach_km={ResourceFamily.HEAT: d}, method=method, keep_near_misses=near)
    assert len(MatchingService(b.dataset(), make_kb(), at).candidates()) == 1
    below = MatchOptions(
        reach_km={ResourceFamily.HEAT: float(np.nextafter(d, 0.0))}, method=method, keep_near_misses=near
    )
    svc = MatchingService(b.dataset(), make_kb(), below)
    assert svc.candidates() == []
    if near:  # kept, but as a near miss that says why
        (miss,) = svc.candidates(CandidateQuery(near_misses=True))
        assert not next(ch for ch in miss.checks if ch.name == "distance").held


def test_pairs_between_reach_and_twice_the_reach_are_only_near_misses() -> None:
    b = _heat_pair(km=30.0)  # heat reach 20 km; near-miss search goes to 40 km
    svc = MatchingService(b.dataset(), make_kb(), MatchOptions(keep_near_misses=True))
    assert svc.candidates() == []
    (miss,) = svc.candidates(CandidateQuery(near_misses=True))
    assert not miss.viable and miss.distance_km == pytest.approx(30.0)


def test_minimum_temperature_is_inclusive() -> None:
    assert len(MatchingService(_heat_pair(5.0, 70.0, 70.0).dataset(), make_kb()).candidates()) == 1
    cold = MatchingService(_heat_pair(5.0, 69.99, 70.0).dataset(), make_kb())
    assert cold.candidates() == []
    assert "temperature 69.99 °C, needs ≥ 70 °C" in cold.explain("o-heat", "i-heat").explanation


def test_maximum_temperature_is_inclusive() -> None:
    for out_temp, viable in ((25.0, 1), (25.01, 0)):
        b = Builder()
        b.out("o", b.site("a"), "process_water", 1000, "m3/yr", temperature_c=out_temp)
        b.inp("i", b.site("b", km_north=1.0), "process_water", 1000, "m3/yr", max_temperature_c=25.0)
        assert len(MatchingService(b.dataset(), make_kb()).candidates()) == viable, out_temp


def _gypsum(purity: float | None, moisture: float | None, **req: float) -> MatchingService:
    b = Builder()
    q = {k: v for k, v in (("purity_pct", purity), ("moisture_pct", moisture)) if v is not None}
    b.out("o", b.site("power"), "fgd_gypsum", 1000, "t/yr", **q)
    b.inp("i", b.site("board", km_north=5.0), "natural_gypsum", 1000, "t/yr", **req)
    return MatchingService(b.dataset(), make_kb())


def test_purity_from_the_rule_is_inclusive() -> None:
    assert len(_gypsum(90.0, 5.0).candidates()) == 1  # rule fgd-for-gypsum: purity ≥ 90 %
    low = _gypsum(89.9, 5.0)
    assert low.candidates() == []
    assert "purity 89.9 %, needs ≥ 90 %" in low.explain("o", "i").explanation
    assert _gypsum(None, 5.0).candidates() == []  # undeclared purity fails a stated minimum


def test_purity_declared_by_the_receiver_is_stricter_than_the_rule() -> None:
    assert len(_gypsum(95.0, 5.0, min_purity_pct=95.0).candidates()) == 1
    assert _gypsum(94.9, 5.0, min_purity_pct=95.0).candidates() == []


def test_moisture_is_inclusive() -> None:
    assert len(_gypsum(96.0, 12.0).candidates()) == 1  # rule: moisture ≤ 12 %
    assert _gypsum(96.0, 12.1).candidates() == []
    assert len(_gypsum(96.0, 8.0, max_moisture_pct=8.0).candidates()) == 1
    assert _gypsum(96.0, 8.1, max_moisture_pct=8.0).candidates() == []


def test_declared_supply_and_disposal_figures_beat_the_knowledge_base_defaults() -> None:
    b = Builder()
    b.out(
        "o", b.site("power"), "fgd_gypsum", 1000, "t/yr", purity_pct=96.0, moisture_pct=5.0,
        disposal_cost_eur_per_unit=7.0, disposal_co2_kg_per_unit=3.0,
    )  # fmt: skip
    b.inp(
        "i", b.site("board", km_north=10.0), "natural_gypsum", 1000, "t/yr",
        supply_price_eur_per_unit=22.0, supply_co2_kg_per_unit=50.0,
    )  # fmt: skip
    (c,) = MatchingService(b.dataset(), make_kb()).candidates()
    # KB defaults would be disposal 20 €/t, 10 kg/t and supply 15 €/t, 120 kg/t
    assert c.avoided_disposal_eur_per_yr == pytest.approx(7.0 * 1000)
    assert c.avoided_supply_eur_per_yr == pytest.approx(22.0 * 1000)
    assert c.avoided_disposal_co2_t_per_yr == pytest.approx(3.0)
    assert c.avoided_supply_co2_t_per_yr == pytest.approx(50.0)
    truck_t = 0.1 * 10.0 * 1.3 * 1000 / 1000  # 0.1 kg/t·km × 13 road km × 1000 t
    assert c.co2_avoided_t_per_yr == pytest.approx(3.0 + 50.0 - truck_t)
    assert c.net_gain_eur_per_yr == pytest.approx(7_000 + 22_000 - (0.1 * 13.0 + 5.0) * 1000)


# --- brute-force oracle ---------------------------------------------------------------------------

_REACH_KM = {"fgd_gypsum": 200.0, "fly_ash": 200.0, "hot_water": 20.0, "process_water": 30.0}
_PAIRS = {("fgd_gypsum", "natural_gypsum"), ("fly_ash", "clinker"), ("hot_water", "hot_water"),
          ("process_water", "process_water")}  # fmt: skip


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * r * math.asin(math.sqrt(h))


def _oracle(b: Builder) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(viable pairs, pairs too close to the reach to call) by explicit loops over every pair."""
    sites = {s.id: s for s in b.sites}
    viable, fuzzy = set(), set()
    for o in b.outputs:
        for i in b.inputs:
            if (o.resource_code, i.resource_code) not in _PAIRS or o.site_id == i.site_id:
                continue
            so, si = sites[o.site_id], sites[i.site_id]
            km = _haversine_km(so.latitude_deg, so.longitude_deg, si.latitude_deg, si.longitude_deg)
            reach = _REACH_KM[o.resource_code]
            if abs(km - reach) < 1e-6:
                fuzzy.add((o.id, i.id))
                continue
            ok = km <= reach
            if o.resource_code == "fgd_gypsum":
                ok &= o.quality.purity_pct >= 90.0 and o.quality.moisture_pct <= 12.0
            if o.resource_code == "hot_water":
                ok &= o.quality.temperature_c >= i.requirement.min_temperature_c
            ok &= any(a > 0 and c > 0 for a, c in zip(o.monthly_profile, i.monthly_profile, strict=True))
            if ok:
                viable.add((o.id, i.id))
    return viable, fuzzy


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("method", [SearchMethod.INDEXED, SearchMethod.NAIVE])
@pytest.mark.parametrize("near", [False, True])
def test_viable_set_equals_a_brute_force_oracle(seed: int, method: SearchMethod, near: bool) -> None:
    b = _random_instance(seed, n_sites=250)
    expected, fuzzy = _oracle(b)
    res = run_matching(b.dataset(), make_kb(), MatchOptions(method=method, keep_near_misses=near))
    t = res.tables
    got = {(t.outputs.ids[o], t.inputs.ids[i]) for o, i in zip(res.viable.oi, res.viable.ii, strict=True)}
    assert len(expected) > 50
    assert got - fuzzy == expected


def _lot_kb():
    import dataclasses

    from .kb_builder import TRUCK

    truck = TRUCK.model_copy(update={"min_lot_t_per_yr": 25.0, "deal_cost_eur_per_yr": 2000.0})
    return dataclasses.replace(make_kb(), truck=truck)


def _gypsum_lot(tonnes: float) -> MatchingService:
    b = Builder()
    b.out("o", b.site("power"), "fgd_gypsum", tonnes, "t/yr", purity_pct=96.0, moisture_pct=5.0)
    b.inp("i", b.site("board", km_north=10.0), "natural_gypsum", 1000, "t/yr")
    return MatchingService(b.dataset(), _lot_kb())


def test_truck_minimum_lot_is_inclusive_and_the_deal_cost_is_fixed() -> None:
    (c,) = _gypsum_lot(25.0).candidates()
    assert c.fixed_cost_eur_per_yr == 2000.0
    per_t = 0.10 * 13.0 + 5.0  # 13 road km
    assert c.transport_cost_eur_per_yr == pytest.approx(per_t * 25 + 2000.0)
    assert c.net_gain_eur_per_yr == pytest.approx(25 * 20.0 + 25 * 15.0 - per_t * 25 - 2000.0)  # −1,282.5
    assert "2,000 €/yr fixed (per-deal cost)" in c.explanation
    small = _gypsum_lot(24.9)
    assert small.candidates() == []
    lot = next(ch for ch in small.explain("o", "i").checks if ch.name == "lot")
    assert not lot.held and "less than one truck lot a year" in lot.detail
    assert small.unmatched[0].reason.endswith("less than one truck lot a year")
