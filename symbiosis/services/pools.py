"""Pooled collection and purchasing of a territory, as each role may see them.

Pools are proposed once per territory match (`symbiosis.pooling.service.propose_pools` on the
territory's cached dataset, kept as a page of its `TerritoryMatch`, so any write inside the
territory drops them with the matching result). Admins and agencies (their territories) see every
pool in full: members, firms, the routed tour, today's separate contracts against the pooled one,
each member's Shapley share beside the pro-rata split.

A company sees only the pools one of its sites belongs to, and in them **its own members' figures
in full** (what it pays today, its fair share, its saving). Of every other member — and of the hub
(the treatment or supply site) — it sees what the confidentiality rules of matches let it see
(`symbiosis.services.confidentiality`): the firm, site and volume when that declaration is public
or both firms consented, else an opaque partner reference and a 1-2-5 volume range. The pool's
totals are ranges too, and the tour (it would locate the partners) is shown only when every
partner of the pool is disclosed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import Confidentiality
from symbiosis.errors import InvalidInput, Issue
from symbiosis.pooling.service import Pool, PoolingResult, propose_pools
from symbiosis.services.cache import TerritoryMatch, knowledge_base
from symbiosis.services.confidentiality import Disclosure
from symbiosis.services.consents import disclosed_partners, partner_ref
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import NotFound
from symbiosis.services.matches import territory_match
from symbiosis.services.principal import Principal, Role
from symbiosis.services.ranges import band

POOL_TIME_LIMIT_S = 30.0
"""HiGHS's limit on the choice model of one territory (the routing itself is not limited)."""
MAX_CARBON_PRICE_EUR_PER_T = 1e5  # the same bound as an optimisation run's carbon price


def pool_id(pool: Pool) -> str:
    """A stable id from what defines the pool: stream, side, hub and member declarations."""
    key = "\x1f".join(
        (pool.resource_code, pool.side, pool.hub_site_id, *sorted(m.declaration_id for m in pool.members))
    )
    return "pool_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _check_carbon_price(carbon_price_eur_per_t: float) -> None:
    if not 0.0 <= carbon_price_eur_per_t <= MAX_CARBON_PRICE_EUR_PER_T:
        raise InvalidInput(
            [
                Issue(
                    "pools", "carbon_price_eur_per_t", carbon_price_eur_per_t,
                    f"a number of € per t CO2e from 0 to {MAX_CARBON_PRICE_EUR_PER_T:,.0f}",
                )
            ],
            "pools",
        )  # fmt: skip


def territory_result(
    ctx: ServiceContext, p: Principal, territory_id: str, carbon_price_eur_per_t: float = 0.0
) -> tuple[TerritoryMatch, PoolingResult]:
    """The territory's proposed pools (computed once per territory version and carbon price)."""
    _check_carbon_price(carbon_price_eur_per_t)
    tm = territory_match(ctx, p, territory_id)
    result = tm.page(
        ("pools", float(carbon_price_eur_per_t)),
        lambda t: propose_pools(
            t.dataset, knowledge_base(), carbon_price_eur_per_t, time_limit_s=POOL_TIME_LIMIT_S
        ),
    )
    return tm, result


def list_pools(
    ctx: ServiceContext, p: Principal, territory_id: str, carbon_price_eur_per_t: float = 0.0
) -> list[dict[str, Any]]:
    """The territory's pools, best saving first, as ``p`` may see them."""
    p.require(Role.ADMIN, Role.AGENCY, Role.COMPANY)
    tm, result = territory_result(ctx, p, territory_id, carbon_price_eur_per_t)
    if p.role is not Role.COMPANY:
        return [full_pool(tm.dataset, pool, territory_id) for pool in result.pools]
    own = p.firm_id or ""
    mine = [pool for pool in result.pools if any(tm.site_firm.get(m.site_id) == own for m in pool.members)]
    disclosed = disclosed_partners(ctx, own) if mine else set()
    return [company_pool(ctx, tm, pool, own, disclosed, territory_id) for pool in mine]


