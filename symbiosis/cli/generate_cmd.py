"""`symbiosis generate`: a seeded synthetic national dataset, written in the dataset format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def generate(
        out: Annotated[Path, typer.Option(help="folder to write the CSV files into")],
        sites: Annotated[
            int, typer.Option(min=1, help="number of sites (10³–10⁵ is the useful range)")
        ] = 1000,
        seed: Annotated[int, typer.Option(help="same seed, same dataset")] = 0,
        pooling: Annotated[
            bool,
            typer.Option(
                help="activity zones whose sites declare the knowledge base's pooled streams, with "
                "treatment and supply sites (for `symbiosis pools`; docs/POOLING.md)"
            ),
        ] = False,
        sharing: Annotated[
            bool, typer.Option(help="also offers and needs of shared assets (docs/SHARING.md)")
        ] = False,
    ) -> None:
        """Generate a synthetic dataset (sites clustered in industrial zones, ~3 declarations each)."""
        from symbiosis.dataset_io import write_dataset
        from symbiosis.knowledge import load_knowledge_base
        from symbiosis.synthetic import generate_dataset

        kb = load_knowledge_base()
        if pooling:
            from symbiosis.pooling.synthetic import pooled_dataset
            from symbiosis.pooling.terms import load_terms

            dataset = pooled_dataset(sites, sorted(load_terms(kb)), seed)
        else:
            dataset = generate_dataset(sites, seed, kb)
        write_dataset(dataset, out)
        counts = ", ".join(f"{v:,} {k}" for k, v in dataset.counts().items() if v)
        typer.echo(f"wrote {counts} to {out}")
        if sharing:  # sharing (issue 19): seeded offers and needs beside the sites
            from symbiosis.sharing.categories import load_categories
            from symbiosis.sharing.synthetic import synthetic_sharing, write_sharing

            offers, needs = synthetic_sharing(dataset, load_categories(), seed)
            write_sharing(offers, needs, out)
            typer.echo(f"wrote {len(offers):,} sharing offers and {len(needs):,} sharing needs to {out}")
