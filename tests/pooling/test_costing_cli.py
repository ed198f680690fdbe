"""A pooled contract against hand-computed separate contracts; `symbiosis pools` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.matching.geo import unit_xyz
from symbiosis.pooling.costing import Member, PoolCoster
from symbiosis.pooling.terms import PriceTier, StreamTerms, Vehicle

ROOT = Path(__file__).resolve().parents[2]


def _member(i: int, lon: float, t: float) -> Member:
    xyz = tuple(unit_xyz(np.array([0.0]), np.array([lon]))[0].tolist())
    return Member(f"d{i}", f"s{i}", f"S{i}", xyz, t, t / 12, 100.0, False)


def test_two_members_on_a_line_share_one_tour() -> None:
    # hub at lon 0, members at 0.1° and 0.2° on the equator: 11.12 and 22.24 km (R = 6371.0088)
    terms = StreamTerms("plastics", "collection", 10.0, 1, 500.0, (PriceTier(0, 100), PriceTier(20, 80)))
    veh = Vehicle(cost_eur_per_km=2.0, co2_kg_per_km=1.0, road_detour_factor=1.0)
    hub = tuple(unit_xyz(np.array([0.0]), np.array([0.0]))[0].tolist())
    c = PoolCoster(hub, [_member(0, 0.1, 12.0), _member(1, 0.2, 12.0)], terms, veh)
    km1 = 6371.0088 * np.radians(0.1)
    # alone: 12 calls × 2·d, 2 €/km; price 100 €/t × 12 t (declared today price)
    assert c.alone(0).truck_km == pytest.approx(12 * 2 * km1)
    assert c.alone(1).total_eur == pytest.approx(12 * 2 * 2 * km1 * 2.0 + 1200.0)
    pooled = c.cost((0, 1))  # one tour hub → 2 → 1 → hub = 4·km1; 24 t reaches the 80 €/t tier
    assert pooled.truck_km == pytest.approx(12 * 4 * km1)
    assert pooled.total_eur == pytest.approx(12 * 4 * km1 * 2.0 + 24 * 80 + 500.0)
    assert pooled.co2_t == pytest.approx(12 * 4 * km1 / 1000)
    assert c.value((0, 1), 100.0) == pytest.approx(pooled.total_eur + 100.0 * pooled.co2_t)


def test_pools_command_on_the_example_zone(tmp_path: Path) -> None:
    out = tmp_path / "pools.json"
    res = CliRunner().invoke(
        app,
        [
            "pools",
            "--dataset",
            str(ROOT / "datasets/zone_laigle"),
            "--territory",
            "cc_pays_de_laigle",
            "--carbon-price",
            "100",
            "--json",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Pool 1: plastics" in res.output and "Plasturgie A (moulage)" in res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["choice"]["gap"] <= 1e-6
    for p in doc["pools"]:
        assert p["saving_eur_per_yr"] > 0
        assert sum(m["shapley_eur"] for m in p["members"]) == pytest.approx(p["pool_eur"])
        assert sum(m["pro_rata_eur"] for m in p["members"]) == pytest.approx(p["pool_eur"])


def test_pools_command_names_a_bad_option() -> None:
    res = CliRunner().invoke(
        app, ["pools", "--dataset", str(ROOT / "datasets/zone_laigle"), "--reach-km", "0"]
    )
    assert res.exit_code != 0
    assert "--reach-km = 0.0: expected a number > 0 (km)" in str(res.exception) + res.output


def test_a_peak_month_above_the_truck_doubles_the_calls_and_the_km() -> None:
    terms = StreamTerms("plastics", "collection", 10.0, 1, 0.0, (PriceTier(0, 100),))
    veh = Vehicle(cost_eur_per_km=2.0, co2_kg_per_km=1.0, road_detour_factor=1.0)
    hub = tuple(unit_xyz(np.array([0.0]), np.array([0.0]))[0].tolist())
    xyz = tuple(unit_xyz(np.array([0.0]), np.array([0.1]))[0].tolist())
    km1 = 6371.0088 * np.radians(0.1)
    at_capacity = PoolCoster(hub, [Member("d", "s", "S", xyz, 60.0, 10.0, 100.0, False)], terms, veh)
    assert at_capacity.alone(0).pickups_per_month == 1
    assert at_capacity.alone(0).truck_km == pytest.approx(12 * 1 * 2 * km1)
    above = PoolCoster(hub, [Member("d", "s", "S", xyz, 60.0, 10.5, 100.0, False)], terms, veh)
    assert above.alone(0).pickups_per_month == 2
    assert above.alone(0).truck_km == pytest.approx(12 * 2 * 2 * km1)
