"""Offers, needs and bookings of shared assets in the graph store (issue 19).

Beside firms and sites: ``(:Site)-[:OFFERS]->(:SharingOffer)``, ``(:Site)-[:SEEKS]->(:SharingNeed)``,
``(:SharingBooking)-[:BOOKS]->(:SharingOffer)`` and ``-[:FOR_NEED]->(:SharingNeed)``; ids unique,
categories and a booking's offer indexed (`queries.SHARING_SCHEMA`).

**No double booking.** A booking is created by one statement (`queries.SHARING_BOOK`) that first
writes its offer node, then sums, hour by hour, the capacity of the active bookings of that offer
overlapping in dates and months, and creates the booking only if every hour still fits. Writing
the offer first serialises concurrent bookings of one offer on both engines (Neo4j: the node's
write lock; ArcadeDB: all but one concurrent commit fail and are retried by the driver), so the
check always sees every booking committed before it — proven with 20 concurrent clients on each
engine (tests/graph/test_sharing_store.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
from neo4j.exceptions import ConstraintError

from symbiosis.domain.enums import Confidentiality
from symbiosis.errors import DuplicateKey, InvalidInput, Issue, SymbiosisError
from symbiosis.graph import queries as q
from symbiosis.graph.repository import GraphRepository
from symbiosis.sharing.records import ALL_MONTHS, Need, Offer, SharingData
from symbiosis.sharing.service import SharingResult
from symbiosis.sharing.slots import HOURS_PER_WEEK

YEAR_START, YEAR_END = "0001-01-01", "9999-12-31"  # an open validity, as ISO text compares


class BookingConflict(SymbiosisError):
    """The capacity asked is no longer free at one of the hours (or the hours are not offered)."""


@dataclass(frozen=True)
class Booking:
    id: str
    offer_id: str
    need_id: str | None
    capacity: float
    hours: tuple[int, ...]  # weekly slots 0–167
    months: tuple[int, ...]  # 1–12
    first_day: date
    last_day: date
    status: str  # active | cancelled
    booked_by: str | None = None

    @classmethod
    def from_props(cls, p: dict) -> Booking:
        return cls(
            id=p["id"],
            offer_id=p["offer_id"],
            need_id=p.get("need_id"),
            capacity=float(p["capacity"]),
            hours=tuple(int(h) for h in p["hours"]),
            months=tuple(int(m) for m in p["months"]),
            first_day=date.fromisoformat(p["first_day"]),
            last_day=date.fromisoformat(p["last_day"]),
            status=p["status"],
            booked_by=p.get("booked_by"),
        )


def _slots(mask: np.ndarray) -> list[int]:
    return [int(h) for h in np.flatnonzero(mask)]


def _months(mask: int) -> list[int]:
    return [m + 1 for m in range(12) if mask >> m & 1]


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _common_props(r: Offer | Need) -> dict:
    return {
        "id": r.id,
        "site_id": r.site_id,
        "category": r.category,
        "capacity": float(r.capacity),
        "months": _months(r.months),
        "valid_from": r.valid_from.isoformat() if r.valid_from else None,
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
        "recurring": r.recurring,
        "max_distance_km": _finite(r.max_distance_km),
        "confidentiality": r.confidentiality.value,
        "is_estimate": r.is_estimate,
        "source": r.source,
    }


def offer_props(o: Offer) -> dict:
    return {
        **_common_props(o),
        "name": o.name,
        "free": _slots(o.free),
        "used": _slots(o.used),
        "price_eur_per_unit_h": o.price_eur_per_unit_h,
    }


def need_props(n: Need) -> dict:
    return {
        **_common_props(n),
        "hours": _slots(n.hours),
        "budget_eur_per_unit_h": _finite(n.budget_eur_per_unit_h),
    }


def _mask(slots: list[int]) -> np.ndarray:
    out = np.zeros(HOURS_PER_WEEK, dtype=bool)
    out[list(slots)] = True
    return out


def _month_mask(months: list[int]) -> int:
    return sum(1 << (int(m) - 1) for m in months) or ALL_MONTHS


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def offer_from_props(p: dict) -> Offer:
    return Offer(
        id=p["id"], site_id=p["site_id"], category=p["category"], name=p.get("name") or p["id"],
        capacity=float(p["capacity"]), free=_mask(p["free"]), used=_mask(p["used"]),
        months=_month_mask(p["months"]), valid_from=_day(p.get("valid_from")),
        valid_to=_day(p.get("valid_to")), recurring=bool(p["recurring"]),
        price_eur_per_unit_h=float(p["price_eur_per_unit_h"]),
        max_distance_km=math.inf if p.get("max_distance_km") is None else float(p["max_distance_km"]),
        confidentiality=Confidentiality(p["confidentiality"]), is_estimate=bool(p["is_estimate"]),
        source=p.get("source"),
    )  # fmt: skip


def need_from_props(p: dict) -> Need:
    budget = p.get("budget_eur_per_unit_h")
    return Need(
        id=p["id"], site_id=p["site_id"], category=p["category"], capacity=float(p["capacity"]),
        hours=_mask(p["hours"]), months=_month_mask(p["months"]), valid_from=_day(p.get("valid_from")),
        valid_to=_day(p.get("valid_to")), recurring=bool(p["recurring"]),
        budget_eur_per_unit_h=float(budget) if budget is not None else math.inf,
        max_distance_km=float(p["max_distance_km"]), confidentiality=Confidentiality(p["confidentiality"]),
        is_estimate=bool(p["is_estimate"]), source=p.get("source"),
    )  # fmt: skip


_LABELS = {"offer": "SharingOffer", "need": "SharingNeed"}
_NAMES = {"SharingOffer": "sharing offer", "SharingNeed": "sharing need", "SharingBooking": "SharingBooking"}


def _label_and_props(record: Offer | Need) -> tuple[str, dict]:
    if isinstance(record, Offer):
        return "SharingOffer", offer_props(record)
    return "SharingNeed", need_props(record)


def unfit_bookings(capacity: float, free: np.ndarray, bookings: list[Booking]) -> list[str]:
    """What an offer changed to ``capacity`` units at ``free`` weekly hours would break among its
    active ``bookings``: one line per booking at hours no longer offered, and one per hour whose
    peak load exceeds the capacity. The peak is exact: the set of bookings running on a day only
    grows at a booking's first day or a month's first day, so checking those days (up to a year
    past the last start, after which the set only shrinks) covers every day."""
    active = [b for b in bookings if b.status == "active"]
    out = [
        f"booking {b.id}: hour slot(s) {sorted(set(b.hours) - set(_slots(free)))} no longer offered"
        for b in active
        if not set(b.hours) <= set(_slots(free))
    ]
    if not active:
        return out
    starts = sorted({b.first_day for b in active})
    days = set(starts)
    y, m = starts[0].year, starts[0].month
    last = date(starts[-1].year + 1, starts[-1].month, 1)
    while (first_of_month := date(y, m, 1)) <= last:
        days.add(first_of_month)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    points = sorted(days)
    running = np.array(
        [[b.first_day <= d <= b.last_day and d.month in b.months for b in active] for d in points]
    )  # days × bookings
    use = np.zeros((len(active), HOURS_PER_WEEK))
    for i, b in enumerate(active):
        use[i, list(b.hours)] = b.capacity
    load = running.astype(float) @ use  # days × hours
    peak = load.max(axis=0)
    for h in np.flatnonzero(peak > capacity + 1e-9):
        day = points[int(load[:, h].argmax())]
        out.append(f"hour slot {int(h)}: {peak[h]:g} booked on {day.isoformat()}, more than {capacity:g}")
    return out


class SharingStore:
    """The sharing part of the graph, through the repository's managed write transactions."""

    def __init__(self, repo: GraphRepository) -> None:
        self.repo = repo

    def ensure_schema(self) -> None:
        for statement in q.SHARING_SCHEMA:
            self.repo.run(statement)

    # --- offers and needs ----------------------------------------------------------------------

    def save(self, offers: list[Offer], needs: list[Need]) -> tuple[int, int]:
        """Create or replace offers and needs (their sites must be in the store already)."""
        records: list[Offer | Need] = [*offers, *needs]
        site_ids = {r.site_id for r in records}
        known = {rec["id"] for rec in self.repo.read(q.SHARING_SITES_KNOWN, ids=list(site_ids))}
        missing = [
            Issue(
                f"{'offer' if isinstance(r, Offer) else 'need'} {r.id}",
                "site_id",
                r.site_id,
                "a site in the store",
            )
            for r in records
            if r.site_id not in known
        ]
        if missing:
            raise InvalidInput(missing, "sharing offers and needs")
        if offers:
            self.repo.write(q.SHARING_UPSERT["SharingOffer"], rows=[offer_props(o) for o in offers])
        if needs:
            self.repo.write(q.SHARING_UPSERT["SharingNeed"], rows=[need_props(n) for n in needs])
        return len(offers), len(needs)

    def create(self, record: Offer | Need) -> None:
        """Create ONE new offer or need: `DuplicateKey` naming ``id`` when it is taken, even by a
        concurrent create (the uniqueness constraint decides, not a read before the write)."""
        label, props = _label_and_props(record)
        try:
            recs = self.repo.write(q.SHARING_CREATE[label], row=props)
        except ConstraintError:
            raise DuplicateKey(_NAMES[label], "id", record.id) from None
        if not recs:
            raise InvalidInput([Issue(f"{_NAMES[label]} {record.id}", "site_id", record.site_id,
                                      "a site in the store")], _NAMES[label])  # fmt: skip

    def get(self, kind: str, record_id: str) -> tuple[Offer | Need, int] | None:
        """One offer (``kind='offer'``) or need and its version (bumped by every booking, move,
        replacement), or None."""
        label = _LABELS[kind]
        recs = self.repo.read(q.SHARING_GET[label], id=record_id)
        if not recs:
            return None
        props = dict(recs[0]["props"])
        record = offer_from_props(props) if kind == "offer" else need_from_props(props)
        return record, int(props.get("booking_version") or 0)

    def replace(self, record: Offer | Need, version: int) -> bool:
        """Replace an offer or need read at ``version``; False when it changed meanwhile (a booking,
        another replacement) or is gone — the caller re-reads and decides again."""
        label, props = _label_and_props(record)
        return bool(self.repo.write(q.SHARING_REPLACE[label], row=props, version=version))

    def delete(self, kind: str, record_id: str) -> list[str]:
        """Delete an offer or need that no active booking holds. Returns [] when deleted, else the
        ids of the active bookings that hold it (nothing is deleted then: they must be cancelled
        first, by the booker or the owner, so nobody loses a booking without being told)."""
        label = _LABELS[kind]
        if self.repo.write(q.SHARING_DELETE[label], id=record_id):
            return []
        return [r["id"] for r in self.repo.read(q.SHARING_ACTIVE_FOR[label], id=record_id)]

    def offers(self, site_ids: list[str] | None = None) -> list[Offer]:
        return [
            offer_from_props(dict(r["props"]))
            for r in self.repo.read(q.SHARING_LIST["SharingOffer"], site_ids=site_ids)
        ]

    def needs(self, site_ids: list[str] | None = None) -> list[Need]:
        return [
            need_from_props(dict(r["props"]))
            for r in self.repo.read(q.SHARING_LIST["SharingNeed"], site_ids=site_ids)
        ]

    # --- bookings ------------------------------------------------------------------------------

    def book(
        self,
        booking_id: str,
        offer_id: str,
        capacity: float,
        hours: list[int],
        first_day: date,
        last_day: date,
        months: list[int] | None = None,
        need_id: str | None = None,
        booked_by: str | None = None,
    ) -> Booking:
        """Book ``capacity`` units of an offer at weekly ``hours`` between two dates, or raise
        `BookingConflict` naming what is taken; bad arguments raise `InvalidInput`."""
        months = sorted(set(months or range(1, 13)))
        self._check(booking_id, capacity, hours, first_day, last_day, months)
        try:
            recs = self.repo.write(
                q.SHARING_BOOK, id=booking_id, offer_id=offer_id, need_id=need_id, capacity=float(capacity),
            hours=sorted(set(hours)), months=months, first_day=first_day.isoformat(),
                last_day=last_day.isoformat(), booked_by=booked_by,
            )  # fmt: skip
        except ConstraintError:
            raise DuplicateKey("SharingBooking", "id", booking_id) from None
        if not recs:
            raise self._conflict(offer_id, capacity, hours, first_day, last_day, months)
        return Booking.from_props(dict(recs[0]["props"]))

    def move(
        self,
        booking_id: str,
        hours: list[int],
        first_day: date,
        last_day: date,
        months: list[int] | None = None,
    ) -> Booking:
        """Move an active booking to other hours or dates of the same offer (all or nothing)."""
        current = self.booking(booking_id)
        if current is None or current.status != "active":
            raise SymbiosisError(f"booking {booking_id!r}: no active booking with this id")
        months = sorted(set(months or range(1, 13)))
        self._check(booking_id, current.capacity, hours, first_day, last_day, months)
        recs = self.repo.write(
            q.SHARING_MOVE, id=booking_id, offer_id=current.offer_id, capacity=current.capacity,
            hours=sorted(set(hours)), months=months,
            first_day=first_day.isoformat(), last_day=last_day.isoformat(),
        )  # fmt: skip
        if not recs:
            raise self._conflict(current.offer_id, current.capacity, hours, first_day, last_day, months)
        return Booking.from_props(dict(recs[0]["props"]))

    def cancel(self, booking_id: str) -> Booking:
        recs = self.repo.write(q.SHARING_CANCEL, id=booking_id)
        if not recs:
            raise SymbiosisError(f"booking {booking_id!r}: no active booking with this id")
        return Booking.from_props(dict(recs[0]["props"]))

    def booking(self, booking_id: str) -> Booking | None:
        recs = self.repo.read(q.SHARING_GET_BOOKING, id=booking_id)
        return Booking.from_props(dict(recs[0]["props"])) if recs else None

    def bookings(self, offer_id: str | None = None, status: str | None = "active") -> list[Booking]:
        return [
            Booking.from_props(dict(r["props"]))
            for r in self.repo.read(q.SHARING_BOOKINGS, offer_id=offer_id, status=status)
        ]

    @staticmethod
    def _check(
        booking_id: str, capacity: float, hours: list[int], first_day: date, last_day: date, months: list[int]
    ) -> None:
        where = f"booking {booking_id}"
        issues = []
        if not booking_id:
            issues.append(Issue(where, "id", booking_id, "a non-empty id"))
        if not (isinstance(capacity, int | float) and math.isfinite(capacity) and capacity > 0):
            issues.append(Issue(where, "capacity", capacity, "a number > 0"))
        if not hours:
            issues.append(Issue(where, "hours", hours, "at least one hour slot"))
        issues += [
            Issue(where, "hours", h, "an hour slot in 0–167") for h in hours if not 0 <= h < HOURS_PER_WEEK
        ]
        if last_day < first_day:
            issues.append(
                Issue(where, "last_day", last_day.isoformat(), f"on or after first_day {first_day}")
            )
        issues += [Issue(where, "months", m, "a month 1–12") for m in months if not 1 <= m <= 12]
        if issues:
            raise InvalidInput(issues, "booking")

    def _conflict(
        self,
        offer_id: str,
        capacity: float,
        hours: list[int],
        first_day: date,
        last_day: date,
        months: list[int],
    ) -> SymbiosisError:
        """Why a booking statement created nothing: unknown offer, hours not offered, or taken."""
        recs = self.repo.read(q.SHARING_LIST["SharingOffer"], site_ids=None)
        offer = next((dict(r["props"]) for r in recs if r["props"]["id"] == offer_id), None)
        if offer is None:
            return SymbiosisError(f"offer {offer_id!r}: no such offer in the store")
        not_free = sorted(set(hours) - set(offer["free"]))
        if not_free:
            return BookingConflict(f"offer {offer_id!r}: hour slot(s) {not_free} are not offered")
        load = np.zeros(HOURS_PER_WEEK)
        for b in self.bookings(offer_id):
            if b.first_day <= last_day and b.last_day >= first_day and set(b.months) & set(months):
                load[list(b.hours)] += b.capacity
        full = [h for h in sorted(set(hours)) if load[h] + capacity > offer["capacity"]]
        taken = ", ".join(f"slot {h}: {load[h]:g} of {offer['capacity']:g} booked" for h in full[:5])
        return BookingConflict(f"offer {offer_id!r}: {capacity:g} more do not fit ({taken})")


def book_allocation(
    store: SharingStore, data: SharingData, result: SharingResult
) -> tuple[list[Booking], list[str]]:
    """An accepted allocation becomes bookings: one per allocated pair, over the pair's dates in the
    run's year and its months. Returns (bookings made, one line per pair refused by the store —
    e.g. capacity booked meanwhile by someone else). Booking ids are ``need--offer--year``, so
    accepting the same allocation twice books nothing twice."""
    made: list[Booking] = []
    refused: list[str] = []
    for _, need, offer, first, last in result.allocated_pairs(data):
        booking_id = f"{need.id}--{offer.id}--{result.year}"
        try:
            made.append(
                store.book(
                    booking_id,
                    offer.id,
                    need.capacity,
                    _slots(need.hours & offer.free),
                    first,
                    last,
                    _months(need.months & offer.months),
                    need_id=need.id,
                    booked_by="allocation",
                )  # fmt: skip
            )
        except (BookingConflict, DuplicateKey) as exc:
            refused.append(f"{booking_id}: {exc}")
    return made, refused
