"""The Kalundborg dataset: the real network, consistent with the knowledge base, so that each
known exchange is one matching can find (same resource or a rule, quality holds, within reach)."""

from __future__ import annotations

import math

import pytest

from symbiosis import DATASETS_DIR
from symbiosis.dataset_io import read_dataset
from symbiosis.domain import InputDeclaration, OutputDeclaration, Site, TransportMode
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.declarations import FLAT_PROFILE
from symbiosis.knowledge import KnowledgeBase, load_knowledge_base

KALUNDBORG = DATASETS_DIR / "kalundborg"
EARTH_RADIUS_KM = 6371.0088


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def data(kb: KnowledgeBase) -> Dataset:
    return read_dataset(KALUNDBORG, kb)


def _km(a: Site, b: Site) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude_deg, a.longitude_deg, b.latitude_deg, b.longitude_deg))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def test_counts(data: Dataset) -> None:
    assert data.counts() == {
        "territories": 8,
        "firms": 12,
        "sites": 14,
        "outputs": 20,
        "inputs": 18,
        "exchanges": 18,
    }


def test_territory_hierarchy(data: Dataset) -> None:
    by_id = {t.id: t for t in data.territories}
    park = by_id["kalundborg_symbiosis"]
    assert park.level == "industrial_park"
    assert by_id[park.parent_id].name == "Kalundborg Municipality"
    assert by_id[by_id[park.parent_id].parent_id].code == "DK02"


def test_firms_have_known_nace_codes(data: Dataset, kb: KnowledgeBase) -> None:
    for firm in data.firms:
        assert firm.nace_code in kb.nace, firm.id
        assert kb.nace[firm.nace_code].level == 4


def test_every_known_exchange_refers_to_existing_records(data: Dataset, kb: KnowledgeBase) -> None:
    sites = {s.id for s in data.sites}
    outputs = {o.id: o for o in data.outputs}
    inputs = {i.id: i for i in data.inputs}
    for x in data.exchanges:
        assert x.from_site_id in sites and x.to_site_id in sites, x.id
        assert x.resource_code in kb.resources, x.id
        assert outputs[x.output_id].site_id == x.from_site_id, x.id
        assert inputs[x.input_id].site_id == x.to_site_id, x.id
        assert outputs[x.output_id].resource_code == x.resource_code, x.id


def _findable(out: OutputDeclaration, inp: InputDeclaration, kb: KnowledgeBase, km: float) -> list[str]:
    """Why a link would not be found; empty when matching can find it."""
    why: list[str] = []
    if out.resource_code != inp.resource_code:
        rules = [r for r in kb.rules_from(out.resource_code) if r.to_resource == inp.resource_code]
        if not rules:
            return [f"no rule {out.resource_code} → {inp.resource_code}"]
        rule = rules[0]
        q = out.quality
        if rule.min_temperature_c is not None and (q.temperature_c or -273) < rule.min_temperature_c:
            why.append("rule temperature")
        if rule.max_moisture_pct is not None and (
            q.moisture_pct is None or q.moisture_pct > rule.max_moisture_pct
        ):
            why.append("rule moisture")
        if rule.min_purity_pct is not None and (q.purity_pct is None or q.purity_pct < rule.min_purity_pct):
            why.append("rule purity")
    req, q = inp.requirement, out.quality
    if req.min_temperature_c is not None and (
        q.temperature_c is None or q.temperature_c < req.min_temperature_c
    ):
        why.append("input min temperature")
    if req.max_temperature_c is not None and (
        q.temperature_c is None or q.temperature_c > req.max_temperature_c
    ):
        why.append("input max temperature")
    if req.min_purity_pct is not None and (q.purity_pct is None or q.purity_pct < req.min_purity_pct):
        why.append("input purity")
    if req.max_moisture_pct is not None and (q.moisture_pct is None or q.moisture_pct > req.max_moisture_pct):
        why.append("input moisture")
    for name, limit in req.max_contaminants_mg_per_l.items():
        if q.contaminants_mg_per_l.get(name, 0.0) > limit:
            why.append(f"contaminant {name}")
    family = kb.family_of(out.resource_code)
    detour = (
        kb.truck.road_detour_factor
        if family.transport_mode is TransportMode.TRUCK
        else kb.pipelines[family.family].detour_factor
    )
    if km * detour > family.max_distance_km:
        why.append(f"route {km * detour:.0f} km > {family.max_distance_km} km")
    return why


