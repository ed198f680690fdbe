"""`symbiosis optimize`: the best exchange network of a territory, its KPIs, or a cost–CO2 front.

Candidates come from matching, over a dataset read from the graph store (``--territory``) or from
files (``--dataset``); the optimiser then chooses which links to run and how much.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbiosis.errors import SymbiosisError

console = Console() if sys.stdout.isatty() else Console(width=160)  # logs and files: no cut ids
TERRITORY_HELP = "territory id (graph store, or within --dataset)"
DATASET_HELP = "read a dataset folder/workbook instead of the graph store"
ACCEPT_GAP_HELP = "use the best plan found when optimality is not proven (the gap is printed)"

LINK_COLUMNS = (
    "link_id", "output_id", "input_id", "giver_site_id", "receiver_site_id", "qty_per_yr", "unit_out",
    "delivered_per_yr", "unit_in", "built", "cost_eur_per_yr", "co2_t_per_yr", "rule_id", "ratio", "reason",
    "existing",
)  # fmt: skip


def _candidate_set(territory: str | None, dataset: Path | None):  # noqa: ANN202 - lazily imported types
    """(CandidateSet, the dataset's known exchanges)."""
    from symbiosis.cli.match_cmd import load_dataset
    from symbiosis.knowledge import load_knowledge_base
    from symbiosis.matching.service import match

    kb = load_knowledge_base()
    ds = load_dataset(territory, dataset, kb)
    return match(ds, kb), ds.exchanges


def practice_table(plan) -> Table | None:  # noqa: ANN001
    """No exchange → today's known exchanges → the plan: what is already done, what is new."""
    p = plan.practice
    if p is None:
        return None
    table = Table(title="Today's practice and what the plan adds (per year)")
    for col in ("", "cost €", "CO2e t", "saving €", "CO2e avoided t", "links"):
        table.add_column(col, justify="left" if not col else "right")
    table.add_row(
        "no exchange", f"{p.baseline_cost_eur_per_yr:,.0f}", f"{p.baseline_co2_t_per_yr:,.1f}", "", "", "0"
    )
    table.add_row(
        "today's known exchanges", f"{p.practice_cost_eur_per_yr:,.0f}", f"{p.practice_co2_t_per_yr:,.1f}",
        f"{p.existing_savings_eur_per_yr:,.0f}", f"{p.existing_co2_avoided_t_per_yr:,.1f}",
        f"{p.n_existing_links_known}",
    )  # fmt: skip
    table.add_row(
        "the plan", f"{p.plan_cost_eur_per_yr:,.0f}", f"{p.plan_co2_t_per_yr:,.1f}",
        f"{p.existing_savings_eur_per_yr + p.new_savings_eur_per_yr:,.0f}",
        f"{p.existing_co2_avoided_t_per_yr + p.new_co2_avoided_t_per_yr:,.1f}",
        f"{p.n_existing_links_in_plan} existing + {p.n_new_links_in_plan} new",
    )  # fmt: skip
    table.add_row(
        "[bold]added by new exchanges[/bold]", "", "", f"[bold]{p.new_savings_eur_per_yr:,.0f}[/bold]",
        f"[bold]{p.new_co2_avoided_t_per_yr:,.1f}[/bold]", "",
    )  # fmt: skip
    return table


def _by_unit(values: dict[str, float]) -> str:
    return ", ".join(f"{v:,.0f} {u}" for u, v in values.items())


def _share(value: float | None) -> str:
    return "—" if value is None else f"≥ {value:.1%} of what any plan could save"


def _pct(value: float | None) -> str:
    return "—" if value is None or value == float("inf") else f"{value:.3%}"


def _water_rows(water: dict | None) -> list[tuple[str, str]]:  # noqa: ANN001
    """The plan's abstraction balance (`results.water_abstraction_balance`): only fresh water no
    longer abstracted counts as saved; a change of source or sea water is shown, not counted."""
    if not water or not water["abstraction_change_m3_per_yr"]:
        return []
    change = ", ".join(f"{v:+,.0f} m³ {src}" for src, v in water["abstraction_change_m3_per_yr"].items())
    return [
        ("fresh water no longer abstracted", f"{water['fresh_water_saved_m3_per_yr']:,.0f} m³"),
        ("water abstraction change, by source", change),
    ]


def _plan_tables(plan, limit: int, water: dict | None = None) -> list[Table]:  # noqa: ANN001
    t, sv = plan.totals, plan.solver
    kpi = Table(title="Exchange plan — totals per year", show_header=False)
    kpi.add_column("KPI")
    kpi.add_column("value", justify="right")
    for name, value in (
        ("cost (plan)", f"{t.cost_eur_per_yr:,.0f} €"),
        ("cost (no exchange)", f"{t.baseline_cost_eur_per_yr:,.0f} €"),
        ("savings", f"{t.savings_eur_per_yr:,.0f} €"),
        ("CO2e (plan)", f"{t.co2_t_per_yr:,.1f} t"),
        ("CO2e avoided", f"{t.co2_avoided_t_per_yr:,.1f} t"),
        ("diverted from disposal", _by_unit(t.diverted_from_disposal_per_yr)),
        ("purchased supply avoided (any source)", _by_unit(t.virgin_avoided_per_yr)),
        *_water_rows(water),
        ("links chosen", f"{len(plan.links):,}"),
        ("objective (cost + carbon price × CO2e)", f"{sv.objective:,.0f} €"),
        ("lower bound", f"{sv.lower_bound:,.0f} €"),
        ("gap on the saving (stopping test)", _pct(sv.saving_gap)),
        ("gap on the objective", _pct(sv.gap)),
        ("objective saving vs the best plan", _share(sv.savings_share_proven)),
        ("solver", f"{sv.status} ({sv.detail})"),
        ("solve", f"{sv.time_s:.1f} s, {sv.method}, {sv.n_components} component(s)"),
        ("plan checked against every constraint", "yes" if sv.verified else "no"),
    ):  # fmt: skip
        kpi.add_row(name, value)
    links = Table(title=f"Chosen links ({len(plan.links):,}; largest first)")
    cols = (
        "from (site · output)",
        "to (site · input)",
        "qty/yr",
        "delivered/yr",
        "built",
        "today",
        "€/yr",
        "t CO2e/yr",
        "why (rule, ratio, transport)",
    )
    for col in cols:
        links.add_column(col, justify="left" if col.startswith(("from", "to", "why")) else "right")
    for lf in plan.links[:limit]:
        links.add_row(
            f"{lf.giver_site_id} · {lf.output_id}", f"{lf.receiver_site_id} · {lf.input_id}",
            f"{lf.qty_per_yr:,.1f} {lf.unit_out}", f"{lf.delivered_per_yr:,.1f} {lf.unit_in}",
            "yes" if lf.built else "", "existing" if lf.existing else "new",
            f"{lf.cost_eur_per_yr:,.0f}", f"{lf.co2_t_per_yr:,.2f}", lf.reason,
        )  # fmt: skip
    terr = Table(title="Per territory")
    for col in ("territory", "cost €/yr", "savings €/yr", "CO2e t/yr", "CO2e avoided t/yr"):
        terr.add_column(col, justify="left" if col == "territory" else "right")
    for name, k in plan.per_territory.items():
        terr.add_row(
            name, f"{k.cost_eur_per_yr:,.0f}", f"{k.savings_eur_per_yr:,.0f}", f"{k.co2_t_per_yr:,.1f}",
            f"{k.co2_avoided_t_per_yr:,.1f}",
        )  # fmt: skip
    return [kpi, links, terr]


def write_links_csv(plan, path: Path) -> None:  # noqa: ANN001
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow((*LINK_COLUMNS, "qty_per_period"))
        for lf in plan.links:
            periods = " ".join(f"{q:.6g}" for q in lf.qty_per_period)
            w.writerow((*(getattr(lf, c) for c in LINK_COLUMNS), periods))


def register(app: typer.Typer) -> None:
    @app.command()
    def optimize(
        territory: Annotated[str | None, typer.Option("--territory", "-t", help=TERRITORY_HELP)] = None,
        dataset: Annotated[Path | None, typer.Option("--dataset", help=DATASET_HELP)] = None,
        carbon_price: Annotated[
            float, typer.Option("--carbon-price", help="€ per t CO2e added to the cost")
        ] = 0.0,
        co2_cap: Annotated[
            float | None, typer.Option("--co2-cap", help="max t CO2e/yr of the whole plan")
        ] = None,
        pareto: Annotated[int | None, typer.Option("--pareto", help="N points of the cost–CO2 front")] = None,
        time_limit: Annotated[
            float | None, typer.Option("--time-limit", help="seconds for the solve")
        ] = None,
        accept_gap: Annotated[bool, typer.Option("--accept-gap", help=ACCEPT_GAP_HELP)] = False,
        json_out: Annotated[
            Path | None, typer.Option("--json", help="write the plan (or front) as JSON")
        ] = None,
        csv_out: Annotated[
            Path | None, typer.Option("--csv", help="write the links (or front) as CSV")
        ] = None,
        limit: Annotated[int, typer.Option(help="links printed")] = 30,
        existing: Annotated[
            bool,
            typer.Option(help="count the dataset's known exchanges as today's practice, not as new savings"),
        ] = True,
    ) -> None:
        """Choose the cost- and CO2-minimising exchange network and print its plan and KPIs."""
        from symbiosis.optimizer import OptimizeOptions, pareto_front
        from symbiosis.optimizer import optimize as run_optimize

        if carbon_price < 0:
            raise SymbiosisError(f"--carbon-price {carbon_price}: expected a price ≥ 0 €/t")
        if pareto is not None and pareto < 2:
            raise SymbiosisError(f"--pareto {pareto}: expected at least 2 points")
        from symbiosis.optimizer.practice import existing_link_ids
        from symbiosis.optimizer.results import water_abstraction_balance

        cset, exchanges = _candidate_set(territory, dataset)
        for warning in cset.warnings:  # e.g. declarations of several years (matching's vintage check)
            console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
        opts = OptimizeOptions(
            carbon_price_eur_per_t=carbon_price,
            co2_cap_t=co2_cap,
            time_limit_s=time_limit,
            accept_gap=accept_gap,
            existing_links=existing_link_ids(cset, exchanges) if existing else frozenset(),
        )
        if pareto is not None:
            points = pareto_front(cset, pareto, opts)
            table = Table(title=f"Cost–CO2 front ({len(points)} points)")
            for col in ("CO2e cap t/yr", "cost €/yr", "CO2e t/yr", "status", "gap on the saving", "note"):
                table.add_column(col, justify="left" if col == "note" else "right")
            for p in points:
                cap = "none" if p.co2_cap_t is None else f"{p.co2_cap_t:,.1f}"
                table.add_row(
                    cap,
                    f"{p.cost_eur_per_yr:,.0f}",
                    f"{p.co2_t_per_yr:,.1f}",
                    p.status,
                    _pct(p.saving_gap),
                    p.note,
                )
            console.print(table)
            rows = [p.__dict__ for p in points]
            if json_out is not None:
                json_out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
            if csv_out is not None:
                with csv_out.open("w", newline="", encoding="utf-8") as fh:
                    w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
                    w.writeheader()
                    w.writerows(rows)
            return
        plan = run_optimize(cset, opts)
        water = water_abstraction_balance(plan.links, cset.candidates)
        for table in _plan_tables(plan, limit, water):
            console.print(table)
        if (practice := practice_table(plan)) is not None:
            console.print(practice)
        if json_out is not None:
            body = plan.to_dict() | {"water": water}
            json_out.write_text(json.dumps(body, indent=2, default=str), encoding="utf-8")
            console.print(f"wrote the plan to {json_out}")
        if csv_out is not None:
            write_links_csv(plan, csv_out)
            console.print(f"wrote {len(plan.links):,} links to {csv_out}")
