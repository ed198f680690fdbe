"""A small sharing dataset written into a temporary folder, rows given by each test."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from symbiosis.knowledge import load_knowledge_base
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.sharing.records import NEED_COLUMNS, OFFER_COLUMNS

# two sites 0.1° of latitude apart on the same meridian: 11.12 km (R = 6371.0088 km)
SITES = [
    {"id": "s_a", "firm_id": "f_a", "name": "Site A", "latitude_deg": "45.0", "longitude_deg": "5.0"},
    {"id": "s_b", "firm_id": "f_b", "name": "Site B", "latitude_deg": "45.1", "longitude_deg": "5.0"},
    {"id": "s_c", "firm_id": "f_c", "name": "Site C", "latitude_deg": "45.0", "longitude_deg": "5.0"},
]


def _write(path: Path, columns: tuple[str, ...] | list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns))
        w.writeheader()
        for r in rows:
            w.writerow(r)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture
def make_dataset(tmp_path: Path) -> Callable[[list[dict[str, str]], list[dict[str, str]]], Path]:
    def make(offers: list[dict[str, str]], needs: list[dict[str, str]]) -> Path:
        folder = tmp_path / "ds"
        folder.mkdir(exist_ok=True)
        _write(folder / "firms.csv", ["id", "name"], [{"id": s["firm_id"], "name": s["name"]} for s in SITES])
        _write(folder / "sites.csv", list(SITES[0]), SITES)
        _write(folder / "sharing_offers.csv", OFFER_COLUMNS, offers)
        _write(folder / "sharing_needs.csv", NEED_COLUMNS, needs)
        return folder

    return make


def offer(**kw: str) -> dict[str, str]:
    base = {
        "id": "o1",
        "site_id": "s_a",
        "category": "hall",
        "capacity": "400",
        "slots": "lun-ven 18:00-23:00",
    }
    return {**base, **kw}


def need(**kw: str) -> dict[str, str]:
    base = {"id": "n1", "site_id": "s_b", "category": "hall", "capacity": "300", "slots": "mar 19:00-22:00"}
    return {**base, **kw}
