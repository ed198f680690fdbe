"""`symbiosis import PATH` and `symbiosis demo`: declarations from files into the graph store."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from symbiosis.settings import get_settings

console = Console()


def load_into_graph(path: Path, *, clear: bool = False) -> dict[str, int]:
    """Validate the whole dataset at `path`, then write it (with the knowledge base) in batches.

    Validation happens before the first write, so a bad file leaves the graph untouched; the
    write is staged and published in one transaction, so a crash leaves it untouched too.
    Returns the graph's counts after the import.
    """
    from symbiosis.dataset_io import read_dataset
    from symbiosis.graph.connection import open_graph
    from symbiosis.knowledge import load_knowledge_base

    kb = load_knowledge_base()
    t0 = time.perf_counter()
    dataset = read_dataset(path, kb)
    t_read = time.perf_counter() - t0
    rows = sum(dataset.counts().values())
    with open_graph(get_settings()) as repo:
        if clear:
            repo.clear()
        repo.ensure_schema()
        reaped = repo.reap_dead_imports()  # what an interrupted import left: invisible, deleted now
        if reaped:
            console.print(f"cleaned the staged leftovers of {len(reaped)} interrupted import(s)")
        repo.import_knowledge(kb)
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(kind: str, done: int, total: int) -> None:
                if kind not in tasks:
                    what = "published in one transaction" if kind == "publish" else f"staging {kind}"
                    tasks[kind] = bar.add_task(what, total=total)
                bar.update(tasks[kind], completed=done)

            t1 = time.perf_counter()
            repo.import_dataset(dataset, progress=progress)
            t_write = time.perf_counter() - t1
        counts = repo.counts()
    console.print(
        f"read and validated {rows:,} rows in {t_read:.1f} s; wrote them in {t_write:.1f} s "
        f"({rows / max(t_write, 1e-9):,.0f} rows/s) to {repo_uri_hint()}"
    )
    return counts


def repo_uri_hint() -> str:
    s = get_settings()
    return s.neo4j_uri or f"the embedded graph store ({s.embedded_dir})"


def print_counts(counts: dict[str, int], title: str) -> None:
    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column("in the graph")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key, f"{value:,}")
    console.print(table)


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        path: Annotated[Path, typer.Argument(exists=True, help="dataset folder of CSVs, or an .xlsx")],
        clear: Annotated[bool, typer.Option(help="empty the graph store first")] = False,
    ) -> None:
        """Validate a dataset (docs/DATA_FORMAT.md) and load it into the graph store, idempotently."""
        print_counts(load_into_graph(path, clear=clear), f"after importing {path}")
