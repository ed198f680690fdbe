"""`symbiosis graph start|stop|status|init [--engine arcadedb|neo4j]` — manage the local graph
server (embedded ArcadeDB by default, or Neo4j 5 from Maven Central), or report on a Neo4j server
named by ``SYMBIOSIS_NEO4J_URI``."""

from __future__ import annotations

from typing import Annotated

import typer

from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph import servers
from symbiosis.graph.connection import connect, external_target, open_graph
from symbiosis.graph.repository import GraphRepository
from symbiosis.settings import Settings, get_settings

graph_app = typer.Typer(
    help="The graph store: embedded ArcadeDB server (default), local Neo4j 5, or a Neo4j 5 server.",
    no_args_is_help=True,
)

EngineOption = Annotated[
    servers.Engine | None,
    typer.Option(
        "--engine",
        help="arcadedb (embedded, default) or neo4j (Neo4j Community 5.26 from Maven Central; needs "
        "Java 17+ and Maven). Default: SYMBIOSIS_GRAPH_ENGINE.",
        case_sensitive=False,
    ),
]


def _counts_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def _counts(uri: str, auth: tuple[str, str] | None, database: str | None, batch_size: int) -> dict[str, int]:
    driver = connect(uri, auth, database)
    try:
        return GraphRepository(driver, uri, database, batch_size).counts()
    finally:
        driver.close()


def _local(engine: servers.Engine | None) -> Settings | None:
    """The settings of the local server to manage, or None (after saying so) when a URI is set."""
    settings = get_settings()
    if not settings.embedded:
        typer.echo(f"using Neo4j at {settings.neo4j_uri} (SYMBIOSIS_NEO4J_URI): no local server to manage")
        return None
    return servers.for_engine(settings, engine)


@graph_app.command()
def start(engine: EngineOption = None) -> None:
    """Start the local server (or reuse the running one) and print where it listens."""
    settings = _local(engine)
    if settings is None:
        return
    name = servers.ENGINE_NAMES[settings.graph_engine]
    was_running = servers.status(settings).running
    if settings.graph_engine == "neo4j" and not was_running:
        typer.echo("local Neo4j: the first start fetches Neo4j from Maven Central (about 120 MB) ...")
    state = servers.ensure_running(settings)
    how = "already running" if was_running else f"started in {state.startup_s or 0:.1f} s"
    typer.echo(f"{name} {how}: {state.bolt_uri} (pid {state.pid}, data {state.data_dir})")
    with open_graph(settings) as graph:
        _clean_dead_imports(graph)
    if settings.graph_engine != get_settings().graph_engine:
        typer.echo(f"other commands use it with SYMBIOSIS_GRAPH_ENGINE={settings.graph_engine}")


@graph_app.command()
def stop(engine: EngineOption = None) -> None:
    """Stop the local server of this checkout."""
    settings = _local(engine)
    if settings is None:
        return
    name = servers.ENGINE_NAMES[settings.graph_engine]
    typer.echo(f"{name} stopped" if servers.stop(settings) else f"{name} was not running")


@graph_app.command()
def status(engine: EngineOption = None) -> None:
    """Where the graph store is, whether it answers, and how many nodes of each kind it holds."""
    settings = get_settings()
    if not settings.embedded:
        uri, auth, database = external_target(settings)
        counts = _counts(uri, auth, database, settings.write_batch_size)
        typer.echo(f"Neo4j: {uri} (database {database or 'default'})")
        typer.echo(f"nodes: {_counts_line(counts)}")
        return
    settings = servers.for_engine(settings, engine)
    name = servers.ENGINE_NAMES[settings.graph_engine]
    st = servers.status(settings)
    if not st.running or st.state is None:
        flag = "" if engine is None else f" --engine {settings.graph_engine}"
        typer.echo(f"{name}: not running (data dir {st.data_dir}); `symbiosis graph start{flag}` starts it")
        return
    state = st.state
    try:
        counts = _counts(state.bolt_uri, state.auth, state.database, settings.write_batch_size)
    except GraphStoreUnavailable as exc:
        typer.echo(f"{name}: pid {state.pid} alive but not answering ({exc.reason})")
        return
    typer.echo(f"{name}: running at {state.bolt_uri} (pid {state.pid})")
    typer.echo(f"data dir: {state.data_dir}; database {state.database}; started {state.started_at}")
    typer.echo(f"nodes: {_counts_line(counts)}")


@graph_app.command()
def init(engine: EngineOption = None) -> None:
    """Create the constraints and indexes (idempotent: existing ones are kept) and list them."""
    settings = get_settings()
    if settings.embedded:
        settings = servers.for_engine(settings, engine)
    with open_graph(settings) as graph:
        created = graph.ensure_schema()
        typer.echo(f"schema of {graph.uri}: {len(created)} constraint(s) and index(es) in place")
        for name in created:
            typer.echo(f"  {name}")
        _clean_dead_imports(graph)


def _clean_dead_imports(graph: GraphRepository) -> None:
    """What a crashed import left (invisible staged nodes, an open publish gate) goes at start."""
    reaped = graph.reap_dead_imports()
    if reaped:
        typer.echo(f"cleaned the staged leftovers of {len(reaped)} interrupted import(s)")


def register(app: typer.Typer) -> None:
    app.add_typer(graph_app, name="graph")
