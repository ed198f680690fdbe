"""Sharing (issue 19) for the API: offers, needs, matches, allocation and bookings, by role.

The confidentiality rules of flows (`symbiosis.services.confidentiality`) apply unchanged:

* **admin** sees everything; an **agency** every offer, need and booking of its territories;
* a **company** sees its own offers and needs, and others' only when they are ``public`` (the
  owner publishes them: name and exact figures). In a match, what it sees of the partner is
  decided by the partner-side record alone — ``public``, or both firms consented: name, exact
  figures and the explanation; otherwise an opaque partner reference and 1-2-5 capacity ranges;
* an **analyst** sees no firm-level object (403);
* a ``private`` record is kept out of published aggregates (there are none here yet).

Objects outside the caller's scope are reported as missing (404), never as forbidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from symbiosis.domain.enums import Confidentiality
from symbiosis.domain.firm import Site
from symbiosis.errors import DuplicateKey, InvalidInput, Issue
from symbiosis.graph.repository import GraphRepository
from symbiosis.graph.sharing_store import Booking, SharingStore, book_allocation, unfit_bookings
from symbiosis.services.access import may_see_place, territory_scope, visible_site
from symbiosis.services.consents import disclosed_partners, partner_ref
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import Conflict, NotFound
from symbiosis.services.principal import Principal, Role
from symbiosis.services.ranges import band
from symbiosis.services.runs import JobRunner, create_run
from symbiosis.sharing.categories import load_categories, load_travel
from symbiosis.sharing.matching import explain, match
from symbiosis.sharing.records import Need, Offer, SharingData
from symbiosis.sharing.service import SharingResult, run_sharing
from symbiosis.sharing.slots import describe


@dataclass(frozen=True)
class _Owner:
    firm_id: str
    firm_name: str
    site_name: str
    territory_id: str | None


_SCHEMA_READY: set[str] = set()  # store URIs whose sharing constraints and indexes exist


def _store(ctx: ServiceContext) -> SharingStore:
    store = SharingStore(ctx.repo())
    if store.repo.uri not in _SCHEMA_READY:
        store.ensure_schema()  # idempotent; once per store and process
        _SCHEMA_READY.add(store.repo.uri)
    return store


def territory_data(ctx: ServiceContext, territory_id: str | None) -> tuple[SharingData, dict[str, _Owner]]:
    """The territory's sites with their offers and needs (the whole store for None)."""
    return territory_data_in(_store(ctx).repo, territory_id)


def territory_data_in(
    repo: GraphRepository, territory_id: str | None
) -> tuple[SharingData, dict[str, _Owner]]:
    """`territory_data` on a repository (a run's worker process has no service context)."""
    dataset = repo.export_dataset(territory_id)
    site_ids = [s.id for s in dataset.sites]
    store = SharingStore(repo)
    data = SharingData(
        dataset, store.offers(site_ids), store.needs(site_ids), load_categories(), load_travel()
    )
    firms = {f.id: f.name for f in dataset.firms}
    owners = {
        s.id: _Owner(s.firm_id, firms.get(s.firm_id, s.firm_id), s.name, s.territory_id)
        for s in dataset.sites
    }
    return data, owners


def _may_see_record(ctx: ServiceContext, p: Principal, owner: _Owner, level: Confidentiality) -> bool:
    if p.role is Role.ANALYST:
        return False
    if may_see_place(ctx, p, owner.firm_id, owner.territory_id):
        return True
    return p.role is Role.COMPANY and level is Confidentiality.PUBLIC


def _no_analyst(p: Principal) -> None:
    p.require(Role.ADMIN, Role.AGENCY, Role.COMPANY)