def get_pool(
    ctx: ServiceContext, p: Principal, territory_id: str, pid: str, carbon_price_eur_per_t: float = 0.0
) -> dict[str, Any]:
    """One pool by the id its caller was given (a company's ids are its own pseudonyms)."""
    for pool in list_pools(ctx, p, territory_id, carbon_price_eur_per_t):
        if pool["id"] == pid:
            return pool
    raise NotFound("pool", pid)


def find_pool(ctx: ServiceContext, p: Principal, territory_id: str, pid: str) -> tuple[Dataset, Pool]:
    """The pool itself (for the pipeline): facilitators only, at the default carbon price."""
    p.require(Role.ADMIN, Role.AGENCY)
    tm, result = territory_result(ctx, p, territory_id)
    for pool in result.pools:
        if pool_id(pool) == pid:
            return tm.dataset, pool
    raise NotFound("pool", pid)


def _places(ds: Dataset) -> dict[str, tuple[str, str, float, float]]:
    """site id → (firm id, firm name, latitude, longitude)."""
    firms = {f.id: f.name for f in ds.firms}
    return {
        s.id: (s.firm_id, firms.get(s.firm_id, s.firm_id), s.latitude_deg, s.longitude_deg) for s in ds.sites
    }


def _stop(places: dict[str, tuple[str, str, float, float]], site_id: str, site_name: str) -> dict[str, Any]:
    firm_id, firm_name, lat, lon = places[site_id]
    return {
        "site_id": site_id, "site_name": site_name, "firm_id": firm_id, "firm_name": firm_name,
        "latitude_deg": lat, "longitude_deg": lon,
    }  # fmt: skip


def _member(places: dict[str, tuple[str, str, float, float]], m: Any) -> dict[str, Any]:
    return _stop(places, m.site_id, m.site_name) | {
        "declaration_id": m.declaration_id,
        "t_per_yr": m.t_per_yr,
        "today_eur_per_yr": m.today_eur,
        "shapley_eur_per_yr": m.shapley_eur,
        "shapley_half_width_eur": m.shapley_half_width_eur,
        "pro_rata_eur_per_yr": m.pro_rata_eur,
        "saving_eur_per_yr": m.today_eur - m.shapley_eur,
    }


def _resource_name(code: str) -> str:
    try:
        return knowledge_base().resource(code).name
    except Exception:  # noqa: BLE001 — a resource unknown to the knowledge base keeps its code
        return code


def full_pool(ds: Dataset, pool: Pool, territory_id: str) -> dict[str, Any]:
    """Everything about a pool (admins, agencies of its territory)."""
    places = _places(ds)
    names = {m.site_id: m.site_name for m in pool.members}
    c = pool.contract
    return {
        "id": pool_id(pool),
        "territory_id": territory_id,
        "resource_code": pool.resource_code,
        "resource_name": _resource_name(pool.resource_code),
        "side": pool.side,
        "hub": _stop(places, pool.hub_site_id, pool.hub_site_name),
        "members": [_member(places, m) for m in pool.members],
        "routes": [[_stop(places, s, names[s]) for s in route] for route in pool.tour_site_ids],
        "tour_km": c.tour.length_km,
        "pickups_per_month": c.pickups_per_month,
        "today_eur_per_yr": pool.today_eur,
        "today_truck_km_per_yr": pool.today_truck_km,
        "today_co2_t_per_yr": pool.today_co2_t,
        "pool_eur_per_yr": pool.pool_eur,
        "pool_transport_eur_per_yr": c.transport_eur,
        "pool_price_eur_per_yr": c.price_eur,
        "pool_fixed_eur_per_yr": c.fixed_eur,
        "pool_truck_km_per_yr": c.truck_km,
        "pool_co2_t_per_yr": c.co2_t,
        "saving_eur_per_yr": pool.saving_eur,
        "truck_km_saved_per_yr": pool.today_truck_km - c.truck_km,
        "co2_avoided_t_per_yr": pool.today_co2_t - c.co2_t,
        "shapley_exact": pool.shapley_exact,
        "core_checked": pool.core_checked,
        "core_violations": len(pool.core_violations),
        "pro_rata_core_violations": pool.pro_rata_core_violations,
    }


