"""The thin layer between the repository and the driver: run statements, batch writes, and turn
every "store is gone" failure into one `GraphStoreUnavailable` naming the URI.

The driver is created by `symbiosis.graph.connection` and passed in, so tests and the API can
hand over any driver (embedded ArcadeDB or Neo4j 5) and the repository never opens connections
on its own.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString, cast

from neo4j import READ_ACCESS, Driver, ManagedTransaction, Record
from neo4j.exceptions import (
    AuthError,
    ConnectionAcquisitionTimeoutError,
    DatabaseUnavailable,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ResultFailedError,
    ServiceUnavailable,
    SessionExpired,
)

from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph import publish_gate
from symbiosis.graph.combiner import WriteCombiner
from symbiosis.graph.rows import Row

log = logging.getLogger(__name__)
"""At DEBUG, one record per statement sent, with ``graph_uri`` and ``cypher`` attributes (the
test-suite uses them to check that every statement of `queries` ran on every engine)."""

Progress = Callable[[str, int, int], None]
"""``progress(kind, rows_done, rows_total)`` after each batch."""

_UNAVAILABLE = (
    ServiceUnavailable,
    SessionExpired,
    DatabaseUnavailable,
    ConnectionAcquisitionTimeoutError,
    IncompleteCommit,
)


@contextlib.contextmanager
def _original_error() -> Iterator[None]:
    """The driver sometimes reports a statement's failure as ``ResultFailedError`` ("another result
    in the same transaction has encountered an error") caused by the real one — seen with a
    uniqueness violation under 20 concurrent writers on Neo4j: the driver's rollback after the
    failure re-reads the failed result and raises that instead. Raise the real one, so callers see
    a `ConstraintError` as such."""
    try:
        yield
    except ResultFailedError as exc:
        if isinstance(exc.__cause__, Neo4jError | DriverError):
            raise exc.__cause__ from None
        raise


@contextlib.contextmanager
def unavailable_as(uri: str) -> Iterator[None]:
    """Re-raise connection-level failures as `GraphStoreUnavailable`, without the driver's chain,
    and a statement's failure as itself (see `_original_error`)."""
    try:
        with _original_error():
            yield
    except AuthError as exc:
        raise GraphStoreUnavailable(uri, f"authentication failed ({exc.message or exc})") from None
    except _UNAVAILABLE as exc:
        raise GraphStoreUnavailable(uri, _one_line(exc)) from None
    except OSError as exc:
        raise GraphStoreUnavailable(uri, str(exc)) from None


def _one_line(exc: BaseException) -> str:
    """The driver's multi-line message on one line (the CLI prints one line per error)."""
    return " ".join(part.strip() for part in str(exc).splitlines() if part.strip()) or type(exc).__name__


def trace(uri: str, statement: str) -> None:
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s: %s", uri, statement.strip(), extra={"graph_uri": uri, "cypher": statement})


def _run_all(tx: ManagedTransaction, uri: str, statements: Sequence[str], rows: list[Row]) -> None:
    for statement in statements:
        trace(uri, statement)
        tx.run(cast(LiteralString, statement), rows=rows).consume()


