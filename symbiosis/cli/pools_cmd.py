"""`symbiosis pools`: pooled collection and purchasing — the best pools, their tours, who pays what.

Reads a dataset (``--dataset``) or the graph store (``--territory`` alone), detects groups of
sites declaring the same stream, costs and chooses pools (`symbiosis.pooling`) and prints, per
pool, the tour, today's separate contracts against the pooled one (€, truck-km, CO2) and each
member's Shapley share beside a pro-rata-by-volume split.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbiosis.errors import SymbiosisError

if TYPE_CHECKING:
    from symbiosis.domain.dataset import Dataset
    from symbiosis.knowledge.base import KnowledgeBase
    from symbiosis.pooling.service import PoolingResult

console = Console() if sys.stdout.isatty() else Console(width=160)


def _names(ds) -> dict[str, str]:  # noqa: ANN001
    return {s.id: s.name for s in ds.sites}


def _pool_tables(result, names: dict[str, str], limit: int) -> list[Table]:  # noqa: ANN001
    out = []
    ch = result.choice
    kpi = Table(title="Pooled contracts — totals per year", show_header=False)
    kpi.add_column("KPI")
    kpi.add_column("value", justify="right")
    pooled_today = sum(p.today_eur for p in result.pools)
    pooled_now = sum(p.pool_eur for p in result.pools)
    for name, value in (
        ("groups detected (same stream, within reach)", f"{result.n_groups}"),
        ("candidate pools costed", f"{result.n_options}"),
        ("pools chosen", f"{len(result.pools)}"),
        ("every member on its own contract", f"{result.baseline_eur:,.0f} €"),
        ("saving of the chosen pools", f"{pooled_today - pooled_now:,.0f} €"),
        ("truck-km saved", f"{sum(p.today_truck_km - p.contract.truck_km for p in result.pools):,.0f} km"),
        ("CO2e saved", f"{sum(p.today_co2_t - p.contract.co2_t for p in result.pools):,.2f} t"),
        ("objective (cost + carbon price × CO2e)", f"{ch.objective_eur:,.0f} €" if ch else "—"),
        ("lower bound (HiGHS)", f"{ch.bound_eur:,.0f} €" if ch else "—"),
        ("gap to the bound", f"{ch.gap:.3%}" if ch else "—"),
        ("solver", f"{ch.status}, {ch.time_s:.2f} s" if ch else "—"),
    ):  # fmt: skip
        kpi.add_row(name, value)
    out.append(kpi)
    for k, p in enumerate(result.pools[:limit], 1):
        c = p.contract
        routes = " | ".join(
            " → ".join([p.hub_site_name, *(names.get(s, s) for s in r), p.hub_site_name])
            for r in p.tour_site_ids
        )
        t = Table(
            title=(
                f"Pool {k}: {p.resource_code} ({p.side}) via {p.hub_site_name} — "
                f"saves {p.saving_eur:,.0f} €/yr, {p.today_truck_km - c.truck_km:,.0f} truck-km/yr, "
                f"{p.today_co2_t - c.co2_t:,.2f} t CO2e/yr\n"
                f"tour ×{c.pickups_per_month}/month, {c.tour.length_km:.1f} km: {routes}"
            ),
            title_justify="left",
        )
        for col in ("member (site)", "t/yr", "today €/yr", "Shapley €/yr", "saves €/yr", "pro rata €/yr"):
            t.add_column(col, justify="left" if col.startswith("member") else "right")
        for m in p.members:
            sh = f"{m.shapley_eur:,.0f}" + (
                f" ± {m.shapley_half_width_eur:,.0f}" if m.shapley_half_width_eur else ""
            )
            t.add_row(
                m.site_name,
                f"{m.t_per_yr:,.1f}",
                f"{m.today_eur:,.0f}",
                sh,
                f"{m.today_eur - m.shapley_eur:,.0f}",
                f"{m.pro_rata_eur:,.0f}",
            )
        if not p.core_checked:
            note = "core not checked (more members than the exact check enumerates)"
        elif p.core_violations:
            note = "Shapley split outside the core: " + "; ".join(
                f"{', '.join(names.get(s, s) for s in sites)} would pay {e:,.0f} € less alone"
                for sites, e in p.core_violations
            )
        else:
            note = "Shapley split in the core: no sub-group would pay less on its own"
        t.caption = note + f"; pro-rata split: {p.pro_rata_core_violations} sub-group(s) would pay less alone"
        t.caption_justify = "left"
        out.append(t)
    return out


def print_pools(
    ds: Dataset,
    kb: KnowledgeBase,
    carbon_price: float,
    reach_km: float,
    time_limit: float,
    limit: int,
    out: Console | None = None,
) -> PoolingResult:
    """Propose the pools of a dataset and print them (also the demo's pooling step)."""
    from symbiosis.pooling.service import propose_pools

    out = out or console
    result = propose_pools(ds, kb, carbon_price, reach_km, time_limit)
    names = _names(ds)
    if not result.pools:
        out.print(
            f"No pool pays off: {result.n_groups} group(s) found, "
            f"{result.n_options} candidate pool(s) costed."
        )
    else:
        for t in _pool_tables(result, names, limit):
            out.print(t)
    for code, side, n in result.detection.without_hub:
        out.print(f"{n} sites declare {code} ({side}) together but no site within reach takes/supplies it.")
    return result


def register(app: typer.Typer) -> None:
    @app.command()
    def pools(
        territory: Annotated[str | None, typer.Option("--territory", "-t", help="territory id")] = None,
        dataset: Annotated[
            Path | None,
            typer.Option("--dataset", help="read a dataset folder/workbook instead of the graph store"),
        ] = None,
        carbon_price: Annotated[
            float, typer.Option("--carbon-price", help="€ per t CO2e added to the cost")
        ] = 0.0,
        reach_km: Annotated[
            float, typer.Option("--reach-km", help="max km between two members of a group")
        ] = 15.0,
        time_limit: Annotated[
            float, typer.Option("--time-limit", help="seconds for the choice model")
        ] = 60.0,
        json_path: Annotated[Path | None, typer.Option("--json", help="write the pools as JSON")] = None,
        limit: Annotated[int, typer.Option(help="pools printed")] = 20,
    ) -> None:
        """Pooled collection and purchasing: the best pools, their tours and each member's share."""
        from symbiosis.cli.match_cmd import load_dataset
        from symbiosis.knowledge import load_knowledge_base

        for name, value, ok, expected in (
            ("--carbon-price", carbon_price, carbon_price >= 0, "a number ≥ 0 (€/t CO2e)"),
            ("--reach-km", reach_km, reach_km > 0, "a number > 0 (km)"),
            ("--time-limit", time_limit, time_limit > 0, "a number > 0 (seconds)"),
        ):
            if not ok or value != value:
                raise SymbiosisError(f"{name} = {value!r}: expected {expected}")
        kb = load_knowledge_base()
        ds = load_dataset(territory, dataset, kb)
        result = print_pools(ds, kb, carbon_price, reach_km, time_limit, limit)
        names = _names(ds)
        if json_path is not None:
            doc = {
                "carbon_price_eur_per_t": carbon_price,
                "baseline_eur_per_yr": result.baseline_eur,
                "choice": asdict(result.choice) if result.choice else None,
                "pools": [
                    {
                        **asdict(p),
                        "saving_eur_per_yr": p.saving_eur,
                        "tour_site_names": [[names.get(s, s) for s in r] for r in p.tour_site_ids],
                    }
                    for p in result.pools
                ],
            }
            json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
            console.print(f"wrote {json_path}")
