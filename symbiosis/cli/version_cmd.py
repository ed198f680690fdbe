"""`symbiosis version`."""

import typer

from symbiosis import __version__


def register(app: typer.Typer) -> None:
    @app.command()
    def version() -> None:
        """Print the version."""
        typer.echo(__version__)
