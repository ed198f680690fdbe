"""Water sources by type (ground, surface, mains, sea): price, abstraction limit, CO2, quality.

A source is where fresh (or sea) water enters the network — distinct from the counterfactual
supply of an input in the exchange model: here the optimiser chooses how much each source gives.
Only ground, surface and mains water are fresh water (`WaterSource.is_fresh`); sea water feeds
what tolerates it and is reported apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from symbiosis.domain.resource import WaterSource
from symbiosis.errors import InvalidInput, Issue


@dataclass(frozen=True)
class WaterSupply:
    """One source. ``site_id`` None: any site may draw from it (a mains network, a lake intake
    serving the park); otherwise only that site, unless water may cross sites."""

    id: str
    name: str
    kind: WaterSource
    price_eur_per_m3: float = 0.0
    co2_kg_per_m3: float = 0.0  # pumping and treatment to supply quality
    max_m3_per_h: float | None = None  # abstraction limit (licence, pipe), None = unlimited
    site_id: str | None = None
    mg_per_l: Mapping[str, float] = field(default_factory=dict)  # missing contaminant = 0

    def __post_init__(self) -> None:
        where = f"water source {self.id!r}"
        issues = [
            Issue(where, name, getattr(self, name), "a finite number ≥ 0")
            for name in ("price_eur_per_m3", "co2_kg_per_m3")
            if not (math.isfinite(getattr(self, name)) and getattr(self, name) >= 0)
        ]
        if self.max_m3_per_h is not None and not (
            self.max_m3_per_h >= 0 and math.isfinite(self.max_m3_per_h)
        ):
            issues.append(Issue(where, "max_m3_per_h", self.max_m3_per_h, "a finite flow ≥ 0 m³/h, or empty"))
        issues += [
            Issue(where, f"mg_per_l[{k}]", v, "a finite concentration ≥ 0 mg/L")
            for k, v in self.mg_per_l.items()
            if not (math.isfinite(v) and v >= 0)
        ]
        if issues:
            raise InvalidInput(issues, where)

    @property
    def is_fresh(self) -> bool:
        return self.kind.is_fresh
