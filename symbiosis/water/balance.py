"""Site water balance: what each site takes in, gives off and loses, per hour and per month.

For every site: water from sources (by type), water received from other sites, water released
by its operations from outside the network (an effluent declared alone), water sent to other
sites, wastewater discharged, losses (evaporation, into products), and water reused on
the site (its own effluent feeding its own operations, directly or through its treatment).
In = out + losses holds for every site by the network's node balances; `site_balances` states
it and the tests check it. Without monthly profiles the network is a steady state and a month's
figures are the hourly ones times the month's hours; operations with a monthly profile make
each month its own network, solved at that month's rates.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field

from symbiosis.water.network_model import WaterNetwork, solve_network
from symbiosis.water.operations import FixedLoadOperation
from symbiosis.water.problem import Mode, WaterProblem

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class SiteBalance:
    site_id: str
    from_sources_m3_per_h: dict[str, float] = field(default_factory=dict)  # by source type
    received_m3_per_h: float = 0.0  # from other sites' operations or treatment
    sent_m3_per_h: float = 0.0  # to other sites
    discharged_m3_per_h: float = 0.0
    losses_m3_per_h: float = 0.0
    released_m3_per_h: float = 0.0  # given off by operations beyond what they take (an effluent)
    reused_on_site_m3_per_h: float = 0.0

    @property
    def in_m3_per_h(self) -> float:
        """Water entering the site's network: from sources, from other sites, and released by
        its operations from outside the network (a treatment plant's effluent, a dewatering)."""
        return sum(self.from_sources_m3_per_h.values()) + self.received_m3_per_h + self.released_m3_per_h

    @property
    def out_m3_per_h(self) -> float:
        return self.sent_m3_per_h + self.discharged_m3_per_h

    def to_dict(self) -> dict:
        return {
            "site_id": self.site_id,
            "from_sources_m3_per_h": self.from_sources_m3_per_h,
            "received_m3_per_h": self.received_m3_per_h,
            "sent_m3_per_h": self.sent_m3_per_h,
            "discharged_m3_per_h": self.discharged_m3_per_h,
            "losses_m3_per_h": self.losses_m3_per_h,
            "released_m3_per_h": self.released_m3_per_h,
            "reused_on_site_m3_per_h": self.reused_on_site_m3_per_h,
        }


def site_balances(net: WaterNetwork) -> dict[str, SiteBalance]:
    p = net.problem
    out: dict[str, SiteBalance] = {}

    def bal(site: str) -> SiteBalance:
        return out.setdefault(site, SiteBalance(site))

    for op in p.operations:
        loss = (
            op.loss_m3_per_h if isinstance(op, FixedLoadOperation) else op.inlet_m3_per_h - op.outlet_m3_per_h
        )
        bal(op.site_id).losses_m3_per_h += max(loss, 0.0)
        bal(op.site_id).released_m3_per_h += max(-loss, 0.0)
    for t in p.treatments:
        bal(t.site_id)
    kinds: dict[tuple[str | None, str], float] = defaultdict(float)
    for (a, b), v in net.flows_m3_per_h.items():
        if v <= 0:
            continue
        to_site = p.site_of(b)
        if a[0] == "source":
            kinds[(to_site, p.supply(a[1]).kind.value)] += v
            continue
        from_site = p.site_of(a)
        assert from_site is not None
        if b[0] == "discharge":
            bal(from_site).discharged_m3_per_h += v
        elif to_site == from_site:
            bal(from_site).reused_on_site_m3_per_h += v
        else:
            bal(from_site).sent_m3_per_h += v
            bal(to_site).received_m3_per_h += v  # type: ignore[arg-type]
    for (site, kind), v in kinds.items():
        into = bal(site or "")
        into.from_sources_m3_per_h[kind] = into.from_sources_m3_per_h.get(kind, 0.0) + v
    return dict(sorted(out.items()))


def monthly_site_balances(
    problem: WaterProblem,
    mode: Mode,
    across_sites: bool = True,
    objective: str = "cost",
    carbon_price_eur_per_t: float = 0.0,
    year: int = 2023,
) -> list[dict]:
    """One row per site and month: m³ in, out, lost, released and reused on site. Without monthly
    profiles the network is a steady state (the hourly balance × the month's hours); with them,
    each month's network is solved at that month's rates. ``year`` sets February's length."""
    rows = []
    steady = (
        None
        if problem.seasonal
        else solve_network(problem, mode, across_sites, objective, carbon_price_eur_per_t)
    )
    for month in range(1, 13):
        hours = calendar.monthrange(year, month)[1] * 24
        net = steady or solve_network(
            problem.in_month(month, hours), mode, across_sites, objective, carbon_price_eur_per_t
        )
        sites = {site: SiteBalance(site) for site in {op.site_id for op in problem.operations}}
        sites.update(site_balances(net))
        for site, b in sorted(sites.items()):
            rows.append({
                "site_id": site, "month": MONTHS[month - 1],
                "fresh_m3": sum(v for k, v in b.from_sources_m3_per_h.items() if k != "sea") * hours,
                "in_m3": b.in_m3_per_h * hours, "out_m3": b.out_m3_per_h * hours,
                "losses_m3": b.losses_m3_per_h * hours, "released_m3": b.released_m3_per_h * hours,
                "reused_on_site_m3": b.reused_on_site_m3_per_h * hours,
            })  # fmt: skip
    return rows
