"""Choosing pools: which members join which pool, or keep their own contract (Pyomo → HiGHS).

Each group (one stream, one hub) offers candidate pools — subsets of its members, each costed
beforehand with its tour (`costing`). The model picks at most one pool per group; every member
is in exactly one chosen pool or stays alone at today's cost. The pool's price is an all-units
piecewise-linear function of the group's pooled volume V: one binary per tier k with
``L_k·w_k ≤ v_k ≤ U_k·w_k``, ``Σ_k v_k = V``, price ``Σ_k p_k·v_k`` — exact, not the candidate's
precomputed price, so the break the pool reaches is the model's own decision. Objective:
yearly cost + carbon price × t CO2. The model goes through the optimiser's compile-to-arrays
path and its `HighsSession`; HiGHS's dual bound gives the gap reported with the choice. The
optimum is over the candidate pools offered (see docs/POOLING.md, "Limits").

National scale (`choose_by_group`): the model is block-diagonal — groups share no member, no
tier and no constraint — so it splits into one problem per group, and a group's problem (keep
everybody alone, or pool exactly one of its few dozen options) is solved exactly by looking at
each option. Above `MILP_MAX_OPTIONS` options that decomposition replaces the one big MILP, whose
presolve and root alone took 40 s of HiGHS on 18,000 options (bench/bench_pooling_scale.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyomo.environ as pyo

from symbiosis.errors import SymbiosisError
from symbiosis.optimizer.compile_linear import compile_linear
from symbiosis.optimizer.solve import HighsSession
from symbiosis.pooling.terms import PriceTier

MILP_MAX_OPTIONS = 2_000
"""Up to this many candidate pools the whole choice goes to HiGHS as one MILP; above, per group."""


@dataclass(frozen=True)
class PoolOption:
    """A candidate pool: its group, its members (global member numbers) and its tour figures."""

    group: int
    members: tuple[int, ...]
    volume_t_per_yr: float
    route_and_fixed_eur_per_yr: float  # truck + the pool's fixed cost (the price is the model's)
    co2_t_per_yr: float


@dataclass(frozen=True)
class Choice:
    chosen: tuple[int, ...]  # positions in the options list
    alone: tuple[int, ...]  # members keeping their own contract
    objective_eur: float
    bound_eur: float
    gap: float
    status: str
    time_s: float


def choose_pools(
    options: list[PoolOption],
    tiers: list[tuple[PriceTier, ...]],
    alone_eur: list[float],
    alone_co2_t: list[float],
    carbon_price_eur_per_t: float = 0.0,
    time_limit_s: float | None = 60.0,
    mip_rel_gap: float = 1e-6,
) -> Choice:
    """The cheapest set of pools (cost + carbon price × CO2) among the options (one MILP)."""
    n_members, n_groups = len(alone_eur), len(tiers)
    m = pyo.ConcreteModel()
    m.y = pyo.Var(range(len(options)), domain=pyo.Binary)
    m.a = pyo.Var(range(n_members), domain=pyo.Binary)
    gk = [(g, k) for g in range(n_groups) for k in range(len(tiers[g]))]
    m.w = pyo.Var(gk, domain=pyo.Binary)
    m.v = pyo.Var(gk, domain=pyo.NonNegativeReals)
    in_option: list[list[int]] = [[] for _ in range(n_members)]
    of_group: list[list[int]] = [[] for _ in range(n_groups)]
    for p, o in enumerate(options):
        of_group[o.group].append(p)
        for u in o.members:
            in_option[u].append(p)
    m.c_member = pyo.Constraint(
        range(n_members), rule=lambda m, u: m.a[u] + sum(m.y[p] for p in in_option[u]) == 1
    )
    m.c_one = pyo.Constraint(
        range(n_groups), rule=lambda m, g: sum(m.w[g, k] for k in range(len(tiers[g]))) <= 1
    )
    m.c_tier = pyo.Constraint(
        range(n_groups),
        rule=lambda m, g: (
            sum(m.w[g, k] for k in range(len(tiers[g]))) - sum(m.y[p] for p in of_group[g]) == 0
        ),
    )
    m.c_volume = pyo.Constraint(
        range(n_groups),
        rule=lambda m, g: (
            sum(m.v[g, k] for k in range(len(tiers[g])))
            - sum(options[p].volume_t_per_yr * m.y[p] for p in of_group[g])
            == 0
        ),
    )
    top = [max((options[p].volume_t_per_yr for p in of_group[g]), default=0.0) for g in range(n_groups)]

    def upper(g: int, k: int) -> float:
        return (
            tiers[g][k + 1].min_t_per_yr if k + 1 < len(tiers[g]) else max(top[g], tiers[g][k].min_t_per_yr)
        )

    m.c_low = pyo.Constraint(gk, rule=lambda m, g, k: m.v[g, k] - tiers[g][k].min_t_per_yr * m.w[g, k] >= 0)
    m.c_high = pyo.Constraint(gk, rule=lambda m, g, k: m.v[g, k] - upper(g, k) * m.w[g, k] <= 0)
    cost = (
        sum(o.route_and_fixed_eur_per_yr * m.y[p] for p, o in enumerate(options))
        + sum(tiers[g][k].price_eur_per_t * m.v[g, k] for g, k in gk)
        + sum(alone_eur[u] * m.a[u] for u in range(n_members))
    )
    co2 = sum(o.co2_t_per_yr * m.y[p] for p, o in enumerate(options)) + sum(
        alone_co2_t[u] * m.a[u] for u in range(n_members)
    )
    compiled, variables = compile_linear(m, cost, co2, carbon_price_eur_per_t)
    session = HighsSession(compiled)  # default threads: HiGHS keeps one scheduler per process
    out = session.run(time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    if out.x is None or out.objective is None:
        raise SymbiosisError(f"the pooling model has no solution: HiGHS says {out.status!r}")
    col = {id(v): j for j, v in enumerate(variables)}
    chosen = tuple(p for p in range(len(options)) if out.x[col[id(m.y[p])]] > 0.5)
    alone = tuple(u for u in range(n_members) if out.x[col[id(m.a[u])]] > 0.5)
    bound = out.bound if out.bound is not None else float("-inf")
    return Choice(
        chosen,
        alone,
        float(out.objective),
        float(bound),
        float(out.gap) if out.gap is not None else float("inf"),
        out.status,
        out.time_s,
    )


def option_price_eur(tiers: tuple[PriceTier, ...], volume_t: float, top_t: float) -> float:
    """What the MILP's tier binaries make an option of ``volume_t`` pay: the cheapest tier k whose
    interval [L_k, U_k] holds the volume (U_k = the next tier's threshold, the last one open up
    to the group's largest option ``top_t``) — at a break both neighbours hold it."""
    best = float("inf")
    for k, tier in enumerate(tiers):
        upper = tiers[k + 1].min_t_per_yr if k + 1 < len(tiers) else max(top_t, tier.min_t_per_yr)
        if tier.min_t_per_yr <= volume_t <= upper:
            best = min(best, tier.price_eur_per_t * volume_t)
    return best


def choose_by_group(
    options: list[PoolOption],
    tiers: list[tuple[PriceTier, ...]],
    alone_eur: list[float],
    alone_co2_t: list[float],
    carbon_price_eur_per_t: float = 0.0,
) -> Choice:
    """The same optimum as `choose_pools`, group by group: each group either keeps every member
    alone or pools one option (its members pay the pooled contract, the others stay alone), the
    cheaper of all these. Exact — every feasible choice of the model is looked at — so the bound
    is the objective and the gap 0. Ties keep the earlier option (the MILP may pick another)."""
    t0 = time.perf_counter()
    cp = carbon_price_eur_per_t
    alone = [e + cp * c for e, c in zip(alone_eur, alone_co2_t, strict=True)]
    top: dict[int, float] = {}
    for o in options:
        top[o.group] = max(top.get(o.group, 0.0), o.volume_t_per_yr)
    best: dict[int, tuple[float, int]] = {}  # group → (change against everybody alone, option)
    for p, o in enumerate(options):
        price = option_price_eur(tiers[o.group], o.volume_t_per_yr, top[o.group])
        delta = o.route_and_fixed_eur_per_yr + price + cp * o.co2_t_per_yr - sum(alone[u] for u in o.members)
        if delta < best.get(o.group, (0.0, -1))[0]:
            best[o.group] = (delta, p)
    chosen = tuple(sorted(p for _, p in best.values()))
    pooled = {u for p in chosen for u in options[p].members}
    objective = sum(alone) + sum(d for d, _ in best.values())
    return Choice(
        chosen,
        tuple(u for u in range(len(alone)) if u not in pooled),
        objective,
        objective,
        0.0,
        "Optimal",
        time.perf_counter() - t0,
    )
