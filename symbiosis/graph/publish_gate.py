"""Readers never see an import half-published, on either engine: a sequence lock in the store.

Why: the publish transaction of a staged import (`symbiosis.graph.staging`) is all or nothing
through a crash, but embedded ArcadeDB applies a large commit record by record and its reads are no
snapshot — a reader running during that commit once counted an import's firms but not its sites.
A single record, however, changes atomically on both engines. So one ``(:PublishGate {id:
'imports'})`` record counts publishes ``begun`` and ``done``:

* the publisher bumps ``begun`` (own commit), runs the publish transaction, then bumps ``done``
  (own commit, after the publish commit has returned, i.e. is fully applied);
* every read (`consistent`) needs a look at the gate taken before its statement starts and one
  after it ends, and keeps the answer only if the gate was closed (``done == begun``) at the first
  look and ``begun`` did not move by the second: a publish overlapping the statement either had
  begun before it (gate open at the first look) or began during it (``begun`` moved at the second
  look). Otherwise it waits and reads again. The first look need not be fresh: ANY look this
  process finished before the statement started will do (the argument above holds for any earlier
  moment), so the last look of any thread is reused and a read costs one extra round trip, not two.
* only statements that can see imported data need it: those filtering ``staged_import`` (every
  read of an import's labels does, `tests/graph/test_import_atomic.py`); users, tokens, runs and the
  data version are never written by an import and skip the gate.

A publisher killed between its two bumps leaves the gate open: readers waiting longer than
`STUCK_AFTER_S` settle it when no live process publishes any more (`settle`), as do the start of
the API, `symbiosis graph start|init` and the next import (`staging.reap_dead_imports`).
Cost: one single-record read per statement of imported data (≈ 1–2 ms on loopback Bolt).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph import queries as q

if TYPE_CHECKING:
    from symbiosis.graph.session import GraphSession

POLL_S = 0.02
"""How often a reader looks at an open gate again."""
STUCK_AFTER_S = 10.0
"""An open gate older than this is checked for a dead publisher (a live one may take longer)."""
WAIT_AT_MOST_S = 300.0
"""A read waiting this long for a live publish gives up with a clear error."""

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gate:
    begun: int
    done: int
    epoch: str | None = None
    """Drawn when the gate record is created: a store cleared (`GraphRepository.clear`) restarts
    the counters, and a look from before must not match a new gate's equal counts."""

    @property
    def open(self) -> bool:
        return self.done < self.begun


_LAST: dict[tuple[str, str | None], Gate] = {}
"""The last look at each store's gate that any thread of this process finished."""


def look(graph: GraphSession) -> Gate:
    rec = graph.read_now(q.GATE_READ, {})[0]
    gate = Gate(int(rec["begun"]), int(rec["done"]), rec["epoch"])
    _LAST[(graph.uri, graph.database)] = gate
    return gate


def needs_gate(query: str) -> bool:
    """Whether ``query`` can see what an import writes (it filters the staging marker)."""
    return "staged_import" in query


def consistent(graph: GraphSession, read: Callable[[], T]) -> T:
    """``read()``'s answer, taken while no publish ran (see the module's docstring)."""
    waiting_since: float | None = None
    before = _LAST.get((graph.uri, graph.database))  # finished before ``read`` starts: valid
    while True:
        if before is None or before.open:
            before = look(graph)
        if not before.open:
            answer = read()
            after = look(graph)
            if after == before:  # closed before, and no publish began (nor the gate was re-made)
                return answer
            before = after  # a fresh look: the next try may start from it
            continue
        before = None
        now = time.monotonic()
        waiting_since = waiting_since if waiting_since is not None else now
        if now - waiting_since > STUCK_AFTER_S and settle(graph):
            continue
        if now - waiting_since > WAIT_AT_MOST_S:
            raise GraphStoreUnavailable(
                graph.uri, f"an import has been publishing for over {WAIT_AT_MOST_S:.0f} s; try again later"
            )
        time.sleep(POLL_S)


def settle(graph: GraphSession) -> bool:
    """Close an open gate whose publishers are all dead; True when closed (or not open)."""
    from symbiosis.graph.staging import dead_publishers_only  # staging imports the session layer

    if not look(graph).open:
        return True
    if not dead_publishers_only(graph):
        return False
    log.warning("closing the publish gate left open by a dead import")
    graph.write(q.GATE_SETTLE)
    return True
