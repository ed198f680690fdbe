"""Concurrent creates of the same key: the uniqueness constraint decides, on every engine. Exactly
one of 20 threads creates the record; the 19 others get `DuplicateKey` naming the field, and the
store holds one node. (The API's 409 on top of this: tests/api/test_api_races.py.)"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from symbiosis.domain import Firm
from symbiosis.errors import DuplicateKey
from symbiosis.graph import GraphRepository
from symbiosis.graph.app_state import AppStateRepository

pytestmark = pytest.mark.graph

WRITERS = 20


def _race(create: Callable[[int], None]) -> tuple[int, list[DuplicateKey]]:
    """Run ``create(i)`` for 20 threads released together; (successes, conflicts)."""
    barrier = threading.Barrier(WRITERS)

    def one(i: int) -> DuplicateKey | None:
        barrier.wait()
        try:
            create(i)
        except DuplicateKey as exc:
            return exc
        return None

    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = list(pool.map(one, range(WRITERS)))
    conflicts = [o for o in outcomes if o is not None]
    return WRITERS - len(conflicts), conflicts


def test_twenty_concurrent_users_with_one_email(graph: GraphRepository) -> None:
    repo = AppStateRepository(graph.driver, graph.uri, graph.database, graph.batch_size)
    created, conflicts = _race(
        lambda i: repo.create_record(
            "User", {"id": f"u-{uuid.uuid4().hex}", "email": "same@example.org", "n": i}
        )
    )
    assert created == 1
    assert {(c.label, c.field, c.value) for c in conflicts} == {("User", "email", "same@example.org")}
    assert len(repo.list_records("User")) == 1


def test_twenty_concurrent_creates_of_one_firm_id(graph: GraphRepository) -> None:
    created, conflicts = _race(lambda i: graph.create_firm(Firm(id="f-race", name=f"Firm {i}")))
    assert created == 1
    assert {(c.label, c.field, c.value) for c in conflicts} == {("Firm", "id", "f-race")}
    assert graph.counts()["firms"] == 1


def test_concurrent_creates_of_distinct_ids_all_succeed(graph: GraphRepository) -> None:
    created, conflicts = _race(lambda i: graph.create_firm(Firm(id=f"f-{i}", name=f"Firm {i}")))
    assert (created, conflicts) == (WRITERS, [])
    assert graph.counts()["firms"] == WRITERS


def test_a_failure_reported_as_result_failed_is_raised_as_itself() -> None:
    """Under concurrent writers the driver may report a uniqueness violation as ResultFailedError
    (caused by the ConstraintError); the session layer raises the ConstraintError itself."""
    from neo4j.exceptions import ConstraintError, ResultFailedError

    from symbiosis.graph.session import unavailable_as

    original = ConstraintError("Node(1) already exists")
    with pytest.raises(ConstraintError) as err:
        with unavailable_as("bolt://test"):
            raise ResultFailedError(None, "The result has failed.") from original
    assert err.value is original
    with pytest.raises(ResultFailedError):  # without a driver error as cause: left alone
        with unavailable_as("bolt://test"):
            raise ResultFailedError(None, "The result has failed.")


def test_twenty_concurrent_ends_of_one_run_leave_the_first(graph: GraphRepository) -> None:
    """A cancel and the worker's "done" racing on one run (the API's cancel and the dashboard's
    worker are different processes): exactly one end is written, and the record holds it — a later
    writer never overwrites it, as a look-then-write did."""
    repo = AppStateRepository(graph.driver, graph.uri, graph.database, graph.batch_size)
    repo.save_record("Run", {"id": "r-race", "status": "running"})
    ended = ("done", "failed", "cancelled")
    barrier = threading.Barrier(WRITERS)

    def end(i: int) -> dict | None:
        barrier.wait()
        status = "done" if i % 2 else "cancelled"
        return repo.patch_run_unless_ended("r-race", {"status": status, "by": i}, ended)

    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = [o for o in pool.map(end, range(WRITERS)) if o is not None]
    assert len(outcomes) == 1, outcomes
    assert repo.get_record("Run", "r-race") == outcomes[0]
