"""`symbiosis graph start|stop|status` — manage the embedded graph store, or report on Neo4j."""

from __future__ import annotations

import typer

from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph import embedded
from symbiosis.graph.connection import connect, external_target
from symbiosis.graph.repository import GraphRepository
from symbiosis.settings import get_settings

graph_app = typer.Typer(
    help="The graph store: embedded ArcadeDB server (default) or Neo4j 5.", no_args_is_help=True
)


def _counts_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def _counts(uri: str, auth: tuple[str, str] | None, database: str | None, batch_size: int) -> dict[str, int]:
    driver = connect(uri, auth, database)
    try:
        return GraphRepository(driver, uri, database, batch_size).counts()
    finally:
        driver.close()


@graph_app.command()
def start() -> None:
    """Start the embedded server (or reuse the running one) and print where it listens."""
    settings = get_settings()
    if not settings.embedded:
        typer.echo(f"using Neo4j at {settings.neo4j_uri} (SYMBIOSIS_NEO4J_URI): nothing to start")
        return
    was_running = embedded.status(settings).running
    state = embedded.ensure_running(settings)
    how = "already running" if was_running else f"started in {state.startup_s:.1f} s"
    typer.echo(f"embedded graph store {how}: {state.bolt_uri} (pid {state.pid}, data {state.data_dir})")


@graph_app.command()
def stop() -> None:
    """Stop the embedded server of this checkout."""
    settings = get_settings()
    if not settings.embedded:
        typer.echo(f"using Neo4j at {settings.neo4j_uri} (SYMBIOSIS_NEO4J_URI): nothing to stop")
        return
    stopped = embedded.stop(settings)
    typer.echo("embedded graph store stopped" if stopped else "embedded graph store was not running")


@graph_app.command()
def status() -> None:
    """Where the graph store is, whether it answers, and how many nodes of each kind it holds."""
    settings = get_settings()
    if not settings.embedded:
        uri, auth, database = external_target(settings)
        counts = _counts(uri, auth, database, settings.write_batch_size)
        typer.echo(f"Neo4j: {uri} (database {database or 'default'})")
        typer.echo(f"nodes: {_counts_line(counts)}")
        return
    st = embedded.status(settings)
    if not st.running or st.state is None:
        typer.echo(
            f"embedded graph store: not running (data dir {st.data_dir}); `symbiosis graph start` starts it"
        )
        return
    state = st.state
    try:
        counts = _counts(state.bolt_uri, state.auth, state.database, settings.write_batch_size)
    except GraphStoreUnavailable as exc:
        typer.echo(f"embedded graph store: pid {state.pid} alive but not answering ({exc.reason})")
        return
    typer.echo(f"embedded graph store: running at {state.bolt_uri} (pid {state.pid})")
    typer.echo(f"data dir: {state.data_dir}; database {state.database}; started {state.started_at}")
    typer.echo(f"nodes: {_counts_line(counts)}")


def register(app: typer.Typer) -> None:
    app.add_typer(graph_app, name="graph")
