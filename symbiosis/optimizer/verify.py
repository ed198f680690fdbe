"""An independent check of a plan against every constraint it claims to meet, before it is reported.

Why: a plan comes from many places — HiGHS on the whole model, a kernel MILP, a neighbourhood
sub-problem, slope scaling, a bound process, a Pareto neighbour — and each builds its own model. A
plan that left out one constraint (a neighbourhood sub-problem built without the CO2 cap once
returned 860,921 t under a cap of 851,736 t, labelled "optimal, gap 0.000 %") must not reach a
user. This module recomputes every constraint with numpy from `ProblemData` alone — never from the
Pyomo model or the compiled matrix, so a bug there cannot hide itself — and lists what is broken.

Tolerances: HiGHS meets a row to ``primal_feasibility_tolerance`` (10⁻⁷ absolute, on scaled rows),
so a violation counts only above ``rel_tol`` × the row's scale plus ``abs_tol``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbiosis.optimizer.data import ProblemData
from symbiosis.optimizer.results import PlanArrays

_KG_PER_T = 1000.0
REL_TOL = 1e-6
ABS_TOL = 1e-6


@dataclass(frozen=True)
class Violation:
    """One broken constraint: what, where, by how much (in the constraint's own unit)."""

    constraint: str  # "co2 cap", "supply", "demand", "link bound", "share", "quality", "sign", "build"
    where: str
    excess: float
    detail: str

    def __str__(self) -> str:
        return f"{self.constraint} ({self.where}): {self.detail}"


def _over(lhs: np.ndarray, rhs: np.ndarray, rel_tol: float, abs_tol: float) -> np.ndarray:
    return lhs > rhs + rel_tol * np.abs(rhs) + abs_tol


def plan_co2_t(d: ProblemData, p: PlanArrays) -> float:
    """The plan's CO2e (t/yr), summed here from the data, independently of `results.plan_cost`."""
    kg = 0.0
    for t in range(d.n_periods):
        kg += float(np.dot(p.flow[t], d.var_co2_kg_per_unit))
        kg += float(np.dot(p.disposal[t], d.disposal_co2_kg_per_unit))
        kg += float(np.dot(p.virgin[t], d.virgin_co2_kg_per_unit))
    return kg / _KG_PER_T


def check_plan(
    d: ProblemData,
    p: PlanArrays,
    co2_cap_t: float | None = None,
    rel_tol: float = REL_TOL,
    abs_tol: float = ABS_TOL,
) -> list[Violation]:
    """Every constraint of the model that ``p`` breaks (empty when the plan is feasible)."""
    bad: list[Violation] = []
    T = d.n_periods
    n_out, n_in = len(d.output_ids), len(d.input_ids)
    for name, arr in (("flow", p.flow), ("disposal", p.disposal), ("virgin supply", p.virgin)):
        neg = np.argwhere(arr < -abs_tol)
        for t, k in neg[:3].tolist():
            bad.append(
                Violation("sign", f"{name} {k}, period {t}", float(-arr[t, k]), f"{arr[t, k]:.6g} < 0")
            )
    over_ub = np.argwhere(_over(p.flow, d.link_ub, rel_tol, abs_tol))
    for t, ln in over_ub[:3].tolist():
        bad.append(
            Violation(
                "link bound",
                d.link_ids[ln],
                float(p.flow[t, ln] - d.link_ub[t, ln]),
                f"flow {p.flow[t, ln]:.6g} > exchangeable {d.link_ub[t, ln]:.6g} in period {t}",
            )
        )
    unbuilt = (d.fixed_cost_eur_per_yr > 0) & ~p.built & (np.abs(p.flow).max(axis=0) > abs_tol)
    for ln in np.flatnonzero(unbuilt)[:3].tolist():
        bad.append(
            Violation(
                "build",
                d.link_ids[ln],
                float(p.flow[:, ln].max()),
                "flow on a link whose fixed cost is not paid",
            )
        )
    for t in range(T):
        sent = np.bincount(d.link_out, weights=p.flow[t], minlength=n_out) + p.disposal[t]
        for o in np.flatnonzero(np.abs(sent - d.supply[t]) > rel_tol * np.abs(d.supply[t]) + abs_tol)[
            :3
        ].tolist():
            bad.append(
                Violation(
                    "supply",
                    d.output_ids[o],
                    float(sent[o] - d.supply[t, o]),
                    f"sent + disposed {sent[o]:.6g} ≠ supply {d.supply[t, o]:.6g} in period {t}",
                )
            )
        delivered = np.bincount(d.link_in, weights=p.flow[t] * d.delivery_factor, minlength=n_in)
        met = delivered + p.virgin[t]
        for i in np.flatnonzero(np.abs(met - d.demand[t]) > rel_tol * np.abs(d.demand[t]) + abs_tol)[
            :3
        ].tolist():
            bad.append(
                Violation(
                    "demand",
                    d.input_ids[i],
                    float(met[i] - d.demand[t, i]),
                    f"delivered + virgin {met[i]:.6g} ≠ demand {d.demand[t, i]:.6g} in period {t}",
                )
            )
        own = p.flow[t] * d.delivery_factor
        own_cap = d.link_share * d.demand[t, d.link_in]
        for ln in np.flatnonzero(_over(own, own_cap, rel_tol, abs_tol))[:3].tolist():
            bad.append(
                Violation(
                    "share",
                    d.link_ids[ln],
                    float(own[ln] - own_cap[ln]),
                    f"delivers {own[ln]:.6g} > its cap {d.link_share[ln]:.4g} × demand "
                    f"= {own_cap[ln]:.6g} (period {t})",
                )
            )
        for g in d.shares:
            total = float(own[g.link_pos].sum())
            cap = g.share * float(d.demand[t, g.input_pos])
            if _over(np.array(total), np.array(cap), rel_tol, abs_tol):
                bad.append(
                    Violation(
                        "share",
                        d.input_ids[g.input_pos],
                        total - cap,
                        f"{len(g.link_pos)} links deliver {total:.6g} > {g.share:.4g} × demand "
                        f"= {cap:.6g} (period {t})",
                    )
                )
        loads = {
            k: np.bincount(d.link_in, weights=conc[d.link_out] * own, minlength=n_in)
            + d.virgin_conc_mg_per_l[k] * p.virgin[t]
            for k, conc in d.output_conc_mg_per_l.items()
        }
        for q in d.quality:
            i = q.input_pos
            load = float(loads[q.contaminant][i])
            limit = q.max_mg_per_l * float(d.demand[t, i])
            if _over(np.array(load), np.array(limit), rel_tol, abs_tol):
                bad.append(
                    Violation(
                        "quality",
                        f"{d.input_ids[i]} {q.contaminant}",
                        load - limit,
                        f"blend {load / max(float(d.demand[t, i]), 1e-12):.6g} mg/l "
                        f"> limit {q.max_mg_per_l:.6g} mg/l (period {t})",
                    )
                )
    if co2_cap_t is not None:
        co2 = plan_co2_t(d, p)
        if _over(np.array(co2), np.array(co2_cap_t), rel_tol, abs_tol):
            bad.append(
                Violation("co2 cap", "whole plan", co2 - co2_cap_t, f"{co2:,.1f} t > cap {co2_cap_t:,.1f} t")
            )
    return bad
