"""The embedded server's life cycle and the "store unavailable" paths."""

from __future__ import annotations

import json
import socket
import stat
from pathlib import Path

import pytest
from graph_builders import small_dataset
from neo4j import GraphDatabase

from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph import GraphRepository, embedded, open_graph
from symbiosis.graph.connection import connect
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_state_file_is_private_and_complete(embedded_settings: Settings) -> None:
    path = embedded_settings.embedded_dir / "server.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    state = json.loads(path.read_text())
    assert {"pid", "bolt_port", "http_port", "password", "database", "data_dir", "started_at"} <= state.keys()
    assert len(state["password"]) >= 24
    assert Path(state["data_dir"]) == embedded_settings.embedded_dir.resolve()


def test_ensure_running_reuses_the_live_server(embedded_settings: Settings) -> None:
    first = embedded.ensure_running(embedded_settings)
    again = embedded.ensure_running(embedded_settings)
    assert again.pid == first.pid
    assert again.bolt_port == first.bolt_port
    assert embedded.status(embedded_settings).running


def test_status_of_a_fresh_dir_is_not_running_and_starts_nothing(tmp_path: Path) -> None:
    st = embedded.status(Settings(home_dir=tmp_path, neo4j_uri=None))
    assert not st.running
    assert st.state is None
    assert not (tmp_path / "graph" / "server.json").exists()
    assert embedded.stop(Settings(home_dir=tmp_path, neo4j_uri=None)) is False


def test_unreachable_uri_is_one_clear_error(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    with pytest.raises(GraphStoreUnavailable) as err:
        with open_graph(Settings(home_dir=tmp_path, neo4j_uri=uri, neo4j_password="secret")):
            pass
    assert err.value.uri == uri
    assert uri in str(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_failure_mid_query_is_translated_too() -> None:
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    driver = GraphDatabase.driver(
        uri, auth=("neo4j", "x"), connection_timeout=2.0, max_transaction_retry_time=0.5
    )
    try:
        repo = GraphRepository(driver, uri, None)
        with pytest.raises(GraphStoreUnavailable, match="127.0.0.1"):
            repo.counts()
        with pytest.raises(GraphStoreUnavailable):
            repo.import_dataset(small_dataset())
    finally:
        driver.close()


def test_wrong_password_is_unavailable_with_reason(embedded_settings: Settings) -> None:
    state = embedded.ensure_running(embedded_settings)
    with pytest.raises(GraphStoreUnavailable, match="authentication"):
        connect(state.bolt_uri, ("root", "not-the-password"), state.database)


@pytest.mark.slow
def test_stop_then_restart_keeps_data_and_password(tmp_path: Path) -> None:
    settings = Settings(home_dir=tmp_path, neo4j_uri=None, embedded_heap="512m")
    try:
        with open_graph(settings) as graph:
            graph.ensure_schema()
            graph.import_dataset(small_dataset())
            counts = graph.counts()
        first = embedded.read_state(settings)
        assert embedded.stop(settings) is True
        assert not embedded.status(settings).running
        assert embedded.read_state(settings).pid is None  # type: ignore[union-attr]
        with open_graph(settings) as graph:
            assert graph.counts() == counts
        second = embedded.read_state(settings)
        assert second is not None and first is not None
        assert second.password == first.password
        assert second.pid != first.pid
    finally:
        embedded.stop(settings)


@pytest.mark.slow
def test_a_server_that_cannot_start_reports_its_log(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        settings = Settings(
            home_dir=tmp_path,
            neo4j_uri=None,
            embedded_heap="512m",
            embedded_bolt_port=port,
            embedded_start_timeout_s=45,
        )
        try:
            with pytest.raises(GraphStoreUnavailable) as err:
                embedded.ensure_running(settings)
        finally:
            embedded.stop(settings)
    assert "server.log" in str(err.value)
    assert f"127.0.0.1:{port}" in str(err.value)
