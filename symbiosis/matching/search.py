"""Finding the (output, input) pairs within reach: a k-d tree per resource, or all pairs.

The indexed search asks scipy's `cKDTree.sparse_distance_matrix` for every pair closer than the
family's reach (as a chord on the unit sphere) in one vectorised call; the naive search computes
all pairs. Both then measure the pairs they found with the same `km_from_xyz` expression and keep
``distance ≤ reach``, so they return the same set, bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.spatial import cKDTree

from symbiosis.matching.geo import chord_for_km, km_from_xyz
from symbiosis.matching.options import SearchMethod
from symbiosis.matching.tables import FloatArray, IntArray

_SLACK = 1.0 + 1e-9  # the tree's own rounding must never lose a pair the exact test keeps
_NAIVE_BLOCK = 2_000_000
_EXACT_BLOCK = 1_000_000


class TreeCache:
    """One k-d tree per (side, resource): groups sharing a resource reuse it."""

    def __init__(self) -> None:
        self._trees: dict[tuple[str, str], cKDTree] = {}

    def get(self, side: str, resource: str, xyz: FloatArray) -> cKDTree:
        key = (side, resource)
        if key not in self._trees:
            self._trees[key] = cKDTree(xyz, balanced_tree=False, compact_nodes=False)
        return self._trees[key]


def _exact(
    xyz_o: FloatArray,
    xyz_i: FloatArray,
    site_o: IntArray,
    site_i: IntArray,
    i: IntArray,
    j: IntArray,
    reach_km: float,
) -> tuple[IntArray, IntArray, FloatArray]:
    d = km_from_xyz(xyz_o[i], xyz_i[j])
    keep = (d <= reach_km) & (site_o[i] != site_i[j])
    return i[keep], j[keep], d[keep]


def pairs_within(
    xyz_o: FloatArray,
    xyz_i: FloatArray,
    site_o: IntArray,
    site_i: IntArray,
    reach_km: float,
    method: SearchMethod,
    trees: tuple[cKDTree, cKDTree] | None = None,
) -> Iterator[tuple[IntArray, IntArray, FloatArray]]:
    """Yield blocks of (output positions, input positions, great-circle km), sites distinct."""
    if len(xyz_o) == 0 or len(xyz_i) == 0:
        return
    if method is SearchMethod.INDEXED:
        tree_o, tree_i = trees if trees is not None else (cKDTree(xyz_o), cKDTree(xyz_i))
        found = tree_o.sparse_distance_matrix(tree_i, chord_for_km(reach_km) * _SLACK, output_type="ndarray")
        for s in range(0, len(found), _EXACT_BLOCK):  # bounded temporaries for the exact test
            part = found[s : s + _EXACT_BLOCK]
            yield _exact(
                xyz_o, xyz_i, site_o, site_i, part["i"].astype(np.int64), part["j"].astype(np.int64), reach_km
            )
        return
    n_i = len(xyz_i)
    rows = max(1, _NAIVE_BLOCK // n_i)
    for start in range(0, len(xyz_o), rows):
        block = np.arange(start, min(start + rows, len(xyz_o)), dtype=np.int64)
        i = np.repeat(block, n_i)
        j = np.tile(np.arange(n_i, dtype=np.int64), len(block))
        yield _exact(xyz_o, xyz_i, site_o, site_i, i, j, reach_km)
