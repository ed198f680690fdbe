"""All-or-nothing dataset imports, even when the importing process or the store dies mid-way.

Why staging rather than one transaction: a 10,000-site import is ~40,000 nodes; written in batches
it takes tens of seconds, and a batch-per-transaction import killed half-way leaves half a dataset
visible. So an import

1. records an ``(:Import {id, status: "staging", host, pid, heartbeat_at, …})`` node;
2. writes every NEW node (an id the store does not show yet) batch by batch, each marked
   ``staged_import = <import id>``. Every read statement in `queries` filters
   ``staged_import IS NULL``, so staged nodes are invisible to counts, lists, exports and matching;
3. publishes in ONE transaction: applies the rows that update visible nodes (their old version
   stays visible until then), removes the marker from every staged node, and sets the `Import`
   node's status to "published". Either that commit lands or nothing of the import is visible.

A dead import (process killed, store killed, machine rebooted) leaves staged nodes and an `Import`
node still "staging". The next import first reaps such imports: their staged nodes are deleted and
their status becomes "abandoned". An import is dead when its process is gone (same host), when
this very process runs it no more, or when its heartbeat (written with every batch) is older than
`STALE_AFTER_S` (another host).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, LiteralString, cast

from neo4j import ManagedTransaction

from symbiosis.domain.dataset import Dataset
from symbiosis.errors import SymbiosisError
from symbiosis.graph import publish_gate
from symbiosis.graph import queries as q
from symbiosis.graph import rows as r
from symbiosis.graph.rows import Row
from symbiosis.graph.session import GraphSession, Progress, trace, unavailable_as

STALE_AFTER_S = 120.0
"""An import on another host whose heartbeat is older than this is taken for dead."""
DELETE_CHUNK = 5_000

log = logging.getLogger(__name__)

_live_lock = threading.Lock()
_LIVE: set[str] = set()
"""Imports this process is running now: any other "staging" import with our pid is dead."""


class ImportConflict(SymbiosisError):
    """Another import, still running, is staging a record with the same id."""

    def __init__(self, kind: str, ids: Sequence[str], other: str) -> None:
        shown = ", ".join(sorted(ids)[:5]) + (" …" if len(ids) > 5 else "")
        super().__init__(
            f"{len(ids)} {kind} ({shown}) are being imported right now by import {other}: "
            "wait for it to finish, then import again"
        )


@dataclass(frozen=True)
class Kind:
    """One record type of a dataset, as the staged import writes it."""

    name: str
    label: str
    stage: tuple[str, ...]
    """Statements creating new rows as staged nodes (with their edges)."""
    update: tuple[str, ...]
    """The ordinary upsert statements, run for rows updating a visible node at publish."""
    to_rows: Callable[[Dataset], list[Row]]


KINDS: tuple[Kind, ...] = (
    Kind(
        "territories", "Territory", (q.STAGE_TERRITORIES,), (q.UPSERT_TERRITORIES,),
        lambda d: [r.territory_row(t) for t in d.territories],
    ),
    Kind("firms", "Firm", (q.STAGE_FIRMS,), (q.UPSERT_FIRMS,), lambda d: [r.firm_row(f) for f in d.firms]),
    Kind(
        "sites", "Site", (q.STAGE_SITES,), (q.UPSERT_SITES, q.RELINK_SITE_FIRMS, q.RELINK_SITE_TERRITORIES),
        lambda d: [r.site_row(s) for s in d.sites],
    ),
    Kind(
        "outputs", "Output", (q.STAGE_OUTPUTS,), q.OUTPUT_WRITES,
        lambda d: [r.output_row(o) for o in d.outputs],
    ),
    Kind("inputs", "Input", (q.STAGE_INPUTS,), q.INPUT_WRITES, lambda d: [r.input_row(i) for i in d.inputs]),
    Kind(
        "exchanges", "Exchange", (q.STAGE_EXCHANGES,), q.EXCHANGE_WRITES,
        lambda d: [r.exchange_row(x) for x in d.exchanges],
    ),
)  # fmt: skip
"""In dependency order: a row's references are written (staged or visible) before the row."""


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _run(tx: ManagedTransaction, uri: str, statement: str, **params: Any) -> None:
    trace(uri, statement)
    tx.run(cast(LiteralString, statement), params).consume()


