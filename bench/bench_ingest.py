"""Ingest at scale: a seeded synthetic dataset (100,000 sites, ~300,000 declarations by default)
written in batches into a fresh, private embedded graph store (ArcadeDB over Bolt).

The store lives in a temporary directory started through `symbiosis.graph.embedded` — never the
user's ``.symbiosis/`` — and is stopped and deleted afterwards. Each record type is written by the
repository's batched ``UNWIND`` upserts and timed on its own, so a slow type shows up by name.
Target: the whole write ≤ 120 s at 100,000 sites.

Figures: generation time, rows/s and wall time per record type, total rows/s, peak memory of this
process and of the server's JVM process, and the store's node counts afterwards as a check.

Usage: ``python bench/bench_ingest.py [--sites 100000] [--seed 7] [--batch 2000] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from symbiosis.domain.dataset import Dataset  # noqa: E402
from symbiosis.settings import Settings  # noqa: E402

TARGET_S = 120.0
QUICK_SITES = 5_000


class PeakRss:
    """Samples a process's resident memory in the background (the JVM's peak is not ours to read)."""

    def __init__(self, pid: int | None, every_s: float = 0.25) -> None:
        self.pid, self.every_s, self.peak_bytes = pid, every_s, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        import psutil

        try:
            proc = psutil.Process(self.pid)
            while not self._stop.is_set():
                rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                self.peak_bytes = max(self.peak_bytes, rss)
                self._stop.wait(self.every_s)
        except psutil.Error:
            return

    def __enter__(self) -> PeakRss:
        if self.pid is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)


def generate(n_sites: int, seed: int) -> tuple[Dataset, float]:
    from symbiosis.knowledge import load_knowledge_base
    from symbiosis.synthetic import generate_dataset

    kb = load_knowledge_base()
    t0 = time.perf_counter()
    dataset = generate_dataset(n_sites, seed, kb)
    return dataset, time.perf_counter() - t0


def write_naive(repo: Any, dataset: Dataset, n_rows: int) -> dict[str, Any]:
    """The comparison: the first firms written one per call (one transaction per row), no batching.

    Firms have no references, so writing them before the batched load is safe; the batched load
    then upserts them again as updates, which the per-type timings include.
    """
    firms = dataset.firms[:n_rows]
    t0 = time.perf_counter()
    for firm in firms:
        repo.upsert_firms([firm])
    wall_s = time.perf_counter() - t0
    return {"rows": len(firms), "wall s": round(wall_s, 2), "rows/s": round(len(firms) / max(wall_s, 1e-9))}


def write_timed(repo: Any, dataset: Dataset) -> list[dict[str, Any]]:
    """Write each record type in dependency order with the repository's batched upserts, timing each."""
    steps: list[tuple[str, Callable[[Sequence[Any]], int], Sequence[Any]]] = [
        ("territories", repo.upsert_territories, dataset.territories),
        ("firms", repo.upsert_firms, dataset.firms),
        ("sites", repo.upsert_sites, dataset.sites),
        ("outputs", repo.upsert_outputs, dataset.outputs),
        ("inputs", repo.upsert_inputs, dataset.inputs),
        ("exchanges", repo.upsert_exchanges, dataset.exchanges),
    ]
    rows = []
    for kind, upsert, items in steps:
        if not items:
            continue
        t0 = time.perf_counter()
        upsert(items)
        wall_s = time.perf_counter() - t0
        rows.append({"record type": kind, "rows": len(items), "wall s": round(wall_s, 2),
                     "rows/s": round(len(items) / max(wall_s, 1e-9))})
    return rows


