"""The two graph engines side by side in one run: embedded ArcadeDB vs local Neo4j 5.26.

For each engine, in a private server (temporary home, free port, stopped afterwards):

* **ingest** — `GraphRepository.import_dataset` of the seeded synthetic dataset of bench_graph.py
  (``--sites`` sites, 3 declarations per site; full size 100,000 sites + 300,000 declarations);
* **territory match read** — `export_dataset(region)`, what `symbiosis match` and the API read from
  the graph before matching (one of 13 regions, so ~1/13 of the sites): median of ``--reads``;
* **20 concurrent writers** — 20 threads, each adding ``--writes`` new sites one API-style
  `upsert_sites([site])` (reference check + upsert, one managed transaction) after another:
  median and 95th-percentile latency per write, and writes/s over the whole burst.

Ratios are Neo4j / ArcadeDB (above 1: Neo4j takes longer). Both servers run with the heaps given
(``--arcadedb-heap``, ``--neo4j-heap``; Neo4j page cache ``--neo4j-pagecache``) on the same
machine, one after the other; a shared machine's load shows in the load averages printed.

Usage: ``python bench/bench_engines.py [--sites 100000] [--reads 5] [--writes 10] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from api_harness import bench_parser  # first: puts the repository on the path
from bench_graph import synthetic

from symbiosis.domain import Site
from symbiosis.domain.dataset import Dataset
from symbiosis.graph import neo4j_local, open_graph, servers
from symbiosis.graph.repository import GraphRepository
from symbiosis.settings import Settings

WRITERS = 20
READ_TERRITORY = "r3"


def _ingest(graph: GraphRepository, dataset: Dataset) -> dict[str, float]:
    t0 = time.perf_counter()
    written = graph.import_dataset(dataset)
    wall = time.perf_counter() - t0
    return {"ingest s": wall, "ingest rows/s": sum(written.values()) / wall}


def _reads(graph: GraphRepository, n: int) -> dict[str, float]:
    times, sites = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        sites = len(graph.export_dataset(READ_TERRITORY).sites)
        times.append(time.perf_counter() - t0)
    return {"territory read s, median": statistics.median(times), "sites in the territory": sites}


def _writers(graph: GraphRepository, per_writer: int) -> dict[str, float]:
    rng = random.Random(3)
    barrier = threading.Barrier(WRITERS)
    latencies: list[float] = []
    lock = threading.Lock()

    def writer(w: int) -> None:
        sites = [
            Site(
                id=f"new-{w}-{k}", firm_id=f"f{rng.randrange(100)}", name=f"New site {w}.{k}",
                latitude_deg=45.0 + w / 100, longitude_deg=2.0 + k / 100, territory_id=f"m{w}",
            )
            for k in range(per_writer)
        ]  # fmt: skip
        barrier.wait()
        for site in sites:
            t0 = time.perf_counter()
            graph.upsert_sites([site])
            with lock:
                latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    wall = time.perf_counter() - t0
    latencies.sort()
    return {
        "concurrent write ms, median": statistics.median(latencies) * 1000,
        "concurrent write ms, p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "concurrent writes/s": len(latencies) / wall,
    }


def measure(engine: str, dataset: Dataset, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"symbiosis-bench-{engine}-") as tmp:
        settings = Settings(
            home_dir=Path(tmp), neo4j_uri=None, graph_engine=engine, write_batch_size=args.batch,
            embedded_heap=args.arcadedb_heap, neo4j_local_heap=args.neo4j_heap,
            neo4j_local_pagecache=args.neo4j_pagecache,
        )  # fmt: skip
        load = os.getloadavg()[0]
        try:
            start_s = servers.ensure_running(settings).startup_s or float("nan")
            with open_graph(settings) as graph:
                graph.ensure_schema()
                out: dict[str, Any] = {"server start-up s": start_s, "load average at start": load}
                out |= _ingest(graph, dataset)
                out |= _reads(graph, args.reads)
                out |= _writers(graph, args.writes)
                out["nodes after"] = sum(graph.counts().values())
        finally:
            servers.stop(settings)
    return out


def run(argv: list[str]) -> dict[str, Any]:
    ap = bench_parser(__doc__, None, "smoke run: 2,000 sites (default 100,000)")
    ap.add_argument("--reads", type=int, default=5)
    ap.add_argument("--writes", type=int, default=10, help="writes per each of the 20 writers")
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--arcadedb-heap", default="2g")
    ap.add_argument("--neo4j-heap", default="2g")
    ap.add_argument("--neo4j-pagecache", default="512m")
    args = ap.parse_args(argv)
    n_sites = args.sites or (2000 if args.quick else 100_000)
    dataset = synthetic(n_sites, 3)
    decl = len(dataset.outputs) + len(dataset.inputs)
    engines = list(servers.ENGINES)
    skipped = neo4j_local.missing_tools()
    if skipped is not None:
        engines.remove("neo4j")
    figures = {engine: measure(engine, dataset, args) for engine in engines}
    keys = list(figures["arcadedb"])
    rows = []
    for key in keys:
        row: dict[str, Any] = {"figure": key}
        for engine in engines:
            row[engine] = _round(figures[engine][key])
        if "neo4j" in figures and figures["arcadedb"][key]:
            row["neo4j / arcadedb"] = round(figures["neo4j"][key] / figures["arcadedb"][key], 2)
        rows.append(row)
    return {
        "title": "Graph engines side by side: embedded ArcadeDB vs local Neo4j",
        "description": (
            f"Synthetic dataset (seed 7) of {n_sites:,} sites and {decl:,} declarations; territory read = "
            f"`export_dataset('{READ_TERRITORY}')` (median of {args.reads}); {WRITERS} concurrent writers x "
            f"{args.writes} single-site upserts. Heaps: ArcadeDB {args.arcadedb_heap}, Neo4j "
            f"{args.neo4j_heap} (page cache {args.neo4j_pagecache}); Neo4j {neo4j_local.neo4j_version()} "
            f"Community. {os.cpu_count()} CPUs." + (f" Neo4j skipped: {skipped}" if skipped else "")
        ),
        "side by side": rows,
    }


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3 if value < 10 else 1)
    return value


def main() -> int:
    figures = run(sys.argv[1:])
    print(figures["title"])
    print(figures["description"])
    for row in figures["side by side"]:
        print("  " + " | ".join(f"{k}: {v}" for k, v in row.items()))
    print("BENCH_JSON " + json.dumps(figures, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
