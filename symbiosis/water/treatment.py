"""Treatment and regeneration units: a removal ratio per contaminant or a guaranteed outlet
concentration, a cost and an energy use per m³ treated (each with its source), a capacity.

A unit with an *outlet concentration* delivers water at most that clean-up level whatever it is
fed (if fed cleaner water it leaves it as it is): its outlet is a fixed-concentration source for
the network LP, which stays linear. A unit with a *removal ratio* R leaves (1 − R) × its inlet
concentration, which depends on what the network sends it: bilinear, handled by the successive
LP of `network_model` (docs/WATER.md). A contaminant given neither passes through (R = 0).
``shared``: other firms' sites may send water to it and draw from it (a park's regeneration
plant); otherwise only its own site.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from symbiosis.errors import InvalidInput, Issue


@dataclass(frozen=True)
class TreatmentUnit:
    id: str
    site_id: str
    name: str
    outlet_mg_per_l: Mapping[str, float] = field(default_factory=dict)
    removal_ratio: Mapping[str, float] = field(default_factory=dict)
    cost_eur_per_m3: float = 0.0
    energy_kwh_per_m3: float = 0.0
    electricity_co2_kg_per_kwh: float = 0.0
    max_m3_per_h: float | None = None
    shared: bool = False
    source: str = ""

    def __post_init__(self) -> None:
        where = f"treatment unit {self.id!r}"
        issues: list[Issue] = []
        for name in ("cost_eur_per_m3", "energy_kwh_per_m3", "electricity_co2_kg_per_kwh"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v >= 0):
                issues.append(Issue(where, name, v, "a finite number ≥ 0"))
        for k, v in self.outlet_mg_per_l.items():
            if not (math.isfinite(v) and v >= 0):
                issues.append(Issue(where, f"outlet_mg_per_l[{k}]", v, "a finite concentration ≥ 0 mg/L"))
        for k, v in self.removal_ratio.items():
            if not (0 <= v <= 1):
                issues.append(Issue(where, f"removal_ratio[{k}]", v, "a fraction between 0 and 1"))
            if k in self.outlet_mg_per_l:
                issues.append(
                    Issue(
                        where,
                        f"removal_ratio[{k}]",
                        v,
                        "either a removal ratio or an outlet concentration for a contaminant, not both",
                    )
                )
        if self.max_m3_per_h is not None and not (
            self.max_m3_per_h >= 0 and math.isfinite(self.max_m3_per_h)
        ):
            issues.append(Issue(where, "max_m3_per_h", self.max_m3_per_h, "a finite flow ≥ 0 m³/h, or empty"))
        if issues:
            raise InvalidInput(issues, where)

    @property
    def co2_kg_per_m3(self) -> float:
        return self.energy_kwh_per_m3 * self.electricity_co2_kg_per_kwh

    def outlet_upper_mg_per_l(self, contaminant: str, inlet_mg_per_l: float) -> float:
        """The outlet concentration for an inlet one (the unit's physics, used to verify a plan)."""
        if contaminant in self.outlet_mg_per_l:
            return min(inlet_mg_per_l, self.outlet_mg_per_l[contaminant])
        return (1.0 - self.removal_ratio.get(contaminant, 0.0)) * inlet_mg_per_l
