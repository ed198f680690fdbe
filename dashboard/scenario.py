"""A scenario is the optimiser's options plus a distance limit on the candidates it may choose.

`run_scenario` is the one call pages make; `Scenario` is hashable, so results can be cached per
territory and compared side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from symbiosis.domain.candidate import CandidateSet
from symbiosis.matching.service import CandidateQuery, MatchingService
from symbiosis.optimizer import ExchangePlan, OptimizeOptions, ParetoPoint, optimize, pareto_front

JOB_MIN_CANDIDATES = 5_000
"""Above this many candidates an optimisation runs as a background job rather than in the page."""


@dataclass(frozen=True)
class Scenario:
    carbon_price_eur_per_t: float = 0.0
    co2_cap_t: float | None = None
    max_distance_km: float | None = None
    time_limit_s: float | None = 60.0

    def options(self) -> OptimizeOptions:
        """Best plan found within the time limit (the gap is shown), rather than an error."""
        return OptimizeOptions(
            carbon_price_eur_per_t=self.carbon_price_eur_per_t,
            co2_cap_t=self.co2_cap_t,
            time_limit_s=self.time_limit_s,
            accept_gap=True,
        )

    def label(self) -> str:
        parts = [f"{self.carbon_price_eur_per_t:g} €/t CO2"]
        if self.co2_cap_t is not None:
            parts.append(f"cap {self.co2_cap_t:,.0f} t")
        if self.max_distance_km is not None:
            parts.append(f"≤ {self.max_distance_km:g} km")
        return ", ".join(parts)


def candidate_set(service: MatchingService, scenario: Scenario) -> CandidateSet:
    return service.candidate_set(CandidateQuery(max_distance_km=scenario.max_distance_km))


def run_scenario(
    service: MatchingService, scenario: Scenario, progress: Callable[[str], None] | None = None
) -> ExchangePlan:
    """Candidates within the distance limit → optimiser; ``progress`` hears each step's name."""
    say = progress or (lambda _step: None)
    say("candidates")
    cset = candidate_set(service, scenario)
    say("optimise")
    plan = optimize(cset, scenario.options())
    say("done")
    return plan


def run_pareto(service: MatchingService, scenario: Scenario, n_points: int = 6) -> list[ParetoPoint]:
    """Cost against CO2 for the scenario's candidates (carbon price and cap do not apply to a front)."""
    return pareto_front(candidate_set(service, scenario), n_points, scenario.options())
