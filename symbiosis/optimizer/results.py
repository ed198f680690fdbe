"""Step 4: the exchange plan — chosen links, KPIs overall, per site and per territory, and how
far it is from the best possible (solver status, bound, gap).

Attribution: an output's disposal and an input's virgin supply belong to their own site; a link's
transport, treatment and fixed costs (and emissions) are split half and half between giver and
receiver, the neutral default until the partners agree a price.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from symbiosis.optimizer.data import FloatArray, ProblemData
from symbiosis.optimizer.practice import PracticeSplit

_KG_PER_T = 1000.0
_FLOW_TOL = 1e-7


@dataclass
class LinkFlow:
    link_id: str
    output_id: str
    input_id: str
    giver_site_id: str
    receiver_site_id: str
    unit_out: str
    unit_in: str
    qty_per_period: list[float]  # output units per period (12 months or 1 year)
    qty_per_yr: float  # output units
    delivered_per_yr: float  # input units
    built: bool
    cost_eur_per_yr: float  # variable + fixed
    co2_t_per_yr: float
    # why the link exists (reasons.py): rule id (None = same resource reused), substitution ratio
    # (input units replaced per output unit, before transport losses) and a one-line reason
    rule_id: str | None = None
    ratio: float | None = None
    reason: str = ""
    existing: bool = False  # a known exchange that already runs today (practice.py)


@dataclass
class Kpis:
    cost_eur_per_yr: float = 0.0
    co2_t_per_yr: float = 0.0
    baseline_cost_eur_per_yr: float = 0.0
    baseline_co2_t_per_yr: float = 0.0
    diverted_from_disposal_per_yr: dict[str, float] = field(default_factory=dict)  # by unit (t, m3, MWh)
    virgin_avoided_per_yr: dict[str, float] = field(default_factory=dict)

    @property
    def savings_eur_per_yr(self) -> float:
        return self.baseline_cost_eur_per_yr - self.cost_eur_per_yr

    @property
    def co2_avoided_t_per_yr(self) -> float:
        return self.baseline_co2_t_per_yr - self.co2_t_per_yr

    def add(self, other: Kpis) -> None:
        self.cost_eur_per_yr += other.cost_eur_per_yr
        self.co2_t_per_yr += other.co2_t_per_yr
        self.baseline_cost_eur_per_yr += other.baseline_cost_eur_per_yr
        self.baseline_co2_t_per_yr += other.baseline_co2_t_per_yr
        for k, v in other.diverted_from_disposal_per_yr.items():
            self.diverted_from_disposal_per_yr[k] = self.diverted_from_disposal_per_yr.get(k, 0.0) + v
        for k, v in other.virgin_avoided_per_yr.items():
            self.virgin_avoided_per_yr[k] = self.virgin_avoided_per_yr.get(k, 0.0) + v

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["savings_eur_per_yr"] = self.savings_eur_per_yr
        d["co2_avoided_t_per_yr"] = self.co2_avoided_t_per_yr
        return d


@dataclass
class SolverReport:
    status: str  # "optimal" (saving proven within the tolerance) or "feasible" (checked, gap stated)
    objective: float  # € (cost + carbon price × CO2)
    lower_bound: float  # valid lower bound on the objective of the whole problem
    gap: float  # (objective − lower bound) / |objective|
    time_s: float
    method: str  # "monolithic", "components", "components+territory", …
    n_components: int = 1
    # objective of today's situation (no exchange), and the share of the best possible saving
    # against it that the plan is proven to reach: (baseline − objective) / (baseline − lower bound).
    # The gap above is relative to the whole system cost; this is the figure a facilitator asks for
    # ("does any plan save much more than this one?"), and it is not the same number.
    baseline_objective: float | None = None
    savings_share_proven: float | None = None
    # gap on the saving: (objective − lower bound) / |baseline − lower bound| (gaps.py); "optimal"
    # means this is within the tolerance. ``detail`` is the solver's own word on why it stopped, and
    # ``verified`` says the plan passed the independent constraint check (verify.py)
    saving_gap: float | None = None
    detail: str = ""
    verified: bool = False


@dataclass
class ExchangePlan:
    links: list[LinkFlow]
    totals: Kpis
    per_site: dict[str, Kpis]
    per_territory: dict[str, Kpis]
    solver: SolverReport
    carbon_price_eur_per_t: float
    co2_cap_t: float | None
    n_periods: int
    # no exchange → today's known exchanges → this plan (practice.PracticeSplit), when known
    # exchanges were given; None otherwise
    practice: PracticeSplit | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "practice": None if self.practice is None else self.practice.to_dict(),
            "carbon_price_eur_per_t": self.carbon_price_eur_per_t,
            "co2_cap_t": self.co2_cap_t,
            "n_periods": self.n_periods,
            "solver": {
                k: (v if not isinstance(v, float) or math.isfinite(v) else None)
                for k, v in asdict(self.solver).items()
            },  # JSON has no infinity
            "totals": self.totals.to_dict(),
            "per_site": {k: v.to_dict() for k, v in self.per_site.items()},
            "per_territory": {k: v.to_dict() for k, v in self.per_territory.items()},
            "links": [asdict(lf) for lf in self.links],
        }


@dataclass
class PlanArrays:
    """A solution of one `ProblemData`, as arrays: what decomposition pieces hand back and merge."""

    flow: FloatArray  # (T, L)
    disposal: FloatArray  # (T, O)
    virgin: FloatArray  # (T, I)
    built: np.ndarray  # (L,) bool: fixed cost paid


def plan_arrays_from_flows(d: ProblemData, flow: FloatArray) -> PlanArrays:
    """Slacks and build decisions implied by flows (used for heuristic plans and merging)."""
    flow = np.clip(flow, 0.0, None)
    out_flow = np.zeros_like(d.supply)
    in_flow = np.zeros_like(d.demand)
    for t in range(d.n_periods):
        out_flow[t] = np.bincount(d.link_out, weights=flow[t], minlength=d.supply.shape[1])
        in_flow[t] = np.bincount(d.link_in, weights=flow[t] * d.delivery_factor, minlength=d.demand.shape[1])
    built = (d.fixed_cost_eur_per_yr > 0) & (flow.sum(axis=0) > _FLOW_TOL)
    return PlanArrays(
        flow, np.clip(d.supply - out_flow, 0, None), np.clip(d.demand - in_flow, 0, None), built
    )


def objective_of(d: ProblemData, p: PlanArrays, carbon_price_eur_per_t: float) -> float:
    """The model's objective for a plan: cost + carbon price × CO2 (€/yr)."""
    cost, co2 = plan_cost(d, p)
    return cost + carbon_price_eur_per_t * co2