@dataclass
class StagedImport:
    """One import: `stage()` writes invisible nodes, `publish()` shows them all in one commit,
    `abandon()` deletes them. `run()` does the three in order; tests call them one by one."""

    graph: GraphSession
    dataset: Dataset
    progress: Progress | None = None
    id: str = field(default_factory=lambda: f"import-{uuid.uuid4().hex}")
    updates: dict[str, list[Row]] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)

    def run(self) -> dict[str, int]:
        reap_dead_imports(self.graph)
        try:
            self.stage()
            self.publish()
        except BaseException:
            self.abandon()
            raise
        return self.written

    def begin(self) -> None:
        with _live_lock:
            _LIVE.add(self.id)
        props = {
            "id": self.id,
            "status": "staging",
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": _now_iso(),
            "heartbeat_at": time.time(),
            "rows": sum(self.dataset.counts().values()),
        }
        self.graph.run(q.IMPORT_BEGIN, props=props)

    def stage(self) -> dict[str, int]:
        """Write every new row as a staged node; keep the rows updating visible nodes for publish."""
        self.begin()
        with (
            unavailable_as(self.graph.uri),
            self.graph.driver.session(database=self.graph.database) as session,
        ):
            for kind in KINDS:
                rows = list({row["id"]: row for row in kind.to_rows(self.dataset)}.values())
                self.written[kind.name] = len(rows)
                self.updates[kind.name] = []
                size = self.graph.batch_size
                for start in range(0, len(rows), size):
                    batch = rows[start : start + size]
                    updates = session.execute_write(self._stage_batch, kind, batch)
                    self.updates[kind.name] += updates
                    if self.progress is not None:
                        self.progress(kind.name, min(start + size, len(rows)), len(rows))
                if kind.label == "Territory":  # parents may be later in the file: link once all exist
                    updated = {row["id"] for row in self.updates[kind.name]}
                    new = [row for row in rows if row["id"] not in updated]
                    for start in range(0, len(new), size):
                        session.execute_write(self._link_territories, new[start : start + size])
        return self.written

    def _stage_batch(self, tx: ManagedTransaction, kind: Kind, rows: list[Row]) -> list[Row]:
        trace(self.graph.uri, q.STAGE_EXISTING_IDS[kind.label])
        found = tx.run(cast(LiteralString, q.STAGE_EXISTING_IDS[kind.label]), ids=[row["id"] for row in rows])
        staged_by: dict[str, str | None] = {rec["id"]: rec["staged_import"] for rec in found}
        others = {i: other for i, other in staged_by.items() if other is not None and other != self.id}
        if others:
            raise ImportConflict(kind.name, list(others), next(iter(others.values())))
        fresh = [row for row in rows if row["id"] not in staged_by]
        for statement in kind.stage if fresh else ():
            _run(tx, self.graph.uri, statement, rows=fresh, import_id=self.id)
        _run(tx, self.graph.uri, q.IMPORT_HEARTBEAT, id=self.id, now=time.time())
        return [row for row in rows if staged_by.get(row["id"], self.id) is None]

    def _link_territories(self, tx: ManagedTransaction, rows: list[Row]) -> None:
        _run(tx, self.graph.uri, q.RELINK_TERRITORY_PARENTS, rows=rows)

    def publish(self) -> None:
        """ONE transaction: updates of visible nodes, every staged node made visible, status —
        between opening and closing the publish gate, so no read sees it half-applied."""
        with (
            unavailable_as(self.graph.uri),
            self.graph.driver.session(database=self.graph.database) as session,
        ):
            opened = {"id": self.id, "now": time.time(), "epoch": uuid.uuid4().hex}
            session.execute_write(_run, self.graph.uri, q.GATE_OPEN, **opened)
            try:
                session.execute_write(self._publish)
            finally:
                try:
                    session.execute_write(_run, self.graph.uri, q.GATE_CLOSE)
                except Exception as exc:  # readers settle a gate whose publisher is gone
                    log.warning("import %s could not close the publish gate (%s)", self.id, exc)
        with _live_lock:
            _LIVE.discard(self.id)
        if self.progress is not None:
            self.progress("publish", 1, 1)

    def _publish(self, tx: ManagedTransaction) -> None:
        size = self.graph.batch_size
        for kind in KINDS:
            rows = self.updates.get(kind.name, [])
            for start in range(0, len(rows), size):
                for statement in kind.update:
                    _run(tx, self.graph.uri, statement, rows=rows[start : start + size])
            if kind.label == "Territory":
                for start in range(0, len(rows), size):
                    _run(tx, self.graph.uri, q.RELINK_TERRITORY_PARENTS, rows=rows[start : start + size])
        for label in q.STAGED_LABELS:
            _run(tx, self.graph.uri, q.PUBLISH_STAGED[label], import_id=self.id)
        finished = {"status": "published", "finished_at": _now_iso()}
        _run(tx, self.graph.uri, q.IMPORT_FINISH, id=self.id, props=finished)
        _run(tx, self.graph.uri, q.BUMP_DATA_VERSION)  # readers' caches see the import at once

    def abandon(self, status: str = "failed") -> None:
        """Delete what this import staged (best effort: the store may be the thing that died)."""
        with _live_lock:
            _LIVE.discard(self.id)
        try:
            delete_staged(self.graph, self.id, status)
        except Exception as exc:  # the next import reaps it; the original error matters more
            log.warning("import %s could not be cleaned now (%s): the next import will", self.id, exc)