def _hub_level(ds: Dataset, pool: Pool) -> Confidentiality:
    """The hub's own declaration of the stream (the recycler's input, the supplier's output)."""
    decls = ds.inputs if pool.side == "collection" else ds.outputs
    levels = [
        d.confidentiality
        for d in decls
        if d.site_id == pool.hub_site_id and d.resource_code == pool.resource_code
    ]
    return (
        Confidentiality.PUBLIC
        if levels and all(lv is Confidentiality.PUBLIC for lv in levels)
        else Confidentiality.AGENCY
    )


def _disclosure(own: str, firm: str, level: Confidentiality | None, disclosed: set[str]) -> Disclosure:
    if firm == own:
        return Disclosure.OWN_FIRM
    if level is Confidentiality.PUBLIC:
        return Disclosure.PUBLIC
    if firm in disclosed:
        return Disclosure.CONSENT
    return Disclosure.NONE


def company_pool(
    ctx: ServiceContext, tm: TerritoryMatch, pool: Pool, own: str, disclosed: set[str], territory_id: str
) -> dict[str, Any]:
    """A pool as a member firm sees it: its own share in full, partners by the matches' rules."""
    full = full_pool(tm.dataset, pool, territory_id)
    own_members, partners = [], []
    all_disclosed = True
    for m, row in zip(pool.members, full["members"], strict=True):
        firm = row["firm_id"]
        why = _disclosure(
            own,
            firm,
            tm.levels.get(("output" if pool.side == "collection" else "input", m.declaration_id)),
            disclosed,
        )
        if why is Disclosure.OWN_FIRM:
            own_members.append(row)
            continue
        all_disclosed &= why is not Disclosure.NONE
        partners.append(_partner(ctx, own, firm, why, row))
    hub = full["hub"]
    hub_why = _disclosure(own, hub["firm_id"], _hub_level(tm.dataset, pool), disclosed)
    all_disclosed &= hub_why is not Disclosure.NONE
    own_saving = sum(r["saving_eur_per_yr"] for r in own_members)
    return {
        "id": ctx.tokens.pseudonym("pool", own, full["id"]),
        "territory_id": territory_id,
        "resource_code": pool.resource_code,
        "resource_name": full["resource_name"],
        "side": pool.side,
        "n_members": len(pool.members),
        "own_members": own_members,
        "own_today_eur_per_yr": sum(r["today_eur_per_yr"] for r in own_members),
        "own_shapley_eur_per_yr": sum(r["shapley_eur_per_yr"] for r in own_members),
        "own_pro_rata_eur_per_yr": sum(r["pro_rata_eur_per_yr"] for r in own_members),
        "own_saving_eur_per_yr": own_saving,
        "partners": partners,
        "hub": _partner(ctx, own, hub["firm_id"], hub_why, hub, volume=False),
        "saving_eur_per_yr_range": band(full["saving_eur_per_yr"]),
        "truck_km_saved_per_yr_range": band(full["truck_km_saved_per_yr"]),
        "co2_avoided_t_per_yr_range": band(full["co2_avoided_t_per_yr"]),
        "pickups_per_month": full["pickups_per_month"],
        "shapley_exact": full["shapley_exact"],
        "core_checked": full["core_checked"],
        "core_violations": full["core_violations"],
        "routes": full["routes"] if all_disclosed else None,
    }


def _partner(
    ctx: ServiceContext, own: str, firm: str, why: Disclosure, row: dict[str, Any], volume: bool = True
) -> dict[str, Any]:
    ref = None if why in (Disclosure.PUBLIC, Disclosure.OWN_FIRM) else partner_ref(ctx, own, firm)
    out: dict[str, Any] = {
        "disclosed": why is not Disclosure.NONE,
        "disclosed_by": why.value,
        "partner_ref": ref,
    }
    if why is Disclosure.NONE:
        if volume:
            out["t_per_yr_range"] = band(row["t_per_yr"])
        return out
    out |= {
        k: row[k] for k in ("firm_id", "firm_name", "site_id", "site_name", "latitude_deg", "longitude_deg")
    }
    if volume:
        out["t_per_yr"] = row["t_per_yr"]
    return out
