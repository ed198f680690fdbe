"""The local graph server of a home dir, whichever engine it runs: the embedded ArcadeDB (default)
or the local Neo4j 5 (``SYMBIOSIS_GRAPH_ENGINE=neo4j``). The one place that chooses between them,
so the CLI, the API and the dashboard never ask which engine they talk to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Protocol

from symbiosis.graph import embedded, neo4j_local
from symbiosis.settings import Settings, get_settings

Engine = Literal["arcadedb", "neo4j"]
ENGINES: tuple[Engine, ...] = ("arcadedb", "neo4j")
ENGINE_NAMES = {"arcadedb": "embedded ArcadeDB graph store", "neo4j": "local Neo4j"}


class LocalServer(Protocol):
    """What callers need of a running local server (both engines' ``ServerState`` have it)."""

    @property
    def pid(self) -> int | None: ...
    @property
    def data_dir(self) -> str: ...
    @property
    def database(self) -> str: ...
    @property
    def started_at(self) -> str | None: ...
    @property
    def startup_s(self) -> float | None: ...
    @property
    def bolt_uri(self) -> str: ...
    @property
    def auth(self) -> tuple[str, str]: ...


class LocalStatus(Protocol):
    @property
    def running(self) -> bool: ...
    @property
    def state(self) -> LocalServer | None: ...
    @property
    def data_dir(self) -> Path: ...
    @property
    def log_file(self) -> Path: ...


def for_engine(settings: Settings, engine: Engine | None) -> Settings:
    """``settings`` with ``graph_engine`` set (``None`` keeps the configured one)."""
    return settings if engine is None else settings.model_copy(update={"graph_engine": engine})


def ensure_running(settings: Settings | None = None) -> LocalServer:
    settings = settings or get_settings()
    if settings.graph_engine == "neo4j":
        return neo4j_local.ensure_running(settings)
    return embedded.ensure_running(settings)


def stop(settings: Settings | None = None) -> bool:
    settings = settings or get_settings()
    if settings.graph_engine == "neo4j":
        return neo4j_local.stop(settings)
    return embedded.stop(settings)


def status(settings: Settings | None = None) -> LocalStatus:
    settings = settings or get_settings()
    if settings.graph_engine == "neo4j":
        return neo4j_local.status(settings)
    return embedded.status(settings)
