"""Pools proposed for 10^4 sites declaring 20 pooled streams: time and gap to HiGHS's bound.

Run: ``.venv/bin/python bench/bench_pooling_scale.py [sites ...]`` (default 1000 10000; ``--quick``: 300).
A seeded synthetic France: activity zones of 25 sites within ~3 km scattered over
metropolitan France, every site declaring one or two of 20 streams (10 trucked resources × collection
or purchase), 40 hubs per stream. Contract terms are synthetic too (capacity 6 t, 2 calls a month,
three all-units tiers). Times are wall-clock medians of ``repeats`` runs of detection + costing +
choice (the Shapley split of each chosen pool is skipped: it is per pool and printed by the CLI).
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from symbiosis.domain.dataset import Dataset
from symbiosis.domain.declarations import InputDeclaration, OutputDeclaration
from symbiosis.domain.firm import Firm, Site
from symbiosis.domain.territory import Territory
from symbiosis.knowledge import load_knowledge_base
from symbiosis.pooling.service import propose_pools
from symbiosis.pooling.terms import PriceTier, StreamTerms

RESOURCES = (
    "plastics", "wood", "metal_scrap", "organic_residues", "spent_solvents",
    "solvents", "fly_ash", "foundry_sand", "gypsum_waste", "biomass",
)  # fmt: skip
SITES_PER_ZONE = 25
HUBS_PER_STREAM = 40


def synthetic(n_sites: int, seed: int = 1) -> tuple[Dataset, dict[tuple[str, str], StreamTerms]]:
    rng = np.random.default_rng(seed)
    n_zones = max(1, n_sites // SITES_PER_ZONE)
    zones = np.column_stack((rng.uniform(43.5, 50.5, n_zones), rng.uniform(-1.0, 7.0, n_zones)))
    streams = [(r, side) for r in RESOURCES for side in ("collection", "purchase")]
    terms = {
        s: StreamTerms(s[0], s[1], 6.0, 2, 1500.0, (PriceTier(0, 100), PriceTier(60, 80), PriceTier(200, 65)))
        for s in streams
    }
    sites, outs, ins = [], [], []
    for i in range(n_sites):
        z = zones[i % n_zones]
        lat, lon = z + rng.normal(0, 0.015, 2)
        sites.append(
            Site(
                id=f"s{i}",
                firm_id="f",
                name=f"Site {i}",
                latitude_deg=lat,
                longitude_deg=lon,
                territory_id="fr",
            )
        )
        for k in rng.choice(len(streams), size=int(rng.integers(1, 3)), replace=False).tolist():
            code, side = streams[k]
            q = float(rng.uniform(5, 60))
            decl = dict(
                id=f"d{i}_{k}",
                site_id=f"s{i}",
                resource_code=code,
                unit="t",
                quantity=q,
                quantity_unit="t/yr",
            )
            (outs if side == "collection" else ins).append(
                OutputDeclaration(**decl) if side == "collection" else InputDeclaration(**decl)
            )
    for k, (code, side) in enumerate(streams):
        for h in range(HUBS_PER_STREAM):
            sid = f"h{k}_{h}"
            sites.append(
                Site(
                    id=sid,
                    firm_id="f",
                    name=f"Hub {code} {h}",
                    latitude_deg=rng.uniform(43.5, 50.5),
                    longitude_deg=rng.uniform(-1.0, 7.0),
                    territory_id="fr",
                )
            )
            decl = dict(
                id=f"hd{k}_{h}", site_id=sid, resource_code=code, unit="t", quantity=1e5, quantity_unit="t/yr"
            )
            (ins if side == "collection" else outs).append(
                InputDeclaration(**decl) if side == "collection" else OutputDeclaration(**decl)
            )
    ds = Dataset(
        [Territory(id="fr", name="France", level="country")], [Firm(id="f", name="F")], sites, outs, ins
    )
    return ds, terms


def main() -> None:
    args = sys.argv[1:]
    quick = "--quick" in args  # make bench's smoke run
    sizes = [300] if quick else ([int(a) for a in args] or [1000, 10000])
    repeats = 1 if quick else 3
    kb = load_knowledge_base()
    print(
        f"{'sites':>6} {'groups':>6} {'options':>7} {'pools':>5} {'median s':>8} {'choice s':>8} "
        f"{'gap':>8} {'saving €/yr':>12}"
    )
    for n in sizes:
        ds, terms = synthetic(n)
        times, res = [], None
        for _ in range(repeats):
            t0 = time.perf_counter()
            res = propose_pools(ds, kb, 100.0, terms=terms, split=False)
            times.append(time.perf_counter() - t0)
        assert res is not None and res.choice is not None
        saving = sum(p.saving_eur for p in res.pools)
        print(
            f"{n:>6} {res.n_groups:>6} {res.n_options:>7} {len(res.pools):>5} "
            f"{statistics.median(times):>8.1f} "
            f"{res.choice.time_s:>8.2f} {res.choice.gap:>8.2e} {saving:>12,.0f}"
        )


if __name__ == "__main__":
    main()
