"""`symbiosis match`: ranked candidate exchanges of a territory, from the graph store or a dataset."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbiosis.domain.candidate import Candidate
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import ResourceFamily
from symbiosis.errors import SymbiosisError
from symbiosis.knowledge.base import KnowledgeBase


def _console() -> Console:
    """Full width in a terminal; 160 columns when piped, so ids are not cut in logs and files."""
    return Console() if sys.stdout.isatty() else Console(width=160)


CSV_COLUMNS = (
    "output_id",
    "input_id",
    "giver_site_id",
    "receiver_site_id",
    "output_resource",
    "input_resource",
    "rule_id",
    "family",
    "transport_mode",
    "distance_km",
    "route_km",
    "exchangeable_qty_per_yr",
    "unit_out",
    "delivery_factor",
    "max_share_of_input",
    "needs_dilution",
    "transport_cost_eur_per_yr",
    "fixed_cost_eur_per_yr",
    "pretreatment_cost_eur_per_yr",
    "avoided_disposal_eur_per_yr",
    "avoided_supply_eur_per_yr",
    "net_gain_eur_per_yr",
    "co2_avoided_t_per_yr",
    "viable",
)


def load_dataset(territory: str | None, dataset_path: Path | None, kb: KnowledgeBase) -> Dataset:
    if dataset_path is not None:
        from symbiosis.dataset_io import read_dataset

        ds = read_dataset(dataset_path, kb)
        return ds.restricted_to(territory) if territory else ds
    if territory is None:
        raise SymbiosisError("give --territory T (read from the graph store) or --dataset PATH")
    from symbiosis.graph.connection import open_graph

    with open_graph() as repo:
        return repo.export_dataset(territory)


def _table(cands: list[Candidate], near: bool, limit: int) -> Table:
    title = "Near-misses" if near else "Candidate exchanges"
    table = Table(title=f"{title} ({len(cands):,}; best first)", show_lines=False)
    for col in ("#", "from (site · output)", "to (site · input)", "resource → use"):
        table.add_column(col, justify="right" if col == "#" else "left")
    for col in ("km", "qty/yr", "gain €/yr", "CO2e t/yr"):
        table.add_column(col, justify="right")
    table.add_column("why not" if near else "note")
    for k, c in enumerate(cands[:limit], 1):
        if near:
            note = "; ".join(ch.detail for ch in c.checks if not ch.held)
        else:
            note = ("needs dilution; " if c.needs_dilution else "") + (
                f"rule {c.rule_id}" if c.rule_id else "same resource"
            )
        table.add_row(
            str(k),
            f"{c.giver_site_id} · {c.output_id}",
            f"{c.receiver_site_id} · {c.input_id}",
            c.output_resource
            if c.output_resource == c.input_resource
            else f"{c.output_resource} → {c.input_resource}",
            f"{c.distance_km:,.1f}",
            f"{c.exchangeable_qty_per_yr:,.0f} {c.unit_out.value}",
            f"{c.net_gain_eur_per_yr:,.0f}",
            f"{c.co2_avoided_t_per_yr:,.1f}",
            note,
        )
    return table


def write_csv(cands: list[Candidate], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(("rank", *CSV_COLUMNS, "explanation"))
        for k, c in enumerate(cands, 1):
            values = [getattr(c, col) for col in CSV_COLUMNS]
            w.writerow(
                (k, *("" if v is None else str(v) for v in values), c.explanation.replace("\n", " | "))
            )


def register(app: typer.Typer) -> None:
    @app.command()
    def match(
        territory: Annotated[
            str | None,
            typer.Option("--territory", "-t", help="territory id (graph store, or within --dataset)"),
        ] = None,
        dataset: Annotated[
            Path | None, typer.Option(help="read a dataset folder/workbook, not the graph")
        ] = None,
        site: Annotated[
            str | None, typer.Option(help="only candidates where this site gives or receives")
        ] = None,
        resource: Annotated[
            str | None, typer.Option(help="only candidates with this resource on either side")
        ] = None,
        family: Annotated[ResourceFamily | None, typer.Option(help="only this resource family")] = None,
        min_gain_eur: Annotated[float | None, typer.Option(help="minimum net gain, €/yr")] = None,
        max_distance_km: Annotated[
            float | None, typer.Option(help="maximum great-circle distance, km")
        ] = None,
        top_k: Annotated[int | None, typer.Option(help="keep each site's k best candidates")] = None,
        sort: Annotated[str, typer.Option(help="gain | co2")] = "gain",
        csv_out: Annotated[
            Path | None, typer.Option("--csv", help="write the selected candidates to a CSV")
        ] = None,
        near_misses: Annotated[bool, typer.Option(help="show pairs that fail a condition, and why")] = False,
        explain: Annotated[str | None, typer.Option(help="explain one pair: OUTPUT_ID:INPUT_ID")] = None,
        explain_top: Annotated[int, typer.Option(help="print the explanation of the N best")] = 3,
        limit: Annotated[int, typer.Option(help="rows printed")] = 30,
    ) -> None:
        """Find, cost and explain candidate exchanges, ranked by net gain or CO2 avoided."""
        from symbiosis.knowledge import load_knowledge_base
        from symbiosis.matching import CandidateQuery, MatchingService, MatchOptions, SortKey

        console = _console()
        if sort not in {s.value for s in SortKey}:
            raise SymbiosisError(f"--sort {sort!r}: expected 'gain' or 'co2'")
        kb = load_knowledge_base()
        ds = load_dataset(territory, dataset, kb)
        service = MatchingService(ds, kb, MatchOptions(keep_near_misses=near_misses))
        for warning in service.warnings:
            console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
        if explain:
            out_id, sep, in_id = explain.partition(":")
            if not sep:
                raise SymbiosisError(f"--explain {explain!r}: expected OUTPUT_ID:INPUT_ID")
            console.print(service.explain(out_id, in_id).explanation, highlight=False)
            return
        query = CandidateQuery(
            site_id=site,
            resource=resource,
            family=family,
            min_gain_eur_per_yr=min_gain_eur,
            max_distance_km=max_distance_km,
            top_k_per_site=top_k,
            sort=SortKey(sort),
            near_misses=near_misses,
        )
        cands = service.candidates(query, explain=csv_out is not None or near_misses or explain_top > 0)
        console.print(_table(cands, near_misses, limit))
        for k, c in enumerate(cands[: max(explain_top, 0)], 1):
            console.rule(f"#{k} {c.output_id} → {c.input_id}")
            console.print(c.explanation, highlight=False)
        if not near_misses:
            console.print(
                f"{service.count():,} viable candidates in all; {len(service.unmatched):,} declarations "
                "without a partner (see --near-misses)"
            )
        if csv_out is not None:
            write_csv(cands, csv_out)
            console.print(f"wrote {len(cands):,} rows to {csv_out}")