def delete_staged(graph: GraphSession, import_id: str, status: str) -> int:
    """Delete an import's staged nodes (children first), then record its final status."""
    deleted = 0
    for label in reversed(q.UNIQUE_ID_LABELS):
        while (
            n := graph.run(q.DELETE_STAGED[label], import_id=import_id, limit=DELETE_CHUNK)[0]["deleted"]
        ) > 0:
            deleted += n
    graph.run(q.DELETE_STAGED_RESOURCES, import_id=import_id)
    graph.run(q.PUBLISH_STAGED["Resource"], import_id=import_id)  # still used by a published node
    graph.run(q.IMPORT_FINISH, id=import_id, props={"status": status, "finished_at": _now_iso()})
    return deleted


def _is_dead(props: dict[str, Any]) -> bool:
    if props.get("host") == socket.gethostname():
        pid = int(props.get("pid") or 0)
        if pid == os.getpid():
            with _live_lock:
                return props["id"] not in _LIVE
        if not _pid_alive(pid):
            return True
    return time.time() - float(props.get("heartbeat_at") or 0.0) > STALE_AFTER_S


def _pid_alive(pid: int) -> bool:
    """Whether a process runs under ``pid`` (a zombie — killed, not yet reaped — does not)."""
    if pid <= 0:
        return False
    if Path("/proc/self").exists():
        try:
            state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state != "Z"
    try:  # no procfs (macOS): the signal-0 probe
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _unpublished(graph: GraphSession) -> list[dict[str, Any]]:
    """Imports staging or publishing (read past the publish gate: the gate's own recovery uses it)."""
    return [dict(rec["props"]) for rec in graph.read_now(q.IMPORTS_STAGING, {})]


def dead_publishers_only(graph: GraphSession) -> bool:
    """Whether every import caught publishing is dead (then an open publish gate may be closed)."""
    return all(_is_dead(props) for props in _unpublished(graph) if props.get("status") == "publishing")


def reap_dead_imports(graph: GraphSession) -> list[str]:
    """Delete the staged leftovers of every dead import and close the publish gate it may have left
    open; returns their ids. Run by every import, the API's start and `symbiosis graph start|init`."""
    dead = [props["id"] for props in _unpublished(graph) if _is_dead(props)]
    for import_id in dead:
        log.warning("cleaning the leftovers of import %s, which died before publishing", import_id)
        delete_staged(graph, import_id, "abandoned")
    publish_gate.settle(graph)
    return dead


def imports(graph: GraphSession) -> list[dict[str, Any]]:
    """Every import the store remembers, oldest first (status staging, published, failed, abandoned)."""
    return [dict(rec["props"]) for rec in graph.read(q.IMPORTS_ALL)]