class GraphSession:
    """A driver bound to one database, with batched writes and translated errors."""

    def __init__(self, driver: Driver, uri: str, database: str | None, batch_size: int = 2000) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size = {batch_size}: expected a positive number of rows")
        self.driver = driver
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        self._write_combiner: WriteCombiner | None = None

    write_stamp: str | None = None
    """A statement run at the end of every batched write's transaction (the repository's data-version
    bump), or None."""

    def read(self, query: str, **params: Any) -> list[Record]:
        """One read statement, never answered during an import's publish commit (`publish_gate`)."""
        if not publish_gate.needs_gate(query):
            return self.read_now(query, params)
        return publish_gate.consistent(self, lambda: self.read_now(query, params))

    def read_now(self, query: str, params: dict[str, Any]) -> list[Record]:
        """One read statement, auto-commit: a single statement needs no explicit transaction, and
        BEGIN + COMMIT cost two extra round trips (4.1 ms instead of 1.7 ms for a ping on ArcadeDB).
        An auto-commit statement is not retried by the driver, so a connection found broken (Neo4j
        under concurrent writers: "Failed to read from defunct connection") is retried once as a
        managed read transaction, which the driver retries on a fresh connection."""
        trace(self.uri, query)
        with unavailable_as(self.uri):
            try:
                with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as s:
                    return list(s.run(cast(LiteralString, query), params))
            except (ServiceUnavailable, SessionExpired):
                pass  # below, as a managed transaction: retried on a fresh connection
            with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as s:
                return list(s.execute_read(_fetch, self.uri, query, params))

    def run(self, query: str, **params: Any) -> list[Record]:
        """One auto-commit statement: schema changes only (they cannot share a transaction with
        writes). Data goes through `write`: ArcadeDB does not roll back a failed auto-commit
        statement (docs/GRAPH_MODEL.md, differences), and only managed transactions are retried."""
        trace(self.uri, query)
        with unavailable_as(self.uri), self.driver.session(database=self.database) as session:
            return list(session.run(cast(LiteralString, query), params))

    def write(self, query: str, *, stamped: bool = False, **params: Any) -> list[Record]:
        """One statement in a managed write transaction: all or nothing, retried by the driver on
        transient errors (deadlocks, leader switches, ArcadeDB's concurrent-modification).
        ``stamped``: `write_stamp` runs in the same transaction (readers see the change and the new
        data version together, or neither)."""
        stamp = self.write_stamp if stamped else None
        with unavailable_as(self.uri), self.driver.session(database=self.database) as session:
            return list(session.execute_write(_fetch, self.uri, query, params, stamp))

    def write_all(self, statements: Sequence[str], *, stamped: bool = False, **params: Any) -> None:
        """Several statements with the same parameters in ONE managed write transaction (and
        `write_stamp` last when ``stamped``)."""
        stamp = [self.write_stamp] if stamped and self.write_stamp else []
        with unavailable_as(self.uri), self.driver.session(database=self.database) as session:
            session.execute_write(_run_each, self.uri, [*statements, *stamp], params)

    def write_batches(
        self,
        kind: str,
        statements: Sequence[str],
        rows: Sequence[Row],
        progress: Progress | None = None,
        fast_path: FastPath | None = None,
    ) -> int:
        """Run ``statements`` over ``rows`` batch by batch, each batch in ONE transaction.

        A write that fits one batch (the API's single objects) goes through the process's write
        combiner (`symbiosis.graph.combiner`): committed in one transaction together with the other
        small writes queued meanwhile, by one thread, so concurrent writers never clash.

        A batch lands whole or not at all; batches before a failing one stay written (re-running
        the import is safe: every statement is an upsert). Rows are de-duplicated by id, the last
        one winning, as a MERGE would. With ``fast_path`` (a query returning which ids already
        exist, and statements that create), rows whose id is new take the create statements and
        only the others the upsert ones — decided inside the same transaction.
        """
        unique = list({row["id"]: row for row in rows}.values())
        total = len(unique)
        if 0 < total <= self.batch_size and progress is None:  # one small write: combine it with others
            with unavailable_as(self.uri):
                fast = (fast_path.existing_ids, tuple(fast_path.create)) if fast_path else None
                self._combiner().submit((tuple(statements), fast), unique)
            return total
        with unavailable_as(self.uri), self.driver.session(database=self.database) as session:
            for start in range(0, total, self.batch_size):
                batch = unique[start : start + self.batch_size]
                session.execute_write(_write_batch, self.uri, statements, batch, fast_path, self.write_stamp)
                if progress is not None:
                    progress(kind, min(start + self.batch_size, total), total)
        return total

    def _combiner(self) -> WriteCombiner:
        with _COMBINER_LOCK:
            if self._write_combiner is None:
                self._write_combiner = WriteCombiner(self._commit_combined)
            return self._write_combiner

    def _commit_combined(self, key: tuple[Any, ...], rows: list[Row]) -> None:
        """One transaction for the rows of several callers (the same id twice: the later wins)."""
        statements, fast = key
        fast_path = FastPath(fast[0], fast[1]) if fast else None
        unique = list({row["id"]: row for row in rows}.values())
        with self.driver.session(database=self.database) as session:
            session.execute_write(_write_batch, self.uri, statements, unique, fast_path, self.write_stamp)


_COMBINER_LOCK = threading.Lock()


@dataclass(frozen=True)
class FastPath:
    existing_ids: str
    """``UNWIND $ids …`` returning the ``id`` of each node that exists."""
    create: Sequence[str]


def _write_batch(
    tx: ManagedTransaction,
    uri: str,
    statements: Sequence[str],
    rows: list[Row],
    fast: FastPath | None,
    stamp: str | None = None,
) -> None:
    """The rows, then ``stamp`` (last: the one node every writer updates is locked for the shortest
    time); a transaction that rolls back stamps nothing, one that commits stamps once."""
    _write_rows(tx, uri, statements, rows, fast)
    if stamp is not None:
        trace(uri, stamp)
        tx.run(cast(LiteralString, stamp)).consume()


def _write_rows(
    tx: ManagedTransaction, uri: str, statements: Sequence[str], rows: list[Row], fast: FastPath | None
) -> None:
    if fast is None:
        _run_all(tx, uri, statements, rows)
        return
    trace(uri, fast.existing_ids)
    existing = {
        rec["id"] for rec in tx.run(cast(LiteralString, fast.existing_ids), ids=[r["id"] for r in rows])
    }
    fresh = [r for r in rows if r["id"] not in existing]
    if fresh:
        _run_all(tx, uri, fast.create, fresh)
    if len(fresh) < len(rows):
        _run_all(tx, uri, statements, [r for r in rows if r["id"] in existing])


def _run_each(tx: ManagedTransaction, uri: str, statements: Sequence[str], params: dict[str, Any]) -> None:
    for statement in statements:
        trace(uri, statement)
        tx.run(cast(LiteralString, statement), params).consume()


def _fetch(
    tx: ManagedTransaction, uri: str, query: str, params: dict[str, Any], stamp: str | None = None
) -> list[Record]:
    trace(uri, query)
    records = list(tx.run(cast(LiteralString, query), params))
    if stamp is not None:
        trace(uri, stamp)
        tx.run(cast(LiteralString, stamp)).consume()
    return records
