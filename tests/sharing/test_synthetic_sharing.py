"""Seeded offers and needs: written in the dataset format, read back identical; same seed, same files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.dataset_io import write_dataset
from symbiosis.sharing.categories import load_categories
from symbiosis.sharing.matching import match
from symbiosis.sharing.records import read_sharing
from symbiosis.sharing.slots import parse_slots
from symbiosis.sharing.synthetic import slots_text, synthetic_sharing, write_sharing
from symbiosis.synthetic import generate_dataset


def test_slots_text_reads_back() -> None:
    rng = np.random.default_rng(5)
    for _ in range(100):
        mask = rng.random(168) < 0.3
        assert (parse_slots(slots_text(mask)) == mask).all()
    across = parse_slots("dim 22:00-02:00")
    assert slots_text(across) == "166-168;0-2"  # one run across the week's end, as two ranges


def test_written_then_read_back_is_the_same(tmp_path: Path, kb) -> None:  # noqa: ANN001
    ds = generate_dataset(300, 4, kb)
    write_dataset(ds, tmp_path)
    offers, needs = synthetic_sharing(ds, load_categories(), 4)
    assert 100 < len(offers) < 200 and 150 < len(needs) < 260
    write_sharing(offers, needs, tmp_path)
    data = read_sharing(tmp_path, kb)
    for a, b in zip(offers, data.offers, strict=True):
        same = ("id", "site_id", "category", "capacity", "months", "price_eur_per_unit_h", "max_distance_km")
        assert [getattr(a, f) for f in same] == [getattr(b, f) for f in same]
        assert (a.free == b.free).all() and (a.used == b.used).all()
    for a, b in zip(needs, data.needs, strict=True):
        assert (a.id, a.capacity, a.budget_eur_per_unit_h, a.max_distance_km) == (
            b.id, b.capacity, b.budget_eur_per_unit_h, b.max_distance_km,
        )  # fmt: skip
        assert (a.hours == b.hours).all()
    m, _ = match(data, 2026)
    assert m.fits.sum() > 10  # needs are drawn so that a good share of them fit something


def test_generate_with_sharing_is_seeded(tmp_path: Path) -> None:
    for name in ("a", "b"):
        argv = ["generate", "--out", str(tmp_path / name), "--sites", "200", "--seed", "9", "--sharing"]
        res = CliRunner().invoke(app, argv)
        assert res.exit_code == 0, res.output
        assert "sharing offers" in res.output
    for file in ("sharing_offers.csv", "sharing_needs.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()
