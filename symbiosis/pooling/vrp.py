"""The pooled tour as a capacitated vehicle-routing problem, solved by PyVRP.

Why PyVRP: on the same instances it matched OR-Tools' tour lengths while being faster (see
``bench/bench_pooling_vrp.py`` and docs/POOLING.md); it is a maintained, pip-installable hybrid
genetic search. It works on integers, so km are given in metres and tonnes in kilograms; the
tour length we report is re-measured in float km on the routes it returns.

Pools of at most `EXACT_MAX_STOPS` stops are solved exactly by enumeration instead (a coalition
game asks for thousands of such tiny tours). PyVRP is a heuristic and states no optimality gap;
on the 5-8-stop instances of the tests it finds the brute-force optimum up to the metre rounding
of its distances (at most 0.5 m per edge, tested within (stops + 1) m).

The search stops after `NO_IMPROVEMENT_ITERATIONS` iterations without a better tour. It used to be
300, and the tens of thousands of candidate pools of a national run spent most of their time in
those idle iterations: on 600 candidate tours of 4–25 stops (2,946 stops) from the 10⁴-site
benchmark, 300, 50, 20 and 10 idle iterations give the same length for every tour, 20 in a
seventh of the time of 300 (bench/bench_pooling_vrp_stop.py; docs/POOLING.md, "Scale").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pyvrp import Model
from pyvrp.stop import MaxIterations, MultipleCriteria, NoImprovement

from symbiosis.errors import SymbiosisError

M_PER_KM = 1000
KG_PER_T = 1000


@dataclass(frozen=True)
class Tour:
    """Routes as lists of stop positions (1-based: 0 is the depot), and their length."""

    routes: tuple[tuple[int, ...], ...]
    length_km: float

    @property
    def n_vehicles(self) -> int:
        return len(self.routes)


def route_length_km(dist_km: NDArray[np.float64], routes: tuple[tuple[int, ...], ...]) -> float:
    """Depot → stops → depot, summed over routes, in float km."""
    total = 0.0
    for r in routes:
        path = (0, *r, 0)
        total += float(sum(dist_km[a, b] for a, b in zip(path[:-1], path[1:], strict=True)))
    return total


NO_IMPROVEMENT_ITERATIONS = 20
EXACT_MAX_STOPS = 3  # at most 3! orders × their splits: cheaper than starting the genetic search


def _exact_small(dist_km: NDArray[np.float64], kg: NDArray[np.int64], cap_kg: int) -> Tour:
    """Optimal tour of a tiny pool: every order of the stops, cut into capacity-feasible runs."""
    best: Tour | None = None
    n = len(kg)
    for order in itertools.permutations(range(1, n + 1)):
        for cuts in itertools.product((False, True), repeat=n - 1):
            routes: list[tuple[int, ...]] = []
            run = [order[0]]
            for stop, cut in zip(order[1:], cuts, strict=True):
                if cut:
                    routes.append(tuple(run))
                    run = []
                run.append(stop)
            routes.append(tuple(run))
            if any(sum(int(kg[s - 1]) for s in r) > cap_kg for r in routes):
                continue
            length = route_length_km(dist_km, tuple(routes))
            if best is None or length < best.length_km - 1e-12:
                best = Tour(tuple(routes), length)
    assert best is not None  # every stop fits alone (checked by the caller)
    return best


def solve_cvrp(
    dist_km: NDArray[np.float64],
    loads_t: NDArray[np.float64],
    capacity_t: float,
    *,
    seed: int = 1,
    max_iterations: int = 2000,
    no_improvement: int | None = None,
) -> Tour:
    """Shortest set of depot-based routes serving every stop once with load ≤ capacity.

    ``dist_km`` is (n+1)×(n+1) with the depot (treatment or supply site) at 0; ``loads_t`` has
    one entry per stop. A stop heavier than the truck cannot be served in one visit: the caller
    raises the collection frequency first (`costing.pickups_per_month`).
    """
    n = len(loads_t)
    if dist_km.shape != (n + 1, n + 1):
        raise ValueError(f"dist_km must be {(n + 1, n + 1)}, got {dist_km.shape}")
    if n == 0:
        return Tour((), 0.0)
    kg = np.ceil(np.asarray(loads_t, dtype=np.float64) * KG_PER_T - 1e-9).astype(np.int64)
    cap_kg = int(np.floor(capacity_t * KG_PER_T + 1e-9))
    if (kg > cap_kg).any():
        k = int(np.argmax(kg))
        raise SymbiosisError(
            f"stop {k + 1} loads {loads_t[k]:.3f} t per visit, more than the truck's {capacity_t:g} t"
        )
    if n == 1:  # every member's own contract today: out and back
        return Tour(((1,),), float(dist_km[0, 1] + dist_km[1, 0]))
    if n <= EXACT_MAX_STOPS:
        return _exact_small(dist_km, kg, cap_kg)
    if no_improvement is None:  # read at call time: the benchmark sets the former value to compare
        no_improvement = NO_IMPROVEMENT_ITERATIONS
    m = Model()
    m.add_vehicle_type(num_available=n, capacity=cap_kg)
    locs = [m.add_location(0.0, 0.0) for _ in range(n + 1)]  # coordinates unused: edges below
    m.add_depot(locs[0])
    for loc, q in zip(locs[1:], kg, strict=True):
        m.add_client(loc, pickup=int(q))
    metres = np.rint(dist_km * M_PER_KM).astype(np.int64)
    for a, la in enumerate(locs):
        for b, lb in enumerate(locs):
            if a != b:
                m.add_edge(la, lb, distance=int(metres[a, b]))
    best = None
    for attempt in range(2):  # a second, longer search from another seed if the first ends infeasible
        scale = 10**attempt
        stop = MultipleCriteria(
            [MaxIterations(max_iterations * scale), NoImprovement(no_improvement * scale)]
        )
        best = m.solve(stop=stop, seed=seed + attempt, display=False, collect_stats=False).best
        if best.is_feasible():
            break
    if best is None or not best.is_feasible():  # one truck per stop is always feasible (loads ≤ capacity)
        alone: tuple[tuple[int, ...], ...] = tuple((s,) for s in range(1, n + 1))
        return Tour(alone, route_length_km(dist_km, alone))
    routes = tuple(tuple(int(a.idx) + 1 for a in r if a.is_client()) for r in best.routes())
    return Tour(routes, route_length_km(dist_km, routes))
