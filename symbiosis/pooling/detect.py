"""Detection: sites of a territory declaring the same stream within reach of each other.

Members are the declarations of one resource on one side (outputs for a collection, inputs for a
purchase). Two members are neighbours when their sites lie within ``reach_km`` great-circle km
(scipy's k-d tree on the unit sphere, `symbiosis.matching.geo`); a group is a connected set of
neighbours. Its hub — where the truck unloads or loads — is the nearest site declaring the
opposite side of the same resource (a recycler's input, a supplier's output), within the
resource family's reach. The dataset is first restricted to the territory, so pools never
cross it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from symbiosis.domain.dataset import Dataset
from symbiosis.domain.declarations import InputDeclaration, OutputDeclaration
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.geo import chord_for_km, km_from_xyz, unit_xyz
from symbiosis.pooling.costing import Member
from symbiosis.pooling.terms import StreamTerms

DEFAULT_REACH_KM = 15.0  # members of one activity zone: a few km apart
MAX_GROUP_MEMBERS = 25  # a chain of neighbours longer than this is cut in compact halves


@dataclass
class Group:
    resource_code: str
    side: str
    hub_site_id: str
    hub_site_name: str
    hub_xyz: tuple[float, float, float]
    hub_km: float  # great-circle km from the members' centroid to the hub
    members: list[Member]


@dataclass
class Detection:
    groups: list[Group] = field(default_factory=list)
    without_hub: list[tuple[str, str, int]] = field(default_factory=list)  # (resource, side, n members)


def _xyz(row: np.ndarray) -> tuple[float, float, float]:
    return (float(row[0]), float(row[1]), float(row[2]))


def _declared_price(d: OutputDeclaration | InputDeclaration) -> float | None:
    """What the member declares paying today per t (its gate fee, or its purchase price)."""
    if isinstance(d, OutputDeclaration):
        return d.disposal_cost_eur_per_unit
    return d.supply_price_eur_per_unit


def _components(xyz: np.ndarray, reach_km: float) -> list[list[int]]:
    n = len(xyz)
    pairs = cKDTree(xyz).query_pairs(chord_for_km(reach_km) * (1 + 1e-9), output_type="ndarray")
    if len(pairs):
        d = km_from_xyz(xyz[pairs[:, 0]], xyz[pairs[:, 1]])
        pairs = pairs[d <= reach_km]
    adj = (
        coo_array((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        if len(pairs)
        else coo_array((n, n))
    )
    _, labels = connected_components(adj, directed=False)
    comps: dict[int, list[int]] = {}
    for i, lab in enumerate(labels.tolist()):
        comps.setdefault(lab, []).append(i)
    return [part for c in comps.values() if len(c) >= 2 for part in _compact_parts(xyz, c)]


def _compact_parts(xyz: np.ndarray, members: list[int]) -> list[list[int]]:
    """Cut a large group at the median of its widest axis until each part has ≤ MAX_GROUP_MEMBERS:
    a connected chain across a whole conurbation is not one truck tour."""
    if len(members) <= MAX_GROUP_MEMBERS:
        return [members]
    pts = xyz[members]
    axis = int(np.argmax(pts.max(axis=0) - pts.min(axis=0)))
    order = [members[i] for i in np.argsort(pts[:, axis], kind="stable")]
    half = len(order) // 2
    return _compact_parts(xyz, order[:half]) + _compact_parts(xyz, order[half:])


def detect_groups(
    ds: Dataset,
    kb: KnowledgeBase,
    terms: dict[tuple[str, str], StreamTerms],
    reach_km: float = DEFAULT_REACH_KM,
) -> Detection:
    """Every group of ≥ 2 members of a stream with a hub in reach (and the streams without one)."""
    sites = {s.id: s for s in ds.sites}
    out = Detection()
    for (code, side), t in sorted(terms.items()):
        decls = ds.outputs if side == "collection" else ds.inputs
        hubs_decl = ds.inputs if side == "collection" else ds.outputs
        members = [d for d in decls if d.resource_code == code and d.quantity_per_yr > 0]
        if len(members) < 2:
            continue
        hub_sites = sorted({d.site_id for d in hubs_decl if d.resource_code == code})
        m_sites = [sites[d.site_id] for d in members]
        xyz = unit_xyz(
            np.array([s.latitude_deg for s in m_sites]), np.array([s.longitude_deg for s in m_sites])
        )
        hubs_xyz = (
            unit_xyz(
                np.array([sites[h].latitude_deg for h in hub_sites]),
                np.array([sites[h].longitude_deg for h in hub_sites]),
            )
            if hub_sites
            else np.zeros((0, 3))
        )
        reach_hub_km = kb.family_of(code).max_distance_km
        for comp in _components(xyz, reach_km):
            centre = xyz[comp].mean(axis=0)
            centre /= np.linalg.norm(centre)
            own = {members[i].site_id for i in comp}
            best: tuple[float, int] | None = None
            if hub_sites:
                km_hubs = km_from_xyz(np.broadcast_to(centre, hubs_xyz.shape), hubs_xyz)
                allowed = (km_hubs <= reach_hub_km) & np.array([h not in own for h in hub_sites])
                if allowed.any():
                    h = int(np.flatnonzero(allowed)[np.argmin(km_hubs[allowed])])
                    best = (float(km_hubs[h]), h)
            if best is None:
                out.without_hub.append((code, side, len(comp)))
                continue
            group_members = []
            for i in comp:
                d = members[i]
                declared = _declared_price(d)
                group_members.append(
                    Member(
                        declaration_id=d.id,
                        site_id=d.site_id,
                        site_name=m_sites[i].name,
                        xyz=_xyz(xyz[i]),
                        t_per_yr=d.quantity_per_yr,
                        peak_month_t=max(d.monthly_quantity()),
                        today_price_eur_per_t=float(declared)
                        if declared is not None
                        else t.price_eur_per_t(d.quantity_per_yr),
                        price_declared=declared is not None,
                    )
                )
            hub = sites[hub_sites[best[1]]]
            out.groups.append(
                Group(
                    code,
                    side,
                    hub.id,
                    hub.name,
                    _xyz(hubs_xyz[best[1]]),
                    best[0],
                    sorted(group_members, key=lambda m: m.declaration_id),
                )
            )
    return out
