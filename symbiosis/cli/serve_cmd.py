"""`symbiosis serve`: the REST API under uvicorn.

On the embedded default the graph store is started (or reused) first, so the API answers its
first request at once; a production start without ``SYMBIOSIS_API_SECRET`` stops here with one
clear line.
"""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[
            str | None, typer.Option(help="interface to listen on (default: SYMBIOSIS_API_HOST)")
        ] = None,
        port: Annotated[int | None, typer.Option(help="port (default: SYMBIOSIS_API_PORT)")] = None,
        log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
    ) -> None:
        """Serve the REST API (OpenAPI docs at /docs)."""
        import uvicorn

        from symbiosis.api import create_app
        from symbiosis.graph import open_graph, servers
        from symbiosis.settings import get_settings

        settings = get_settings()
        api = create_app(settings)  # refuses to build without a usable secret
        if settings.embedded:
            state = servers.ensure_running(settings)
            typer.echo(f"{servers.ENGINE_NAMES[settings.graph_engine]} at {state.bolt_uri}")
        with open_graph(settings) as graph:
            graph.ensure_schema()  # the API's create paths rely on the uniqueness constraints
        host = host or settings.api_host
        port = settings.api_port if port is None else port
        typer.echo(f"symbiosis API on http://{host}:{port} (docs: /docs, mode {settings.mode})")
        uvicorn.run(api, host=host, port=port, log_level=log_level)
