"""Matching at national scale: all candidates of a synthetic 100,000-site instance, and the
indexed search against all-pairs on 5,000 sites (same result asserted, time ratio printed).

    .venv/bin/python bench/bench_matching.py            # 100,000 sites (~300,000 declarations)
    .venv/bin/python bench/bench_matching.py --sites 20000 --naive-sites 2000

Prints figures; not a test. Peak memory is the process's maximum resident set (getrusage),
which includes the generated dataset.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--naive-sites", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
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
    print(f"peak memory (max RSS): {_rss_mb():,.0f} MB (after generating the dataset: {rss_before:,.0f} MB)")
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


if __name__ == "__main__":
    main()
