"""`open_graph`: the one place a driver is created.

No ``SYMBIOSIS_NEO4J_URI`` → the local server of this checkout (the embedded ArcadeDB, or Neo4j with
``SYMBIOSIS_GRAPH_ENGINE=neo4j``; started on first use, reused afterwards); with a URI → that
Neo4j 5 server, with user, password and database from the settings. Either way the caller gets a
`GraphRepository` over a driver that has answered a query, or one `GraphStoreUnavailable` naming
the URI and the reason — never a driver traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import ConfigurationError, DriverError

from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph import queries as q
from symbiosis.graph import servers
from symbiosis.graph.repository import GraphRepository
from symbiosis.graph.session import unavailable_as
from symbiosis.settings import Settings, get_settings

CONNECTION_TIMEOUT_S = 10.0
ACQUISITION_TIMEOUT_S = 60.0
"""Bounds the Bolt handshake as well: a server that accepts TCP but never answers fails in 60 s.
20 s was too short for a request queued behind twenty concurrent writers on a loaded Neo4j (the
API race test answered one 503 of twenty in two full-suite runs); a refused connection still fails
at once."""
RETRY_TIME_S = 10.0


Target = tuple[str, tuple[str, str] | None, str | None]
"""(uri, auth, database)"""


def external_target(settings: Settings) -> Target:
    """The Neo4j 5 server named by ``SYMBIOSIS_NEO4J_*``."""
    if settings.neo4j_uri is None:
        raise ValueError("external_target needs SYMBIOSIS_NEO4J_URI")
    auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
    return settings.neo4j_uri, auth, settings.neo4j_database


def _target(settings: Settings) -> Target:
    if settings.embedded:
        state = servers.ensure_running(settings)
        return state.bolt_uri, state.auth, state.database
    return external_target(settings)


def connect(uri: str, auth: tuple[str, str] | None, database: str | None) -> Driver:
    """A driver that has run one query on ``database``; closed again if it could not."""
    try:
        driver = GraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=CONNECTION_TIMEOUT_S,
            connection_acquisition_timeout=ACQUISITION_TIMEOUT_S,
            max_transaction_retry_time=RETRY_TIME_S,
        )
    except (ConfigurationError, ValueError) as exc:
        raise GraphStoreUnavailable(uri, f"invalid URI or driver setting ({exc})") from None
    try:
        with unavailable_as(uri), driver.session(database=database) as session:
            session.run(q.PING).consume()
    except BaseException:
        driver.close()
        raise
    return driver


@contextmanager
def open_graph(settings: Settings | None = None) -> Iterator[GraphRepository]:
    """``with open_graph() as graph: graph.counts()`` — the driver is closed on exit."""
    settings = settings or get_settings()
    uri, auth, database = _target(settings)
    driver = connect(uri, auth, database)
    try:
        yield GraphRepository(driver, uri, database, batch_size=settings.write_batch_size)
    finally:
        try:
            driver.close()
        except DriverError:  # closing a driver whose server vanished must not mask the real error
            pass
