"""Where the dashboard reads a territory from: the graph store (default), a dataset folder, or a
synthetic national dataset (offline use, tests, and the large-data benchmark).

Everything returns domain objects (`Territory`, `Dataset`); pages never see a driver or a CSV.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from symbiosis.domain import Territory
from symbiosis.domain.dataset import Dataset
from symbiosis.errors import SymbiosisError
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.settings import Settings

DATASET_ENV = "SYMBIOSIS_DASHBOARD_DATASET"
"""A dataset folder to read instead of the graph store (set by ``symbiosis dashboard --dataset``)."""


class SourceKind(StrEnum):
    GRAPH = "graph"
    FOLDER = "folder"
    SYNTHETIC = "synthetic"


@dataclass(frozen=True)
class DataSource:
    """Hashable, so Streamlit caches can key on it — ``version`` included: a write anywhere (API,
    CLI import, this dashboard) changes it, so every cached load of the old data is left behind."""

    kind: SourceKind = SourceKind.GRAPH
    path: str = ""
    n_sites: int = 1000
    seed: int = 1
    version: int = 0
    """`GraphRepository.data_version` for the store, the folder's newest file time for a folder."""

    def describe(self) -> str:
        if self.kind is SourceKind.FOLDER:
            return f"folder {self.path}"
        if self.kind is SourceKind.SYNTHETIC:
            return f"synthetic, {self.n_sites:,} sites, seed {self.seed}"
        return "graph store"


def folder_version(path: str) -> int:
    """The newest modification time (ns) of the folder's files: a rewritten CSV is a new version."""
    folder = Path(path)
    if not folder.is_dir():
        return 0
    return max((f.stat().st_mtime_ns for f in folder.iterdir() if f.is_file()), default=0)


def default_source() -> DataSource:
    folder = os.environ.get(DATASET_ENV, "").strip()
    return DataSource(SourceKind.FOLDER, folder) if folder else DataSource()


_LOADED: dict[tuple[DataSource, int], Dataset] = {}
_LOADED_MAX = 2


def load_all(source: DataSource, kb: KnowledgeBase) -> Dataset:
    """The whole dataset of a file or synthetic source (the graph store is read per territory).

    The last two are kept: listing territories and loading one of them read the same dataset.
    """
    key = (source, id(kb))
    if key not in _LOADED:
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = _read_all(source, kb)
    return _LOADED[key]


def preload(source: DataSource, kb: KnowledgeBase, dataset: Dataset) -> None:
    """Hand over an already built dataset for a source (benchmarks: time the page, not the generator)."""
    _LOADED[(source, id(kb))] = dataset


def _read_all(source: DataSource, kb: KnowledgeBase) -> Dataset:
    if source.kind is SourceKind.FOLDER:
        from symbiosis.dataset_io import read_dataset

        path = Path(source.path)
        if not path.exists():
            raise SymbiosisError(f"dataset folder {source.path!r} does not exist: expected a dataset folder")
        return read_dataset(path, kb)
    if source.kind is SourceKind.SYNTHETIC:
        from symbiosis.synthetic import generate_dataset

        return generate_dataset(source.n_sites, source.seed, kb)
    raise ValueError("load_all reads file and synthetic sources; the graph store is read per territory")


def list_territories(source: DataSource, kb: KnowledgeBase) -> list[Territory]:
    """A file or synthetic source's territories (the graph store's come from the service layer's
    cached tree, `dashboard.frame.territories`)."""
    territories = list(load_all(source, kb).territories)
    return sorted_territories(territories)


def sorted_territories(territories: Iterable[Territory]) -> list[Territory]:
    """Widest level first, then by id: the country (holding every site) comes first."""
    return sorted(territories, key=lambda t: (t.level.rank, t.id))


def territories_with_sites(source: DataSource, kb: KnowledgeBase) -> set[str]:
    """Territories holding a site, directly or below: the only ones a page has anything to show."""
    if source.kind is SourceKind.GRAPH:
        from symbiosis.graph import open_graph

        with open_graph(Settings()) as repo:
            return repo.territories_with_sites()
    dataset = load_all(source, kb)
    parent = {t.id: t.parent_id for t in dataset.territories}
    out: set[str] = set()
    for site in dataset.sites:
        tid = site.territory_id
        while tid is not None and tid not in out:
            out.add(tid)
            tid = parent.get(tid)
    return out


def load_territory(source: DataSource, territory_id: str, kb: KnowledgeBase) -> Dataset:
    """The territory's sites (its sub-territories included), their firms and declarations."""
    if source.kind is SourceKind.GRAPH:
        from symbiosis.graph import open_graph

        with open_graph(Settings()) as repo:
            return repo.export_dataset(territory_id)
    return load_all(source, kb).restricted_to(territory_id)


def default_territory(territories: list[Territory]) -> str | None:
    """The first top-level territory (it holds every site below it)."""
    return territories[0].id if territories else None
