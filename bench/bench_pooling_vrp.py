"""PyVRP vs OR-Tools on the same pooled-collection instances: tour km and solve time, medians.

Run: ``.venv/bin/pip install ortools`` (bench only; not a dependency) then
``.venv/bin/python bench/bench_pooling_vrp.py [stops ...]`` (default 8 15 30; ``--quick``: 8).
Instances: a hub and n stops uniform in a
20 km square (road km = Euclidean), loads 0.5-2 t, 4 t trucks; both solvers get integer metres
and kilograms. PyVRP stops after 2,000 iterations or 300 without improvement (as in
symbiosis/pooling/vrp.py); OR-Tools uses PATH_CHEAPEST_ARC then guided local search for 1 s.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from symbiosis.pooling.vrp import solve_cvrp


def ortools_cvrp_km(d: np.ndarray, loads: np.ndarray, cap: float, seconds: float = 1.0) -> float:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(loads)
    metres = np.rint(d * 1000).astype(int)
    kg = [0, *np.ceil(loads * 1000).astype(int).tolist()]
    mgr = pywrapcp.RoutingIndexManager(n + 1, n, 0)
    r = pywrapcp.RoutingModel(mgr)
    cb = r.RegisterTransitCallback(lambda i, j: int(metres[mgr.IndexToNode(i), mgr.IndexToNode(j)]))
    r.SetArcCostEvaluatorOfAllVehicles(cb)
    dem = r.RegisterUnaryTransitCallback(lambda i: kg[mgr.IndexToNode(i)])
    r.AddDimensionWithVehicleCapacity(dem, 0, [int(cap * 1000)] * n, True, "load")
    p = pywrapcp.DefaultRoutingSearchParameters()
    p.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    p.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    p.time_limit.FromMilliseconds(int(seconds * 1000))
    sol = r.SolveWithParameters(p)
    total = 0.0
    for v in range(n):
        i = r.Start(v)
        while not r.IsEnd(i):
            j = sol.Value(r.NextVar(i))
            total += d[mgr.IndexToNode(i), mgr.IndexToNode(j)]
            i = j
    return total


def main() -> None:
    args = sys.argv[1:]
    sizes = [8] if "--quick" in args else ([int(a) for a in args] or [8, 15, 30])
    try:
        import ortools  # noqa: F401
    except ImportError:
        print("OR-Tools is not installed (bench only): .venv/bin/pip install ortools, then rerun")
        return
    print(
        f"{'stops':>5} {'PyVRP km':>9} {'OR-Tools km':>11} {'km ratio':>8} {'PyVRP s':>8} {'OR-Tools s':>10}"
    )
    for n in sizes:
        rows = []
        for seed in range(5):
            rng = np.random.default_rng(seed)
            pts = rng.uniform(0, 20, (n + 1, 2))
            d = np.linalg.norm(pts[:, None] - pts[None], axis=2)
            loads = rng.uniform(0.5, 2.0, n)
            t0 = time.perf_counter()
            a = solve_cvrp(d, loads, 4.0).length_km
            t1 = time.perf_counter()
            b = ortools_cvrp_km(d, loads, 4.0)
            t2 = time.perf_counter()
            rows.append((a, b, a / b, t1 - t0, t2 - t1))
        med = [statistics.median(r[k] for r in rows) for k in range(5)]
        print(f"{n:>5} {med[0]:>9.2f} {med[1]:>11.2f} {med[2]:>8.4f} {med[3]:>8.3f} {med[4]:>10.3f}")


if __name__ == "__main__":
    main()
