"""Today's practice as the baseline: exchanges that already run are not new savings.

Why: a plan measured only against "no exchange at all" credits exchanges that have run for decades
(Kalundborg's steam, gypsum, water pipelines) as if the plan had found them. A facilitator needs
the *additional* saving of what is new. So, when the known exchanges are given, the optimiser
solves a second problem — the same declarations with only the existing links available, i.e. the
best use of today's exchanges — and reports three levels: no exchange, today's practice, the plan.
The plan's links are marked existing or new.

Known exchanges are matched to candidates by their output and input ids when the record names
them, else by (giver site, receiver site, resource). A known exchange matching says nothing about
its quantity (most published records have none), so today's practice runs the existing links at
their cost-optimal level; their fixed costs stay in (no record says how much is sunk).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from symbiosis.domain.candidate import CandidateSet
from symbiosis.domain.exchange import KnownExchange


def existing_link_ids(cset: CandidateSet, exchanges: Iterable[KnownExchange]) -> frozenset[str]:
    """Candidate ids (``output->input``) of the links that already run."""
    by_ids = set()
    by_sites = set()
    for x in exchanges:
        if x.output_id and x.input_id:
            by_ids.add((x.output_id, x.input_id))
        else:
            by_sites.add((x.from_site_id, x.to_site_id, x.resource_code))
    return frozenset(
        c.id
        for c in cset.candidates
        if (c.output_id, c.input_id) in by_ids
        or (c.giver_site_id, c.receiver_site_id, c.output_resource) in by_sites
    )


@dataclass
class PracticeSplit:
    """No exchange → today's practice (existing links only) → the plan; € and t CO2e per year.

    ``existing_*`` is what today's exchanges already achieve against no exchange; ``new_*`` is what
    the plan adds on top of them (negative when the plan gives up some existing benefit to cut the
    objective elsewhere, e.g. under a carbon price)."""

    n_existing_links_known: int  # candidate links matching a known exchange
    n_existing_links_in_plan: int
    n_new_links_in_plan: int
    baseline_cost_eur_per_yr: float
    baseline_co2_t_per_yr: float
    practice_cost_eur_per_yr: float
    practice_co2_t_per_yr: float
    plan_cost_eur_per_yr: float
    plan_co2_t_per_yr: float

    @property
    def existing_savings_eur_per_yr(self) -> float:
        return self.baseline_cost_eur_per_yr - self.practice_cost_eur_per_yr

    @property
    def new_savings_eur_per_yr(self) -> float:
        return self.practice_cost_eur_per_yr - self.plan_cost_eur_per_yr

    @property
    def existing_co2_avoided_t_per_yr(self) -> float:
        return self.baseline_co2_t_per_yr - self.practice_co2_t_per_yr

    @property
    def new_co2_avoided_t_per_yr(self) -> float:
        return self.practice_co2_t_per_yr - self.plan_co2_t_per_yr

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for name in (
            "existing_savings_eur_per_yr",
            "new_savings_eur_per_yr",
            "existing_co2_avoided_t_per_yr",
            "new_co2_avoided_t_per_yr",
        ):
            d[name] = getattr(self, name)
        return d