def baseline_objective(d: ProblemData, carbon_price_eur_per_t: float) -> float:
    """Objective of today's situation: every output disposed of, every input bought virgin."""
    none = plan_arrays_from_flows(d, np.zeros((d.n_periods, d.n_links)))
    return objective_of(d, none, carbon_price_eur_per_t)


def savings_share_proven(baseline: float, objective: float, bound: float) -> float | None:
    """(baseline − objective) / (baseline − bound): 1 when the plan is optimal; None without a bound
    or when no plan can save anything."""
    if not math.isfinite(bound) or baseline - bound <= 1e-9 * max(1.0, abs(baseline)):
        return None
    return max(0.0, min(1.0, (baseline - objective) / (baseline - bound)))


def plan_cost(d: ProblemData, p: PlanArrays) -> tuple[float, float]:
    """(cost €/yr, CO2 t/yr) of a plan."""
    cost = (
        float((p.flow * d.var_cost_eur_per_unit).sum())
        + float(d.fixed_cost_eur_per_yr[p.built].sum())
        + float((p.disposal * d.disposal_cost_eur_per_unit).sum())
        + float((p.virgin * d.virgin_price_eur_per_unit).sum())
    )
    co2 = (
        float((p.flow * d.var_co2_kg_per_unit).sum())
        + float((p.disposal * d.disposal_co2_kg_per_unit).sum())
        + float((p.virgin * d.virgin_co2_kg_per_unit).sum())
    ) / _KG_PER_T
    return cost, co2


