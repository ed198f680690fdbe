"""What one contract costs a year: today's separate contracts, and a pool's shared one.

A contract has a truck cost (road km × €/km, kg CO2/km from the knowledge base's truck row) and a
price (treatment or purchase, all-units volume tiers), plus for a pool a fixed yearly cost (the
contract's management). The truck calls every member ``pickups`` times a month; the frequency
comes from the monthly profiles: the peak month's quantity of any member must fit in one truck
per call, so ``pickups = max(stream minimum, ceil(peak month t / capacity t))``. The tour is
routed for that peak load (a conservative choice: a quieter month reuses the same tour).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from symbiosis.matching.geo import km_from_xyz
from symbiosis.pooling.terms import StreamTerms, Vehicle
from symbiosis.pooling.vrp import Tour, solve_cvrp

MONTHS_PER_YR = 12


@dataclass(frozen=True)
class Member:
    """One declaration taking part in a pool: a site's output (collection) or input (purchase)."""

    declaration_id: str
    site_id: str
    site_name: str
    xyz: tuple[float, float, float]  # unit-sphere coordinates (symbiosis.matching.geo)
    t_per_yr: float
    peak_month_t: float
    today_price_eur_per_t: float  # declared, or the price table's tier at the member's own volume
    price_declared: bool


@dataclass(frozen=True)
class ContractCost:
    """One year of one contract (a pool, or a member on its own)."""

    transport_eur: float
    price_eur: float
    fixed_eur: float
    truck_km: float
    co2_t: float
    pickups_per_month: int
    tour: Tour

    @property
    def total_eur(self) -> float:
        return self.transport_eur + self.price_eur + self.fixed_eur


def pickups_per_month(peak_month_t: list[float], terms: StreamTerms) -> int:
    """Calls per month so that every member's peak-month share of one call fits in the truck."""
    need = max((math.ceil(q / terms.vehicle_capacity_t - 1e-12) for q in peak_month_t), default=0)
    return max(terms.min_pickups_per_month, need)


def road_km_matrix(xyz: NDArray[np.float64], detour: float) -> NDArray[np.float64]:
    """Road km between all points: great-circle km × the road detour factor."""
    n = len(xyz)
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    d = km_from_xyz(xyz[i.ravel()], xyz[j.ravel()]).reshape(n, n)
    return d * detour


class PoolCoster:
    """Costs any subset of a group's members served from one hub (cached: Shapley asks often)."""

    def __init__(
        self, hub_xyz: tuple[float, float, float], members: list[Member], terms: StreamTerms, vehicle: Vehicle
    ) -> None:
        self.members = members
        self.terms = terms
        self.vehicle = vehicle
        pts = np.array([hub_xyz, *(m.xyz for m in members)], dtype=np.float64)
        self.road_km = road_km_matrix(pts, vehicle.road_detour_factor)
        self.cost = lru_cache(maxsize=None)(self._cost)
        self.alone = lru_cache(maxsize=None)(self._alone)  # asked per member and again per chosen pool

    def _contract(self, idx: tuple[int, ...], price_eur: float, fixed_eur: float) -> ContractCost:
        ms = [self.members[i] for i in idx]
        k = pickups_per_month([m.peak_month_t for m in ms], self.terms)
        sub = np.ix_((0, *(i + 1 for i in idx)), (0, *(i + 1 for i in idx)))
        tour = solve_cvrp(
            self.road_km[sub], np.array([m.peak_month_t / k for m in ms]), self.terms.vehicle_capacity_t
        )
        dedicated = Tour(
            tuple((s,) for s in range(1, len(idx) + 1)),
            float(sum(self.road_km[0, i + 1] + self.road_km[i + 1, 0] for i in idx)),
        )
        if dedicated.length_km < tour.length_km:  # never worse than one truck per member (a
            tour = dedicated  # heuristic's guarantee that the sampled Shapley bound relies on)
        km = tour.length_km * k * MONTHS_PER_YR
        return ContractCost(
            transport_eur=km * self.vehicle.cost_eur_per_km,
            price_eur=price_eur,
            fixed_eur=fixed_eur,
            truck_km=km,
            co2_t=km * self.vehicle.co2_kg_per_km / 1000.0,
            pickups_per_month=k,
            tour=Tour(tuple(tuple(idx[s - 1] + 1 for s in r) for r in tour.routes), tour.length_km),
        )

    def _alone(self, i: int) -> ContractCost:
        """Today's separate contract of member ``i``: its own price, its own truck calls."""
        m = self.members[i]
        return self._contract((i,), m.today_price_eur_per_t * m.t_per_yr, 0.0)

    def _cost(self, idx: tuple[int, ...]) -> ContractCost:
        if len(idx) == 1:
            return self.alone(idx[0])
        volume = sum(self.members[i].t_per_yr for i in idx)
        return self._contract(
            idx, self.terms.contract_price_eur_per_yr(volume), self.terms.pool_fixed_cost_eur_per_yr
        )

    def value(
        self, coalition: frozenset[int] | tuple[int, ...], carbon_price_eur_per_t: float = 0.0
    ) -> float:
        """The coalition's yearly cost + carbon price × CO2 (the cost game of `fair_split`)."""
        idx = tuple(sorted(coalition))
        if not idx:
            return 0.0
        c = self.cost(idx)
        return c.total_eur + carbon_price_eur_per_t * c.co2_t


def marginal_width_bound(coster: PoolCoster, carbon_price_eur_per_t: float = 0.0) -> float:
    """Width of an interval holding every marginal cost v(S ∪ {i}) − v(S) of the pool game.

    Every v(S) lies in [0, B]: a tour is never longer than one out-and-back trip per member
    (`_contract` enforces it), calls per month never exceed the largest member's need, the price
    never exceeds the dearest tier or declared price; so a marginal cost lies in [−B, B]."""
    t, veh = coster.terms, coster.vehicle
    k_max = pickups_per_month([m.peak_month_t for m in coster.members], t)
    per_km = veh.cost_eur_per_km + carbon_price_eur_per_t * veh.co2_kg_per_km / 1000.0
    p_max = max(tier.price_eur_per_t for tier in t.tiers)
    b = t.pool_fixed_cost_eur_per_yr
    for i, m in enumerate(coster.members):
        km = (coster.road_km[0, i + 1] + coster.road_km[i + 1, 0]) * k_max * MONTHS_PER_YR
        b += km * per_km + max(p_max, m.today_price_eur_per_t, 0.0) * m.t_per_yr
    return 2.0 * b
