"""PyVRP's tour against a brute-force CVRP optimum (every order of the stops, optimally split)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from symbiosis.errors import SymbiosisError
from symbiosis.pooling.vrp import solve_cvrp


def brute_force_cvrp_km(d: np.ndarray, loads: list[float], cap: float) -> float:
    """Every CVRP solution is a giant tour cut into capacity-feasible runs: try every order and
    its best cut (dynamic programme over cut points)."""
    n = len(loads)
    best = float("inf")
    for perm in itertools.permutations(range(1, n + 1)):
        f = [0.0] + [float("inf")] * n
        for j in range(1, n + 1):
            for i in range(j):
                run = perm[i:j]
                if sum(loads[s - 1] for s in run) > cap + 1e-12:
                    continue
                length = (
                    d[0, run[0]]
                    + sum(d[a, b] for a, b in zip(run[:-1], run[1:], strict=True))
                    + d[run[-1], 0]
                )
                f[j] = min(f[j], f[i] + length)
        best = min(best, f[n])
    return best


@pytest.mark.parametrize("n,seed", [(5, 0), (6, 1), (7, 2), (8, 3)])
def test_tour_matches_brute_force_within_rounding(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 20, (n + 1, 2))
    d = np.linalg.norm(pts[:, None] - pts[None], axis=2)
    loads = rng.uniform(0.5, 2.0, n).round(3).tolist()
    tour = solve_cvrp(d, np.array(loads), 4.0)
    assert sorted(s for r in tour.routes for s in r) == list(range(1, n + 1))
    assert all(sum(loads[s - 1] for s in r) <= 4.0 + 1e-9 for r in tour.routes)
    optimum = brute_force_cvrp_km(d, loads, 4.0)
    tolerance_km = (n + 1) * 0.001  # distances handed to PyVRP in whole metres
    assert tour.length_km == pytest.approx(optimum, abs=tolerance_km)
    assert tour.length_km >= optimum - tolerance_km


def test_a_stop_heavier_than_the_truck_is_refused_and_a_full_one_accepted() -> None:
    d = np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]], dtype=float)
    tour = solve_cvrp(d, np.array([4.0, 1.0]), 4.0)  # exactly the capacity: one visit
    assert sorted(s for r in tour.routes for s in r) == [1, 2]
    assert tour.n_vehicles == 2
    with pytest.raises(SymbiosisError, match="more than the truck's 4 t"):
        solve_cvrp(d, np.array([4.001, 1.0]), 4.0)


def test_tiny_pools_on_a_line_by_hand() -> None:
    # depot at 0, stops at 1, 2, 3 km on a line; loads 2, 2, 2 t
    x = np.array([0.0, 1.0, 2.0, 3.0])
    d = np.abs(x[:, None] - x[None])
    one_truck = solve_cvrp(d, np.array([2.0, 2.0, 2.0]), 6.0)
    assert one_truck.length_km == pytest.approx(6.0) and one_truck.n_vehicles == 1
    # 4 t trucks: two stops per route at most; best = (1) + (2, 3): 2 + 6 = 8 km (or (1,2)+(3): 4 + 6 = 10)
    two_trucks = solve_cvrp(d, np.array([2.0, 2.0, 2.0]), 4.0)
    assert two_trucks.length_km == pytest.approx(8.0) and two_trucks.n_vehicles == 2
    assert solve_cvrp(d[:2, :2], np.array([1.0]), 1.0).length_km == pytest.approx(2.0)


def test_an_infeasible_search_falls_back_to_one_truck_per_stop(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyVRP may end a short search on an infeasible solution: retried longer, then one truck per
    stop (always feasible, each stop fits the truck)."""
    import pyvrp

    calls = []

    class Infeasible:
        def is_feasible(self) -> bool:
            return False

    class Result:
        best = Infeasible()

    def solve(self, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append(kwargs["seed"])
        return Result()

    monkeypatch.setattr(pyvrp.Model, "solve", solve)
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    d = np.abs(x[:, None] - x[None])
    tour = solve_cvrp(d, np.array([1.0, 1.0, 1.0, 1.0]), 4.0, seed=7)
    assert calls == [7, 8]
    assert tour.routes == ((1,), (2,), (3,), (4,)) and tour.length_km == pytest.approx(20.0)
