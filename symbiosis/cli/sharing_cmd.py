"""`symbiosis sharing`: shared spaces, equipment, services and skills — matches, allocation, occupancy.

Reads a dataset folder holding ``sharing_offers.csv`` and ``sharing_needs.csv`` beside its sites
(docs/DATA_FORMAT.md, "Sharing"), matches every need against the offers (fits and near-misses,
each explained), allocates the fitting pairs hour by hour within every offer's capacity (Pyomo →
HiGHS) and prints each asset's weekly occupancy before → after. Facilitator's view: every
declaration of the territory, named.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from symbiosis.errors import SymbiosisError

if TYPE_CHECKING:
    from symbiosis.sharing.records import SharingData
    from symbiosis.sharing.service import SharingResult

console = Console() if sys.stdout.isatty() else Console(width=170)

_T = {
    "fr": dict(
        kpi="Mutualisation — indicateurs (par an)",
        needs="besoins déclarés",
        offers="offres déclarées",
        fits="appariements possibles",
        near="presque-appariements",
        served="besoins servis",
        cost="coût évité",
        user="économie des utilisateurs (trajets déduits)",
        owner="revenu des propriétaires",
        co2="CO2e évité (net des trajets)",
        occ="occupation moyenne des actifs offerts",
        solver="solveur",
        gap="écart à la borne",
        match="Appariements retenus",
        near_t="Presque-appariements",
        need="besoin (site)",
        offer="offre (site)",
        why="explication",
        occ_t="Occupation hebdomadaire avant → après (h sur 168)",
        asset="actif",
        before="avant",
        after="après",
        avoided="Constructions et achats évités",
        cat="catégorie",
        units="unités équivalentes",
    ),
    "en": dict(
        kpi="Sharing — KPIs (per year)",
        needs="needs declared",
        offers="offers declared",
        fits="pairs that fit",
        near="near-misses",
        served="needs served",
        cost="cost avoided",
        user="users' saving (travel deducted)",
        owner="owners' income",
        co2="CO2e avoided (net of travel)",
        occ="mean occupancy of offered assets",
        solver="solver",
        gap="gap to the bound",
        match="Allocated pairs",
        near_t="Near-misses",
        need="need (site)",
        offer="offer (site)",
        why="explanation",
        occ_t="Weekly occupancy before → after (h of 168)",
        asset="asset",
        before="before",
        after="after",
        avoided="New builds and purchases avoided",
        cat="category",
        units="equivalent units",
    ),
}


def _eur(x: float) -> str:
    return f"{x:,.0f} €"


def sharing_tables(data: SharingData, result: SharingResult, lang: str, limit: int) -> list[Table]:
    """The run's tables: KPIs, allocated pairs, near-misses, occupancy, avoided builds."""
    import numpy as np

    from symbiosis.sharing.matching import explain

    t = _T[lang]
    names = data.site_names()
    m, alloc, chosen = result.matches, result.allocation, result.allocated()
    before = np.mean([o.share_before for o in result.occupancy]) if result.occupancy else 0.0
    after = np.mean([o.share_after for o in result.occupancy]) if result.occupancy else 0.0
    kpi = Table(title=t["kpi"], show_header=False)
    kpi.add_column("KPI")
    kpi.add_column("value", justify="right")
    for name, value in (
        (t["needs"], f"{len(data.needs)}"),
        (t["offers"], f"{len(data.offers)}"),
        (t["fits"], f"{int(m.fits.sum())}"),
        (t["near"], f"{int((~m.fits).sum())}"),
        (t["served"], f"{len(chosen.need)} / {len(data.needs)}"),
        (t["cost"], _eur(float(chosen.cost_avoided_eur.sum()))),
        (t["user"], _eur(float(chosen.user_saving_eur.sum()))),
        (t["owner"], _eur(float(chosen.owner_income_eur.sum()))),
        (t["co2"], f"{float(chosen.co2_avoided_t.sum()):,.2f} t"),
        (t["occ"], f"{before:.0%} → {after:.0%}"),
        (t["gap"], f"{alloc.gap:.3%}"),
        (t["solver"], f"HiGHS {alloc.status}, {alloc.time_s:.2f} s, {alloc.n_capacity_rows} capacity rows"),
    ):
        kpi.add_row(name, value)
    pairs = Table(title=t["match"], title_justify="left")
    for col in (t["need"], t["offer"], "km", "€/an" if lang == "fr" else "€/yr", "t CO2e", t["why"]):
        pairs.add_column(col, justify="right" if col in ("km", "t CO2e") or "€" in col else "left")
    for k in range(min(limit, len(chosen.need))):
        need, offer = data.needs[int(chosen.need[k])], data.offers[int(chosen.offer[k])]
        pairs.add_row(
            f"{need.id} ({names[need.site_id]})",
            f"{offer.name} ({names[offer.site_id]})",
            f"{chosen.distance_km[k]:.1f}",
            f"{chosen.cost_avoided_eur[k]:,.0f}",
            f"{chosen.co2_avoided_t[k]:,.2f}",
            explain(data, chosen, k, lang),
        )
    unchosen_fits = np.setdiff1d(result.fit_rows, result.allocated_rows)
    near_rows = np.concatenate([np.flatnonzero(~m.fits), unchosen_fits])
    near = Table(title=t["near_t"], title_justify="left")
    for col in (t["need"], t["offer"], t["why"]):
        near.add_column(col)
    for k in near_rows[:limit]:
        need, offer = data.needs[int(m.need[k])], data.offers[int(m.offer[k])]
        why = explain(data, m, int(k), lang)
        if m.failed[k] == 0:
            why = (
                "capacité déjà prise à ces heures par un besoin plus utile — "
                if lang == "fr"
                else "capacity taken at these hours by a more valuable need — "
            ) + why
        near.add_row(f"{need.id} ({names[need.site_id]})", f"{offer.name} ({names[offer.site_id]})", why)
    occ = Table(title=t["occ_t"], title_justify="left")
    for col in (t["asset"], t["before"], t["after"]):
        occ.add_column(col, justify="left" if col == t["asset"] else "right")
    for o in sorted(result.occupancy, key=lambda o: o.hours_before - o.hours_after)[:limit]:
        offer = data.offers[o.offer_index]
        occ.add_row(
            f"{offer.name} ({names[offer.site_id]})",
            f"{o.hours_before}/168 ({o.share_before:.0%})",
            f"{o.hours_after}/168 ({o.share_after:.0%})",
        )
    avoided = Table(title=t["avoided"], title_justify="left")
    for col in (t["cat"], t["units"], "t CO2e"):
        avoided.add_column(col, justify="left" if col == t["cat"] else "right")
    per_cat: dict[str, list[float]] = {}
    for k in range(len(chosen.need)):
        code = data.needs[int(chosen.need[k])].category
        acc = per_cat.setdefault(code, [0.0, 0.0])
        acc[0] += float(chosen.units_avoided[k])
        acc[1] += float(chosen.co2_avoided_t[k])
    for code, (units, co2) in sorted(per_cat.items(), key=lambda kv: -kv[1][1]):
        cat = data.categories[code]
        avoided.add_row(cat.name(lang), f"{units:,.1f} {cat.unit_label(lang)}", f"{co2:,.2f}")
    return [kpi, pairs, near, occ, avoided]