def _record(r: Offer | Need, owner: _Owner) -> dict[str, Any]:
    hours = r.free if isinstance(r, Offer) else r.hours
    out: dict[str, Any] = {
        "id": r.id, "kind": "offer" if isinstance(r, Offer) else "need", "site_id": r.site_id,
        "site_name": owner.site_name, "firm_id": owner.firm_id, "firm_name": owner.firm_name,
        "category": r.category, "capacity": r.capacity, "slots": [int(h) for h in np.flatnonzero(hours)],
        "slots_text_fr": describe(hours, "fr"), "slots_text_en": describe(hours, "en"),
        "months": [m + 1 for m in range(12) if r.months >> m & 1],
        "valid_from": r.valid_from.isoformat() if r.valid_from else None,
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
        "recurring": r.recurring, "confidentiality": r.confidentiality.value,
    }  # fmt: skip
    if isinstance(r, Offer):
        out |= {"name": r.name, "price_eur_per_unit_h": r.price_eur_per_unit_h}
    return out


def list_records(
    ctx: ServiceContext, p: Principal, kind: str, territory_id: str | None
) -> list[dict[str, Any]]:
    """Offers (``kind='offer'``) or needs the caller may see, in a territory or everywhere."""
    _no_analyst(p)
    data, owners = territory_data(ctx, territory_id)
    records: list[Offer | Need] = list(data.offers if kind == "offer" else data.needs)
    return [
        _record(r, owners[r.site_id])
        for r in records
        if _may_see_record(ctx, p, owners[r.site_id], r.confidentiality)
    ]


def matches(
    ctx: ServiceContext, p: Principal, territory_id: str, year: int, lang: str
) -> list[dict[str, Any]]:
    """Fits and near-misses of the territory; a company gets only the pairs it is part of."""
    _no_analyst(p)
    if p.role is Role.AGENCY and territory_id not in (territory_scope(ctx, p) or []):
        raise NotFound("territory", territory_id)
    data, owners = territory_data(ctx, territory_id)
    m, _ = match(data, year)
    disclosed = disclosed_partners(ctx, p.firm_id) if p.role is Role.COMPANY and p.firm_id else set()
    out = []
    for k in range(len(m.need)):
        need, offer = data.needs[int(m.need[k])], data.offers[int(m.offer[k])]
        n_owner, o_owner = owners[need.site_id], owners[offer.site_id]
        row = {
            "need_id": need.id, "offer_id": offer.id, "category": need.category,
            "fits": bool(m.failed[k] == 0),
            "distance_km": round(float(m.distance_km[k]), 1),
            "cost_avoided_eur_per_yr": round(float(m.cost_avoided_eur[k]), 2),
            "co2_avoided_t_per_yr": round(float(m.co2_avoided_t[k]), 4),
        }  # fmt: skip
        if p.role is not Role.COMPANY:
            if not may_see_place(ctx, p, n_owner.firm_id, n_owner.territory_id):
                continue
            out.append(
                row | _names(need, offer, n_owner, o_owner) | {"explanation": explain(data, m, k, lang)}
            )
            continue
        own_need, own_offer = n_owner.firm_id == p.firm_id, o_owner.firm_id == p.firm_id
        if not (own_need or own_offer):
            continue
        partner, partner_record = (o_owner, offer) if own_need else (n_owner, need)
        if own_need and own_offer:
            why = "own_firm"
        elif partner_record.confidentiality is Confidentiality.PUBLIC:
            why = "public"
        elif partner.firm_id in disclosed:
            why = "consent"
        else:
            why = "none"
        side = {"own_side": "need" if own_need else "offer", "disclosed_by": why}
        if why != "none":
            out.append(
                row
                | _names(need, offer, n_owner, o_owner)
                | side
                | {"explanation": explain(data, m, k, lang), "disclosed": True}
            )
            continue
        lo, hi = band(partner_record.capacity)
        out.append({
            "need_id": need.id if own_need else None, "offer_id": offer.id if own_offer else None,
            "category": need.category, "fits": row["fits"], "distance_km": round(float(m.distance_km[k])),
            "partner_ref": partner_ref(ctx, p.firm_id or "", partner.firm_id),
            "partner_capacity_range": [lo, hi], "disclosed": False, **side,
        })  # fmt: skip
    return out


