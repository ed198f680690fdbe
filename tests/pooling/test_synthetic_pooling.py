"""The pooling generator: seeded, valid, and what `symbiosis pools` needs (groups with hubs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.dataset_io import read_dataset
from symbiosis.knowledge import load_knowledge_base
from symbiosis.pooling.detect import detect_groups
from symbiosis.pooling.synthetic import SITES_PER_ZONE, pooled_dataset, synthetic_terms
from symbiosis.pooling.terms import load_terms

STREAMS = [("plastics", "collection"), ("solvents", "purchase")]


def test_same_seed_same_data_other_seed_other_data() -> None:
    a, b, c = (
        pooled_dataset(200, STREAMS, 3),
        pooled_dataset(200, STREAMS, 3),
        pooled_dataset(200, STREAMS, 4),
    )
    assert a == b and a.sites != c.sites


def test_sizes_sides_and_zones() -> None:
    ds = pooled_dataset(250, STREAMS, 1, hubs_per_stream=3)
    members = [s for s in ds.sites if s.id.startswith("s")]
    hubs = [s for s in ds.sites if s.id.startswith("h")]
    assert len(members) == 250 and len(hubs) == 2 * 3 and len(ds.firms) == len(ds.sites)
    # a collection stream is declared as outputs by members and taken as an input by its hubs;
    # a purchase the other way round
    assert {d.resource_code for d in ds.outputs if d.site_id.startswith("s")} == {"plastics"}
    assert {d.resource_code for d in ds.inputs if d.site_id.startswith("s")} == {"solvents"}
    assert {d.resource_code for d in ds.inputs if d.site_id.startswith("h")} == {"plastics"}
    per_site = {s.id: 0 for s in members}
    for d in (*ds.outputs, *ds.inputs):
        if d.site_id in per_site:
            per_site[d.site_id] += 1
            assert 5.0 <= d.quantity_per_yr <= 60.0
    assert set(per_site.values()) <= {1, 2}
    # every 10th site shares a zone (250 sites / 25 per zone): they lie within a few km
    zone = [s for s in members if int(s.id[1:]) % (250 // SITES_PER_ZONE) == 0]
    lats = [s.latitude_deg for s in zone]
    assert max(lats) - min(lats) < 0.15


def test_no_stream_is_refused() -> None:
    with pytest.raises(ValueError, match="streams"):
        pooled_dataset(10, [])


def test_synthetic_terms_tiers_are_all_units() -> None:
    t = synthetic_terms(STREAMS)[("plastics", "collection")]
    assert t.price_eur_per_t(59.99) == 100 and t.price_eur_per_t(60) == 80 and t.price_eur_per_t(200) == 65


def test_generate_pooling_writes_a_dataset_pools_can_use(tmp_path: Path) -> None:
    out = tmp_path / "pooled"
    r = CliRunner().invoke(app, ["generate", "--out", str(out), "--sites", "300", "--seed", "2", "--pooling"])
    assert r.exit_code == 0, r.output
    kb = load_knowledge_base()
    ds = read_dataset(out, kb)  # the written files read back through the ordinary reader
    assert len([s for s in ds.sites if s.id.startswith("s")]) == 300
    terms = load_terms(kb)
    assert {d.resource_code for d in (*ds.outputs, *ds.inputs)} == {code for code, _ in terms}
    det = detect_groups(ds, kb, terms)
    assert len(det.groups) > 10  # zones of 25 sites sharing five streams: many groups with a hub
