"""Price tiers, collection frequency, detection radius and hub, the sourced tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from symbiosis.domain.dataset import Dataset
from symbiosis.domain.declarations import InputDeclaration, OutputDeclaration
from symbiosis.domain.firm import Firm, Site
from symbiosis.domain.territory import Territory
from symbiosis.errors import InvalidInput
from symbiosis.knowledge import load_knowledge_base
from symbiosis.matching.geo import great_circle_km
from symbiosis.pooling.costing import pickups_per_month
from symbiosis.pooling.detect import detect_groups
from symbiosis.pooling.terms import STREAMS_FILE, TIERS_FILE, PriceTier, StreamTerms, load_terms

KB = load_knowledge_base()
TERMS = StreamTerms("plastics", "collection", 4.0, 2, 1500.0, (PriceTier(0, 120), PriceTier(50, 90)))


def test_all_units_price_tier_both_sides_of_the_break() -> None:
    assert TERMS.price_eur_per_t(49.999) == 120
    assert TERMS.price_eur_per_t(50.0) == 90
    assert TERMS.contract_price_eur_per_yr(60.0) == pytest.approx(5400.0)


def test_pickups_follow_the_peak_month() -> None:
    assert pickups_per_month([8.0, 1.0], TERMS) == 2  # 8 t in two calls of 4 t: the minimum
    assert pickups_per_month([8.01], TERMS) == 3
    assert pickups_per_month([12.0], TERMS) == 3


def test_shipped_tables_load_and_every_row_is_sourced() -> None:
    terms = load_terms(KB)
    assert ("plastics", "collection") in terms and ("solvents", "purchase") in terms


def test_a_row_without_source_or_with_a_bad_number_is_named(tmp_path: Path) -> None:
    src = KB and Path(__file__).resolve().parents[2] / "datasets" / "knowledge"
    for f in (STREAMS_FILE, TIERS_FILE):
        shutil.copy(src / f, tmp_path / f)
    text = (tmp_path / STREAMS_FILE).read_text(encoding="utf-8").splitlines()
    first = text[1].split(",")
    first[2] = "lots"
    text[1] = ",".join(first)
    (tmp_path / STREAMS_FILE).write_text("\n".join(text) + "\n", encoding="utf-8")
    tiers = (tmp_path / TIERS_FILE).read_text(encoding="utf-8").splitlines()
    tiers.append("wood,collection,900,20,")
    (tmp_path / TIERS_FILE).write_text("\n".join(tiers) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_terms(KB, tmp_path)
    msg = str(err.value)
    assert f"{STREAMS_FILE} row 2: field 'vehicle_capacity_t' = 'lots'" in msg
    assert f"{TIERS_FILE} row {len(tiers)}: field 'source'" in msg


def _ds(lon_b: float, with_hub: bool = True) -> Dataset:
    sites = [
        Site(id="a", firm_id="f", name="A", latitude_deg=48.0, longitude_deg=0.0, territory_id="z"),
        Site(id="b", firm_id="f", name="B", latitude_deg=48.0, longitude_deg=lon_b, territory_id="z"),
        Site(id="h", firm_id="f", name="Hub", latitude_deg=48.05, longitude_deg=0.05, territory_id="z"),
    ]
    outs = [
        OutputDeclaration(
            id=f"o_{s}", site_id=s, resource_code="plastics", unit="t", quantity=10, quantity_unit="t/yr"
        )
        for s in ("a", "b")
    ]
    ins = (
        [
            InputDeclaration(
                id="i_h", site_id="h", resource_code="plastics", unit="t", quantity=100, quantity_unit="t/yr"
            )
        ]
        if with_hub
        else []
    )
    return Dataset(
        [Territory(id="z", name="Z", level="industrial_park")], [Firm(id="f", name="F")], sites, outs, ins
    )


def _lon_for_km(km: float) -> float:
    lo, hi = 0.0, 10.0
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if great_circle_km(48.0, 0.0, 48.0, mid) < km else (lo, mid)
    return (lo + hi) / 2


def test_members_group_within_reach_and_not_beyond() -> None:
    terms = {("plastics", "collection"): TERMS}
    near = detect_groups(_ds(_lon_for_km(14.99)), KB, terms, reach_km=15.0)
    assert [sorted(m.site_id for m in g.members) for g in near.groups] == [["a", "b"]]
    assert near.groups[0].hub_site_id == "h"
    far = detect_groups(_ds(_lon_for_km(15.01)), KB, terms, reach_km=15.0)
    assert far.groups == []


def test_a_group_without_a_taker_is_reported_not_costed() -> None:
    det = detect_groups(_ds(0.01, with_hub=False), KB, {("plastics", "collection"): TERMS})
    assert det.groups == [] and det.without_hub == [("plastics", "collection", 2)]


def test_the_nearest_taker_within_the_family_reach_is_the_hub() -> None:
    ds = _ds(0.01)
    far = Site(id="far", firm_id="f", name="Far", latitude_deg=48.0, longitude_deg=0.5, territory_id="z")
    ds.sites.append(far)
    ds.inputs.append(
        InputDeclaration(
            id="i_far", site_id="far", resource_code="plastics", unit="t", quantity=100, quantity_unit="t/yr"
        )
    )
    terms = {("plastics", "collection"): TERMS}
    assert detect_groups(ds, KB, terms).groups[0].hub_site_id == "h"  # 5.6 km, not 37 km
    reach = KB.family_of("plastics").max_distance_km
    ds.inputs = [d for d in ds.inputs if d.id == "i_far"]
    ds.sites[-1] = far.model_copy(update={"longitude_deg": _lon_for_km(reach + 1.0)})
    assert detect_groups(ds, KB, terms).without_hub == [("plastics", "collection", 2)]
    ds.sites[-1] = far.model_copy(update={"longitude_deg": _lon_for_km(reach - 1.0)})
    assert detect_groups(ds, KB, terms).groups[0].hub_site_id == "far"


def test_a_long_chain_of_neighbours_is_cut_into_groups_of_at_most_25() -> None:
    from symbiosis.pooling.detect import MAX_GROUP_MEMBERS

    def chain(n: int) -> Dataset:
        ds = _ds(0.01)
        ds.sites = [
            Site(
                id=f"s{i}",
                firm_id="f",
                name=f"S{i}",
                latitude_deg=48.0,
                longitude_deg=0.05 * i,
                territory_id="z",
            )
            for i in range(n)
        ] + [ds.sites[2]]
        ds.outputs = [
            OutputDeclaration(
                id=f"o{i}",
                site_id=f"s{i}",
                resource_code="plastics",
                unit="t",
                quantity=10,
                quantity_unit="t/yr",
            )
            for i in range(n)
        ]
        return ds

    terms = {("plastics", "collection"): TERMS}
    whole = detect_groups(chain(MAX_GROUP_MEMBERS), KB, terms)  # neighbours 3.7 km apart
    assert [len(g.members) for g in whole.groups] == [MAX_GROUP_MEMBERS]
    cut = detect_groups(chain(MAX_GROUP_MEMBERS + 1), KB, terms)
    assert sorted(len(g.members) for g in cut.groups) == [13, 13]
    west = {m.site_id for m in cut.groups[0].members} | {m.site_id for m in cut.groups[1].members}
    assert len(west) == MAX_GROUP_MEMBERS + 1
    assert any({m.site_id for m in g.members} == {f"s{i}" for i in range(13)} for g in cut.groups)
