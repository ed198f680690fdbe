"""Write combining: concurrent small writes share commits, errors stay with their caller, and on a
real store twenty concurrent single-object upserts all land, exactly once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from symbiosis.domain import Firm, OutputDeclaration, Site
from symbiosis.domain.dataset import Dataset
from symbiosis.graph import GraphRepository
from symbiosis.graph.combiner import WriteCombiner

WAIT_S = 60.0


class BlockingCommit:
    """Records each commit's rows; the first commit waits for ``release`` (a slow transaction)."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.commits: list[list[str]] = []
        self.release = threading.Event()
        self.fail_on = fail_on

    def __call__(self, key: tuple, rows: list[dict]) -> None:
        if not self.commits:
            self.commits.append([])  # placeholder while blocked
            assert self.release.wait(WAIT_S)
            self.commits[0] = [r["id"] for r in rows]
        else:
            self.commits.append([r["id"] for r in rows])
        if self.fail_on in {r["id"] for r in rows}:
            raise ValueError(f"bad row {self.fail_on}")


def _submit_concurrently(
    combiner: WriteCombiner, commit: BlockingCommit, n: int
) -> list[BaseException | None]:
    results: list[BaseException | None] = [None] * n

    def one(k: int) -> None:
        try:
            combiner.submit(("outputs",), [{"id": f"r{k}"}])
        except BaseException as exc:  # noqa: BLE001
            results[k] = exc

    with ThreadPoolExecutor(n) as pool:
        first = pool.submit(one, 0)
        while not commit.commits:  # the writer thread holds the first commit open
            time.sleep(0.01)
        rest = [pool.submit(one, k) for k in range(1, n)]
        deadline = time.monotonic() + WAIT_S
        while combiner._queue.qsize() < n - 1:  # everyone else is queued behind it
            assert time.monotonic() < deadline
            time.sleep(0.01)
        commit.release.set()
        for f in [first, *rest]:
            f.result(WAIT_S)
    return results


def test_writes_queued_during_a_commit_share_the_next_one() -> None:
    commit = BlockingCommit()
    results = _submit_concurrently(WriteCombiner(commit), commit, 20)
    assert results == [None] * 20
    assert commit.commits[0] == ["r0"]
    assert len(commit.commits) == 2 and sorted(commit.commits[1]) == sorted(f"r{k}" for k in range(1, 20))


def test_a_failing_row_fails_only_its_caller() -> None:
    commit = BlockingCommit(fail_on="r7")
    results = _submit_concurrently(WriteCombiner(commit), commit, 12)
    assert isinstance(results[7], ValueError)
    assert [k for k, r in enumerate(results) if r is not None] == [7]
    committed_alone = [c for c in commit.commits[2:] if len(c) == 1]
    assert sorted(c[0] for c in committed_alone) == sorted(f"r{k}" for k in range(1, 12))  # retried each


def test_the_writer_thread_stops_when_idle_and_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    from symbiosis.graph import combiner as module

    monkeypatch.setattr(module, "IDLE_EXIT_S", 0.05)
    seen: list[list[dict]] = []
    c = WriteCombiner(lambda key, rows: seen.append(rows))
    c.submit(("k",), [{"id": "a"}])
    deadline = time.monotonic() + WAIT_S
    while c._thread is not None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    c.submit(("k",), [{"id": "b"}])
    assert [r[0]["id"] for r in seen] == ["a", "b"]


@pytest.mark.graph
def test_twenty_concurrent_upserts_all_land_once(graph: GraphRepository) -> None:
    graph.import_dataset(
        Dataset(
            firms=[Firm(id="f", name="F")],
            sites=[Site(id="s", firm_id="f", name="S", latitude_deg=55.0, longitude_deg=11.0)],
        )
    )

    def declare(k: int) -> None:
        graph.upsert_outputs(
            [
                OutputDeclaration(
                    id=f"o-{k}",
                    site_id="s",
                    resource_code="fly_ash",
                    unit="t",
                    quantity=k + 1,
                    quantity_unit="t/yr",
                )
            ]  # fmt: skip
        )

    with ThreadPoolExecutor(20) as pool:
        list(pool.map(declare, range(40)))
    outputs = graph.export_dataset().outputs
    assert sorted(o.id for o in outputs) == sorted(f"o-{k}" for k in range(40))
    assert {o.id: o.quantity for o in outputs} == {f"o-{k}": k + 1 for k in range(40)}
    assert graph.counts()["resources"] == 1  # one fly_ash node, not one per concurrent MERGE
