"""`symbiosis demo`: the main job on the embedded default, end to end, on the Kalundborg network.

Declarations → graph → candidates → plan → API/dashboard: load the real Kalundborg dataset into the
graph store, read it back, match it, optimise the network, compare the plan with the exchanges
known to exist, then serve the API and the dashboard on localhost (detached, so the command
returns; `symbiosis down` stops everything). `make demo` runs this.
"""

from __future__ import annotations

import secrets
import sys
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
    from symbiosis.cli.optimize_cmd import _plan_tables, practice_table
    from symbiosis.graph.connection import open_graph
    from symbiosis.knowledge import load_knowledge_base
    from symbiosis.matching.service import MatchingService
    from symbiosis.optimizer import OptimizeOptions, optimize
    from symbiosis.optimizer.practice import existing_link_ids
    from symbiosis.optimizer.results import water_abstraction_balance

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
    cset = service.candidate_set()
    opts = OptimizeOptions(
        carbon_price_eur_per_t=carbon_price_eur_per_t,
        existing_links=existing_link_ids(cset, dataset.exchanges),
    )
    plan = optimize(cset, opts)
    water = water_abstraction_balance(plan.links, cset.candidates)
    kpis, links, _per_territory = _plan_tables(plan, limit=top, water=water)
    console.print(kpis)
    console.print(links)
    practice = practice_table(plan)
    if practice is not None:  # always, with Kalundborg's known exchanges
        console.print(practice)
        console.print(
            "Savings above are against a territory with no exchange at all; the exchanges Kalundborg "
            "already runs are today's practice, so only the last row is new."
        )
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

    console.rule("[bold]4. Pooled collection and purchasing in an activity zone (L'Aigle, example)")
    from symbiosis.cli.pools_cmd import print_pools
    from symbiosis.dataset_io import read_dataset

    zone = read_dataset(settings.datasets_dir / "zone_laigle", kb).restricted_to("cc_pays_de_laigle")
    print_pools(zone, kb, carbon_price_eur_per_t, 15.0, 60.0, top, out=console)

    # -- sharing (issue 19): shared spaces, equipment, services and skills; docs/SHARING.md --
    console.rule("[bold]4b. Mutualisation: shared spaces, equipment, services and skills (example park)")
    from symbiosis.cli.sharing_cmd import print_sharing

    park = settings.datasets_dir / "sharing_plaine_ain"  # its one-off convention is dated 2026
    print_sharing(park, 2026, carbon_price_eur_per_t, "fr", top, 60.0, out=console)


DEMO_ADMIN_EMAIL = "admin@symbiosis.local"


def ensure_demo_admin() -> str | None:
    """On a store with no account yet, create a local admin and keep its password in a 0600 file.

    Development mode only: a production store gets its first admin from `symbiosis users
    create-admin`. Returns the password file's path when an account was made or exists.
    """
    from symbiosis.services import users
    from symbiosis.services.context import ServiceContext
    from symbiosis.services.principal import Role

    settings = get_settings()
    secret_file = settings.home_dir / "demo-admin.txt"
    if settings.mode != "development":
        return None
    ctx = ServiceContext.create(settings)
    try:
        repo = ctx.repo()
        repo.ensure_schema()
        if repo.list_records(users.USER):
            return str(secret_file) if secret_file.exists() else None
        password = secrets.token_urlsafe(12)
        users.create_user_record(ctx, DEMO_ADMIN_EMAIL, password, Role.ADMIN)
    finally:
        ctx.close()
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    secret_file.touch(mode=0o600)
    secret_file.write_text(f"{DEMO_ADMIN_EMAIL}\n{password}\n", encoding="utf-8")
    return str(secret_file)


def serve_in_background() -> tuple[str, str]:
    """The API and the dashboard on localhost, detached; their URLs."""
    from symbiosis.cli import background

    settings = get_settings()
    exe = [sys.executable, "-m", "symbiosis.cli"]
    urls = []
    for name, preferred, args, health in (
        ("api", settings.api_port, ["serve", "--host", background.HOST, "--port"], "/health"),
        ("dashboard", settings.dashboard_port, ["dashboard", "--port"], "/_stcore/health"),
    ):
        live = background.running(settings, name)
        if live is None:
            port = background.pick_port(preferred)
            url = f"http://{background.HOST}:{port}"
            argv = [*exe, *args, str(port)]
            live = background.start(settings, name, argv, url=url, health_url=url + health)
        urls.append(live.url)
    return urls[0], urls[1]


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        carbon_price: Annotated[float, typer.Option(help="€/t CO2e in the optimiser's objective")] = 100.0,
        top: Annotated[int, typer.Option(help="rows shown per table")] = 12,
        serve: Annotated[bool, typer.Option(help="serve the API and the dashboard afterwards")] = True,
    ) -> None:
        """Load Kalundborg into the graph store, match it, optimise it, print what came out, and serve
        the API and the dashboard on localhost."""
        run_demo(carbon_price, top)
        if not serve:
            return
        console.rule("[bold]5. API and dashboard on localhost")
        admin_file = ensure_demo_admin()
        api_url, dash_url = serve_in_background()
        console.print(f"API:       {api_url}/docs  (OpenAPI; log in at POST {api_url}/auth/token)")
        console.print(f"dashboard: {dash_url}")
        if admin_file:
            console.print(f"local admin account for this demo: see {admin_file} (mode 0600)")
        console.print("stop everything with: .venv/bin/symbiosis down   (or make stop)")

    @app.command()
    def down() -> None:
        """Stop the API, the dashboard and the embedded graph store started by `symbiosis demo`."""
        from symbiosis.cli import background
        from symbiosis.graph import servers

        settings = get_settings()
        for name in ("dashboard", "api"):
            typer.echo(f"{name}: {'stopped' if background.stop(settings, name) else 'not running'}")
        if settings.embedded:
            typer.echo(f"graph store: {'stopped' if servers.stop(settings) else 'not running'}")
