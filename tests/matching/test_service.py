"""Bad input, unmatched reasons, query surface, and indexed search == all-pairs search."""

from __future__ import annotations

import math

import numpy as np
import pytest

from symbiosis.domain import ResourceFamily
from symbiosis.domain.declarations import InputDeclaration, QualityRequirement
from symbiosis.domain.firm import Site
from symbiosis.errors import InvalidInput
from symbiosis.matching import CandidateQuery, MatchingService, MatchOptions, SearchMethod, SortKey, match
from symbiosis.matching.engine import run_matching

from .kb_builder import Builder, make_kb


def test_bad_input_is_listed_in_one_error() -> None:
    b = Builder()
    b.out("o-ok", b.site("a"), "fly_ash", 100, "t/yr")
    b.out("o-unknown", "a", "fly_ash", 100, "t/yr")
    b.outputs[-1] = b.outputs[-1].model_copy(update={"resource_code": "moon_dust"})
    b.sites.append(
        Site.model_construct(
            id="nowhere",
            firm_id="f-a",
            name="no coordinates",
            latitude_deg=math.nan,
            longitude_deg=None,
            territory_id=None,
        )
    )
    b.out("o-nowhere", "nowhere", "fly_ash", 100, "t/yr")
    b.inp("i-ghost", "ghost-site", "clinker", 100, "t/yr")
    b.inputs.append(
        InputDeclaration.model_construct(
            **{
                **b.inputs[-1].__dict__,
                "id": "i-impossible",
                "site_id": "a",
                "requirement": QualityRequirement.model_construct(
                    min_temperature_c=90.0,
                    max_temperature_c=40.0,
                    max_contaminants_mg_per_l={"cod": -5.0},
                    min_purity_pct=None,
                    max_moisture_pct=None,
                ),
            }
        )
    )
    with pytest.raises(InvalidInput) as err:
        MatchingService(b.dataset(), make_kb())
    found = {(i.location, i.field) for i in err.value.issues}
    assert found == {
        ("output o-unknown", "resource_code"),
        ("site nowhere", "latitude_deg"),
        ("site nowhere", "longitude_deg"),
        ("output o-nowhere", "site_id"),
        ("input i-ghost", "site_id"),
        ("input i-impossible", "requirement.min_temperature_c"),
        ("input i-impossible", "requirement.max_contaminants_mg_per_l.cod"),
    }
    text = str(err.value)
    assert "'moon_dust': a resource code of the knowledge base" in text
    assert "= 90.0: at most max_temperature_c (40 °C)" in text


def test_unit_must_be_the_resources_canonical_unit() -> None:
    b = Builder()
    b.out("o", b.site("a"), "fly_ash", 100, "m3/yr")  # fly ash is counted in t
    with pytest.raises(InvalidInput, match="output o: field 'unit' = 'm3': t, the canonical unit of fly_ash"):
        MatchingService(b.dataset(), make_kb())


def _network() -> Builder:
    b = Builder()
    b.out("o-fgd", b.site("power"), "fgd_gypsum", 100_000, "t/yr", purity_pct=96.0, moisture_pct=8.0)
    b.out("o-ash", "power", "fly_ash", 50_000, "t/yr")
    b.out("o-heat", "power", "hot_water", 50_000, "MWh/yr", temperature_c=95.0)
    b.inp("i-gyp1", b.site("board1", km_north=10.0), "natural_gypsum", 80_000, "t/yr")
    b.inp("i-gyp2", b.site("board2", km_north=120.0), "natural_gypsum", 80_000, "t/yr")
    b.inp("i-clk", b.site("cement", km_north=60.0), "clinker", 400_000, "t/yr")
    b.inp("i-dh", b.site("town", km_north=8.0), "hot_water", 30_000, "MWh/yr", min_temperature_c=70.0)
    b.inp("i-far", b.site("city", km_north=60.0), "hot_water", 30_000, "MWh/yr", min_temperature_c=70.0)
    return b


