"""Graph tests run against REAL Cypher servers, every store test on each engine:

* ``arcadedb``: one private embedded ArcadeDB server per test session, in a tmp dir on free ports;
* ``neo4j``: one private Neo4j Community 5.26 per session (Maven Central, `neo4j_local`), likewise;
* ``external``: the Neo4j 5 named by ``SYMBIOSIS_NEO4J_URI`` (+ ``_USER``/``_PASSWORD``/``_DATABASE``),
  skipped when unset. The suite clears the database, so it refuses a non-empty one.

Servers are started and stopped by the code under test (`symbiosis.graph.servers`), through the
shared `local_store` of tests/conftest.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from graph_engines import GRAPH_ENGINES, local_store

from symbiosis.graph import GraphRepository, open_graph
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph


@pytest.fixture(scope="session")
def arcadedb_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with local_store("arcadedb", tmp_path_factory.mktemp("symbiosis-home")) as settings:
        yield settings


@pytest.fixture(scope="session")
def embedded_settings(arcadedb_settings: Settings) -> Settings:
    """The embedded ArcadeDB server of the session (its life-cycle tests use this name)."""
    return arcadedb_settings


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with local_store("neo4j", tmp_path_factory.mktemp("symbiosis-neo4j-home")) as settings:
        yield settings


@pytest.fixture(scope="session")
def external_settings() -> Settings:
    if not os.environ.get("SYMBIOSIS_NEO4J_URI"):
        pytest.skip("SYMBIOSIS_NEO4J_URI not set: no external Neo4j 5 server to run the graph suite against")
    return Settings()


@pytest.fixture(scope="session", params=[*GRAPH_ENGINES, "external"])
def store(request: pytest.FixtureRequest) -> Iterator[GraphRepository]:
    """A repository on each server, shared by the session (one server start, one driver)."""
    settings: Settings = request.getfixturevalue(f"{request.param}_settings")
    with open_graph(settings) as repo:
        if request.param == "external" and any(repo.counts().values()):
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The statement-coverage check runs last, after every suite has sent its statements."""
    last = [item for item in items if item.path.name == "test_statement_coverage.py"]
    items[:] = [item for item in items if item not in last] + last
