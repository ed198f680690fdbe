"""Allocation: which needs go to which offers, without exceeding any offer's capacity in any hour.

Model (docs/SHARING.md, "Allocation"). One binary x_p per fitting pair p = (need n, offer o):

    maximise   Σ_p value_p · x_p          value = cost avoided − travel + carbon price × CO2 avoided
    subject to Σ_{p ∋ n} x_p ≤ 1                          each need served by at most one offer
               Σ_{p ∋ o, h ∈ hours(n_p), m ∈ months(p)} capacity(n_p) · x_p ≤ capacity(o)
                                                          for every offer o, weekly hour h, month m

A need is served whole by one offer (it fits only if the offer has every hour free). The capacity
rows are built slot by slot with numpy, then reduced without changing the feasible set: a row
whose pairs could not exceed the capacity even all together is dropped, and rows holding exactly
the same pairs (the same needs on the same offer at several hours or months) are kept once. The
model is built in Pyomo, compiled to arrays (`compile_linear`) and solved by the optimiser's
`HighsSession` (HiGHS branch-and-cut; its dual bound gives the gap reported).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from symbiosis.errors import SymbiosisError
from symbiosis.optimizer.compile_linear import compile_linear
from symbiosis.optimizer.solve import HighsSession
from symbiosis.sharing.slots import unpack


@dataclass(frozen=True)
class AllocationProblem:
    """The fitting pairs and what the capacity rows need to know about them."""

    need: np.ndarray  # (P,) need index of each pair
    offer: np.ndarray  # (P,) offer index
    value_eur: np.ndarray  # (P,) value a year if the pair is chosen
    need_capacity: np.ndarray  # (P,) capacity the pair takes from its offer
    need_words: np.ndarray  # (P, 3) packed weekly hours the pair takes
    months: np.ndarray  # (P,) 12-bit mask of months the pair runs (need ∩ offer)
    offer_capacity: np.ndarray  # (n_offers,)


@dataclass(frozen=True)
class Allocation:
    chosen: np.ndarray  # indices into the problem's pairs
    value_eur: float
    bound_eur: float  # upper bound on the value (HiGHS's dual bound)
    gap: float
    status: str
    time_s: float  # HiGHS's time
    build_s: float  # rows, Pyomo model and compilation
    n_capacity_rows: int


def capacity_rows(p: AllocationProblem) -> tuple[np.ndarray, np.ndarray]:
    """(row of each entry, pair of each entry) for the distinct binding (offer, hour, month) rows."""
    hours = unpack(p.need_words)  # (P, 168)
    pair_h, hour = np.nonzero(hours)
    months = (p.months[pair_h, None] >> np.arange(12)[None, :]) & 1
    rep, month = np.nonzero(months)
    pair = pair_h[rep]
    key = (p.offer[pair] * 168 + hour[rep]) * 12 + month  # one slot of one offer in one month
    order = np.argsort(key, kind="stable")
    key, pair = key[order], pair[order]
    uniq, start = np.unique(key, return_index=True)
    row = np.repeat(np.arange(len(uniq)), np.diff(np.append(start, len(key))))
    load = np.bincount(row, weights=p.need_capacity[pair], minlength=len(uniq))
    offer_of_row = uniq // (168 * 12)
    binding = load > p.offer_capacity[offer_of_row] + 1e-9
    # identical pair sets → one row: two independent 64-bit sums of random labels per row
    rng = np.random.default_rng(12345)
    labels = rng.integers(0, 2**62, size=(len(p.need), 2), dtype=np.int64).astype(np.uint64)
    sig = np.zeros((len(uniq), 2), dtype=np.uint64)
    np.add.at(sig, row, labels[pair])
    sig_rows = np.column_stack([sig, offer_of_row.astype(np.uint64)])[binding]
    kept_rows = np.flatnonzero(binding)
    _, first = np.unique(sig_rows, axis=0, return_index=True)
    kept = np.zeros(len(uniq), dtype=bool)
    kept[kept_rows[first]] = True
    renumber = np.cumsum(kept) - 1
    mask = kept[row]
    return renumber[row[mask]], pair[mask]


def allocate(
    p: AllocationProblem, time_limit_s: float | None = 60.0, mip_rel_gap: float = 1e-4
) -> Allocation:
    """The most valuable set of pairs that fits every offer's capacity in every hour."""
    t0 = time.perf_counter()
    n_pairs = len(p.need)
    if n_pairs == 0:
        return Allocation(np.zeros(0, dtype=np.int64), 0.0, 0.0, 0.0, "Optimal", 0.0, 0.0, 0)
    row, pair = capacity_rows(p)
    n_rows = int(row.max()) + 1 if len(row) else 0
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(n_pairs), domain=pyo.Binary)
    order = np.argsort(p.need, kind="stable")
    needs, starts = np.unique(p.need[order], return_index=True)
    groups = np.split(order, starts[1:])
    multi = [g for g in groups if len(g) > 1]  # a need with one pair is bounded by x ≤ 1 already
    m.one_offer = pyo.Constraint(range(len(multi)), rule=lambda m, k: sum(m.x[int(j)] for j in multi[k]) <= 1)
    r_order = np.argsort(row, kind="stable")
    r_starts = np.searchsorted(row[r_order], np.arange(n_rows))
    r_pairs = np.split(pair[r_order], r_starts[1:])
    offer_of_row = p.offer[[int(g[0]) for g in r_pairs]] if n_rows else np.zeros(0, dtype=np.int64)
    m.capacity = pyo.Constraint(
        range(n_rows),
        rule=lambda m, r: (
            sum(float(p.need_capacity[j]) * m.x[int(j)] for j in r_pairs[r])
            <= float(p.offer_capacity[offer_of_row[r]])
        ),
    )
    value = pyo.quicksum(-float(p.value_eur[j]) * m.x[j] for j in range(n_pairs))  # minimise −value
    compiled, variables = compile_linear(m, value, 0.0 * m.x[0], 0.0)
    build_s = time.perf_counter() - t0
    session = HighsSession(compiled)  # default threads: HiGHS keeps one scheduler per process
    out = session.run(time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    if out.x is None or out.objective is None:
        raise SymbiosisError(f"the sharing allocation has no solution: HiGHS says {out.status!r}")
    col = {id(v): j for j, v in enumerate(variables)}
    x = np.array([out.x[col[id(m.x[j])]] for j in range(n_pairs)])
    bound = -out.bound if out.bound is not None else float("inf")
    return Allocation(
        chosen=np.flatnonzero(x > 0.5),
        value_eur=-float(out.objective),
        bound_eur=float(bound),
        gap=float(out.gap) if out.gap is not None else float("inf"),
        status=out.status,
        time_s=out.time_s,
        build_s=build_s,
        n_capacity_rows=n_rows,
    )
