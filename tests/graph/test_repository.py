"""The repository on a real server: schema, idempotent upserts, reads, export round trip."""

from __future__ import annotations

import pytest
from graph_builders import CENTRE, haversine_km, north_of, small_dataset, small_knowledge, sorted_dataset
from neo4j.exceptions import ConstraintError, Neo4jError

from symbiosis.domain import Firm, InputDeclaration, Site
from symbiosis.domain.dataset import Dataset
from symbiosis.errors import InvalidInput
from symbiosis.graph import GraphRepository

pytestmark = pytest.mark.graph


def test_constraints_reject_a_duplicate_id(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    with pytest.raises(ConstraintError):
        graph.run("CREATE (:Site {id: $id})", id="s-power")
    with pytest.raises(ConstraintError):
        graph.run("CREATE (:Resource {code: $code})", code="gypsum")
    assert graph.counts()["sites"] == 4


def test_import_reports_rows_and_counts(graph: GraphRepository) -> None:
    written = graph.import_dataset(small_dataset())
    assert written == {"territories": 6, "firms": 4, "sites": 4, "outputs": 3, "inputs": 2, "exchanges": 1}
    counts = graph.counts()
    assert {k: counts[k] for k in written} == written
    assert counts["resources"] == 3  # gypsum, hot_water, sludge merged by code from the declarations


def test_progress_reports_each_kind_to_completion(graph: GraphRepository) -> None:
    small = GraphRepository(graph.driver, graph.uri, graph.database, batch_size=2)
    seen: list[tuple[str, int, int]] = []
    small.import_dataset(small_dataset(), progress=lambda kind, done, total: seen.append((kind, done, total)))
    assert ("sites", 2, 4) in seen and ("sites", 4, 4) in seen
    assert ("outputs", 3, 3) in seen and ("exchanges", 1, 1) in seen


def test_import_twice_changes_nothing(graph: GraphRepository) -> None:
    dataset = small_dataset()
    graph.import_dataset(dataset)
    counts, export = graph.counts(), graph.export_dataset()
    graph.import_dataset(dataset)
    assert graph.counts() == counts
    assert graph.export_dataset() == export


def test_a_batch_mixing_new_and_existing_ids(graph: GraphRepository) -> None:
    full = small_dataset()
    partial = small_dataset()
    partial.sites = [s for s in partial.sites if s.id != "s-hol"]
    partial.outputs = [o for o in partial.outputs if o.id != "o-heat"]
    graph.import_dataset(partial)
    changed = next(o for o in full.outputs if o.id == "o-gypsum").model_copy(update={"note": "updated"})
    full.outputs = [changed if o.id == "o-gypsum" else o for o in full.outputs]
    graph.import_dataset(full)  # one batch per kind: new and existing rows together
    assert graph.export_dataset() == sorted_dataset(full)


def test_export_equals_what_was_imported_and_round_trips(graph: GraphRepository) -> None:
    dataset = small_dataset()
    graph.import_dataset(dataset)
    first = graph.export_dataset()
    assert first == sorted_dataset(dataset)
    graph.clear()
    graph.import_dataset(first)
    assert graph.export_dataset() == first


def test_territory_export_takes_subtree_parents_and_internal_exchanges(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    part = graph.export_dataset("dk-kal")
    assert [t.id for t in part.territories] == ["dk", "dk-kal", "dk-kal-park", "dk-zealand"]
    assert [s.id for s in part.sites] == ["s-board", "s-farm", "s-power"]
    assert [f.id for f in part.firms] == ["f-board", "f-farm", "f-power"]
    assert [o.id for o in part.outputs] == ["o-gypsum", "o-heat", "o-sludge"]
    assert [i.id for i in part.inputs] == ["i-gypsum", "i-heat"]
    assert [x.id for x in part.exchanges] == ["x-gypsum"]
    graph.clear()
    graph.import_dataset(part)
    assert graph.export_dataset("dk-kal") == part
    assert graph.export_dataset() == part  # nothing else came along


def test_sites_in_territory_include_sub_territories(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    ids = lambda tid: sorted(s.id for s in graph.sites_in_territory(tid))  # noqa: E731
    assert ids("dk-kal-park") == ["s-board", "s-power"]
    assert ids("dk-kal") == ["s-board", "s-farm", "s-power"]
    assert ids("dk") == ["s-board", "s-farm", "s-hol", "s-power"]
    assert ids("fr") == []
    assert ids("nowhere") == []


def test_radius_query_matches_haversine(graph: GraphRepository) -> None:
    lat, lon = CENTRE
    graph.import_dataset(Dataset(firms=[Firm(id="f", name="F")]))
    placed_km = {"r-0": 0.0, "r-2": 2.0, "r-5": 5.0, "r-9": 9.5, "r-11": 10.5, "r-30": 30.0}
    sites = [
        Site(id=sid, firm_id="f", name=sid, latitude_deg=north_of(lat, d), longitude_deg=lon)
        for sid, d in placed_km.items()
    ]
    sites.append(Site(id="r-east", firm_id="f", name="east", latitude_deg=lat, longitude_deg=lon + 0.12))
    graph.upsert_sites(sites)
    found = graph.sites_within_radius(lat, lon, 10.0)
    east_km = haversine_km(lat, lon, lat, lon + 0.12)
    assert 7.0 < east_km < 8.0
    assert [f.site.id for f in found] == ["r-0", "r-2", "r-5", "r-east", "r-9"]
    for f in found:
        expected = haversine_km(lat, lon, f.site.latitude_deg, f.site.longitude_deg)
        assert f.distance_km == pytest.approx(
            expected, rel=5e-3, abs=1e-6
        )  # servers' Earth radii differ ≤ 0.2 %
    assert graph.sites_within_radius(lat, lon, 1.0)[0].site.id == "r-0"
    assert len(graph.sites_within_radius(lat, lon, 1.0)) == 1


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic warns about the deliberately bad value
def test_a_failing_batch_leaves_nothing_behind(graph: GraphRepository) -> None:
    graph.import_dataset(Dataset(firms=[Firm(id="f", name="F")]))
    small = GraphRepository(graph.driver, graph.uri, graph.database, batch_size=2)
    good = [
        Site(id=f"b-{i}", firm_id="f", name=f"b{i}", latitude_deg=55.0, longitude_deg=11.0) for i in range(3)
    ]
    # Bypasses validation on purpose: the store itself must reject it, mid-batch.
    bad = Site.model_construct(id="b-bad", firm_id="f", name="bad", latitude_deg="north", longitude_deg=11.0)
    with pytest.raises(Neo4jError):
        small.upsert_sites([*good, bad])
    # batch 1 (b-0, b-1) landed whole; batch 2 (b-2, b-bad) not at all
    assert sorted(s.id for s in graph.export_dataset().sites) == ["b-0", "b-1"]
    assert graph.counts()["sites"] == 2


def test_dangling_references_are_reported_before_writing(graph: GraphRepository) -> None:
    dataset = small_dataset()
    dataset.sites.append(
        Site(id="s-x", firm_id="f-ghost", name="x", latitude_deg=1, longitude_deg=1, territory_id="t-ghost")
    )
    with pytest.raises(InvalidInput) as err:
        graph.import_dataset(dataset)
    text = str(err.value)
    assert "site s-x: field 'firm_id' = 'f-ghost'" in text
    assert "site s-x: field 'territory_id' = 't-ghost'" in text
    assert not any(graph.counts().values())


def test_upsert_one_object_moves_links(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    farm = next(s for s in small_dataset().sites if s.id == "s-farm")
    moved = farm.model_copy(update={"firm_id": "f-idle", "territory_id": "dk-hol"})
    graph.upsert_sites([moved])
    sites = graph.export_dataset().sites
    assert [s.id for s in sites] == ["s-board", "s-farm", "s-hol", "s-power"]  # one row each: no stale edge
    assert next(s for s in sites if s.id == "s-farm") == moved
    assert sorted(s.id for s in graph.sites_in_territory("dk-hol")) == ["s-farm", "s-hol"]
    assert sorted(s.id for s in graph.sites_in_territory("dk-kal")) == ["s-board", "s-power"]


def test_declarations_by_resource(graph: GraphRepository) -> None:
    dataset = small_dataset()
    graph.import_dataset(dataset)
    found = graph.declarations_by_resource("gypsum")
    assert [o.id for o in found.outputs] == ["o-gypsum"]
    assert [i.id for i in found.inputs] == ["i-gypsum"]
    assert found.outputs[0] == next(o for o in dataset.outputs if o.id == "o-gypsum")
    assert found.outputs[0].quality.contaminants_mg_per_l == {"chloride": 80.0, "mercury": 0.1}
    assert isinstance(found.inputs[0], InputDeclaration)
    assert graph.declarations_by_resource("unknown").outputs == []


def test_import_knowledge_fills_resources_and_rules(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())  # merges gypsum, hot_water, sludge by code
    kb = small_knowledge()
    assert graph.import_knowledge(kb) == {"resources": 5, "substitution_rules": 2}
    assert graph.import_knowledge(kb) == {"resources": 5, "substitution_rules": 2}
    counts = graph.counts()
    assert counts["resources"] == 5
    assert counts["substitution_rules"] == 2
    rows = graph.read(
        "MATCH (a:Resource)-[r:CAN_REPLACE]->(b:Resource) "
        "RETURN a.code AS a, b.code AS b, r.rule_id AS rule_id, r.ratio AS ratio ORDER BY rule_id"
    )
    assert [(x["a"], x["b"], x["rule_id"], x["ratio"]) for x in rows] == [
        ("gypsum", "natural_gypsum", "gypsum-natural", 1.0),
        ("sludge", "fertiliser", "sludge-fertiliser", 0.4),
    ]
