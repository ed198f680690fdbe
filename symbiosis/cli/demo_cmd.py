"""`symbiosis demo`: the main job on the embedded default, end to end, on the Kalundborg network.

Declarations → graph → candidates → plan: load the real Kalundborg dataset into the graph store,
read it back, match it, optimise the network and compare the plan with the exchanges known to
exist. `make demo` runs this.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console

from symbiosis.settings import get_settings

console = Console(width=150)
DEMO_TERRITORY = "dk"  # Denmark: the park plus its partners further away (cement, sulphur)


def run_demo(carbon_price_eur_per_t: float, top: int) -> None:
    from symbiosis.cli.data_cmd import load_into_graph, print_counts
    from symbiosis.cli.match_cmd import _table as candidate_table
    from symbiosis.cli.optimize_cmd import _plan_tables
    from symbiosis.graph.connection import open_graph
    from symbiosis.knowledge import load_knowledge_base
    from symbiosis.matching.service import MatchingService
    from symbiosis.optimizer import OptimizeOptions, optimize

    settings = get_settings()
    kalundborg = settings.datasets_dir / "kalundborg"
    console.rule("[bold]1. Kalundborg into the graph store")
    counts = load_into_graph(kalundborg)
    print_counts(
        {
            "firms": counts["firms"],
            "sites": counts["sites"],
            "declarations": counts["outputs"] + counts["inputs"],
            "known exchanges": counts["exchanges"],
        },
        "loaded into the graph",
    )

    console.rule("[bold]2. Matching: every viable exchange, read back from the graph")
    kb = load_knowledge_base()
    t0 = time.perf_counter()
    with open_graph(settings) as repo:
        dataset = repo.export_dataset(DEMO_TERRITORY)
    service = MatchingService(dataset, kb)
    candidates = service.candidates()
    console.print(candidate_table(candidates, near=False, limit=top))
    console.print(
        f"{len(candidates)} candidates, {len(service.unmatched)} declarations without a partner "
        f"({time.perf_counter() - t0:.1f} s, graph read included)"
    )

    console.rule(f"[bold]3. Optimised network at {carbon_price_eur_per_t:,.0f} €/t CO2e")
    plan = optimize(service.candidate_set(), OptimizeOptions(carbon_price_eur_per_t=carbon_price_eur_per_t))
    kpis, links, _per_territory = _plan_tables(plan, limit=top)
    console.print(kpis)
    console.print(links)
    chosen = {(lf.output_id, lf.input_id) for lf in plan.links}
    known = [x for x in dataset.exchanges if x.output_id and x.input_id]
    built = [x for x in known if (x.output_id, x.input_id) in chosen]
    console.print(
        f"The plan runs {len(built)} of the {len(known)} exchanges known to exist in Kalundborg; "
        "the rest of its links are further opportunities the data support."
    )
    missing = [x.id for x in known if (x.output_id, x.input_id) not in chosen]
    if missing:
        console.print("known exchanges not in this plan: " + ", ".join(missing))


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        carbon_price: Annotated[float, typer.Option(help="€ per t CO2e in the optimiser's objective")] = 100.0,
        top: Annotated[int, typer.Option(help="rows shown per table")] = 12,
    ) -> None:
        """Load Kalundborg into the graph store, match it, optimise it, and print what came out."""
        run_demo(carbon_price, top)
