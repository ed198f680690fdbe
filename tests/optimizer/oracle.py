"""An independent oracle for optimiser tests: the exchange LP written out for scipy's `linprog`.

It reads only `ProblemData` arrays and shares no code with `model.py`, `compile.py` or HiGHS
sessions, so a constraint dropped or mis-signed there cannot hide in both. Fixed costs are handled
by brute force over the open set (small instances only).
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog

from symbiosis.optimizer.data import ProblemData


def lp_optimum(
    d: ProblemData,
    carbon_price: float = 0.0,
    co2_cap_t: float | None = None,
    open_links: np.ndarray | None = None,
    minimise_co2: bool = False,
) -> tuple[float, np.ndarray] | None:
    """(objective, flows (T, L)) of the LP with links outside ``open_links`` closed and fixed costs of
    open ones paid; None when infeasible. Columns: flows, then disposal, then virgin, per period."""
    T, L, O, I = d.n_periods, d.n_links, len(d.output_ids), len(d.input_ids)  # noqa: E741
    n = T * (L + O + I)

    def col(t: int, kind: str, k: int) -> int:
        base = t * (L + O + I)
        return base + {"x": 0, "s": L, "v": L + O}[kind] + k

    cost = np.zeros(n)
    co2 = np.zeros(n)
    ub = np.full(n, np.inf)
    share = d.link_share
    for t in range(T):
        for ln in range(L):
            j = col(t, "x", ln)
            cost[j], co2[j] = d.var_cost_eur_per_unit[ln], d.var_co2_kg_per_unit[ln] / 1000
            cap = min(d.link_ub[t, ln], share[ln] * d.demand[t, d.link_in[ln]] / d.delivery_factor[ln])
            ub[j] = cap if open_links is None or open_links[ln] else 0.0
        for o in range(O):
            j = col(t, "s", o)
            cost[j], co2[j] = d.disposal_cost_eur_per_unit[o], d.disposal_co2_kg_per_unit[o] / 1000
        for i in range(I):
            j = col(t, "v", i)
            cost[j], co2[j] = d.virgin_price_eur_per_unit[i], d.virgin_co2_kg_per_unit[i] / 1000
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for t in range(T):
        for o in range(O):
            row = np.zeros(n)
            row[[col(t, "x", ln) for ln in range(L) if d.link_out[ln] == o]] = 1.0
            row[col(t, "s", o)] = 1.0
            a_eq.append(row)
            b_eq.append(d.supply[t, o])
        for i in range(I):
            row = np.zeros(n)
            for ln in range(L):
                if d.link_in[ln] == i:
                    row[col(t, "x", ln)] = d.delivery_factor[ln]
            row[col(t, "v", i)] = 1.0
            a_eq.append(row)
            b_eq.append(d.demand[t, i])
        for g in d.shares:
            row = np.zeros(n)
            for ln in g.link_pos:
                row[col(t, "x", int(ln))] = d.delivery_factor[ln]
            a_ub.append(row)
            b_ub.append(g.share * d.demand[t, g.input_pos])
        for q in d.quality:
            row = np.zeros(n)
            for ln in range(L):
                if d.link_in[ln] == q.input_pos:
                    conc = d.output_conc_mg_per_l[q.contaminant][d.link_out[ln]]
                    row[col(t, "x", ln)] = conc * d.delivery_factor[ln]
            row[col(t, "v", q.input_pos)] = d.virgin_conc_mg_per_l[q.contaminant][q.input_pos]
            a_ub.append(row)
            b_ub.append(q.max_mg_per_l * d.demand[t, q.input_pos])
    if co2_cap_t is not None:
        a_ub.append(co2)
        b_ub.append(co2_cap_t)
    objective = co2 if minimise_co2 else cost + carbon_price * co2
    res = linprog(
        objective,
        A_ub=np.array(a_ub) if a_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=np.array(a_eq),
        b_eq=np.array(b_eq),
        bounds=list(zip(np.zeros(n), ub, strict=True)),
        method="highs",
    )
    if res.status != 0:
        return None
    flows = np.array([[res.x[col(t, "x", ln)] for ln in range(L)] for t in range(T)])
    fixed = 0.0
    if open_links is not None and not minimise_co2:
        fixed = float(d.fixed_cost_eur_per_yr[open_links.astype(bool)].sum())
    return float(res.fun) + fixed, flows


def milp_optimum_by_enumeration(
    d: ProblemData, carbon_price: float = 0.0, co2_cap_t: float | None = None
) -> float:
    """The MILP optimum by trying every set of built links (2^B LPs: keep B ≤ 12)."""
    build = np.flatnonzero(d.fixed_cost_eur_per_yr > 0)
    assert len(build) <= 12, "enumeration is for tiny instances"
    best = np.inf
    for bits in itertools.product([False, True], repeat=len(build)):
        is_open = np.ones(d.n_links, dtype=bool)
        is_open[build] = bits
        r = lp_optimum(d, carbon_price, co2_cap_t, open_links=is_open)
        if r is not None:
            best = min(best, r[0])
    return float(best)
