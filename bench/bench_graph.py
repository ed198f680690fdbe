"""Graph store figures, measured side by side in one run on a private embedded server.

Server start-up (median of ``--starts`` cold starts, each a fresh JVM up to the first Bolt
answer); import rows/s per record type for a seeded synthetic dataset (``--sites`` sites,
``--per-site`` declarations each, half outputs, half inputs) against a re-import of the same rows
(the idempotent path, nothing changes); radius-query latency (median of 20 random centres); export
of everything; and the import time extrapolated linearly to 100,000 sites + 300,000 declarations
(the 120 s target of bench_ingest.py). The server lives in a temporary directory, never in
``.symbiosis/``, and is stopped afterwards.

Usage: ``python bench/bench_graph.py [--sites 10000] [--per-site 3] [--batch 2000] [--starts 3] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from symbiosis.domain import (  # noqa: E402
    Firm,
    InputDeclaration,
    OutputDeclaration,
    Site,
    Territory,
    TerritoryLevel,
)
from symbiosis.domain.dataset import Dataset  # noqa: E402
from symbiosis.settings import Settings  # noqa: E402

TARGET_S = 120.0
RESOURCES = [
    ("gypsum", "t", "t/yr"), ("fly_ash", "t", "t/yr"), ("hot_water", "MWh", "MWh/yr"),
    ("process_water", "m3", "m3/yr"), ("steam", "MWh", "MWh/yr"), ("sludge", "t", "t/yr"),
]  # fmt: skip


def synthetic(n_sites: int, per_site: int, seed: int = 7) -> Dataset:
    """France-shaped: 13 regions, 200 towns, a firm per three sites, declarations on random sites."""
    rng = random.Random(seed)
    territories = [Territory(id="fr", name="France", level=TerritoryLevel.COUNTRY)]
    territories += [
        Territory(id=f"r{i}", name=f"Region {i}", level=TerritoryLevel.REGION, parent_id="fr")
        for i in range(13)
    ]
    territories += [
        Territory(id=f"m{i}", name=f"Town {i}", level=TerritoryLevel.MUNICIPALITY, parent_id=f"r{i % 13}")
        for i in range(200)
    ]
    firms = [Firm(id=f"f{i}", name=f"Firm {i}") for i in range(max(1, n_sites // 3))]
    sites = [
        Site(
            id=f"s{i}", firm_id=f"f{i % len(firms)}", name=f"Site {i}", latitude_deg=rng.uniform(43.0, 50.0),
            longitude_deg=rng.uniform(-1.0, 7.0), territory_id=f"m{rng.randrange(200)}",
        )
        for i in range(n_sites)
    ]  # fmt: skip
    outputs: list[OutputDeclaration] = []
    inputs: list[InputDeclaration] = []
    for i in range(n_sites * per_site):
        code, unit, qunit = RESOURCES[i % len(RESOURCES)]
        common: dict[str, Any] = {
            "site_id": f"s{rng.randrange(n_sites)}", "resource_code": code, "unit": unit,
            "quantity": rng.uniform(10, 10_000), "quantity_unit": qunit,
        }  # fmt: skip
        if i % 2 == 0:
            outputs.append(OutputDeclaration(id=f"o{i}", **common))
        else:
            inputs.append(InputDeclaration(id=f"i{i}", **common))
    return Dataset(territories=territories, firms=firms, sites=sites, outputs=outputs, inputs=inputs)


def run(argv: list[str]) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=None)
    ap.add_argument("--per-site", type=int, default=3)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1,000 sites, one start")
    args = ap.parse_args(argv)
    n_sites = args.sites or (1000 if args.quick else 10_000)
    n_starts = 1 if args.quick else args.starts

    from symbiosis.graph import embedded, open_graph

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="symbiosis-bench-graph-") as tmp:
        settings = Settings(
            home_dir=Path(tmp), neo4j_uri=None, embedded_heap=args.heap, write_batch_size=args.batch
        )
        starts: list[float] = []
        for _ in range(n_starts):
            starts.append(embedded.ensure_running(settings).startup_s or float("nan"))
            embedded.stop(settings)

        t = time.perf_counter()
        dataset = synthetic(n_sites, args.per_site)
        gen_s = time.perf_counter() - t
        try:
            with open_graph(settings) as graph:
                graph.ensure_schema()
                per_type: dict[str, float] = {}
                mark = [time.perf_counter()]

                def progress(kind: str, done: int, total: int) -> None:
                    if done == total:
                        now = time.perf_counter()
                        per_type[kind] = now - mark[0]
                        mark[0] = now

                t0 = time.perf_counter()
                written = graph.import_dataset(dataset, progress=progress)
                import_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                graph.import_dataset(dataset)
                reimport_s = time.perf_counter() - t0
                counts = graph.counts()
                rng = random.Random(1)
                radius_ms, radius_found = [], []
                for _ in range(20):
                    t1 = time.perf_counter()
                    radius_found.append(
                        len(graph.sites_within_radius(rng.uniform(44, 49), rng.uniform(0, 6), 25.0))
                    )
                    radius_ms.append((time.perf_counter() - t1) * 1000)
                t1 = time.perf_counter()
                exported = graph.export_dataset()
                export_s = time.perf_counter() - t1
        finally:
            embedded.stop(settings)

    rows = sum(written.values())
    decl = written["outputs"] + written["inputs"]
    target_rows = 100_000 + 100_000 // 3 + 300_000 + written["territories"]  # sites, firms, declarations
    estimate_s = import_s / rows * target_rows
    return {
        "title": "Embedded graph store: start-up, import, radius query",
        "description": (
            f"Synthetic dataset (seed 7) of {n_sites:,} sites and {decl:,} declarations, imported with "
            f"`GraphRepository.import_dataset` ({args.batch:,} rows per batch, one transaction each) into a "
            f"private ArcadeDB server (heap {args.heap}). Load average at start {load_before:.1f} "
            f"on {os.cpu_count()} CPUs: figures scale with the share of CPU the server gets."
        ),
        "summary": {
            "server start-up s, median": round(statistics.median(starts), 2),
            "server start-up s, all": [round(s, 2) for s in starts],
            "dataset generation s": round(gen_s, 2),
            "import s": round(import_s, 2),
            "import rows/s": round(rows / import_s),
            "re-import (no change) s": round(reimport_s, 2),
            "re-import / import time": round(reimport_s / import_s, 2),
            "radius 25 km query ms, median": round(statistics.median(radius_ms), 1),
            "radius 25 km query ms, max": round(max(radius_ms), 1),
            "sites found per radius query, median": statistics.median(radius_found),
            "export everything s": round(export_s, 2),
            "extrapolated import of 100k sites + 300k declarations s": round(estimate_s),
            f"extrapolation within {TARGET_S:.0f} s": estimate_s <= TARGET_S,
        },
        "per record type": [
            {"record type": k, "rows": n, "wall s": round(per_type[k], 2), "rows/s": round(n / per_type[k])}
            for k, n in written.items()
            if n and k in per_type
        ],
        "graph counts after import": counts,
        "export matches counts": exported.counts() == {k: counts[k] for k in exported.counts()},
    }


def main() -> int:
    figures = run(sys.argv[1:])
    s = figures["summary"]
    print(figures["title"])
    for key, value in s.items():
        print(f"  {key}: {value}")
    for row in figures["per record type"]:
        kind, n, wall, rate = row["record type"], row["rows"], row["wall s"], row["rows/s"]
        print(f"  {kind:<12} {n:>8,} rows {wall:>7.2f} s {rate:>7,} rows/s")
    print("BENCH_JSON " + json.dumps(figures, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
