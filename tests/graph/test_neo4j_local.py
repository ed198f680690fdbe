"""The local Neo4j server's life cycle (`symbiosis.graph.neo4j_local`, `symbiosis graph … --engine
neo4j`): a real Neo4j Community started from Maven Central's jars, as a user gets it."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from graph_builders import small_dataset
from graph_engines import skip_unless_engine_available
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph import neo4j_local, open_graph
from symbiosis.graph.connection import connect
from symbiosis.settings import Settings, get_settings

pytestmark = pytest.mark.graph


def test_state_and_password_files_are_private(neo4j_settings: Settings) -> None:
    home = neo4j_settings.neo4j_local_dir
    for name in ("server.json", "password"):
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600
    state = json.loads((home / "server.json").read_text())
    assert state["version"] == neo4j_local.neo4j_version()
    assert len(state["password"]) >= 24 and state["database"] == "neo4j"
    conf = (home / "conf" / "neo4j.conf").read_text()
    assert f"server.bolt.listen_address=127.0.0.1:{state['bolt_port']}" in conf
    assert "dbms.usage_report.enabled=false" in conf


def test_it_is_neo4j_community_of_the_pinned_version(neo4j_settings: Settings) -> None:
    with open_graph(neo4j_settings) as graph:
        rec = graph.read("CALL dbms.components() YIELD name, versions, edition RETURN *")[0]
    assert rec["name"] == "Neo4j Kernel" and rec["edition"] == "community"
    assert rec["versions"] == [neo4j_local.neo4j_version()]
    assert neo4j_local.neo4j_version().startswith("5.26.")


def test_reuse_and_wrong_password(neo4j_settings: Settings) -> None:
    first = neo4j_local.ensure_running(neo4j_settings)
    assert neo4j_local.ensure_running(neo4j_settings).pid == first.pid
    assert neo4j_local.status(neo4j_settings).running
    with pytest.raises(GraphStoreUnavailable, match="authentication"):
        connect(first.bolt_uri, ("neo4j", "not-the-password"), first.database)


def test_status_of_a_fresh_home_starts_nothing(tmp_path: Path) -> None:
    settings = Settings(home_dir=tmp_path, neo4j_uri=None, graph_engine="neo4j")
    st = neo4j_local.status(settings)
    assert not st.running and st.state is None
    assert neo4j_local.stop(settings) is False
    assert not (tmp_path / "neo4j" / "server.json").exists()


def test_missing_tools_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    reason = neo4j_local.missing_tools()
    assert reason is not None and "java, javac, mvn" in reason and "apt-get install" in reason
    with pytest.raises(GraphStoreUnavailable, match="java, javac, mvn"):
        neo4j_local.ensure_built(Settings(neo4j_uri=None, graph_engine="neo4j"))


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    skip_unless_engine_available("neo4j")
    monkeypatch.delenv("SYMBIOSIS_NEO4J_URI", raising=False)
    monkeypatch.delenv("SYMBIOSIS_GRAPH_ENGINE", raising=False)
    monkeypatch.setenv("SYMBIOSIS_HOME_DIR", str(tmp_path))
    monkeypatch.setenv("SYMBIOSIS_NEO4J_LOCAL_HEAP", "512m")
    monkeypatch.setenv("SYMBIOSIS_NEO4J_LOCAL_PAGECACHE", "64m")
    get_settings.cache_clear()
    yield tmp_path
    neo4j_local.stop(get_settings())
    get_settings.cache_clear()


@pytest.mark.slow
def test_cli_start_init_status_stop_restart_keeps_data(cli_home: Path) -> None:
    run = CliRunner().invoke
    out = run(app, ["graph", "start", "--engine", "neo4j"])
    assert out.exit_code == 0, out.output
    assert "local Neo4j started" in out.output and "bolt://127.0.0.1:" in out.output
    assert "SYMBIOSIS_GRAPH_ENGINE=neo4j" in out.output
    init = run(app, ["graph", "init", "--engine", "neo4j"])
    assert init.exit_code == 0, init.output
    assert "user_email" in init.output and "site_location" in init.output
    with open_graph(get_settings().model_copy(update={"graph_engine": "neo4j"})) as graph:
        graph.import_dataset(small_dataset())
    first = neo4j_local.read_state(get_settings())
    status = run(app, ["graph", "status", "--engine", "neo4j"])
    assert "local Neo4j: running" in status.output and "sites 4" in status.output
    assert "already running" in run(app, ["graph", "start", "--engine", "neo4j"]).output
    assert "local Neo4j stopped" in run(app, ["graph", "stop", "--engine", "neo4j"]).output
    assert "not running" in run(app, ["graph", "status", "--engine", "neo4j"]).output
    with open_graph(get_settings().model_copy(update={"graph_engine": "neo4j"})) as graph:  # restarts it
        assert graph.counts()["sites"] == 4
    second = neo4j_local.read_state(get_settings())
    assert first is not None and second is not None
    assert second.password == first.password and second.pid != first.pid


def test_docker_compose_runs_the_tested_neo4j_version() -> None:
    """Production (docker-compose) and the test-suite's local server are the same Neo4j release."""
    from symbiosis import REPO_DIR

    compose = (REPO_DIR / "docker-compose.yml").read_text(encoding="utf-8")
    images = [line.split("image:", 1)[1].strip() for line in compose.splitlines() if "image: neo4j" in line]
    assert images == [f"neo4j:{neo4j_local.neo4j_version()}-community"]
