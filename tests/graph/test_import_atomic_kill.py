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
from fastapi.testclient import TestClient

from symbiosis.api import create_app
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


def _read_while(thread: threading.Thread, reader: GraphRepository) -> list[tuple[bool, dict[str, int]]]:
    """(whether ``thread`` was running when the read began, counts) until ``thread`` ends."""
    seen: list[tuple[bool, dict[str, int]]] = []
    thread.start()
    while thread.is_alive():
        seen.append((thread.is_alive(), reader.counts()))
    thread.join()
    return seen


def test_readers_see_the_graph_before_or_after_an_import_never_between(
    private: Settings, datasets: tuple[Dataset, Dataset, Path]
) -> None:
    """Counts read while the import stages (batch after batch, each committed) are those before;
    counts read while it publishes (one large commit, applied record by record on ArcadeDB) are
    those before or those after, never a mix: the publish gate holds them."""
    first, second, _folder = datasets
    before, _ = _import_first(private, first)
    with open_graph(private) as repo, open_graph(private) as reader:
        imp = staging.StagedImport(repo, second)
        during_stage = _read_while(threading.Thread(target=imp.stage), reader)
        staged = _staged(reader)
        during_publish = _read_while(threading.Thread(target=imp.publish), reader)
        after = reader.counts()
    assert staged > 3000  # the import really wrote while the reader watched
    assert len(during_stage) >= 3
    assert [c for _, c in during_stage if c != before] == []
    assert any(running for running, _ in during_publish)  # a read began during the publish
    assert [c for _, c in during_publish if c not in (before, after)] == []
    assert after["sites"] == len({s.id for s in [*first.sites, *second.sites]})
    assert after["inputs"] == len({i.id for i in [*first.inputs, *second.inputs]})


_STAGE_THEN_HANG = """
import sys, time
from pathlib import Path
from symbiosis.dataset_io import read_dataset
from symbiosis.knowledge import load_knowledge_base
from symbiosis.graph import open_graph, staging
from symbiosis.graph import queries as q
from symbiosis.settings import Settings
with open_graph(Settings()) as repo:
    imp = staging.StagedImport(repo, read_dataset(Path(sys.argv[1]), load_knowledge_base()))
    imp.stage()
    if sys.argv[2] == "publishing":  # killed between opening the publish gate and its commit
        repo.write(q.GATE_OPEN, id=imp.id, now=time.time(), epoch="killed")
    print("ready", flush=True)
    time.sleep(600)
"""


def _killed_importer(settings: Settings, folder: Path, when: str) -> None:
    """A process stages ``folder`` (and opens the publish gate when ``when`` is "publishing"),
    then is killed -9."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBIOSIS_")}
    env |= {"SYMBIOSIS_HOME_DIR": str(settings.home_dir), "SYMBIOSIS_WRITE_BATCH_SIZE": "100"}
    child = subprocess.Popen(
        [sys.executable, "-c", _STAGE_THEN_HANG, str(folder), when],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready", child.stderr
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=WAIT_S)


def test_graph_start_cleans_what_a_killed_import_left(
    private: Settings, datasets: tuple[Dataset, Dataset, Path]
) -> None:
    before, before_export = _import_first(private, datasets[0])
    _killed_importer(private, datasets[2], "publishing")
    with open_graph(private) as repo:  # read past the gate: a waiting read would settle it itself
        assert staging.publish_gate.look(repo).open
        assert repo.read_now(q.COUNT_STAGED, {})[0]["n"] > 3000
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBIOSIS_")}
    env |= {"SYMBIOSIS_HOME_DIR": str(private.home_dir)}
    started = subprocess.run(
        [sys.executable, "-m", "symbiosis.cli", "graph", "start"],
        env=env, capture_output=True, text=True, timeout=WAIT_S,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert "cleaned the staged leftovers of 1 interrupted import(s)" in started.stdout
    with open_graph(private) as repo:
        assert _staged(repo) == 0 and not staging.publish_gate.look(repo).open
        assert repo.counts() == before and repo.export_dataset() == before_export


def test_api_start_cleans_what_a_killed_import_left(
    private: Settings, datasets: tuple[Dataset, Dataset, Path]
) -> None:
    before, _ = _import_first(private, datasets[0])
    _killed_importer(private, datasets[2], "staging")
    with open_graph(private) as repo:
        assert _staged(repo) > 3000
    with TestClient(create_app(private)):  # the lifespan runs at start
        with open_graph(private) as repo:
            assert _staged(repo) == 0
            assert [i["status"] for i in staging.imports(repo)][-1] == "abandoned"
            assert repo.counts() == before