def test_query_filters_sort_and_top_k() -> None:
    svc = MatchingService(_network().dataset(), make_kb())
    ids = [c.id for c in svc.candidates()]
    assert set(ids) == {"o-fgd->i-gyp1", "o-fgd->i-gyp2", "o-ash->i-clk", "o-heat->i-dh"}
    gains = [c.net_gain_eur_per_yr for c in svc.candidates()]
    assert gains == sorted(gains, reverse=True)
    co2 = [c.co2_avoided_t_per_yr for c in svc.candidates(CandidateQuery(sort=SortKey.CO2))]
    assert co2 == sorted(co2, reverse=True)
    assert {c.id for c in svc.candidates(CandidateQuery(site_id="board2"))} == {"o-fgd->i-gyp2"}
    assert {c.id for c in svc.candidates(CandidateQuery(resource="natural_gypsum"))} == {
        "o-fgd->i-gyp1",
        "o-fgd->i-gyp2",
    }
    assert {c.id for c in svc.candidates(CandidateQuery(family=ResourceFamily.HEAT))} == {"o-heat->i-dh"}
    assert {c.id for c in svc.candidates(CandidateQuery(max_distance_km=50))} == {
        "o-fgd->i-gyp1",
        "o-heat->i-dh",
    }
    top1 = svc.candidates(CandidateQuery(site_id="power", top_k_per_site=1))
    assert [c.id for c in top1] == [ids[0]]
    # top-1 per site: each site keeps its best; board2's only link survives through board2's own ranking
    assert {c.id for c in svc.candidates(CandidateQuery(top_k_per_site=1))} >= {"o-fgd->i-gyp2", ids[0]}
    best = svc.candidates()[0].net_gain_eur_per_yr
    assert [c.net_gain_eur_per_yr for c in svc.candidates(CandidateQuery(min_gain_eur_per_yr=best))] == [best]
    reasons = {u.declaration_id: u.reason for u in svc.unmatched}
    assert reasons == {"i-far": "no partner within reach: nearest is 60.0 km away, reach 20 km for heat"}


def test_candidate_set_for_the_optimiser() -> None:
    cs = match(_network().dataset(), make_kb())
    assert len(cs.candidates) == 4
    assert set(cs.outputs) == {"o-fgd", "o-ash", "o-heat"} and set(cs.inputs) == {
        "i-gyp1",
        "i-gyp2",
        "i-clk",
        "i-dh",
    }
    t = cs.outputs["o-fgd"]
    assert t.kind == "output" and t.cost_eur_per_unit == 20.0 and t.co2_kg_per_unit == 10.0  # KB defaults
    assert sum(t.monthly_qty) == pytest.approx(100_000)
    assert cs.inputs["i-gyp1"].cost_eur_per_unit == 15.0 and cs.inputs["i-gyp1"].firm_id == "f-board1"
    assert [u.declaration_id for u in cs.unmatched] == ["i-far"]
    for c in cs.candidates:  # what was built with model_construct is a valid Candidate
        type(c).model_validate(c.model_dump())


