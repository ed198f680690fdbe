"""Shared by every suite that needs a store: real graph servers of both engines.

``local_store(engine, home)`` starts a PRIVATE local server in a tmp home on free ports through the
code under test (`symbiosis.graph.servers`), yields its settings and stops it. Suites parametrize
their session-scoped store fixture with ``params=GRAPH_ENGINES`` and call it, e.g.::

    from graph_engines import GRAPH_ENGINES, local_store


    @pytest.fixture(scope="session", params=GRAPH_ENGINES)
    def my_settings(request, tmp_path_factory):
        with local_store(request.param, tmp_path_factory.mktemp("my-home")) as settings:
            yield settings

Neo4j needs Java 17+ and Maven (the first start fetches Neo4j 5.26 from Maven Central): where they
are missing the Neo4j half of each suite is skipped with that reason (``pytest -ra`` shows it).
``SYMBIOSIS_TEST_ENGINES=arcadedb`` (or ``neo4j``) restricts a local run to one engine.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from symbiosis.graph import neo4j_local, servers
from symbiosis.graph import session as session_module
from symbiosis.settings import Settings

GRAPH_ENGINES: tuple[str, ...] = servers.ENGINES
"""Parameters of every store fixture: the embedded ArcadeDB and the local Neo4j 5."""


def engine_settings(engine: str, home: Path, **overrides: Any) -> Settings:
    """Settings of a private local server of ``engine`` in ``home`` (small heaps: CI is shared)."""
    base: dict[str, Any] = {
        "home_dir": home,
        "neo4j_uri": None,
        "graph_engine": engine,
        "embedded_bolt_port": 0,
        "embedded_http_port": 0,
        "embedded_heap": "1g",
        "neo4j_local_heap": "768m",
        "neo4j_local_pagecache": "128m",
        "write_batch_size": 500,
    }
    return Settings(**{**base, **overrides})


def skip_unless_engine_available(engine: str) -> None:
    wanted = os.environ.get("SYMBIOSIS_TEST_ENGINES")
    if wanted and engine not in wanted.split(","):
        pytest.skip(f"engine {engine} not in SYMBIOSIS_TEST_ENGINES={wanted}")
    if engine == "neo4j":
        reason = neo4j_local.missing_tools()
        if reason is not None:
            pytest.skip(reason)


@contextmanager
def local_store(engine: str, home: Path, **overrides: Any) -> Iterator[Settings]:
    """A private running server of ``engine``; stopped on exit whatever happens."""
    skip_unless_engine_available(engine)
    settings = engine_settings(engine, home, **overrides)
    try:
        ENGINE_OF_URI[servers.ensure_running(settings).bolt_uri] = engine
        yield settings
    finally:
        servers.stop(settings)


# --- which statements ran where (tests/graph/test_statement_coverage.py) ------------------------

ENGINE_OF_URI: dict[str, str] = {}
"""bolt:// URI of each server started by `local_store` → its engine."""


class StatementRecorder(logging.Handler):
    """Collects ``(engine, statement)`` from the DEBUG records `symbiosis.graph.session` emits for
    every statement it sends; statements sent to servers not started here are ignored."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: set[tuple[str, str]] = set()

    def emit(self, record: logging.LogRecord) -> None:
        engine = ENGINE_OF_URI.get(getattr(record, "graph_uri", ""))
        if engine is not None:
            self.seen.add((engine, record.cypher))  # type: ignore[attr-defined]


RECORDER = StatementRecorder()


def install_recorder() -> None:
    """Idempotent: attach `RECORDER` to the session logger at DEBUG."""
    logger = logging.getLogger(session_module.__name__)
    if RECORDER not in logger.handlers:
        logger.addHandler(RECORDER)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # one record per statement: keep them out of failure reports