def _names(need: Need, offer: Offer, n_owner: _Owner, o_owner: _Owner) -> dict[str, Any]:
    return {
        "need_site": n_owner.site_name, "need_firm": n_owner.firm_name, "offer_name": offer.name,
        "offer_site": o_owner.site_name, "offer_firm": o_owner.firm_name,
        "need_capacity": need.capacity, "offer_capacity": offer.capacity,
    }  # fmt: skip


ALLOCATION_KIND = "sharing_allocation"  # a run's ``kind`` in the runs queue (symbiosis.services.runs)


def start_allocation(
    ctx: ServiceContext, jobs: JobRunner, p: Principal, params: dict[str, Any]
) -> dict[str, Any]:
    """Queue the allocation of a territory's needs to its offers as a run (facilitators only): it
    is a MILP that may take a minute, so it runs in a worker process like the optimiser's runs —
    with progress, cancel, and its result in ``GET /runs/{id}``. With ``book`` the allocation
    becomes bookings at the end of the run."""
    p.require(Role.ADMIN, Role.AGENCY)
    if p.role is Role.AGENCY and params["territory_id"] not in (territory_scope(ctx, p) or []):
        raise NotFound("territory", params["territory_id"])
    _store(ctx)  # the sharing schema exists before the worker reads
    return create_run(ctx, jobs, p, {"kind": ALLOCATION_KIND, **params})


def allocation_job(
    repo: GraphRepository, params: dict[str, Any], progress: Callable[[float, str], None]
) -> dict[str, Any]:
    """The body of an allocation run (in the worker process): read, match and allocate, then book
    if asked. Progress messages are in French, as the dashboard shows them."""
    territory_id, year = params["territory_id"], int(params["year"])
    progress(0.1, f"lecture des offres et besoins du territoire {territory_id}")
    data, _ = territory_data_in(repo, territory_id)
    progress(0.3, f"appariement et allocation de {len(data.needs)} besoins sur {len(data.offers)} offres")
    result = run_sharing(data, year, float(params["carbon_price_eur_per_t"]), float(params["time_limit_s"]))
    out = allocation_summary(data, result, territory_id, year, float(params["carbon_price_eur_per_t"]))
    if params.get("book"):
        progress(0.9, f"réservation de {len(out['allocated'])} paires allouées")
        made, refused = book_allocation(SharingStore(repo), data, result)
        out |= {"bookings_made": len(made), "bookings_refused": refused}
    return out


def allocation_summary(
    data: SharingData, result: SharingResult, territory_id: str, year: int, carbon_price: float
) -> dict[str, Any]:
    """An allocation's result as the API gives it: value, gap, pairs and occupancy before/after."""
    chosen = result.allocated()
    pairs = [
        {
            "need_id": data.needs[int(chosen.need[k])].id,
            "offer_id": data.offers[int(chosen.offer[k])].id,
            "cost_avoided_eur_per_yr": float(chosen.cost_avoided_eur[k]),
            "co2_avoided_t_per_yr": float(chosen.co2_avoided_t[k]),
        }  # fmt: skip
        for k in range(len(chosen.need))
    ]
    occupancy = [
        {
            "offer_id": data.offers[o.offer_index].id,
            "offer_name": data.offers[o.offer_index].name,
            "hours_before": o.hours_before,
            "hours_after": o.hours_after,
            "before": o.before.astype(int).tolist(),
            "after": o.after.astype(int).tolist(),
        }  # fmt: skip
        for o in result.occupancy
    ]
    return {
        "kind": ALLOCATION_KIND, "territory_id": territory_id, "year": year,
        "carbon_price_eur_per_t": carbon_price,
        "value_eur_per_yr": result.allocation.value_eur, "bound_eur_per_yr": result.allocation.bound_eur,
        "gap": result.allocation.gap, "status": result.allocation.status, "allocated": pairs,
        "occupancy": occupancy, "bookings_made": 0, "bookings_refused": [],
        "kpis": {"value_eur_per_yr": result.allocation.value_eur, "gap": result.allocation.gap,
                 "pairs": len(pairs)},
    }  # fmt: skip