def run(argv: list[str]) -> dict[str, Any]:
    p = argparse.ArgumentParser(description="Batched ingest of synthetic data into a private embedded store.")
    p.add_argument("--sites", type=int, default=None, help="number of sites (default 100,000; --quick 5,000)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--batch", type=int, default=2000, help="rows per UNWIND batch")
    p.add_argument("--heap", default="2g", help="JVM heap of the private server")
    p.add_argument("--naive-rows", type=int, default=500, help="firms written one per call, for comparison")
    p.add_argument("--quick", action="store_true", help=f"smoke run with {QUICK_SITES:,} sites")
    args = p.parse_args(argv)
    n_sites = args.sites or (QUICK_SITES if args.quick else 100_000)

    from symbiosis.graph import embedded
    from symbiosis.graph.connection import open_graph

    dataset, gen_s = generate(n_sites, args.seed)
    counts = dataset.counts()
    total_rows = sum(counts.values())
    home = Path(tempfile.mkdtemp(prefix="symbiosis-bench-ingest-"))
    settings = Settings(home_dir=home, write_batch_size=args.batch, embedded_heap=args.heap)
    try:
        t_start = time.perf_counter()
        state = embedded.ensure_running(settings)
        startup_s = time.perf_counter() - t_start
        with PeakRss(state.pid) as server_mem, open_graph(settings) as repo:
            repo.ensure_schema()
            naive = write_naive(repo, dataset, args.naive_rows)
            t0 = time.perf_counter()
            per_type = write_timed(repo, dataset)
            write_s = time.perf_counter() - t0
            graph_counts = repo.counts()
    finally:
        embedded.stop(settings)
        shutil.rmtree(home, ignore_errors=True)
    declarations = counts["outputs"] + counts["inputs"]
    batched_firms = next((r["rows/s"] for r in per_type if r["record type"] == "firms"), 0)
    return {
        "title": "Ingest into the embedded graph store",
        "description": (
            f"Seeded synthetic dataset (`symbiosis.synthetic.generate_dataset`, seed {args.seed}) "
            f"written with the repository's batched UNWIND upserts ({args.batch:,} rows per batch, "
            f"one transaction each) "
            f"into a fresh private ArcadeDB server (heap {args.heap}) in a temporary directory."
        ),
        "summary": {
            "sites": counts["sites"],
            "declarations (outputs + inputs)": declarations,
            "rows written, all types": total_rows,
            "dataset generation s": round(gen_s, 2),
            "server start s": round(startup_s, 2),
            "write wall time s": round(write_s, 2),
            "rows/s, all types": round(total_rows / max(write_s, 1e-9)),
            f"target ≤ {TARGET_S:.0f} s at 100,000 sites met": (
                (write_s <= TARGET_S) if n_sites >= 100_000 else "n/a"
            ),
            "peak memory, this process MiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "peak memory, graph server MiB": round(server_mem.peak_bytes / 2**20),
        },
        "per record type": per_type,
        "batched vs one row per transaction (firms)": {
            "batched rows/s": batched_firms,
            "one-per-transaction rows/s": naive["rows/s"],
            "one-per-transaction rows": naive["rows"],
            "speed-up of batching": round(batched_firms / max(naive["rows/s"], 1), 1),
        },
        "graph counts after import": graph_counts,
    }


def main() -> int:
    figures = run(sys.argv[1:])
    s = figures["summary"]
    print(f"{figures['title']}: {s['rows written, all types']:,} rows in {s['write wall time s']} s "
          f"= {s['rows/s, all types']:,} rows/s")
    for row in figures["per record type"]:
        print(f"  {row['record type']:<12} {row['rows']:>9,} rows  {row['wall s']:>7.2f} s  "
              f"{row['rows/s']:>9,} rows/s")
    cmp = figures["batched vs one row per transaction (firms)"]
    print(f"  firms batched {cmp['batched rows/s']:,} rows/s vs one per transaction "
          f"{cmp['one-per-transaction rows/s']:,} rows/s: ×{cmp['speed-up of batching']}")
    print(f"  peak memory: this process {s['peak memory, this process MiB']} MiB, "
          f"graph server {s['peak memory, graph server MiB']} MiB; server start {s['server start s']} s")
    print("BENCH_JSON " + json.dumps(figures, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
