"""One sharing run on a territory: match, allocate, report occupancy and what was avoided.

Only fitting pairs enter the allocation; near-misses are reported for a facilitator to negotiate.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np

from symbiosis.sharing.allocation import Allocation, AllocationProblem, allocate
from symbiosis.sharing.matching import Matches, match
from symbiosis.sharing.occupancy import Occupancy, occupancy
from symbiosis.sharing.records import Need, Offer, SharingData
from symbiosis.sharing.slots import pack, unpack


@dataclass(frozen=True)
class SharingResult:
    year: int
    carbon_price_eur_per_t: float
    matches: Matches  # fits and near-misses
    fit_rows: np.ndarray  # rows of `matches` that fit (the allocation's pairs, in order)
    allocation: Allocation
    allocated_rows: np.ndarray  # rows of `matches` chosen
    occupancy: list[Occupancy]  # one per offer, in the data's order

    def allocated(self) -> Matches:
        return self.matches.take(self.allocated_rows)

    def allocated_pairs(self, data: SharingData) -> Iterator[tuple[int, Need, Offer, date, date]]:
        """Each allocated pair: (row of `allocated()`, need, offer, first day, last day) — the
        dates the pair runs in the run's year (both validities intersected)."""
        chosen = self.allocated()
        y0, y1 = date(self.year, 1, 1), date(self.year, 12, 31)
        for k in range(len(chosen.need)):
            need, offer = data.needs[int(chosen.need[k])], data.offers[int(chosen.offer[k])]
            first = max(d for d in (need.valid_from, offer.valid_from, y0) if d is not None)
            last = min(d for d in (need.valid_to, offer.valid_to, y1) if d is not None)
            yield k, need, offer, first, last


def run_sharing(
    data: SharingData, year: int, carbon_price_eur_per_t: float = 0.0, time_limit_s: float = 60.0
) -> SharingResult:
    """Match every need, allocate the fitting pairs, and measure occupancy before and after."""
    m, _codes = match(data, year)
    fit_rows = np.flatnonzero(m.fits)
    fits = m.take(fit_rows)
    offer_words = pack(np.array([o.free for o in data.offers], dtype=bool).reshape(-1, 168))
    need_words = pack(np.array([n.hours for n in data.needs], dtype=bool).reshape(-1, 168))
    offer_months = np.array([o.months for o in data.offers], dtype=np.int64)
    need_months = np.array([n.months for n in data.needs], dtype=np.int64)
    problem = AllocationProblem(
        need=fits.need,
        offer=fits.offer,
        value_eur=fits.value_eur(carbon_price_eur_per_t),
        need_capacity=np.array([data.needs[i].capacity for i in fits.need], dtype=np.float64),
        need_words=need_words[fits.need] & offer_words[fits.offer],
        months=need_months[fits.need] & offer_months[fits.offer],
        offer_capacity=np.array([o.capacity for o in data.offers], dtype=np.float64),
    )
    # a pair worth nothing or less is never worth taking: the model may still leave it out
    alloc = allocate(problem, time_limit_s=time_limit_s)
    chosen = fit_rows[alloc.chosen]
    used = np.array([o.used for o in data.offers], dtype=bool).reshape(-1, 168)
    occ = occupancy(
        used,
        m.offer[chosen],
        unpack(need_words[m.need[chosen]]),
        np.array([data.needs[i].capacity for i in m.need[chosen]], dtype=np.float64),
    )
    return SharingResult(year, carbon_price_eur_per_t, m, fit_rows, alloc, chosen, occ)
