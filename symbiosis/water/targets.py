"""Minimum fresh water and wastewater targets, and the limiting composite curve.

The targets are optimiser results (`network_model.solve_network` with the "fresh" objective) on
the same operations under four sets of allowed pipes: no reuse (the baseline every operation
fed by sources), reuse within each site, reuse across sites (the symbiosis), and reuse with
regeneration. Each says how sure it is: ``exact`` when the LP is provably the minimum (no reuse;
or a single contaminant, no losses on fixed-load operations and no removal-ratio treatment —
Savelski & Bagajewicz 2000), otherwise a verified network with ``lower_bound`` the largest
single-contaminant optimum when those are exact (docs/WATER.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symbiosis.water.network_model import WaterNetwork, solve_network
from symbiosis.water.operations import MG_PER_L_TIMES_M3_PER_H_TO_KG_PER_H as KG
from symbiosis.water.operations import FixedLoadOperation
from symbiosis.water.problem import Mode, WaterProblem


@dataclass
class Target:
    label: str
    mode: Mode
    across_sites: bool
    network: WaterNetwork
    exact: bool
    lower_bound_m3_per_h: float | None
    by_kind_m3_per_h: dict[str, float] = field(default_factory=dict)

    @property
    def fresh_m3_per_h(self) -> float:
        return self.network.fresh_m3_per_h

    @property
    def wastewater_m3_per_h(self) -> float:
        return self.network.wastewater_m3_per_h

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "mode": self.mode.value,
            "across_sites": self.across_sites,
            "fresh_m3_per_h": self.fresh_m3_per_h,
            "wastewater_m3_per_h": self.wastewater_m3_per_h,
            "by_source_type_m3_per_h": self.by_kind_m3_per_h,
            "treated_m3_per_h": self.network.treated_m3_per_h(),
            "exact": self.exact,
            "lower_bound_m3_per_h": self.lower_bound_m3_per_h,
            "successive_lp_iterations": self.network.iterations,
        }


def lp_is_exact(p: WaterProblem, mode: Mode) -> bool:
    """When the LP at ĉ = maximum outlet is the true minimum (see the module docstring)."""
    if mode is Mode.NO_REUSE:
        return True  # inlets come from sources only: every concentration in the LP is a true one
    if any(t.removal_ratio or not set(t.outlet_mg_per_l) >= p.contaminants for t in p.treatments):
        return False  # an outlet that follows its inlet: bilinear
    fixed_load = [op for op in p.operations if isinstance(op, FixedLoadOperation)]
    if not fixed_load:
        return True  # fixed-flow outlets and treatment guarantees: every ĉ is the real value
    return len(p.contaminants) == 1 and all(op.loss_m3_per_h == 0 for op in fixed_load)


def target(p: WaterProblem, mode: Mode, across_sites: bool, label: str) -> Target:
    net = solve_network(p, mode, across_sites)
    exact = lp_is_exact(p, mode)
    bound: float | None = net.fresh_m3_per_h if exact else None
    if not exact and len(p.contaminants) > 1:
        singles = [p.only(k) for k in sorted(p.contaminants)]
        if all(lp_is_exact(s, mode) for s in singles):
            bound = max(solve_network(s, mode, across_sites).fresh_m3_per_h for s in singles if s.operations)
    kinds: dict[str, float] = {}
    for sid, v in net.by_source_m3_per_h().items():
        kind = p.supply(sid).kind.value
        kinds[kind] = kinds.get(kind, 0.0) + v
    return Target(label, mode, across_sites, net, exact, bound, kinds)


def water_targets(p: WaterProblem) -> list[Target]:
    """Baseline, reuse within sites, reuse across sites, and with regeneration (when the problem
    has treatment units)."""
    out = [
        target(p, Mode.NO_REUSE, False, "no reuse"),
        target(p, Mode.REUSE, False, "reuse within each site"),
        target(p, Mode.REUSE, True, "reuse across sites"),
    ]
    if p.treatments:
        out.append(target(p, Mode.REGENERATION, True, "reuse and regeneration across sites"))
    return out


def limiting_composite_curve(p: WaterProblem, contaminant: str) -> list[tuple[float, float]]:
    """(cumulative mass load kg/h, concentration mg/L) points of the limiting composite curve of
    the fixed-load operations (Wang & Smith 1994): in each concentration interval, the loads of
    the operations whose limiting line spans it are added at their limiting flows."""
    lines = []
    for op in p.operations:
        if isinstance(op, FixedLoadOperation) and op.load_kg_per_h.get(contaminant, 0.0) > 0:
            lo, hi = op.max_inlet_mg_per_l[contaminant], op.max_outlet_mg_per_l[contaminant]
            lines.append((lo, hi, op.load_kg_per_h[contaminant] / ((hi - lo) * KG)))
    levels = sorted({c for lo, hi, _ in lines for c in (lo, hi)})
    if not levels:
        return []
    points = [(0.0, levels[0])]
    mass = 0.0
    for a, b in zip(levels, levels[1:], strict=False):
        flow = sum(f for lo, hi, f in lines if lo <= a and hi >= b)
        mass += flow * (b - a) * KG
        points.append((mass, b))
    return points


def supply_line(
    curve: list[tuple[float, float]], fresh_m3_per_h: float, fresh_mg_per_l: float = 0.0
) -> list[tuple[float, float]]:
    """The water supply line of a target on the composite-curve plot: from the fresh water's
    concentration, rising by 1000 / flow mg/L per kg/h picked up, to the total load."""
    if not curve or fresh_m3_per_h <= 0:
        return []
    total = curve[-1][0]
    return [(0.0, fresh_mg_per_l), (total, fresh_mg_per_l + total / (fresh_m3_per_h * KG))]