def test_every_known_exchange_is_findable_by_matching(data: Dataset, kb: KnowledgeBase) -> None:
    sites = {s.id: s for s in data.sites}
    outputs = {o.id: o for o in data.outputs}
    inputs = {i.id: i for i in data.inputs}
    problems = {
        x.id: why
        for x in data.exchanges
        if (
            why := _findable(
                outputs[x.output_id], inputs[x.input_id], kb, _km(sites[x.from_site_id], sites[x.to_site_id])
            )
        )
    }
    assert problems == {}


def test_cement_plant_is_far_away_but_within_truck_reach(data: Dataset, kb: KnowledgeBase) -> None:
    sites = {s.id: s for s in data.sites}
    km = _km(sites["asnaes"], sites["aalborg_portland_rordal"])
    assert 150 < km < 200
    assert km * kb.truck.road_detour_factor < kb.families["mineral"].max_distance_km


def test_there_are_non_exchanged_declarations_and_real_choices(data: Dataset, kb: KnowledgeBase) -> None:
    used_out = {x.output_id for x in data.exchanges}
    used_in = {x.input_id for x in data.exchanges}
    assert len([o for o in data.outputs if o.id not in used_out]) >= 4
    assert len([i for i in data.inputs if i.id not in used_in]) >= 3
    # the district-heating demand can be served by Asnæs, the effluent heat pump and the refinery's waste heat
    sites = {s.id: s for s in data.sites}
    dh = next(i for i in data.inputs if i.id == "i_dh_heat")
    suppliers = [
        o.id for o in data.outputs if not _findable(o, dh, kb, _km(sites[o.site_id], sites[dh.site_id]))
    ]
    assert {"o_asnaes_district_heat", "o_forsyning_effluent_heat", "o_refinery_waste_heat"} <= set(suppliers)


def test_treated_effluent_fails_the_process_water_limit(data: Dataset, kb: KnowledgeBase) -> None:
    """A realistic near miss: effluent COD above the inlet limit (usable only blended)."""
    sites = {s.id: s for s in data.sites}
    effluent = next(o for o in data.outputs if o.id == "o_forsyning_effluent")
    water = next(i for i in data.inputs if i.id == "i_novozymes_water")
    assert "contaminant cod" in _findable(
        effluent, water, kb, _km(sites[effluent.site_id], sites[water.site_id])
    )


def test_sources_estimates_and_seasonality(data: Dataset) -> None:
    declarations = [*data.outputs, *data.inputs]
    assert all(d.source and len(d.source) > 10 for d in declarations)
    assert all(d.source.startswith(("estimate", "derived")) for d in declarations if d.is_estimate)
    assert any(d.monthly_profile != FLAT_PROFILE for d in data.outputs)
    assert any(d.monthly_profile != FLAT_PROFILE for d in data.inputs)
    assert all(x.source for x in data.exchanges)


def test_published_quantities(data: Dataset) -> None:
    by_id = {x.id: x for x in data.exchanges}
    assert by_id["x_fly_ash_cement"].quantity_per_yr == 135_000
    assert by_id["x_fgd_gypsum"].quantity_per_yr == 150_000
    assert by_id["x_fgd_gypsum"].year == 2010
    assert by_id["x_yeast_pig_feed"].quantity_per_yr == 150_000
    assert by_id["x_sulphur_kemira"].quantity_per_yr == 3_000
    steam = [x for x in data.exchanges if x.resource_code == "steam"]
    assert {x.since_year for x in steam} == {1982} and len(steam) == 3


def test_default_scenario_is_one_year(data: Dataset, kb: KnowledgeBase) -> None:
    """Issue 15 item 10: every declaration describes 2018 (coal still burnt at Asnæs, biogas running)."""
    from symbiosis.matching import MatchingService

    assert {d.year for d in [*data.outputs, *data.inputs]} == {2018}
    svc = MatchingService(data, kb)
    assert svc.warnings == [] and svc.candidate_set().warnings == []