def _visible_offer(ctx: ServiceContext, p: Principal, offer_id: str) -> tuple[Offer, _Owner]:
    data, owners = territory_data(ctx, None)
    offer = next((o for o in data.offers if o.id == offer_id), None)
    if offer is None or not _may_see_record(ctx, p, owners[offer.site_id], offer.confidentiality):
        raise NotFound("offer", offer_id)
    return offer, owners[offer.site_id]


def _booking_props(b: Booking) -> dict[str, Any]:
    return {
        "id": b.id, "offer_id": b.offer_id, "need_id": b.need_id, "capacity": b.capacity,
        "hours": list(b.hours),
        "hours_text_fr": describe(_mask(b.hours), "fr"), "months": list(b.months),
        "first_day": b.first_day.isoformat(), "last_day": b.last_day.isoformat(), "status": b.status,
    }  # fmt: skip


def _mask(hours: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(168, dtype=bool)
    out[list(hours)] = True
    return out


def book(ctx: ServiceContext, p: Principal, body: dict[str, Any]) -> dict[str, Any]:
    """A booking by the caller: a company books a visible offer for its own firm."""
    _no_analyst(p)
    _visible_offer(ctx, p, body["offer_id"])
    store = _store(ctx)
    b = store.book(
        body["id"], body["offer_id"], body["capacity"], body["hours"], body["first_day"], body["last_day"],
        body.get("months"), need_id=body.get("need_id"), booked_by=p.firm_id or p.user_id,
    )  # fmt: skip
    return _booking_props(b)


def _own_booking(ctx: ServiceContext, p: Principal, booking_id: str) -> Booking:
    """A booking the caller may change: its firm booked it, or it owns the offer, or facilitates it."""
    _no_analyst(p)
    b = _store(ctx).booking(booking_id)
    if b is None:
        raise NotFound("booking", booking_id)
    offer, owner = _visible_offer_or_missing(ctx, p, b)
    mine = b.booked_by in (p.firm_id, p.user_id) or may_see_place(ctx, p, owner.firm_id, owner.territory_id)
    if not mine:
        raise NotFound("booking", booking_id)
    return b


def _visible_offer_or_missing(ctx: ServiceContext, p: Principal, b: Booking) -> tuple[Offer, _Owner]:
    try:
        return _visible_offer(ctx, p, b.offer_id)
    except NotFound:
        raise NotFound("booking", b.id) from None


def cancel(ctx: ServiceContext, p: Principal, booking_id: str) -> dict[str, Any]:
    _own_booking(ctx, p, booking_id)
    return _booking_props(_store(ctx).cancel(booking_id))


def move(ctx: ServiceContext, p: Principal, booking_id: str, body: dict[str, Any]) -> dict[str, Any]:
    _own_booking(ctx, p, booking_id)
    b = _store(ctx).move(booking_id, body["hours"], body["first_day"], body["last_day"], body.get("months"))
    return _booking_props(b)


def list_bookings(ctx: ServiceContext, p: Principal, offer_id: str | None) -> list[dict[str, Any]]:
    """Bookings the caller may see: of offers it facilitates or owns, or booked by its firm."""
    _no_analyst(p)
    data, owners = territory_data(ctx, None)
    offer_owner = {o.id: owners[o.site_id] for o in data.offers}
    out = []
    for b in _store(ctx).bookings(offer_id):
        owner = offer_owner.get(b.offer_id)
        if owner is None:
            continue
        if may_see_place(ctx, p, owner.firm_id, owner.territory_id) or b.booked_by in (p.firm_id, p.user_id):
            out.append(_booking_props(b))
    return out


def calendar_ics(ctx: ServiceContext, p: Principal, offer_id: str | None) -> bytes:
    """The caller's visible bookings as an iCalendar file (weekly recurring events, Paris time)."""
    from symbiosis.sharing.ical import bookings_calendar

    rows = list_bookings(ctx, p, offer_id)
    data, owners = territory_data(ctx, None)
    names = {o.id: (o.name, owners[o.site_id].site_name) for o in data.offers}
    return bookings_calendar(rows, names).to_ical()


def declare(ctx: ServiceContext, p: Principal, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """Declare one offer (``kind='offer'``) or need for a site the caller may write for: a company its
    own sites, an agency the sites of its territories, an admin any. Fields and checks are the
    dataset's (docs/DATA_FORMAT.md, "Sharing"); every problem is reported at once (422)."""
    record, site = _parsed(ctx, p, kind, body)
    store = _store(ctx)
    other = "need" if kind == "offer" else "offer"
    if store.get(other, record.id) is not None:  # one id space for both kinds, as in the dataset
        raise Conflict(f"a sharing {other} with id {record.id!r} exists already")
    try:
        store.create(record)  # the uniqueness constraint decides between concurrent declarations
    except DuplicateKey as exc:
        raise Conflict(str(exc)) from None
    return _record(record, _site_owner(ctx, site))


def _site_owner(ctx: ServiceContext, site: Site) -> _Owner:
    firm = ctx.repo().get_firm(site.firm_id)
    return _Owner(site.firm_id, firm.name if firm else site.firm_id, site.name, site.territory_id)


def _parsed(ctx: ServiceContext, p: Principal, kind: str, body: dict[str, Any]) -> tuple[Offer | Need, Site]:
    """The body parsed with the dataset's checks, for a site the caller may write for."""
    from symbiosis.sharing.records import NEED_COLUMNS, OFFER_COLUMNS, parse_need, parse_offer

    _no_analyst(p)
    columns = OFFER_COLUMNS if kind == "offer" else NEED_COLUMNS
    where = f"{kind} {body.get('id', '')}"
    unknown = [Issue(where, k, body[k], f"a field of {', '.join(columns)}") for k in body if k not in columns]
    if unknown:
        raise InvalidInput(unknown, kind)
    site = visible_site(ctx, p, str(body.get("site_id") or ""))
    cells = {
        k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in body.items()
    }
    issues: list[Issue] = []
    parse = parse_offer if kind == "offer" else parse_need
    record = parse(where, cells, {site.id}, load_categories(), set(), issues)
    if issues:
        raise InvalidInput(issues, kind)
    return record, site


def _owned(ctx: ServiceContext, p: Principal, kind: str, record_id: str) -> tuple[Offer | Need, int]:
    """An offer or need the caller may change (it may write for its site) and its version; one it
    may not change is reported as missing (404), like one that does not exist."""
    _no_analyst(p)
    found = _store(ctx).get(kind, record_id)
    if found is None:
        raise NotFound(kind, record_id)
    try:
        visible_site(ctx, p, found[0].site_id)
    except NotFound:
        raise NotFound(kind, record_id) from None
    return found


def update(
    ctx: ServiceContext, p: Principal, kind: str, record_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Replace an offer or need by its owner (same fields as declaring; the id is the path's). An
    offer's new capacity and hours must still hold its active bookings (409 naming them)."""
    _, version = _owned(ctx, p, kind, record_id)
    if "id" in body and str(body["id"]) != record_id:
        where = f"{kind} {record_id}"
        raise InvalidInput([Issue(where, "id", body["id"], f"{record_id!r} (the path's id)")], kind)
    record, site = _parsed(ctx, p, kind, {**body, "id": record_id})
    store = _store(ctx)
    if isinstance(record, Offer):
        broken = unfit_bookings(record.capacity, record.free, store.bookings(record_id))
        if broken:
            raise Conflict(
                f"offer {record_id!r}: the change would break active bookings ({'; '.join(broken[:5])})"
            )
    if not store.replace(record, version):
        raise Conflict(f"{kind} {record_id!r} changed meanwhile (a booking or another update): read it again")
    return _record(record, _site_owner(ctx, site))


def delete(ctx: ServiceContext, p: Principal, kind: str, record_id: str) -> None:
    """Delete an offer or need by its owner; refused (409 naming them) while active bookings hold it."""
    _owned(ctx, p, kind, record_id)
    holding = _store(ctx).delete(kind, record_id)
    if holding:
        raise Conflict(
            f"{kind} {record_id!r} has active bookings {', '.join(holding)}: cancel them first "
            "(DELETE /sharing/bookings/{id})"
        )
