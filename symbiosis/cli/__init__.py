"""The `symbiosis` command line.

Each area registers its own commands from a module named ``*_cmd.py`` in this package, exposing
``register(app: typer.Typer) -> None``; modules are discovered, so areas never edit each other's
files. `main` turns every `SymbiosisError` into one clear line on stderr and exit code 1, never a
traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from rich.console import Console

from symbiosis.errors import SymbiosisError

app = typer.Typer(
    name="symbiosis",
    help="Industrial symbiosis matchmaking: declare, load, match and optimise exchanges of by-products.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Industrial symbiosis matchmaking: declare, load, match and optimise exchanges of by-products."""


def _register_commands() -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.endswith("_cmd"):
            importlib.import_module(f"{__name__}.{mod.name}").register(app)


_register_commands()


def main() -> None:
    try:
        app()
    except SymbiosisError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
