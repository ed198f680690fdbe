"""First render of the dashboard's overview page, measured with Streamlit's AppTest (the page's
Python work: loading the territory, matching, optimising for the arcs, building the map; not the
browser's drawing).

- Kalundborg, from its dataset folder: target ≤ 3 s for the first render;
- a national synthetic dataset (100,000 sites by default), generated before timing and handed to
  the page's source (so the figure is the page's work, not the generator's): the map aggregates
  (hexagons), candidate and plan arcs are off by default, tables page.

Each case is measured cold (empty Streamlit caches, imports already warm) and warm (the same
session rendering again), side by side in one run.

    .venv/bin/python bench/bench_dashboard.py            # Kalundborg + 100,000 synthetic sites
    .venv/bin/python bench/bench_dashboard.py --quick    # Kalundborg + 10,000 sites
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

APP = REPO / "dashboard" / "app.py"
TIMEOUT_S = 1800


def _render(session_state: dict[str, Any]) -> tuple[float, float, dict[str, str], int]:
    """(cold s, warm s, metrics, n deck layers) of the overview page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    for key, value in session_state.items():
        at.session_state[key] = value
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"the overview failed: {[e.value for e in at.exception]}")
    t0 = time.perf_counter()
    at.run()
    warm = time.perf_counter() - t0
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return cold, warm, {m.label: m.value for m in at.metric}, len(deck.get("layers", []))


def run(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="first render of the dashboard overview")
    parser.add_argument("--sites", type=int, default=100_000, help="synthetic national dataset size")
    parser.add_argument("--quick", action="store_true", help="10,000 synthetic sites")
    args = parser.parse_args(argv)
    n_sites = 10_000 if args.quick else args.sites

    os.environ["SYMBIOSIS_DASHBOARD_DATASET"] = str(REPO / "datasets" / "kalundborg")
    import dashboard.frame  # noqa: F401 - warm the imports, so only the page's own work is timed
    from dashboard.sources import DataSource, SourceKind, preload
    from symbiosis.knowledge import load_knowledge_base
    from symbiosis.synthetic import generate_dataset

    kb = load_knowledge_base()
    cold_k, warm_k, m_k, layers_k = _render({"lang": "en"})
    print(
        f"Kalundborg overview: first render {cold_k:.2f} s, re-render {warm_k:.2f} s "
        f"({m_k.get('Sites')} sites, {m_k.get('Candidate exchanges')} candidates, {layers_k} map layers)"
    )

    t0 = time.perf_counter()
    national = generate_dataset(n_sites, 1, kb)
    gen_s = time.perf_counter() - t0
    preload(DataSource(SourceKind.SYNTHETIC, n_sites=n_sites, seed=1), kb, national)
    state = {"lang": "en", "source_kind": SourceKind.SYNTHETIC, "source_n": n_sites, "source_seed": 1}
    cold_n, warm_n, m_n, layers_n = _render(state)
    print(
        f"National synthetic overview ({n_sites:,} sites): first render {cold_n:.2f} s "
        f"(dataset already in memory; generating it took {gen_s:.2f} s), re-render {warm_n:.2f} s, "
        f"{layers_n} map layer(s)"
    )
    return {
        "kalundborg_first_render_s": round(cold_k, 3),
        "kalundborg_rerender_s": round(warm_k, 3),
        "kalundborg_target_s": 3.0,
        "kalundborg_within_target": cold_k <= 3.0,
        "national_sites": n_sites,
        "national_first_render_s": round(cold_n, 3),
        "national_generate_dataset_s": round(gen_s, 3),
        "national_rerender_s": round(warm_n, 3),
        "national_sites_shown": m_n.get("Sites"),
        "national_map_layers": layers_n,
        "method": "streamlit AppTest, overview page, cold caches then warm; imports warmed first",
    }


if __name__ == "__main__":
    result = run(sys.argv[1:])
    print("BENCH_JSON " + json.dumps(result))
