"""Water-using operations: fixed contaminant load (flow free) or fixed flow (today's declarations).

Units: flows in m³/h, concentrations in mg/L (= g/m³, ppm for dilute water), loads in kg/h, so
a mass flow in kg/h is m³/h × mg/L ÷ 1000. These are the units of the water-pinch literature
(t/h of water ≈ m³/h), so published examples are entered as printed.

A *fixed-load* operation (a washer, a scrubber, a desalter) picks up a given mass of each
contaminant whatever the water flow; the engineer's limits are the largest inlet and outlet
concentrations the operation tolerates, and the flow is the optimiser's choice. A *fixed-flow*
operation (a boiler feed, a cooling tower make-up, a product that takes water) needs a given
flow of water below its inlet limits and gives off a given flow at given concentrations; it has
either side alone when it only takes (a demand) or only gives (an effluent).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from symbiosis.errors import InvalidInput, Issue

MG_PER_L_TIMES_M3_PER_H_TO_KG_PER_H = 1e-3  # (g/m³)·(m³/h) = g/h = 1e-3 kg/h


def _check(ok: bool, issues: list[Issue], where: str, name: str, value: object, expected: str) -> None:
    if not ok:
        issues.append(Issue(where, name, value, expected))


def _non_negative_map(issues: list[Issue], where: str, name: str, values: Mapping[str, float]) -> None:
    for k, v in values.items():
        _check(math.isfinite(v) and v >= 0, issues, where, f"{name}[{k}]", v, "a finite number ≥ 0")


def _check_profile(issues: list[Issue], where: str, profile: tuple[float, ...] | None) -> None:
    if profile is not None and not (
        len(profile) == 12 and all(v >= 0 for v in profile) and math.isclose(sum(profile), 1.0, rel_tol=1e-9)
    ):
        issues.append(
            Issue(where, "monthly_profile", profile, "12 non-negative fractions of the year summing to 1")
        )


def month_factor(profile: tuple[float, ...] | None, month: int, hours_in_month: float) -> float:
    """The operation's hourly rate in ``month`` (1–12) over its yearly average: its share of the
    year's water ÷ the month's share of the year's hours (1 without a profile: a steady rate)."""
    if profile is None:
        return 1.0
    return profile[month - 1] * 8760.0 / hours_in_month


@dataclass(frozen=True)
class FixedLoadOperation:
    """An operation that picks up a fixed mass of each contaminant; its water flow is free.

    ``loss_m3_per_h`` is water that leaves other than as effluent (evaporation, into the
    product): outlet flow = inlet flow − loss, and the contaminants stay in the effluent.
    """

    id: str
    site_id: str
    name: str
    load_kg_per_h: Mapping[str, float]
    max_inlet_mg_per_l: Mapping[str, float]
    max_outlet_mg_per_l: Mapping[str, float]
    loss_m3_per_h: float = 0.0
    monthly_profile: tuple[float, ...] | None = None  # fractions of the year's water per month

    def __post_init__(self) -> None:
        where = f"water operation {self.id!r}"
        issues: list[Issue] = []
        _check_profile(issues, where, self.monthly_profile)
        _non_negative_map(issues, where, "load_kg_per_h", self.load_kg_per_h)
        _non_negative_map(issues, where, "max_inlet_mg_per_l", self.max_inlet_mg_per_l)
        _non_negative_map(issues, where, "max_outlet_mg_per_l", self.max_outlet_mg_per_l)
        _check(
            math.isfinite(self.loss_m3_per_h) and self.loss_m3_per_h >= 0,
            issues,
            where,
            "loss_m3_per_h",
            self.loss_m3_per_h,
            "a finite number ≥ 0",
        )
        _check(
            any(v > 0 for v in self.load_kg_per_h.values()),
            issues,
            where,
            "load_kg_per_h",
            dict(self.load_kg_per_h),
            "a load > 0 for at least one contaminant (else it is a fixed-flow operation)",
        )
        for k in self.load_kg_per_h:
            if k not in self.max_outlet_mg_per_l or k not in self.max_inlet_mg_per_l:
                issues.append(
                    Issue(
                        where,
                        f"max_inlet/outlet_mg_per_l[{k}]",
                        None,
                        "both limits for every contaminant with a load",
                    )
                )
                continue
            cin, cout = self.max_inlet_mg_per_l[k], self.max_outlet_mg_per_l[k]
            _check(
                cout > cin,
                issues,
                where,
                f"max_outlet_mg_per_l[{k}]",
                cout,
                f"more than the maximum inlet concentration ({cin} mg/L)",
            )
        if issues:
            raise InvalidInput(issues, where)

    @property
    def contaminants(self) -> set[str]:
        return set(self.load_kg_per_h) | set(self.max_inlet_mg_per_l) | set(self.max_outlet_mg_per_l)

    def limiting_flow_m3_per_h(self) -> float:
        """The least water the operation can work with, fed at its maximum inlet concentration and
        leaving at its maximum outlet: max over contaminants of load ÷ (C_out − C_in) (loss-free)."""
        return max(
            (
                self.load_kg_per_h[k]
                / (
                    (self.max_outlet_mg_per_l[k] - self.max_inlet_mg_per_l[k])
                    * MG_PER_L_TIMES_M3_PER_H_TO_KG_PER_H
                )
                for k in self.load_kg_per_h
                if self.load_kg_per_h[k] > 0
            ),
            default=0.0,
        )


@dataclass(frozen=True)
class FixedFlowOperation:
    """An operation that takes a fixed inlet flow under concentration limits and gives off a fixed
    outlet flow at fixed concentrations (either side may be zero: a pure demand or effluent)."""

    id: str
    site_id: str
    name: str
    inlet_m3_per_h: float
    outlet_m3_per_h: float
    max_inlet_mg_per_l: Mapping[str, float] = field(default_factory=dict)
    outlet_mg_per_l: Mapping[str, float] = field(default_factory=dict)
    monthly_profile: tuple[float, ...] | None = None  # fractions of the year's water per month

    def __post_init__(self) -> None:
        where = f"water operation {self.id!r}"
        issues: list[Issue] = []
        _check_profile(issues, where, self.monthly_profile)
        for name in ("inlet_m3_per_h", "outlet_m3_per_h"):
            v = getattr(self, name)
            _check(math.isfinite(v) and v >= 0, issues, where, name, v, "a finite flow ≥ 0 m³/h")
        _check(
            self.inlet_m3_per_h > 0 or self.outlet_m3_per_h > 0,
            issues,
            where,
            "inlet_m3_per_h",
            self.inlet_m3_per_h,
            "an inlet or an outlet flow > 0",
        )
        _non_negative_map(issues, where, "max_inlet_mg_per_l", self.max_inlet_mg_per_l)
        _non_negative_map(issues, where, "outlet_mg_per_l", self.outlet_mg_per_l)
        if issues:
            raise InvalidInput(issues, where)

    @property
    def loss_m3_per_h(self) -> float:
        """Water consumed (inlet − outlet); negative when the operation releases water (a
        dewatering step gives off water it did not take from the network)."""
        return self.inlet_m3_per_h - self.outlet_m3_per_h

    @property
    def contaminants(self) -> set[str]:
        return set(self.max_inlet_mg_per_l) | set(self.outlet_mg_per_l)


Operation = FixedLoadOperation | FixedFlowOperation
