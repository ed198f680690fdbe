"""Graph tests run against REAL Cypher servers.

* ``embedded``: one private ArcadeDB server per test session, in a tmp dir on free ports, started
  and stopped through `symbiosis.graph.embedded` itself (the code under test, not a copy).
* ``neo4j``: the Neo4j 5 named by ``SYMBIOSIS_NEO4J_URI`` (+ ``_USER``/``_PASSWORD``/``_DATABASE``),
  skipped when unset. The suite clears the database, so it refuses a non-empty one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from symbiosis.graph import GraphRepository, embedded, open_graph
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph


@pytest.fixture(scope="session")
def embedded_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    home = tmp_path_factory.mktemp("symbiosis-home")
    settings = Settings(
        home_dir=home,
        neo4j_uri=None,
        embedded_bolt_port=0,
        embedded_http_port=0,
        embedded_heap="1g",
        write_batch_size=500,
    )
    embedded.ensure_running(settings)
    yield settings
    embedded.stop(settings)


def _neo4j_settings() -> Settings:
    if not os.environ.get("SYMBIOSIS_NEO4J_URI"):
        pytest.skip("SYMBIOSIS_NEO4J_URI not set: no Neo4j 5 server to run the graph suite against")
    return Settings()


@pytest.fixture(scope="session", params=["embedded", "neo4j"])
def store(request: pytest.FixtureRequest) -> Iterator[GraphRepository]:
    """A repository on each backend, shared by the session (one server start, one driver)."""
    if request.param == "embedded":
        settings = request.getfixturevalue("embedded_settings")
    else:
        settings = _neo4j_settings()
    with open_graph(settings) as repo:
        if request.param == "neo4j" and any(repo.counts().values()):
            pytest.skip(
                f"Neo4j database at {repo.uri} is not empty: the graph suite clears it, use a scratch one"
            )
        repo.ensure_schema()
        yield repo
        repo.clear()


@pytest.fixture
def graph(store: GraphRepository) -> GraphRepository:
    """The session's repository, emptied before each test."""
    store.clear()
    return store


@pytest.fixture
def embedded_home(embedded_settings: Settings) -> Path:
    return embedded_settings.home_dir
