"""`symbiosis graph status|start|stop` through typer's CliRunner (and one real process for the
"no traceback" promise)."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from graph_builders import small_dataset
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.graph import open_graph
from symbiosis.settings import Settings, get_settings

pytestmark = pytest.mark.graph


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI reads `get_settings()`: clear its cache around each test that changes the env."""
    monkeypatch.delenv("SYMBIOSIS_NEO4J_URI", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_status_of_the_running_server_shows_uri_pid_and_counts(
    embedded_settings: Settings, fresh_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_graph(embedded_settings) as graph:
        graph.clear()
        graph.import_dataset(small_dataset())
    monkeypatch.setenv("SYMBIOSIS_HOME_DIR", str(embedded_settings.home_dir))
    result = CliRunner().invoke(app, ["graph", "status"])
    assert result.exit_code == 0, result.output
    assert "running at bolt://127.0.0.1:" in result.output
    assert str(embedded_settings.embedded_dir.resolve()) in result.output
    assert "sites 4" in result.output and "outputs 3" in result.output


def test_status_not_running_is_a_normal_answer(
    tmp_path: Path, fresh_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYMBIOSIS_HOME_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["graph", "status"])
    assert result.exit_code == 0, result.output
    assert "not running" in result.output
    stop = CliRunner().invoke(app, ["graph", "stop"])
    assert stop.exit_code == 0 and "was not running" in stop.output


def test_start_reuses_the_running_server(
    embedded_settings: Settings, fresh_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYMBIOSIS_HOME_DIR", str(embedded_settings.home_dir))
    result = CliRunner().invoke(app, ["graph", "start"])
    assert result.exit_code == 0, result.output
    assert "already running" in result.output


def test_unreachable_neo4j_is_one_line_without_traceback(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        uri = f"bolt://127.0.0.1:{s.getsockname()[1]}"
    env = {
        "SYMBIOSIS_NEO4J_URI": uri,
        "SYMBIOSIS_NEO4J_PASSWORD": "x",
        "SYMBIOSIS_HOME_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    proc = subprocess.run(
        [sys.executable, "-c", "from symbiosis.cli import main; main()", "graph", "status"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert uri in proc.stderr
    assert proc.stderr.strip().startswith("error: graph store at")
