"""Who pays what: the Shapley value of a pool's cost, the core check, and a pro-rata split.

The pool is a cost game: ``v(S)`` is what coalition S would pay with a contract of its own
(``v({i})`` is member i's contract today). The Shapley value charges each member its marginal
cost averaged over every order of joining — exact by enumerating coalitions for small pools;
for larger ones, averaged over random orders, with a Hoeffding half-width: each marginal cost
lies in an interval of width r_i, so with m orders |φ̂_i − φ_i| ≤ r_i·√(ln(2n/δ) / 2m) for all
members at once with probability ≥ 1 − δ. A split is in the core when no coalition S pays more
than v(S) — no sub-group would do better alone — and the pool's total is paid exactly.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Value = Callable[[frozenset[int]], float]
EXACT_MAX_MEMBERS = 8  # 255 coalitions, each a routed tour; beyond, sampled orders


@dataclass(frozen=True)
class SampledShapley:
    shares: tuple[float, ...]
    half_width: tuple[float, ...]  # per member, holding jointly with probability ≥ 1 − delta
    delta: float
    n_orders: int


def shapley_exact(n: int, value: Value) -> tuple[float, ...]:
    """φ_i = Σ_{S ∌ i} |S|!(n−|S|−1)!/n! · (v(S ∪ {i}) − v(S))."""
    fact = [math.factorial(k) for k in range(n + 1)]
    vals: dict[frozenset[int], float] = {}

    def v(s: frozenset[int]) -> float:
        if s not in vals:
            vals[s] = value(s) if s else 0.0
        return vals[s]

    phi = [0.0] * n
    for i in range(n):
        others = [j for j in range(n) if j != i]
        for size in range(n):
            weight = fact[size] * fact[n - size - 1] / fact[n]
            for s in itertools.combinations(others, size):
                fs = frozenset(s)
                phi[i] += weight * (v(fs | {i}) - v(fs))
    return tuple(phi)


def shapley_sampled(
    n: int, value: Value, marginal_width: Sequence[float], n_orders: int, seed: int = 0, delta: float = 0.05
) -> SampledShapley:
    """Average marginal cost over ``n_orders`` random joining orders, with a Hoeffding bound.

    ``marginal_width[i]`` must bound the spread of member i's marginal cost over all coalitions
    (`costing`-based games use `marginal_width_bound`)."""
    rng = np.random.default_rng(seed)
    total = np.zeros(n)
    for _ in range(n_orders):
        order = rng.permutation(n)
        s: frozenset[int] = frozenset()
        before = 0.0
        for i in order.tolist():
            s = s | {i}
            after = value(s)
            total[i] += after - before
            before = after
    shares = total / n_orders
    half = [w * math.sqrt(math.log(2 * n / delta) / (2 * n_orders)) for w in marginal_width]
    return SampledShapley(tuple(shares.tolist()), tuple(half), delta, n_orders)


def pro_rata(volumes: Sequence[float], total: float) -> tuple[float, ...]:
    """The pool's cost split in proportion to each member's yearly volume."""
    s = float(sum(volumes))
    return tuple(total * q / s for q in volumes)


def core_violations(
    n: int, value: Value, allocation: Sequence[float], tolerance_eur: float = 1e-6
) -> list[tuple[frozenset[int], float]]:
    """Coalitions charged more than they would pay alone, with the excess (€); the grand
    coalition also fails when the split does not add up to its cost."""
    out: list[tuple[frozenset[int], float]] = []
    grand = frozenset(range(n))
    for size in range(1, n + 1):
        for s in itertools.combinations(range(n), size):
            fs = frozenset(s)
            excess = sum(allocation[i] for i in s) - value(fs)
            if excess > tolerance_eur or (fs == grand and abs(excess) > tolerance_eur):
                out.append((fs, excess))
    return out