def _random_instance(seed: int, n_sites: int = 400) -> Builder:
    rng = np.random.default_rng(seed)
    b = Builder()
    for k in range(n_sites):
        s = b.site(f"s{k}", km_north=float(rng.uniform(0, 300)), lon=float(rng.uniform(10.0, 14.0)))
        if k % 50 == 0:  # co-located sites: zero distances must be kept
            s2 = b.site(f"s{k}b", km_north=0.0 if k == 0 else float(b.sites[-1].latitude_deg - 55.0) * 111.19)
            b.sites[-1] = b.sites[-1].model_copy(
                update={"latitude_deg": b.sites[-2].latitude_deg, "longitude_deg": b.sites[-2].longitude_deg}
            )
            b.inp(f"i{k}b", s2, "natural_gypsum", 1000, "t/yr")
        prof = ";".join(str(int(x)) for x in rng.integers(0, 2, 12)) if rng.random() < 0.3 else None
        kw = {"monthly_profile": prof} if prof and "1" in prof else {}
        r = rng.random()
        if r < 0.2:
            b.out(
                f"o{k}",
                s,
                "fgd_gypsum",
                float(rng.uniform(1e3, 1e5)),
                "t/yr",
                purity_pct=float(rng.uniform(85, 99)),
                moisture_pct=float(rng.uniform(5, 15)),
                **kw,
            )
        elif r < 0.35:
            b.inp(f"i{k}", s, "natural_gypsum", float(rng.uniform(1e3, 1e5)), "t/yr", **kw)
        elif r < 0.5:
            b.out(
                f"o{k}",
                s,
                "hot_water",
                float(rng.uniform(1e3, 1e5)),
                "MWh/yr",
                temperature_c=float(rng.uniform(40, 110)),
                **kw,
            )
        elif r < 0.65:
            b.inp(
                f"i{k}",
                s,
                "hot_water",
                float(rng.uniform(1e3, 1e5)),
                "MWh/yr",
                min_temperature_c=float(rng.uniform(50, 90)),
                **kw,
            )
        elif r < 0.8:
            b.out(
                f"o{k}",
                s,
                "process_water",
                float(rng.uniform(1e4, 1e6)),
                "m3/yr",
                contaminants_mg_per_l={"cod": float(rng.uniform(10, 500))},
                **kw,
            )
        elif r < 0.9:
            b.inp(
                f"i{k}",
                s,
                "process_water",
                float(rng.uniform(1e4, 1e6)),
                "m3/yr",
                max_contaminants_mg_per_l={"cod": float(rng.uniform(20, 200))},
                **kw,
            )
        elif r < 0.95:
            b.out(f"o{k}", s, "fly_ash", float(rng.uniform(1e3, 1e5)), "t/yr", **kw)
        else:
            b.inp(f"i{k}", s, "clinker", float(rng.uniform(1e4, 1e6)), "t/yr", **kw)
    return b


@pytest.mark.parametrize("seed", [1, 2])
def test_indexed_equals_naive(seed: int) -> None:
    ds, kb = _random_instance(seed).dataset(), make_kb()
    opts = {"keep_near_misses": True}
    idx = run_matching(ds, kb, MatchOptions(method=SearchMethod.INDEXED, **opts))
    naive = run_matching(ds, kb, MatchOptions(method=SearchMethod.NAIVE, **opts))
    for attr in ("viable", "near_misses"):
        a, b = getattr(idx, attr), getattr(naive, attr)
        ka = np.lexsort((a.ii, a.oi))
        kb_ = np.lexsort((b.ii, b.oi))
        assert len(a) == len(b) > 50
        for field in (
            "oi",
            "ii",
            "group",
            "fail",
            "distance_km",
            "exchangeable_qty_per_yr",
            "net_gain_eur_per_yr",
            "co2_avoided_t_per_yr",
            "needs_dilution",
        ):
            assert np.array_equal(getattr(a, field)[ka], getattr(b, field)[kb_]), field
    assert idx.unmatched == naive.unmatched
    assert idx.viable.needs_dilution.any() and (idx.viable.distance_km == 0).any()


def test_impossible_values_alone_are_caught_by_the_vectorised_screen() -> None:
    b = Builder()
    b.out("o-ok", b.site("a"), "process_water", 100, "m3/yr", contaminants_mg_per_l={"cod": 50.0})
    b.inp("i-ok", b.site("b", km_north=1.0), "process_water", 100, "m3/yr")
    bad_req = QualityRequirement.model_construct(
        min_temperature_c=60.0,
        max_temperature_c=20.0,
        max_contaminants_mg_per_l={},
        min_purity_pct=None,
        max_moisture_pct=None,
    )
    b.inputs.append(b.inputs[0].model_copy(update={"id": "i-bad", "requirement": bad_req}))
    b.outputs.append(b.outputs[0].model_copy(update={"id": "o-bad", "quantity_per_yr": -5.0}))
    with pytest.raises(InvalidInput) as err:
        MatchingService(b.dataset(), make_kb())
    assert {(i.location, i.field) for i in err.value.issues} == {
        ("input i-bad", "requirement.min_temperature_c"),
        ("output o-bad", "quantity"),
    }
