"""Independent oracles for the water tests: the limiting-composite-curve target by hand (the
problem table of Wang & Smith 1994), scipy's linprog on the source–sink formulation, and a
network checker that recomputes concentrations by a numpy linear solve. None goes through
symbiosis.water's model."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def composite_curve_target_m3_per_h(ops: list[tuple[float, float, float]]) -> float:
    """ops = (load kg/h, max inlet mg/L, max outlet mg/L), fresh water at 0 mg/L: the largest
    cumulative load ÷ concentration over the interval boundaries (Wang & Smith 1994)."""
    levels = sorted({c for _, a, b in ops for c in (a, b)})
    best, mass = 0.0, 0.0
    for lo, hi in zip(levels, levels[1:], strict=False):
        flow = sum(load / (b - a) for load, a, b in ops if a <= lo and b >= hi)  # kg/h per mg/L
        mass += flow * (hi - lo)
        best = max(best, mass / hi * 1000.0)
    return best


def source_sink_target_m3_per_h(
    sources: list[tuple[float, float]], sinks: list[tuple[float, float]]
) -> float:
    """Minimum fresh water (0 mg/L) for fixed-flow sinks (flow, max mg/L) fed by fixed-flow
    sources (flow, mg/L) whose surplus is discharged: linprog on x_ij, fresh_j."""
    ns, nk = len(sources), len(sinks)
    n = ns * nk + nk
    c = np.r_[np.zeros(ns * nk), np.ones(nk)]
    a_eq = np.zeros((nk, n))
    b_eq = np.array([f for f, _ in sinks])
    a_ub = np.zeros((nk + ns, n))
    b_ub = np.zeros(nk + ns)
    for j, (fj, cj) in enumerate(sinks):
        for i, (_, ci) in enumerate(sources):
            a_eq[j, i * nk + j] = 1.0
            a_ub[j, i * nk + j] = ci
        a_eq[j, ns * nk + j] = 1.0
        b_ub[j] = cj * fj
    for i, (fi, _) in enumerate(sources):
        a_ub[nk + i, i * nk : (i + 1) * nk] = 1.0
        b_ub[nk + i] = fi
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    assert res.status == 0, res.message
    return float(res.fun)


def check_network(
    flows: dict, loads: dict, cin: dict, cout: dict, fixed_out: dict | None = None
) -> list[str]:
    """Recompute every node's outlet concentration from the flows by solving the linear mixing
    balance (numpy), then list broken limits. ``loads``/``cin``/``cout`` per fixed-load op id and
    contaminant; ``fixed_out``: known outlet concentrations of other nodes (sources…). Nodes are
    the ("kind", id) tuples of the flows."""
    fixed_out = fixed_out or {}
    ops = sorted(loads)
    ks = sorted({k for d in loads.values() for k in d})
    idx = {("operation", o): i for i, o in enumerate(ops)}
    fin = {o: sum(v for (a, b), v in flows.items() if b == ("operation", o)) for o in ops}
    fout = {o: sum(v for (a, b), v in flows.items() if a == ("operation", o)) for o in ops}
    bad = []
    for o in ops:
        if abs(fin[o] - fout[o]) > 1e-6 * max(1, fin[o]):
            bad.append(f"{o}: in {fin[o]} ≠ out {fout[o]}")
    conc = {}
    for k in ks:
        a = np.zeros((len(ops), len(ops)))
        rhs = np.zeros(len(ops))
        for o in ops:
            i = idx[("operation", o)]
            a[i, i] += fout[o]
            rhs[i] += loads[o].get(k, 0.0) * 1000.0
            for (src, dst), v in flows.items():
                if dst == ("operation", o):
                    if src in idx:
                        a[i, idx[src]] -= v
                    else:
                        rhs[i] += v * fixed_out[src].get(k, 0.0)
        conc[k] = np.linalg.solve(a, rhs)
    for o in ops:
        i = idx[("operation", o)]
        for k in ks:
            inlet = 0.0
            for (src, dst), v in flows.items():
                if dst == ("operation", o):
                    inlet += v * (conc[k][idx[src]] if src in idx else fixed_out[src].get(k, 0.0))
            inlet /= fin[o]
            if inlet > cin[o][k] * (1 + 1e-6) + 1e-6:
                bad.append(f"{o}: inlet {k} {inlet} > {cin[o][k]}")
            if conc[k][i] > cout[o][k] * (1 + 1e-6) + 1e-6:
                bad.append(f"{o}: outlet {k} {conc[k][i]} > {cout[o][k]}")
    return bad


def multi_source_sink_fresh_m3_per_h(
    supplies: list[tuple[str, float | None, dict[str, float], bool]],
    sources: list[tuple[str, float, dict[str, float]]],
    sinks: list[tuple[str, float, dict[str, float]]],
) -> float:
    """Minimum fresh water for fixed-flow sinks (id, flow, limits) fed by supplies (id, cap or
    None, concentrations, is_fresh) and fixed-flow sources (id, flow, concentrations) — an
    operation never feeding itself — by linprog; the surplus of sources is discharged."""
    cols = [(s[0], k[0]) for s in supplies for k in sinks] + [
        (o[0], k[0]) for o in sources for k in sinks if o[0] != k[0]
    ]
    conc = {s[0]: s[2] for s in supplies} | {o[0]: o[2] for o in sources}
    fresh = {s[0] for s in supplies if s[3]}
    c = np.array([1.0 if a in fresh else 0.0 for a, _ in cols])
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for sid, flow, limits in sinks:
        a_eq.append([1.0 if b == sid else 0.0 for _, b in cols])
        b_eq.append(flow)
        for k, lim in limits.items():
            a_ub.append([conc[a].get(k, 0.0) if b == sid else 0.0 for a, b in cols])
            b_ub.append(lim * flow)
    for oid, flow, _ in sources:
        a_ub.append([1.0 if a == oid else 0.0 for a, _ in cols])
        b_ub.append(flow)
    for sid, cap, _, _ in supplies:
        if cap is not None:
            a_ub.append([1.0 if a == sid else 0.0 for a, _ in cols])
            b_ub.append(cap)
    res = linprog(
        c, A_ub=np.array(a_ub), b_ub=b_ub, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs"
    )
    assert res.status == 0, res.message
    return float(res.fun)