def build_plan(
    d: ProblemData,
    p: PlanArrays,
    solver: SolverReport,
    carbon_price_eur_per_t: float,
    co2_cap_t: float | None,
) -> ExchangePlan:
    """Assemble the user-facing plan and its KPIs from solution arrays."""
    sites: dict[str, Kpis] = defaultdict(Kpis)
    terrs: dict[str, Kpis] = defaultdict(Kpis)
    supply_yr = d.supply.sum(axis=0)
    demand_yr = d.demand.sum(axis=0)
    disp_yr = p.disposal.sum(axis=0)
    virg_yr = p.virgin.sum(axis=0)

    def book(site: str, terr: str | None, k: Kpis) -> None:
        sites[site].add(k)
        terrs[terr or "(none)"].add(k)

    for o in range(len(d.output_ids)):
        unit = d.output_unit[o]
        k = Kpis(
            cost_eur_per_yr=float(disp_yr[o] * d.disposal_cost_eur_per_unit[o]),
            co2_t_per_yr=float(disp_yr[o] * d.disposal_co2_kg_per_unit[o] / _KG_PER_T),
            baseline_cost_eur_per_yr=float(supply_yr[o] * d.disposal_cost_eur_per_unit[o]),
            baseline_co2_t_per_yr=float(supply_yr[o] * d.disposal_co2_kg_per_unit[o] / _KG_PER_T),
            diverted_from_disposal_per_yr={unit: float(supply_yr[o] - disp_yr[o])},
        )
        book(d.output_site[o], d.output_territory[o], k)
    for i in range(len(d.input_ids)):
        unit = d.input_unit[i]
        k = Kpis(
            cost_eur_per_yr=float(virg_yr[i] * d.virgin_price_eur_per_unit[i]),
            co2_t_per_yr=float(virg_yr[i] * d.virgin_co2_kg_per_unit[i] / _KG_PER_T),
            baseline_cost_eur_per_yr=float(demand_yr[i] * d.virgin_price_eur_per_unit[i]),
            baseline_co2_t_per_yr=float(demand_yr[i] * d.virgin_co2_kg_per_unit[i] / _KG_PER_T),
            virgin_avoided_per_yr={unit: float(demand_yr[i] - virg_yr[i])},
        )
        book(d.input_site[i], d.input_territory[i], k)

    links: list[LinkFlow] = []
    flow_yr = p.flow.sum(axis=0)
    for ln in np.flatnonzero((flow_yr > _FLOW_TOL) | p.built).tolist():
        o, i = int(d.link_out[ln]), int(d.link_in[ln])
        cost = float(
            flow_yr[ln] * d.var_cost_eur_per_unit[ln] + (d.fixed_cost_eur_per_yr[ln] if p.built[ln] else 0.0)
        )
        co2 = float(flow_yr[ln] * d.var_co2_kg_per_unit[ln] / _KG_PER_T)
        links.append(
            LinkFlow(
                link_id=d.link_ids[ln],
                output_id=d.output_ids[o],
                input_id=d.input_ids[i],
                giver_site_id=d.output_site[o],
                receiver_site_id=d.input_site[i],
                unit_out=d.output_unit[o],
                unit_in=d.input_unit[i],
                qty_per_period=[float(v) for v in p.flow[:, ln]],
                qty_per_yr=float(flow_yr[ln]),
                delivered_per_yr=float(flow_yr[ln] * d.delivery_factor[ln]),
                built=bool(p.built[ln]),
                cost_eur_per_yr=cost,
                co2_t_per_yr=co2,
                **link_explanation(d, ln),
            )
        )
        half = Kpis(cost_eur_per_yr=cost / 2, co2_t_per_yr=co2 / 2)
        book(d.output_site[o], d.output_territory[o], half)
        book(d.input_site[i], d.input_territory[i], half)

    totals = Kpis()
    for k in sites.values():
        totals.add(k)
    links.sort(key=lambda lf: -lf.qty_per_yr)
    return ExchangePlan(
        links=links,
        totals=totals,
        per_site=dict(sorted(sites.items())),
        per_territory=dict(sorted(terrs.items())),
        solver=solver,
        carbon_price_eur_per_t=carbon_price_eur_per_t,
        co2_cap_t=co2_cap_t,
        n_periods=d.n_periods,
    )


def link_explanation(d: ProblemData, ln: int) -> dict[str, Any]:
    """The rule id, ratio and reason of link ``ln`` for its `LinkFlow` (empty when not known)."""
    return {
        "rule_id": None if d.link_rule_id is None else d.link_rule_id[ln],
        "ratio": None if d.link_ratio is None else float(d.link_ratio[ln]),
        "reason": "" if d.link_reason is None else d.link_reason[ln],
    }


def water_abstraction_balance(links: list[LinkFlow], candidates: list[Any]) -> dict[str, Any]:
    """A plan's water KPI: change in water abstracted by source type, and fresh water saved (m³/yr).

    Summed from the matching candidates' per-unit abstraction change (``Candidate.
    water_abstraction_m3_per_unit``, per m³ of output sent) times each link's yearly flow. Only
    fresh water (ground, surface, mains) no longer abstracted counts as saved: a change of source
    (lake water instead of mains) or sea water saved are reported in the balance, not as savings.
    Owned by matching (issue 15 item 6); kept apart from the optimiser's own KPIs above.
    """
    from symbiosis.matching.water import fresh_water_saved_m3

    per_unit = {(c.output_id, c.input_id): c.water_abstraction_m3_per_unit for c in candidates}
    change: dict[str, float] = {}
    for lf in links:
        for src, v in per_unit.get((lf.output_id, lf.input_id), {}).items():
            change[src] = change.get(src, 0.0) + v * lf.qty_per_yr
    return {
        "abstraction_change_m3_per_yr": dict(sorted(change.items())),
        "fresh_water_saved_m3_per_yr": fresh_water_saved_m3(change),
    }
