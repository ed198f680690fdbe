"""Matching: find, cost and explain every viable exchange between outputs and inputs.

`MatchingService` is the entry point (CLI, API, dashboard); `match()` returns a `CandidateSet`
for the optimiser. The work is columnar (numpy) and indexed (one k-d tree per resource), see
docs/MATCHING.md.
"""

from symbiosis.matching.options import MatchOptions, SearchMethod
from symbiosis.matching.service import CandidateQuery, MatchingService, SortKey, match

__all__ = ["CandidateQuery", "MatchOptions", "MatchingService", "SearchMethod", "SortKey", "match"]
