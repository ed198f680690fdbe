"""The seeded synthetic generator: deterministic, valid against the knowledge base, realistic mix."""

from __future__ import annotations

from collections import Counter

import pytest

from symbiosis.domain.declarations import InputDeclaration, OutputDeclaration
from symbiosis.domain.firm import Firm, Site
from symbiosis.domain.territory import Territory
from symbiosis.knowledge import load_knowledge_base
from symbiosis.synthetic import LAT_RANGE_DEG, LON_RANGE_DEG, generate_dataset


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def test_same_seed_same_data_other_seed_other_data(kb) -> None:
    a, b, c = generate_dataset(1500, 7, kb), generate_dataset(1500, 7, kb), generate_dataset(1500, 8, kb)
    assert a == b
    assert a.sites != c.sites and a.outputs != c.outputs


def test_every_record_validates_and_is_consistent_with_the_kb(kb) -> None:
    ds = generate_dataset(2000, 1, kb)
    for model, records in (
        (Territory, ds.territories),
        (Firm, ds.firms),
        (Site, ds.sites),
        (OutputDeclaration, ds.outputs),
        (InputDeclaration, ds.inputs),
    ):
        for r in records:  # built with model_construct: re-validate every one through pydantic
            again = model.model_validate(r.model_dump())
            if model in (OutputDeclaration, InputDeclaration):
                assert again.quantity_per_yr == pytest.approx(r.quantity_per_yr)
                assert again.unit == kb.resources[r.resource_code].canonical_unit
    ids = [d.id for d in ds.outputs] + [d.id for d in ds.inputs]
    assert len(ids) == len(set(ids))
    territories = {t.id: t for t in ds.territories}
    assert {t.level.value for t in ds.territories} == {"country", "region", "industrial_park"}
    for s in ds.sites:
        zone = territories[s.territory_id]
        assert zone.level.value == "industrial_park" and territories[zone.parent_id].parent_id == "FR"
    site_ids = {s.id for s in ds.sites}
    assert all(d.site_id in site_ids for d in ds.outputs + ds.inputs)


def test_scale_mix_and_geography(kb) -> None:
    ds = generate_dataset(10_000, 3, kb)
    per_site = (len(ds.outputs) + len(ds.inputs)) / len(ds.sites)
    assert 2.5 <= per_site <= 3.5  # ~3 declarations per site
    nace = Counter(f.nace_code for f in ds.firms)
    for code in (
        "35.11",
        "19.20",
        "20.14",
        "10.89",
        "17.12",
        "23.51",
        "23.62",
        "24.10",
        "37.00",
        "35.30",
        "01.50",
    ):
        assert nace[code] > 0, code
    assert nace["10.89"] > nace["35.11"] * 10  # many food plants, few power stations
    lats = [s.latitude_deg for s in ds.sites]
    lons = [s.longitude_deg for s in ds.sites]
    assert LAT_RANGE_DEG[0] - 0.5 < min(lats) and max(lats) < LAT_RANGE_DEG[1] + 0.5
    assert LON_RANGE_DEG[0] - 0.5 < min(lons) and max(lons) < LON_RANGE_DEG[1] + 0.5
    # clustered: sites share ~250 zones, not spread uniformly
    assert len({s.territory_id for s in ds.sites}) == 10_000 // 40
    seasonal = [d for d in ds.inputs if max(d.monthly_profile) > 1.5 / 12]
    assert len(seasonal) > 100  # heating and spreading seasons
    assert {d.resource_code for d in ds.outputs} >= {
        "fgd_gypsum",
        "fly_ash",
        "treated_effluent",
        "sewage_sludge",
    }


def test_cli_generate_writes_a_dataset_read_dataset_accepts(tmp_path, kb) -> None:
    from typer.testing import CliRunner

    from symbiosis.cli import app
    from symbiosis.dataset_io import read_dataset

    res = CliRunner().invoke(app, ["generate", "--sites", "300", "--seed", "5", "--out", str(tmp_path / "d")])
    assert res.exit_code == 0, res.output
    back = read_dataset(tmp_path / "d", kb)
    orig = generate_dataset(300, 5, kb)
    assert back.counts() == orig.counts()
    assert [d.id for d in back.outputs] == [d.id for d in orig.outputs]
    assert [d.quantity_per_yr for d in back.inputs] == pytest.approx([d.quantity_per_yr for d in orig.inputs])
