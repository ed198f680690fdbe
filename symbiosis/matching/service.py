"""The query surface over matching, used by the CLI, the API and the dashboard.

A `MatchingService` matches a dataset (already restricted to one territory) once, keeps the
result as columns in memory, and answers filtered, sorted, top-k queries from it; only the rows
returned become pydantic `Candidate`s.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from symbiosis.domain.candidate import Candidate, CandidateSet, Unmatched
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import ResourceFamily
from symbiosis.errors import SymbiosisError
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.candidates import explain_pair, materialise
from symbiosis.matching.engine import MatchResult, run_matching
from symbiosis.matching.evaluate import PairBlock
from symbiosis.matching.options import MatchOptions
from symbiosis.matching.vintage import vintage_warning


class SortKey(StrEnum):
    GAIN = "gain"
    CO2 = "co2"


@dataclass(frozen=True)
class CandidateQuery:
    """Filters a caller may combine; None means "no filter"."""

    site_id: str | None = None  # as giver or receiver
    resource: str | None = None  # as output or input resource
    family: ResourceFamily | None = None
    min_gain_eur_per_yr: float | None = None
    max_distance_km: float | None = None
    top_k_per_site: int | None = None
    sort: SortKey = SortKey.GAIN
    near_misses: bool = False


class MatchingService:
    def __init__(self, dataset: Dataset, kb: KnowledgeBase, options: MatchOptions | None = None) -> None:
        self.kb = kb
        self.options = options or MatchOptions()
        self.result: MatchResult = run_matching(dataset, kb, self.options)

    @property
    def unmatched(self) -> list[Unmatched]:
        return self.result.unmatched

    @property
    def warnings(self) -> list[str]:
        """What a reader of the figures must know, e.g. declarations of several years."""
        return self.result.warnings

    def count(self) -> int:
        return len(self.result.viable)

    def candidates(self, query: CandidateQuery | None = None, explain: bool = True) -> list[Candidate]:
        """Viable candidates (or near-misses) matching ``query``, best first."""
        q = query or CandidateQuery()
        block = self.result.near_misses if q.near_misses else self.result.viable
        if q.near_misses and not self.options.keep_near_misses:
            raise SymbiosisError(
                "near-misses were not kept: build the service with MatchOptions(keep_near_misses=True)"
            )
        rows = self._select(block, q)
        return materialise(self.result.tables, self.kb, self.result.groups, block.take(rows), explain)

    def candidate_set(self, query: CandidateQuery | None = None, explain: bool = False) -> CandidateSet:
        """What the optimiser consumes: the links and the terms of every declaration they touch."""
        cands = self.candidates(query, explain=explain)
        t = self.result.tables
        outs = {c.output_id for c in cands}
        ins = {c.input_id for c in cands}
        return CandidateSet(
            candidates=cands,
            outputs={d: t.terms("output", t.outputs.index[d], self.kb) for d in sorted(outs)},
            inputs={d: t.terms("input", t.inputs.index[d], self.kb) for d in sorted(ins)},
            unmatched=list(self.result.unmatched),
            warnings=self._link_warnings(outs, ins),
        )

    def _link_warnings(self, outs: set[str], ins: set[str]) -> list[str]:
        """Vintage warning over the declarations the links touch (what a plan can combine)."""
        t = self.result.tables
        decls = [t.outputs.decls[t.outputs.index[d]] for d in sorted(outs)]
        decls += [t.inputs.decls[t.inputs.index[d]] for d in sorted(ins)]
        mixed = vintage_warning(decls)
        return [mixed] if mixed else []

    def explain(self, output_id: str, input_id: str) -> Candidate:
        """Explain one pair, viable or not ("temperature 55 °C, needs ≥ 70 °C"; "too far…")."""
        t = self.result.tables
        try:
            o, i = t.outputs.index[output_id], t.inputs.index[input_id]
        except KeyError as exc:
            raise SymbiosisError(
                f"unknown declaration {exc.args[0]!r}: expected an output id and an input id of this dataset"
            ) from None
        return explain_pair(t, self.kb, self.options, o, i)

    def _select(self, b: PairBlock, q: CandidateQuery) -> np.ndarray:
        t = self.result.tables
        keep = np.ones(len(b), dtype=bool)
        giver, receiver = t.outputs.site[b.oi], t.inputs.site[b.ii]
        if q.site_id is not None:
            s = t.sites.index.get(q.site_id)
            if s is None:
                raise SymbiosisError(f"unknown site {q.site_id!r}: expected a site id of this dataset")
            keep &= (giver == s) | (receiver == s)
        if q.resource is not None:
            r_out = np.array([g.output_resource == q.resource for g in self.result.groups] or [False])
            r_in = np.array([g.input_resource == q.resource for g in self.result.groups] or [False])
            keep &= r_out[b.group] | r_in[b.group]
        if q.family is not None:
            fam = np.array([g.family == q.family for g in self.result.groups] or [False])
            keep &= fam[b.group]
        if q.min_gain_eur_per_yr is not None:
            keep &= b.net_gain_eur_per_yr >= q.min_gain_eur_per_yr
        if q.max_distance_km is not None:
            keep &= b.distance_km <= q.max_distance_km
        rows = np.flatnonzero(keep)
        score = (b.net_gain_eur_per_yr if q.sort is SortKey.GAIN else b.co2_avoided_t_per_yr)[rows]
        rows = rows[np.lexsort((b.ii[rows], b.oi[rows], -score))]  # best first, ties in a stable order
        if q.top_k_per_site is not None:
            rows = _top_k_per_site(rows, giver, receiver, q.top_k_per_site, q.site_id, t.sites.index)
        return rows


def _top_k_per_site(
    rows: np.ndarray,
    giver: np.ndarray,
    receiver: np.ndarray,
    k: int,
    site_id: str | None,
    site_index: dict[str, int],
) -> np.ndarray:
    """Keep a row if it is among the k best of its giver or of its receiver (rows arrive best first).

    With a site filter, only that site's ranking counts: its k best links.
    """
    if site_id is not None:
        return rows[:k]
    rank_g, rank_r = _rank_within(giver[rows]), _rank_within(receiver[rows])
    return rows[(rank_g < k) | (rank_r < k)]


def _rank_within(keys: np.ndarray) -> np.ndarray:
    """Position of each row among earlier rows with the same key (0 = first seen)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_keys)) + 1]
    counts = np.diff(np.r_[starts, len(keys)])
    ranks_sorted = np.arange(len(keys)) - np.repeat(starts, counts)
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = ranks_sorted
    return ranks


def match(dataset: Dataset, kb: KnowledgeBase, options: MatchOptions | None = None) -> CandidateSet:
    """Every viable candidate of a dataset with declaration terms and unmatched reasons (no texts)."""
    return MatchingService(dataset, kb, options).candidate_set(explain=False)
