"""kill -9 in the middle of `symbiosis import`, on a REAL embedded store: the visible graph is the
one before the import or the one after, never anything in between, and the next import cleans what
the dead one left.

Each test runs its own embedded server (the session's is shared and must not be killed): a first
dataset is imported, then a second, larger one overlapping it (updates and new records) is
imported by the CLI in a child process, and a process is killed as soon as the store holds staged
nodes of that import — a point reached by watching the store, not by timing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from symbiosis.dataset_io import write_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.graph import GraphRepository, embedded, open_graph, staging
from symbiosis.graph import queries as q
from symbiosis.knowledge import load_knowledge_base
from symbiosis.settings import Settings
from symbiosis.synthetic import generate_dataset

pytestmark = pytest.mark.graph

WAIT_S = 180.0
"""Generous bound on waiting for the child to reach a state (the machine may be busy)."""


@pytest.fixture
def private(tmp_path: Path) -> Iterator[Settings]:
    settings = Settings(
        home_dir=tmp_path / "home",
        neo4j_uri=None,
        embedded_bolt_port=0,
        embedded_http_port=0,
        embedded_heap="1g",
        write_batch_size=100,
    )
    embedded.ensure_running(settings)
    yield settings
    embedded.stop(settings)


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Dataset, Path]:
    """(first, second, folder of the second): the second updates 200 records of the first's ids
    and adds 1,000 sites (with firms and declarations) of its own."""
    kb = load_knowledge_base()
    first = generate_dataset(200, seed=1, kb=kb)
    second = generate_dataset(1200, seed=2, kb=kb)
    folder = write_dataset(second, tmp_path_factory.mktemp("second") / "dataset", "csv")
    return first, second, folder


def _cli_import(settings: Settings, folder: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBIOSIS_")}
    env |= {"SYMBIOSIS_HOME_DIR": str(settings.home_dir), "SYMBIOSIS_WRITE_BATCH_SIZE": "100"}
    return subprocess.Popen(
        [sys.executable, "-m", "symbiosis.cli", "import", str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _staged(repo: GraphRepository) -> int:
    return int(repo.read(q.COUNT_STAGED)[0]["n"])


def _wait_for_staged_nodes(repo: GraphRepository, child: subprocess.Popen[str], at_least: int) -> None:
    deadline = time.monotonic() + WAIT_S
    while _staged(repo) < at_least:
        assert child.poll() is None, f"the import ended before staging {at_least} nodes: {child.stderr}"
        assert time.monotonic() < deadline, "the import staged nothing in time"
        time.sleep(0.05)


def _import_first(settings: Settings, first: Dataset) -> tuple[dict[str, int], Dataset]:
    with open_graph(settings) as repo:
        repo.ensure_schema()
        repo.import_knowledge(load_knowledge_base())  # as the CLI does first: no change to counts then
        repo.import_dataset(first)
        return repo.counts(), repo.export_dataset()


def _import_until_staged(
    private: Settings, datasets: tuple[Dataset, Dataset, Path]
) -> tuple[dict[str, int], Dataset, subprocess.Popen[str]]:
    """(counts and export before, the CLI import) once the store holds 300 of its staged nodes."""
    before, before_export = _import_first(private, datasets[0])
    child = _cli_import(private, datasets[2])
    with open_graph(private) as repo:
        _wait_for_staged_nodes(repo, child, at_least=300)
    return before, before_export, child


def test_kill_the_store_mid_import(private: Settings, datasets: tuple[Dataset, Dataset, Path]) -> None:
    first, second, folder = datasets
    before, before_export, child = _import_until_staged(private, datasets)
    os.kill(embedded.read_state(private).pid or 0, signal.SIGKILL)
    _, err = child.communicate(timeout=WAIT_S)
    assert child.returncode == 1
    assert "unreachable" in err and "Traceback" not in err  # one clear line, no traceback

    embedded.ensure_running(private)  # restart on the same data directory
    with open_graph(private) as repo:
        assert repo.counts() == before
        assert repo.export_dataset() == before_export
        assert _staged(repo) >= 300  # invisible leftovers of the dead import survived the crash
        dead = [i["id"] for i in staging.imports(repo) if i["status"] == "staging"]
        assert len(dead) == 1

        again = _cli_import(private, folder)  # the next import cleans the dead one first
        out, err = again.communicate(timeout=WAIT_S * 2)
        assert again.returncode == 0, err
        assert "cleaned the staged leftovers of 1 interrupted import(s)" in out
        assert _staged(repo) == 0
        assert {i["id"]: i["status"] for i in staging.imports(repo)}[dead[0]] == "abandoned"
        after = repo.counts()
        assert after["sites"] == len({s.id for s in [*first.sites, *second.sites]})
        assert after["outputs"] == len({o.id for o in [*first.outputs, *second.outputs]})


def test_kill_the_importing_process_mid_import(
    private: Settings, datasets: tuple[Dataset, Dataset, Path]
) -> None:
    before, before_export, child = _import_until_staged(private, datasets)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=WAIT_S)
    with open_graph(private) as repo:
        assert repo.counts() == before
        assert repo.export_dataset() == before_export
        assert _staged(repo) >= 300
        dead = repo.reap_dead_imports()
        assert len(dead) == 1
        assert _staged(repo) == 0
        assert repo.counts() == before and repo.export_dataset() == before_export


def test_readers_see_nothing_of_an_import_while_it_stages(
    private: Settings, datasets: tuple[Dataset, Dataset, Path]
) -> None:
    """Counts read while the import stages (batch after batch, each committed) are those before;
    after publish they are those of before + dataset. (A reader running during the publish commit
    itself may see it half-applied on ArcadeDB: docs/GRAPH_MODEL.md.)"""
    first, second, _folder = datasets
    before, _ = _import_first(private, first)
    seen: list[dict[str, int]] = []
    with open_graph(private) as repo, open_graph(private) as reader:
        imp = staging.StagedImport(repo, second)
        stager = threading.Thread(target=imp.stage)
        stager.start()
        while stager.is_alive():
            seen.append(reader.counts())
        stager.join()
        staged = _staged(reader)
        seen.append(reader.counts())
        imp.publish()
        after = reader.counts()
    assert staged > 3000  # the import really wrote while the reader watched
    assert len(seen) >= 3
    assert [c for c in seen if c != before] == []
    assert after["sites"] == len({s.id for s in [*first.sites, *second.sites]})
    assert after["inputs"] == len({i.id for i in [*first.inputs, *second.inputs]})
