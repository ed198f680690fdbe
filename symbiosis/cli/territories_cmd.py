"""`symbiosis fr-territories`: a dataset template holding French EPCIs and their communes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from symbiosis.errors import SymbiosisError

_HELP = (
    "Write a dataset whose territories are France › région › EPCI › commune, ready to fill.\n\n"
    "Nothing selected means all of France (1,255 EPCIs, 34,871 communes). The other tables (firms, "
    "sites, outputs, inputs, exchanges) are written empty with their headers: add your firms, site "
    "them in a commune or EPCI (territory_id fr_commune_<INSEE> or fr_epci_<SIREN>), then "
    "'symbiosis import' the result."
)


def register(app: typer.Typer) -> None:
    @app.command("fr-territories", help=_HELP)
    def fr_territories(
        out: Annotated[Path, typer.Argument(help="new folder of CSV files, or a workbook ending in .xlsx")],
        epci: Annotated[
            list[str] | None, typer.Option(help="SIREN or part of the name of an EPCI (repeatable)")
        ] = None,
        departement: Annotated[
            list[str] | None, typer.Option(help="every EPCI with a commune in this département (e.g. 31, 2A)")
        ] = None,
        region: Annotated[
            list[str] | None, typer.Option(help="every EPCI of this INSEE region code (e.g. 76)")
        ] = None,
    ) -> None:
        """Write a dataset whose territories are France › région › EPCI › commune (see _HELP)."""
        from symbiosis.dataset_io import TABLES, write_dataset
        from symbiosis.domain.dataset import Dataset
        from symbiosis.prefill.fr_territories import french_territories, read_membership, select_epcis

        if out.suffix.lower() == ".xlsx":
            if out.exists():
                raise SymbiosisError(f"{out} exists already: give a new workbook name, nothing was written")
        elif out.exists() and any((out / f"{t}.csv").exists() for t in TABLES):
            raise SymbiosisError(f"{out} holds a dataset already: give a new folder, nothing was written")
        chosen = select_epcis(
            read_membership(), epci=epci or (), departements=departement or (), regions=region or ()
        )
        territories = french_territories(chosen)
        write_dataset(
            Dataset(territories=territories), out, fmt="xlsx" if out.suffix.lower() == ".xlsx" else "csv"
        )
        n_communes = sum(len(e.communes) for e in chosen)
        typer.echo(
            f"wrote {len(chosen):,} EPCI(s) with {n_communes:,} communes "
            f"({len(territories):,} territories) to {out}"
        )
        for e in chosen[:20]:
            typer.echo(f"  fr_epci_{e.siren}  {e.name} ({len(e.communes)} communes)")
        if len(chosen) > 20:
            typer.echo(f"  … and {len(chosen) - 20:,} more")
