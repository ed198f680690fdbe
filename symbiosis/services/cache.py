"""What is worth keeping between requests: the knowledge base, the territory tree, consents
and each territory's matching result — each invalidated by the writes that change it.

A territory's matching result carries a **version stamp**: a write to a site, declaration or
exchange inside it (or inside one of its sub-territories) bumps the territory's version. A result
older than the current version is still served at once — while one background rebuild makes a new
one — except to the user who wrote: a writer's own next read waits for a result that includes its
write (read-your-writes). Why: with twenty writers in a territory, rebuilding synchronously after
every write made every reader wait seconds for a result already outdated by the next write
(`bench/bench_concurrency.py`). Territory, firm and bulk writes drop everything (rebuilt on demand).
Rebuilding runs under a per-territory lock, so twenty clients asking at once cause one rebuild.
Writes that bypass this process (`symbiosis import` from the CLI, another API instance) are seen
within `SHARED_TTL_S`: the tree and match results are rebuilt after that age whatever happened.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
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
REFRESH_EVERY_S = 1.0
"""At most one background rebuild per territory per this many seconds: under a stream of writes a
rebuild would otherwise start again as soon as one ends and take the CPU the writes need. Other
users' results are thus at most about this much plus one rebuild behind."""
MAX_WRITE_MARKS = 10_000
WARM_PAGES = 16
"""Pages a background rebuild computes before its result is served (the latest asked)."""
"""(user, territory) → version of the user's last write; pruned beyond this many."""


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
    version: int = 0
    """The territory's version when the load started: it holds every write up to that version."""

    @property
    def fresh(self) -> bool:
        return time.monotonic() - self.built_at < SHARED_TTL_S

    recipes: dict[Hashable, Callable[[TerritoryMatch], Any]] = field(default_factory=dict)
    """How each answered page was computed: a rebuilt result computes the latest ones again in the
    background, before readers get it, so that readers do not."""

    def page(self, key: Hashable, compute: Callable[[TerritoryMatch], Any]) -> Any:
        hit = self.pages.get(key)
        if hit is None:
            if len(self.pages) >= MAX_PAGES:
                self.pages.clear()
                self.recipes.clear()
            hit = self.pages[key] = compute(self)
            self.recipes[key] = compute
        return hit

    def warm_like(self, previous: TerritoryMatch, most: int) -> None:
        """Compute the ``most`` pages last asked of ``previous`` (a page that fails is skipped)."""
        for key, compute in list(previous.recipes.items())[-most:]:
            try:
                self.page(key, compute)
            except Exception:  # noqa: BLE001 — e.g. a filter naming a site deleted since
                continue

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
        """Bumped by `invalidate_all`: a build started before it is not kept."""
        self._versions: dict[str, int] = {}
        self._written: dict[tuple[str, str], int] = {}
        self._refreshing: set[str] = set()
        self._refreshed_at: dict[str, float] = {}
        self._refresher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="match-refresh")

    # territory tree
    def tree(self, load: Callable[[], list[Territory]]) -> TerritoryTree:
        tree = self._tree
        if tree is None or time.monotonic() - self._tree_built_at >= SHARED_TTL_S:
            tree = TerritoryTree.build(load())
            self._tree, self._tree_built_at = tree, time.monotonic()
        return tree

    # matching
    def territory_match(
        self, territory_id: str, load: Callable[[], Dataset], reader: str | None = None
    ) -> TerritoryMatch:
        """The territory's matching result. Outdated by someone else's write: served as it is while
        a background rebuild runs. Outdated by ``reader``'s own write, or older than
        `SHARED_TTL_S`, or missing: rebuilt (or waited for) now."""
        with self._lock:
            current = self._versions.get(territory_id, 0)
            needed = self._written.get((reader, territory_id), 0) if reader else 0
            hit = self._matches.get(territory_id)
        if hit is not None and hit.fresh and hit.version >= needed:
            if hit.version < current:
                self._refresh_soon(territory_id, load, current)
            return hit
        return self._build(territory_id, load, needed)

    def _build(
        self, territory_id: str, load: Callable[[], Dataset], needed: int, warm: bool = False
    ) -> TerritoryMatch:
        with self._lock:
            lock = self._build_locks.setdefault(territory_id, threading.Lock())
        with lock:
            hit = self._matches.get(territory_id)  # built by another thread while we waited?
            if hit is not None and hit.fresh and hit.version >= needed:
                return hit
            with self._lock:
                generation, version = self._generation, self._versions.get(territory_id, 0)
            built = TerritoryMatch.build(load(), knowledge_base())
            built.version = version
            if warm and hit is not None:
                built.warm_like(hit, WARM_PAGES)
            with self._lock:
                kept = self._matches.get(territory_id)
                if generation == self._generation and (kept is None or kept.version <= version):
                    self._matches[territory_id] = built
            return built

    def _refresh_soon(self, territory_id: str, load: Callable[[], Dataset], version: int) -> None:
        """One background rebuild per territory at a time (its failure only leaves the old result)."""
        with self._lock:
            if territory_id in self._refreshing:
                return
            self._refreshing.add(territory_id)

        def refresh() -> None:
            try:
                last = self._refreshed_at.get(territory_id, float("-inf"))
                time.sleep(max(0.0, last + REFRESH_EVERY_S - time.monotonic()))
                self._refreshed_at[territory_id] = time.monotonic()
                with self._lock:
                    latest = self._versions.get(territory_id, 0)  # writes during the pause included
                self._build(territory_id, load, max(version, latest), warm=True)
            except Exception:  # noqa: BLE001 — the next reader retries (synchronously if it must)
                pass
            finally:
                with self._lock:
                    self._refreshing.discard(territory_id)

        self._refresher.submit(refresh)

    def invalidate_territories(self, territory_ids: list[str], by: str | None = None) -> None:
        """A write changed these territories: bump their versions (``by`` reads its write next)."""
        with self._lock:
            if len(self._written) > MAX_WRITE_MARKS:  # keep only marks not yet satisfied
                self._written = {
                    key: v
                    for key, v in self._written.items()
                    if key[1] in self._matches and self._matches[key[1]].version < v
                }
            for tid in territory_ids:
                self._versions[tid] = version = self._versions.get(tid, 0) + 1
                if by is not None:
                    self._written[(by, tid)] = version

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
