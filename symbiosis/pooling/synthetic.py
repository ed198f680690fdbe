"""A seeded synthetic France for pooling at scale: activity zones whose sites declare pooled streams.

Why a generator of its own: `symbiosis.synthetic` draws industrial-symbiosis pairs (one plant's
output is another's input); pooling needs the opposite — many small firms of one zone declaring
the *same* stream — plus, per stream, treatment or supply sites (hubs) to take or deliver it.
Zones of `SITES_PER_ZONE` sites spread ~1.5 km (σ) around a centre drawn over metropolitan France;
every site declares one or two streams (5–60 t/yr, flat profile); each stream has
``hubs_per_stream`` hubs placed anywhere. Same seed, same dataset. Used by ``symbiosis generate
--pooling`` (the knowledge base's pooled streams) and by bench/bench_pooling_scale.py (20 streams
with synthetic terms).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from symbiosis.domain.dataset import Dataset
from symbiosis.domain.declarations import InputDeclaration, OutputDeclaration
from symbiosis.domain.firm import Firm, Site
from symbiosis.domain.territory import Territory
from symbiosis.pooling.terms import PriceTier, StreamTerms

SITES_PER_ZONE = 25
HUBS_PER_STREAM = 40
LAT_RANGE_DEG = (43.5, 50.5)
LON_RANGE_DEG = (-1.0, 7.0)
ZONE_SPREAD_DEG = 0.015  # σ of a site around its zone's centre (~1.5 km)
QUANTITY_T_PER_YR = (5.0, 60.0)
SOURCE = "synthetic (symbiosis.pooling.synthetic)"


def synthetic_terms(streams: Sequence[tuple[str, str]]) -> dict[tuple[str, str], StreamTerms]:
    """Contract terms for streams without sourced ones: a 6 t truck twice a month, 1,500 €/yr to run
    the pool, all-units tiers 100 / 80 / 65 €/t from 0 / 60 / 200 t/yr."""
    tiers = (PriceTier(0, 100), PriceTier(60, 80), PriceTier(200, 65))
    return {s: StreamTerms(s[0], s[1], 6.0, 2, 1500.0, tiers) for s in streams}


def pooled_dataset(
    n_sites: int,
    streams: Sequence[tuple[str, str]],
    seed: int = 1,
    hubs_per_stream: int = HUBS_PER_STREAM,
) -> Dataset:
    """``n_sites`` member sites in zones, each declaring one or two of ``streams`` ((resource code,
    "collection" | "purchase")), plus ``hubs_per_stream`` hub sites per stream, all in one
    territory "fr" (one firm per site). Quantities are in t/yr: the streams' resources must be
    counted in tonnes."""
    if not streams:
        raise ValueError("streams: expected at least one (resource code, side) pair")
    rng = np.random.default_rng(seed)
    n_zones = max(1, n_sites // SITES_PER_ZONE)
    zones = np.column_stack((rng.uniform(*LAT_RANGE_DEG, n_zones), rng.uniform(*LON_RANGE_DEG, n_zones)))
    firms: list[Firm] = []
    sites: list[Site] = []
    outs: list[OutputDeclaration] = []
    ins: list[InputDeclaration] = []

    def add_site(sid: str, name: str, lat: float, lon: float) -> None:
        firms.append(Firm(id=f"f_{sid}", name=f"Entreprise {name}", source=SOURCE))
        sites.append(
            Site(
                id=sid, firm_id=f"f_{sid}", name=name, latitude_deg=lat, longitude_deg=lon,
                territory_id="fr", source=SOURCE,
            )
        )  # fmt: skip

    def declare(output: bool, did: str, sid: str, code: str, q: float) -> None:
        fields = dict(
            id=did, site_id=sid, resource_code=code, unit="t", quantity=q, quantity_unit="t/yr", source=SOURCE
        )
        if output:
            outs.append(OutputDeclaration(**fields))
        else:
            ins.append(InputDeclaration(**fields))

    for i in range(n_sites):
        lat, lon = zones[i % n_zones] + rng.normal(0, ZONE_SPREAD_DEG, 2)
        add_site(f"s{i}", f"Site {i}", float(lat), float(lon))
        for k in rng.choice(len(streams), size=min(int(rng.integers(1, 3)), len(streams)), replace=False):
            code, side = streams[int(k)]
            q = float(rng.uniform(*QUANTITY_T_PER_YR))
            declare(side == "collection", f"d{i}_{int(k)}", f"s{i}", code, q)
    for k, (code, side) in enumerate(streams):
        for h in range(hubs_per_stream):
            sid = f"h{k}_{h}"
            add_site(
                sid, f"Hub {code} {h}", float(rng.uniform(*LAT_RANGE_DEG)), float(rng.uniform(*LON_RANGE_DEG))
            )
            declare(side != "collection", f"hd{k}_{h}", sid, code, 1e5)
    territory = Territory(id="fr", name="France (synthétique)", level="country", source=SOURCE)
    return Dataset([territory], firms, sites, outs, ins)
