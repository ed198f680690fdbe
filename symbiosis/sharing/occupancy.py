"""Occupancy of offered assets: the share of the 168 weekly hours in use, before and after sharing.

Before: the hours the owner uses the asset (``used_slots``; by default every hour it is not
offered). After: those hours plus every hour an allocated need uses it. This is the "24/100"
figure: an asset used 24 of 100 possible hours sits idle three quarters of the time. The heat map
(`week_grid`) is the same count laid out as 7 days × 24 hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbiosis.sharing.slots import HOURS_PER_WEEK


@dataclass(frozen=True)
class Occupancy:
    offer_index: int
    hours_before: int
    hours_after: int
    before: np.ndarray  # (168,) bool
    after: np.ndarray  # (168,) bool: the asset is in use (by its owner or a sharer)
    shared_load: np.ndarray  # (168,) capacity units taken by allocated needs, per hour

    @property
    def share_before(self) -> float:
        return self.hours_before / HOURS_PER_WEEK

    @property
    def share_after(self) -> float:
        return self.hours_after / HOURS_PER_WEEK


def occupancy(
    used: np.ndarray, offer_of_pair: np.ndarray, hours_of_pair: np.ndarray, capacity_of_pair: np.ndarray
) -> list[Occupancy]:
    """Per offer (rows of ``used``, (n_offers, 168) bool), before and after the chosen pairs."""
    used = np.asarray(used, dtype=bool)
    load = np.zeros(used.shape, dtype=np.float64)
    np.add.at(load, offer_of_pair, hours_of_pair * capacity_of_pair[:, None])
    after = used | (load > 0)
    return [
        Occupancy(i, int(used[i].sum()), int(after[i].sum()), used[i], after[i], load[i])
        for i in range(used.shape[0])
    ]


def week_grid(hours: np.ndarray) -> np.ndarray:
    """(168,) values → (7, 24): rows Monday…Sunday, columns 00:00…23:00."""
    return np.asarray(hours).reshape(7, 24)
