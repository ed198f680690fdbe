"""Matching at national scale: all candidates of a synthetic 100,000-site instance, and the
indexed search against all-pairs on 5,000 sites (same result asserted, time ratio printed).

    .venv/bin/python bench/bench_matching.py            # 100,000 sites (~300,000 declarations)
    .venv/bin/python bench/bench_matching.py --sites 20000 --naive-sites 2000
    .venv/bin/python bench/bench_matching.py --quick     # 5,000 / 1,000 sites, smoke run

Prints figures; not a test. `run(argv)` returns the key figures as a dict (for bench/run_all.py).
Peak memory is the process's maximum resident set (getrusage), which includes the generated dataset.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from typing import Any

import numpy as np

from symbiosis.knowledge import load_knowledge_base
from symbiosis.matching import MatchOptions, SearchMethod
from symbiosis.matching.engine import run_matching, run_on_tables
from symbiosis.matching.tables import build_tables
from symbiosis.synthetic import generate_dataset


def _rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def _key(block) -> np.ndarray:
    order = np.lexsort((block.ii, block.oi))
    return np.column_stack((block.oi[order], block.ii[order]))


QUICK_SITES = 5_000
QUICK_NAIVE_SITES = 1_000


def run(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print its figures, and return them (units in the key names)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=None, help="national instance (default 100,000)")
    parser.add_argument("--naive-sites", type=int, default=None, help="indexed vs all pairs (default 5,000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--quick", action="store_true", help=f"smoke run: {QUICK_SITES:,} and {QUICK_NAIVE_SITES:,} sites"
    )
    args = parser.parse_args(argv)
    if args.sites is None:
        args.sites = QUICK_SITES if args.quick else 100_000
    if args.naive_sites is None:
        args.naive_sites = QUICK_NAIVE_SITES if args.quick else 5_000
    kb = load_knowledge_base()

    t0 = time.perf_counter()
    ds = generate_dataset(args.sites, args.seed, kb)
    t_gen = time.perf_counter() - t0
    n_decl = len(ds.outputs) + len(ds.inputs)
    print(
        f"synthetic instance: {len(ds.sites):,} sites, {len(ds.outputs):,} outputs + "
        f"{len(ds.inputs):,} inputs = {n_decl:,} declarations (generated in {t_gen:.1f} s, seed {args.seed})"
    )
    rss_before = _rss_mb()

    t0 = time.perf_counter()
    result = run_matching(ds, kb, MatchOptions())
    t_match = time.perf_counter() - t0
    n = len(result.viable)
    print(
        f"indexed matching: {n:,} viable candidates in {t_match:.1f} s wall "
        f"({n / t_match:,.0f} candidates/s; {n_decl / t_match:,.0f} declarations/s); "
        f"{len(result.unmatched):,} declarations unmatched (each with a reason)"
    )
    peak_mb = _rss_mb()
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB (after generating the dataset: {rss_before:,.0f} MB)")
    n_unmatched = len(result.unmatched)
    del result

    small = generate_dataset(args.naive_sites, args.seed, kb)
    tables = build_tables(small, kb)  # shared by both: only search and evaluation are timed
    t0 = time.perf_counter()
    idx = run_on_tables(tables, kb, MatchOptions(method=SearchMethod.INDEXED))
    t_idx = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive = run_on_tables(tables, kb, MatchOptions(method=SearchMethod.NAIVE))
    t_naive = time.perf_counter() - t0
    assert np.array_equal(_key(idx.viable), _key(naive.viable)), "indexed and naive results differ"
    assert idx.unmatched == naive.unmatched, "unmatched reasons differ"
    print(
        f"search + evaluation only, {args.naive_sites:,} sites "
        f"({len(small.outputs) + len(small.inputs):,} declarations): indexed "
        f"{t_idx:.2f} s, naive all-pairs {t_naive:.2f} s -> naive/indexed = {t_naive / t_idx:.1f}x; "
        f"same {len(idx.viable):,} candidates"
    )
    return {
        "title": "Matching (indexed candidate search)",
        "description": (
            f"Synthetic national instance (seed {args.seed}), then indexed search vs all pairs on "
            f"{args.naive_sites:,} sites over the same tables (same candidates asserted). Peak memory is the "
            "process's max RSS, including the generated dataset."
        ),
        "national_instance": {
            "sites": len(ds.sites),
            "outputs": len(ds.outputs),
            "inputs": len(ds.inputs),
            "declarations": n_decl,
            "generate_s": t_gen,
            "viable_candidates": n,
            "unmatched_declarations": n_unmatched,
            "matching_wall_s": t_match,
            "candidates_per_s": n / t_match,
            "declarations_per_s": n_decl / t_match,
            "peak_rss_mb": peak_mb,
            "rss_after_generating_dataset_mb": rss_before,
        },
        "indexed_vs_all_pairs": {
            "sites": args.naive_sites,
            "declarations": len(small.outputs) + len(small.inputs),
            "candidates_both": len(idx.viable),
            "indexed_search_and_evaluation_s": t_idx,
            "all_pairs_search_and_evaluation_s": t_naive,
            "ratio_all_pairs_per_indexed": t_naive / t_idx,
        },
    }


def main() -> None:
    run(sys.argv[1:])


if __name__ == "__main__":
    main()
