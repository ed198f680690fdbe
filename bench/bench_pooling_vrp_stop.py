"""How many idle iterations the pooled tours' PyVRP search needs: tour km and time side by side.

Run: ``.venv/bin/python bench/bench_pooling_vrp_stop.py [n_tours] [--quick]`` (default 600; quick: 60).
Tours are candidate pools of the 10⁴-site benchmark (`bench_pooling_scale.synthetic`): for each
group of ≥ 4 members, its nearest members (4 to all, seeded), routed from the group's hub with the
costing's own loads and truck. Each stopping rule (idle iterations before PyVRP stops) routes the
same tours; printed: total time, total km, and how many tours came out longer or shorter than with
the former rule (300).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_pooling_scale import synthetic  # noqa: E402

from symbiosis.knowledge import load_knowledge_base  # noqa: E402
from symbiosis.pooling import vrp  # noqa: E402
from symbiosis.pooling.costing import PoolCoster, pickups_per_month  # noqa: E402
from symbiosis.pooling.detect import detect_groups  # noqa: E402
from symbiosis.pooling.terms import Vehicle  # noqa: E402

RULES = (300, 50, 20, 10)


def tours(n_tours: int) -> list[tuple[np.ndarray, np.ndarray, float]]:
    kb = load_knowledge_base()
    ds, terms = synthetic(10_000)
    vehicle = Vehicle.from_knowledge(kb)
    rng = random.Random(1)
    out = []
    big = [g for g in detect_groups(ds, kb, terms).groups if len(g.members) >= 4]
    for g in big * (1 + n_tours // max(len(big), 1)):
        if len(out) >= n_tours:
            break
        coster = PoolCoster(g.hub_xyz, g.members, terms[(g.resource_code, g.side)], vehicle)
        idx = tuple(range(rng.randint(4, len(g.members))))
        members = [g.members[i] for i in idx]
        k = pickups_per_month([m.peak_month_t for m in members], coster.terms)
        sub = np.ix_((0, *(i + 1 for i in idx)), (0, *(i + 1 for i in idx)))
        loads = np.array([m.peak_month_t / k for m in members])
        out.append((coster.road_km[sub], loads, coster.terms.vehicle_capacity_t))
    return out


def main() -> None:
    args = sys.argv[1:]
    n = 60 if "--quick" in args else next((int(a) for a in args if a.isdigit()), 600)
    inst = tours(n)
    print(f"{len(inst)} tours, {sum(len(i[1]) for i in inst):,} stops")
    print(f"{'idle iterations':>15} {'time s':>7} {'total km':>11} {'longer':>6} {'shorter':>7}")
    ref = None
    for rule in RULES:
        t0 = time.perf_counter()
        km = np.array([vrp.solve_cvrp(d, q, cap, no_improvement=rule).length_km for d, q, cap in inst])
        elapsed = time.perf_counter() - t0
        ref = km if ref is None else ref
        print(
            f"{rule:>15} {elapsed:>7.2f} {km.sum():>11.3f} {int((km > ref + 1e-6).sum()):>6} "
            f"{int((km < ref - 1e-6).sum()):>7}"
        )


if __name__ == "__main__":
    main()