def print_sharing(
    path: Path,
    year: int,
    carbon_price: float,
    lang: str,
    limit: int,
    time_limit: float,
    out: Console | None = None,
) -> tuple[SharingData, SharingResult]:
    """Read, match, allocate and print (also the demo's sharing step)."""
    from symbiosis.knowledge import load_knowledge_base
    from symbiosis.sharing.records import read_sharing
    from symbiosis.sharing.service import run_sharing

    out = out or console
    data = read_sharing(path, load_knowledge_base())
    result = run_sharing(data, year, carbon_price, time_limit)
    for table in sharing_tables(data, result, lang, limit):
        out.print(table)
    return data, result


def store_and_book(data: SharingData, result: SharingResult, out: Console | None = None) -> None:
    """The accepted allocation becomes bookings in the graph store (sites, offers and needs first)."""
    from symbiosis.graph.connection import open_graph
    from symbiosis.graph.sharing_store import SharingStore, book_allocation
    from symbiosis.settings import get_settings

    out = out or console
    with open_graph(get_settings()) as repo:
        repo.ensure_schema()
        repo.import_dataset(data.dataset)
        store = SharingStore(repo)
        store.ensure_schema()
        store.save(data.offers, data.needs)
        made, refused = book_allocation(store, data, result)
    out.print(f"{len(made)} booking(s) made in the graph store, {len(refused)} refused")
    for line in refused:
        out.print(f"  refused: {line}")


def register(app: typer.Typer) -> None:
    @app.command()
    def sharing(
        dataset: Annotated[
            Path, typer.Argument(help="dataset folder with sharing_offers.csv and sharing_needs.csv")
        ],
        year: Annotated[
            int, typer.Option(help="calendar year the dates and months are counted in")
        ] = date.today().year,
        carbon_price: Annotated[
            float, typer.Option("--carbon-price", help="€ per t CO2e avoided added to the value")
        ] = 100.0,
        lang: Annotated[str, typer.Option(help="fr or en")] = "fr",
        limit: Annotated[int, typer.Option(help="rows printed per table")] = 30,
        time_limit: Annotated[float, typer.Option("--time-limit", help="seconds for the allocation")] = 60.0,
        json_path: Annotated[Path | None, typer.Option("--json", help="write the allocation as JSON")] = None,
        ics: Annotated[
            Path | None, typer.Option("--ics", help="write the allocated bookings as iCalendar")
        ] = None,
        book: Annotated[
            bool,
            typer.Option(
                "--book", help="put sites, offers and needs in the graph store; book the allocation"
            ),
        ] = False,
    ) -> None:
        """Shared spaces, equipment, services and skills: matches, allocation and occupancy before → after."""
        for name, value, ok, expected in (
            ("--carbon-price", carbon_price, carbon_price >= 0, "a number ≥ 0 (€/t CO2e)"),
            ("--time-limit", time_limit, time_limit > 0, "a number > 0 (seconds)"),
            ("--lang", lang, lang in ("fr", "en"), "fr or en"),
            ("--year", year, 1900 <= year <= 2200, "a calendar year"),
        ):
            if not ok or value != value:
                raise SymbiosisError(f"{name} = {value!r}: expected {expected}")
        data, result = print_sharing(dataset, year, carbon_price, lang, limit, time_limit)
        if json_path is not None:
            from symbiosis.sharing.export import allocation_json

            json_path.write_text(
                json.dumps(allocation_json(data, result, lang), indent=2, ensure_ascii=False),
                encoding="utf-8",
            )
            console.print(f"wrote {json_path}")
        if book:
            store_and_book(data, result)
        if ics is not None:
            from symbiosis.sharing.ical import allocation_calendar

            ics.write_bytes(allocation_calendar(data, result, lang).to_ical())
            console.print(f"wrote {ics}")
