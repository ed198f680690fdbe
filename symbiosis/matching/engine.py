"""A matching run: every group searched, every pair within reach evaluated, results kept columnar.

Candidates stay in memory as numpy columns (`MatchResult.viable`): at national scale a few
million pairs fit in a few hundred MB, filtering/sorting them is a vectorised mask, and nothing is
written back to the graph store until someone chooses to — see docs/MATCHING.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from symbiosis.domain.candidate import Unmatched
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.evaluate import FAIL_WORDS, Fail, PairBlock, evaluate
from symbiosis.matching.geo import EARTH_RADIUS_KM
from symbiosis.matching.groups import Group, build_groups
from symbiosis.matching.options import MatchOptions, SearchMethod
from symbiosis.matching.search import TreeCache, pairs_within
from symbiosis.matching.tables import Tables, build_tables
from symbiosis.matching.vintage import vintage_warning


@dataclass
class _Tally:
    """Per declaration: pairs within reach, viable ones, failures seen, nearest partner beyond reach."""

    in_reach: np.ndarray
    viable: np.ndarray
    fails: np.ndarray
    has_partner_resource: np.ndarray
    nearest_km: np.ndarray
    nearest_reach_km: np.ndarray
    nearest_family: list[str]

    @staticmethod
    def zeros(n: int) -> _Tally:
        return _Tally(
            np.zeros(n, np.int64),
            np.zeros(n, np.int64),
            np.zeros(n, np.int64),
            np.zeros(n, bool),
            np.full(n, np.inf),
            np.full(n, np.nan),
            [""] * n,
        )

    def add(self, rows: np.ndarray, fail: np.ndarray) -> None:
        """Count pairs and OR failure bits per declaration (bincount: far faster than ufunc.at)."""
        n = len(self.in_reach)
        self.in_reach += np.bincount(rows, minlength=n)
        self.viable += np.bincount(rows[fail == 0], minlength=n)
        for bit in np.unique(fail[fail != 0]).tolist():
            hit = np.bincount(rows[fail == bit], minlength=n) > 0
            self.fails[hit] |= bit


@dataclass
class MatchResult:
    tables: Tables
    kb: KnowledgeBase
    options: MatchOptions
    groups: list[Group]
    viable: PairBlock
    near_misses: PairBlock
    unmatched: list[Unmatched] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def run_matching(dataset: Dataset, kb: KnowledgeBase, options: MatchOptions | None = None) -> MatchResult:
    options = options or MatchOptions()
    tables = build_tables(dataset, kb)
    result = run_on_tables(tables, kb, options)
    mixed = vintage_warning([*dataset.outputs, *dataset.inputs])
    if mixed:
        result.warnings.append(mixed)
    return result


def run_on_tables(tables: Tables, kb: KnowledgeBase, options: MatchOptions) -> MatchResult:
    o, i = tables.outputs, tables.inputs
    groups = build_groups(kb, set(o.by_resource), set(i.by_resource), options)
    trees = TreeCache()
    tally_o, tally_i = _Tally.zeros(len(o.ids)), _Tally.zeros(len(i.ids))
    viable: list[PairBlock] = []
    near: list[PairBlock] = []
    xyz = tables.sites.xyz
    for gi, g in enumerate(groups):
        rows_o, rows_i = o.by_resource[g.output_resource], i.by_resource[g.input_resource]
        tally_o.has_partner_resource[rows_o] = True
        tally_i.has_partner_resource[rows_i] = True
        xyz_o, xyz_i = xyz[o.site[rows_o]], xyz[i.site[rows_i]]
        search_km = g.reach_km * (options.near_miss_reach_factor if options.keep_near_misses else 1.0)
        tree_pair = None
        if options.method is SearchMethod.INDEXED:
            tree_pair = (trees.get("o", g.output_resource, xyz_o), trees.get("i", g.input_resource, xyz_i))
        for po, pi, d in pairs_within(
            xyz_o, xyz_i, o.site[rows_o], i.site[rows_i], search_km, options.method, tree_pair
        ):
            for s in range(0, len(po), options.chunk_pairs):
                sl = slice(s, s + options.chunk_pairs)
                block = evaluate(tables, kb, gi, g, rows_o[po[sl]], rows_i[pi[sl]], d[sl])
                beyond = block.distance_km > g.reach_km
                block.fail = (block.fail | np.where(beyond, int(Fail.DISTANCE), 0)).astype(np.int16)
                inside = ~beyond
                tally_o.add(block.oi[inside], block.fail[inside])
                tally_i.add(block.ii[inside], block.fail[inside])
                ok = block.fail == 0
                viable.append(block.take(np.flatnonzero(ok)))
                if options.keep_near_misses:
                    near.append(block.take(np.flatnonzero(~ok)))
    _nearest_beyond_reach(tables, groups, trees, tally_o, tally_i)
    unmatched = _unmatched(tables, tally_o, "output") + _unmatched(tables, tally_i, "input")
    return MatchResult(
        tables, kb, options, groups, PairBlock.concat(viable), PairBlock.concat(near), unmatched
    )


def _nearest_beyond_reach(
    tables: Tables, groups: list[Group], trees: TreeCache, tally_o: _Tally, tally_i: _Tally
) -> None:
    """For declarations with no partner within reach, how far the nearest one is (for the reason)."""
    o, i = tables.outputs, tables.inputs
    xyz = tables.sites.xyz
    for g in groups:
        rows_o, rows_i = o.by_resource[g.output_resource], i.by_resource[g.input_resource]
        for rows, other, side, t_self, other_res in (
            (rows_o, rows_i, "i", tally_o, g.input_resource),
            (rows_i, rows_o, "o", tally_i, g.output_resource),
        ):
            lonely = rows[t_self.in_reach[rows] == 0]
            if len(lonely) == 0 or len(other) == 0:
                continue
            own = o if side == "i" else i
            far = i if side == "i" else o
            tree = trees.get(side, other_res, xyz[far.site[other]])
            k = min(4, len(other))
            dist, idx = tree.query(xyz[own.site[lonely]], k=k)
            dist, idx = dist.reshape(len(lonely), k), idx.reshape(len(lonely), k)
            same_site = far.site[other][idx] == own.site[lonely][:, None]
            dist = np.where(same_site, np.inf, dist)
            chord = dist.min(axis=1)
            km = np.where(
                np.isfinite(chord),
                2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.nan_to_num(chord) / 2.0, 1.0)),
                np.inf,
            )
            closer = km < t_self.nearest_km[lonely]
            for r, d in zip(lonely[closer], km[closer], strict=True):
                t_self.nearest_km[r] = d
                t_self.nearest_reach_km[r] = g.reach_km
                t_self.nearest_family[r] = g.family.value


def _unmatched(tables: Tables, tally: _Tally, kind: str) -> list[Unmatched]:
    t = tables.outputs if kind == "output" else tables.inputs
    out = []
    for r in np.flatnonzero(tally.viable == 0):
        res = t.resource[r]
        if not tally.has_partner_resource[r]:
            side = "input needs" if kind == "output" else "output offers"
            reason = f"no {side} {res} or a resource it can substitute for, in this dataset"
        elif tally.in_reach[r] == 0:
            km = tally.nearest_km[r]
            reason = (
                "the only partners are on the same site"
                if not np.isfinite(km)
                else f"no partner within reach: nearest is {km:.1f} km away, reach "
                f"{tally.nearest_reach_km[r]:g} km for {tally.nearest_family[r]}"
            )
        else:
            words = [w for f, w in FAIL_WORDS.items() if tally.fails[r] & int(f) and f is not Fail.DISTANCE]
            reason = f"{tally.in_reach[r]} partner(s) within reach, none viable: " + "; ".join(words)
        out.append(Unmatched(t.ids[r], kind, reason))
    return out
