"""Knobs of a matching run. Defaults come from the knowledge base; options only override."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from symbiosis.domain.enums import ResourceFamily


class SearchMethod(StrEnum):
    INDEXED = "indexed"  # k-d tree per resource: only sites within reach are compared
    NAIVE = "naive"  # every output against every input of the resource (reference, for tests/bench)


@dataclass(frozen=True)
class MatchOptions:
    """How far each family may travel, which search to use, what to keep besides viable links.

    ``reach_km`` overrides ``KnowledgeBase.families[f].max_distance_km`` family by family;
    ``near_miss_reach_factor`` widens the search when near-misses are wanted, so that "too far:
    48 km, reach 20 km" can be reported for partners just beyond reach.
    """

    reach_km: dict[ResourceFamily, float] = field(default_factory=dict)
    method: SearchMethod = SearchMethod.INDEXED
    keep_near_misses: bool = False
    near_miss_reach_factor: float = 2.0
    chunk_pairs: int = 250_000  # pairs evaluated at once; bounds the (pairs × 12) monthly arrays
