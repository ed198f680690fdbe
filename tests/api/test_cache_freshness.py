"""Writes that bypass the API process (a CLI import, another instance) reach it within the TTL."""

from __future__ import annotations

import time

import pytest

from symbiosis import DATASETS_DIR
from symbiosis.dataset_io import read_dataset
from symbiosis.services import cache


@pytest.fixture(scope="module")
def kalundborg():
    return read_dataset(DATASETS_DIR / "kalundborg", cache.knowledge_base())


def test_match_results_and_tree_are_rebuilt_once_older_than_the_ttl(kalundborg, monkeypatch) -> None:
    loads: list[str] = []

    def load_dataset():
        loads.append("dataset")
        return kalundborg

    def load_tree():
        loads.append("tree")
        return kalundborg.territories

    app_cache = cache.AppCache()
    app_cache.territory_match("dk", load_dataset)
    app_cache.territory_match("dk", load_dataset)
    app_cache.tree(load_tree)
    app_cache.tree(load_tree)
    assert loads == ["dataset", "tree"], "fresh entries are served from the cache"

    started = time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: started + cache.SHARED_TTL_S + 1.0)
    app_cache.territory_match("dk", load_dataset)
    app_cache.tree(load_tree)
    assert loads == ["dataset", "tree", "dataset", "tree"], "stale entries are rebuilt from the store"
