"""What is worth keeping between requests: the knowledge base, the territory tree, consents
and each territory's matching result — each invalidated by the writes that change it.

A territory's `MatchingService` is dropped when a site, declaration or exchange inside it (or
inside one of its sub-territories) changes; territory, firm and bulk writes drop everything.
Rebuilding runs under a per-territory lock, so twenty clients asking at once cause one rebuild.
Writes that bypass this process (`symbiosis import` from the CLI, another API instance) are seen
within `SHARED_TTL_S`: the tree and match results are rebuilt after that age whatever happened.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from symbiosis.domain import Territory
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import Confidentiality
from symbiosis.knowledge import KnowledgeBase, load_knowledge_base
from symbiosis.matching.service import MatchingService

SHARED_TTL_S = 60.0
MAX_PAGES = 512


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    return load_knowledge_base()


@dataclass
class TerritoryMatch:
    """A territory's matching result and the look-ups confidentiality needs (site → firm, names,
    declaration levels)."""

    service: MatchingService
    dataset: Dataset
    site_firm: dict[str, str]
    firm_names: dict[str, str]
    levels: dict[tuple[str, str], Confidentiality] = field(default_factory=dict)
    """Each declaration's confidentiality, keyed by ("output" | "input", id)."""
    pages: dict[Hashable, Any] = field(default_factory=dict)
    """Answered queries (same filters, same page → same rows): dropped with the whole entry."""
    built_at: float = field(default_factory=time.monotonic)

    @property
    def fresh(self) -> bool:
        return time.monotonic() - self.built_at < SHARED_TTL_S

    def page(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        hit = self.pages.get(key)
        if hit is None:
            if len(self.pages) >= MAX_PAGES:
                self.pages.clear()
            hit = self.pages[key] = compute()
        return hit

    @staticmethod
    def build(dataset: Dataset, kb: KnowledgeBase) -> TerritoryMatch:
        return TerritoryMatch(
            service=MatchingService(dataset, kb),
            dataset=dataset,
            site_firm={s.id: s.firm_id for s in dataset.sites},
            firm_names={f.id: f.name for f in dataset.firms},
            levels={("output", d.id): d.confidentiality for d in dataset.outputs}
            | {("input", d.id): d.confidentiality for d in dataset.inputs},
        )


@dataclass
class TerritoryTree:
    territories: dict[str, Territory]
    children: dict[str, list[str]] = field(default_factory=dict)

    @staticmethod
    def build(items: list[Territory]) -> TerritoryTree:
        children: dict[str, list[str]] = {}
        for t in items:
            if t.parent_id:
                children.setdefault(t.parent_id, []).append(t.id)
        return TerritoryTree({t.id: t for t in items}, children)

    def descendants(self, roots: tuple[str, ...] | list[str]) -> set[str]:
        """The roots and every territory nested in them (roots unknown to the tree are skipped)."""
        out: set[str] = set()
        todo = [t for t in roots if t in self.territories]
        while todo:
            tid = todo.pop()
            if tid not in out:
                out.add(tid)
                todo.extend(self.children.get(tid, []))
        return out

    def ancestors(self, territory_id: str | None) -> list[str]:
        """The territory and its parent chain, innermost first."""
        out: list[str] = []
        while territory_id is not None and territory_id in self.territories and territory_id not in out:
            out.append(territory_id)
            territory_id = self.territories[territory_id].parent_id
        return out


class AppCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tree: TerritoryTree | None = None
        self._tree_built_at = 0.0
        self._matches: dict[str, TerritoryMatch] = {}
        self._build_locks: dict[str, threading.Lock] = {}
        self._disclosed: dict[str, tuple[float, set[str]]] = {}
        self._generation = 0

    # territory tree
    def tree(self, load: Callable[[], list[Territory]]) -> TerritoryTree:
        tree = self._tree
        if tree is None or time.monotonic() - self._tree_built_at >= SHARED_TTL_S:
            tree = TerritoryTree.build(load())
            self._tree, self._tree_built_at = tree, time.monotonic()
        return tree

    # matching
    def territory_match(self, territory_id: str, load: Callable[[], Dataset]) -> TerritoryMatch:
        hit = self._matches.get(territory_id)
        if hit is not None and hit.fresh:
            return hit
        with self._lock:
            lock = self._build_locks.setdefault(territory_id, threading.Lock())
        with lock:
            hit = self._matches.get(territory_id)
            if hit is not None and hit.fresh:
                return hit
            generation = self._generation
            built = TerritoryMatch.build(load(), knowledge_base())
            with self._lock:
                if generation == self._generation:  # no write landed while building
                    self._matches[territory_id] = built
            return built

    def invalidate_territories(self, territory_ids: list[str]) -> None:
        with self._lock:
            self._generation += 1
            for tid in territory_ids:
                self._matches.pop(tid, None)

    def invalidate_all(self) -> None:
        with self._lock:
            self._generation += 1
            self._matches.clear()
            self._tree = None

    # consents: a write through this process drops the entry at once; one through another process
    # (the API while the dashboard reads, or a second API instance) is seen within SHARED_TTL_S
    def disclosed(self, firm_id: str, load: Callable[[], set[str]]) -> set[str]:
        hit = self._disclosed.get(firm_id)
        now = time.monotonic()
        if hit is None or now - hit[0] >= SHARED_TTL_S:
            hit = self._disclosed[firm_id] = (now, load())
        return hit[1]

    def forget_consents(self, *firm_ids: str) -> None:
        for firm_id in firm_ids:
            self._disclosed.pop(firm_id, None)
