"""`symbiosis water-targets DATASET`: minimum fresh water and wastewater of the dataset's
water-using operations — no reuse, reuse within sites, across sites, with regeneration — and
the cheapest plan against its no-reuse baseline (docs/WATER.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console() if sys.stdout.isatty() else Console(width=160)
HOURS_PER_YEAR = 8760.0


def _guarantee(t: dict) -> str:
    if t["exact"]:
        return "exact (LP optimum)"
    bound = t["lower_bound_m3_per_h"]
    if bound is None:
        return "feasible network, no proven bound"
    gap = (t["fresh_m3_per_h"] - bound) / max(t["fresh_m3_per_h"], 1e-9)
    return f"feasible; ≥ {bound:,.2f} m³/h (gap ≤ {gap:.1%})"


def _tables(report: dict) -> list[Table]:
    targets = Table(title="Water targets (fresh water: ground, surface and mains; sea water apart)")
    for col in (
        "case",
        "fresh m³/h",
        "fresh m³/yr",
        "wastewater m³/h",
        "treated m³/h",
        "by source type m³/h",
        "guarantee",
    ):
        targets.add_column(
            col, justify="left" if col in ("case", "by source type m³/h", "guarantee") else "right"
        )
    for t in report["targets"]:
        targets.add_row(
            t["label"],
            f"{t['fresh_m3_per_h']:,.2f}",
            f"{t['fresh_m3_per_h'] * HOURS_PER_YEAR:,.0f}",
            f"{t['wastewater_m3_per_h']:,.2f}",
            f"{sum(t['treated_m3_per_h'].values()):,.2f}",
            ", ".join(f"{k} {v:,.2f}" for k, v in t["by_source_type_m3_per_h"].items()),
            _guarantee(t),
        )
    plan = report["plan"]
    cheap = Table(
        title="Cheapest plan against no reuse "
        f"(per year, carbon price {plan['carbon_price_eur_per_t']:g} €/t)"
    )
    for col in ("", "abstracted by type m³", "wastewater m³", "treated m³", "cost €", "CO2e t"):
        cheap.add_column(col, justify="left" if col in ("", "abstracted by type m³") else "right")
    for name in ("before", "after"):
        d = plan[name]
        cheap.add_row(
            "no reuse" if name == "before" else f"plan ({d['mode']})",
            ", ".join(f"{k} {v:,.0f}" for k, v in d["abstracted_by_source_type_m3_per_yr"].items()),
            f"{d['wastewater_m3_per_yr']:,.0f}",
            f"{sum(d['treated_m3_per_yr'].values()):,.0f}",
            f"{d['cost_eur_per_yr']:,.0f}",
            f"{d['co2_t_per_yr']:,.1f}",
        )
    cheap.add_row("fresh water saved", f"{plan['fresh_water_saved_m3_per_yr']:,.0f}", "", "", "", "")
    sites = Table(
        title="Site water balance of the plan (m³/h): "
        "sources + received + released = sent + discharged + losses"
    )
    for col in (
        "site",
        "from sources",
        "received",
        "released",
        "sent",
        "discharged",
        "losses",
        "reused on site",
    ):
        sites.add_column(col, justify="left" if col == "site" else "right")
    for b in plan["site_balance_m3_per_h"]:
        sites.add_row(
            b["site_id"],
            ", ".join(f"{k} {v:,.2f}" for k, v in b["from_sources_m3_per_h"].items()) or "0",
            f"{b['received_m3_per_h']:,.2f}",
            f"{b['released_m3_per_h']:,.2f}",
            f"{b['sent_m3_per_h']:,.2f}",
            f"{b['discharged_m3_per_h']:,.2f}",
            f"{b['losses_m3_per_h']:,.2f}",
            f"{b['reused_on_site_m3_per_h']:,.2f}",
        )
    return [targets, cheap, sites]


def register(app: typer.Typer) -> None:
    @app.command("water-targets")
    def water_targets(
        dataset: Annotated[
            Path, typer.Argument(help="dataset folder with water_operations.csv (docs/DATA_FORMAT.md)")
        ],
        carbon_price: Annotated[
            float, typer.Option(help="€ per t CO2e for the cheapest plan", min=0)
        ] = 100.0,
        as_json: Annotated[
            bool, typer.Option("--json", help="print everything as JSON (composite curves included)")
        ] = False,
    ) -> None:
        """Minimum fresh water and wastewater with and without reuse and with regeneration."""
        from symbiosis.water.report import water_report_for_dataset

        report = water_report_for_dataset(dataset, carbon_price)
        if as_json:
            typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
            return
        for table in _tables(report):
            console.print(table)
