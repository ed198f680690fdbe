"""From a dataset to proposed pools: detect, cost candidate pools, choose, split each pool's cost.

Candidate pools of a group are its members taken nearest-to-the-hub first (every prefix of two
or more), plus, for groups of at most `EXACT_MAX_MEMBERS`, the whole group less any one member;
each is costed with its own routed tour. The choice model then picks among them.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.pooling.choose import MILP_MAX_OPTIONS, Choice, PoolOption, choose_by_group, choose_pools
from symbiosis.pooling.costing import ContractCost, PoolCoster, marginal_width_bound
from symbiosis.pooling.detect import DEFAULT_REACH_KM, Detection, Group, detect_groups
from symbiosis.pooling.fair_split import (
    EXACT_MAX_MEMBERS,
    core_violations,
    pro_rata,
    shapley_exact,
    shapley_sampled,
)
from symbiosis.pooling.terms import StreamTerms, Vehicle, load_terms

SAMPLED_ORDERS = 200  # × members routed tours per pool: the bound widens as 1/√orders
MAX_POOL_MEMBERS = 25


@dataclass(frozen=True)
class MemberShare:
    declaration_id: str
    site_id: str
    site_name: str
    t_per_yr: float
    today_eur: float  # today's separate contract (+ carbon price × CO2)
    shapley_eur: float
    shapley_half_width_eur: float  # 0 when exact
    pro_rata_eur: float


@dataclass(frozen=True)
class Pool:
    resource_code: str
    side: str
    hub_site_id: str
    hub_site_name: str
    members: tuple[MemberShare, ...]
    contract: ContractCost
    tour_site_ids: tuple[tuple[str, ...], ...]  # each route: hub → these sites → hub
    today_eur: float
    today_truck_km: float
    today_co2_t: float
    pool_eur: float  # contract + carbon price × CO2
    shapley_exact: bool
    core_checked: bool
    core_violations: tuple[tuple[tuple[str, ...], float], ...]  # (site ids, € over what they'd pay alone)
    pro_rata_core_violations: int

    @property
    def saving_eur(self) -> float:
        return self.today_eur - self.pool_eur


@dataclass(frozen=True)
class PoolingResult:
    pools: tuple[Pool, ...]
    n_groups: int
    n_options: int
    choice: Choice | None
    baseline_eur: float  # every member on its own contract
    detection: Detection
    carbon_price_eur_per_t: float


def _options(g: int, group: Group, coster: PoolCoster, cp: float) -> list[PoolOption]:
    order = sorted(range(len(group.members)), key=lambda i: (coster.road_km[0, i + 1], i))
    subsets = {tuple(sorted(order[:k])) for k in range(2, min(len(order), MAX_POOL_MEMBERS) + 1)}
    if len(order) <= EXACT_MAX_MEMBERS and len(order) >= 3:
        subsets |= {tuple(j for j in range(len(order)) if j != i) for i in range(len(order))}
    out = []
    for s in sorted(subsets):
        c = coster.cost(s)
        out.append(
            PoolOption(
                g, s, sum(group.members[i].t_per_yr for i in s), c.transport_eur + c.fixed_eur, c.co2_t
            )
        )
    return out


def propose_pools(
    ds: Dataset,
    kb: KnowledgeBase,
    carbon_price_eur_per_t: float = 0.0,
    reach_km: float = DEFAULT_REACH_KM,
    time_limit_s: float | None = 60.0,
    terms: dict[tuple[str, str], StreamTerms] | None = None,
    split: bool = True,
    by_group: bool | None = None,
) -> PoolingResult:
    """Detect, cost, choose; with ``split`` (default) each chosen pool's Shapley/core/pro-rata.
    ``by_group``: choose group by group (exact, `choose_by_group`) rather than with one MILP;
    default: above `MILP_MAX_OPTIONS` candidate pools."""
    terms = terms if terms is not None else load_terms(kb)
    vehicle = Vehicle.from_knowledge(kb)
    det = detect_groups(ds, kb, terms, reach_km)
    cp = carbon_price_eur_per_t
    costers = [
        PoolCoster(g.hub_xyz, g.members, terms[(g.resource_code, g.side)], vehicle) for g in det.groups
    ]
    offset = [0]
    for g in det.groups:
        offset.append(offset[-1] + len(g.members))
    options: list[PoolOption] = []
    alone_eur: list[float] = []
    alone_co2: list[float] = []
    for gi, (g, c) in enumerate(zip(det.groups, costers, strict=True)):
        for o in _options(gi, g, c, cp):
            options.append(
                PoolOption(
                    gi,
                    tuple(offset[gi] + i for i in o.members),
                    o.volume_t_per_yr,
                    o.route_and_fixed_eur_per_yr,
                    o.co2_t_per_yr,
                )
            )
        for i in range(len(g.members)):
            a = c.alone(i)
            alone_eur.append(a.total_eur)
            alone_co2.append(a.co2_t)
    baseline = sum(alone_eur) + cp * sum(alone_co2)
    if not options:
        return PoolingResult((), len(det.groups), 0, None, baseline, det, cp)
    tiers = [terms[(g.resource_code, g.side)].tiers for g in det.groups]
    if by_group if by_group is not None else len(options) > MILP_MAX_OPTIONS:
        choice = choose_by_group(options, tiers, alone_eur, alone_co2, cp)
    else:
        choice = choose_pools(options, tiers, alone_eur, alone_co2, cp, time_limit_s)
    pools = [
        _pool(
            det.groups[options[p].group],
            costers[options[p].group],
            tuple(u - offset[options[p].group] for u in options[p].members),
            cp,
            split,
        )
        for p in choice.chosen
    ]
    pools.sort(key=lambda p: -p.saving_eur)
    return PoolingResult(tuple(pools), len(det.groups), len(options), choice, baseline, det, cp)


def _pool(group: Group, coster: PoolCoster, idx: tuple[int, ...], cp: float, split: bool = True) -> Pool:
    n = len(idx)

    def value(s: frozenset[int]) -> float:
        return coster.value(tuple(idx[i] for i in s), cp)

    if not split:
        shares, half, exact = (float("nan"),) * n, (float("nan"),) * n, False
    elif n <= EXACT_MAX_MEMBERS:
        shares, half, exact = shapley_exact(n, value), (0.0,) * n, True
    else:
        width = marginal_width_bound(coster, cp)
        s = shapley_sampled(n, value, [width] * n, SAMPLED_ORDERS)
        shares, half, exact = s.shares, s.half_width, False
    contract = coster.cost(tuple(sorted(idx)))
    total = value(frozenset(range(n)))
    members = [group.members[i] for i in idx]
    prorata = pro_rata([m.t_per_yr for m in members], total)
    checked = split and n <= EXACT_MAX_MEMBERS
    bad = core_violations(n, value, shares, tolerance_eur=0.01) if checked else []
    bad_pro_rata = len(core_violations(n, value, prorata, tolerance_eur=0.01)) if checked else 0
    alone = [coster.alone(i) for i in idx]
    return Pool(
        resource_code=group.resource_code, side=group.side, hub_site_id=group.hub_site_id,
        hub_site_name=group.hub_site_name,
        members=tuple(
            MemberShare(m.declaration_id, m.site_id, m.site_name, m.t_per_yr, a.total_eur + cp * a.co2_t,
                        shares[k], half[k], prorata[k])
            for k, (m, a) in enumerate(zip(members, alone, strict=True))
        ),
        contract=contract,
        tour_site_ids=tuple(tuple(group.members[s - 1].site_id for s in r) for r in contract.tour.routes),
        today_eur=sum(a.total_eur + cp * a.co2_t for a in alone),
        today_truck_km=sum(a.truck_km for a in alone),
        today_co2_t=sum(a.co2_t for a in alone),
        pool_eur=total, shapley_exact=exact, core_checked=checked,
        core_violations=tuple((tuple(members[i].site_id for i in sorted(s)), e) for s, e in bad),
        pro_rata_core_violations=bad_pro_rata,
    )  # fmt: skip
