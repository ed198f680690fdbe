"""Offers, needs and bookings of shared assets in the real store, on every engine (issue 19).

The guarantee tested hardest: two bookings never take the same capacity in the same hour, even
when 20 clients book at once — checked by recomputing every hour's load from what the store holds.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from symbiosis.errors import DuplicateKey, InvalidInput, SymbiosisError
from symbiosis.graph import GraphRepository
from symbiosis.graph.sharing_store import Booking, BookingConflict, SharingStore, unfit_bookings
from symbiosis.knowledge import load_knowledge_base
from symbiosis.sharing.records import read_sharing
from symbiosis.sharing.slots import parse_slots

pytestmark = pytest.mark.graph

EXAMPLE = Path(__file__).resolve().parents[2] / "datasets" / "sharing_plaine_ain"
CLIENTS = 20
JAN, DEC = date(2026, 1, 1), date(2026, 12, 31)
TUE_EVENING = [int(h) for h in np.flatnonzero(parse_slots("mar 19:00-22:00"))]


@pytest.fixture(scope="module")
def example():  # noqa: ANN201
    return read_sharing(EXAMPLE, load_knowledge_base())


@pytest.fixture
def sharing(graph: GraphRepository, example) -> SharingStore:  # noqa: ANN001
    """The example park's sites, offers and needs in an emptied store."""
    store = SharingStore(graph)
    store.ensure_schema()
    graph.import_dataset(example.dataset)
    store.save(example.offers, example.needs)
    return store


def test_schema_and_round_trip(sharing: SharingStore, example) -> None:  # noqa: ANN001
    names = sharing.repo.schema_names()
    for name in ("sharingoffer_id", "sharingneed_id", "sharingbooking_id", "sharing_booking_offer"):
        assert name in names
    back = {o.id: o for o in sharing.offers()}
    assert set(back) == {o.id for o in example.offers}
    for o in example.offers:
        b = back[o.id]
        assert (b.free == o.free).all() and (b.used == o.used).all()
        assert (b.capacity, b.months, b.valid_from, b.valid_to, b.max_distance_km, b.confidentiality) == (
            o.capacity, o.months, o.valid_from, o.valid_to, o.max_distance_km, o.confidentiality,
        )  # fmt: skip
    needs = {n.id: n for n in sharing.needs()}
    for n in example.needs:
        m = needs[n.id]
        assert (m.hours == n.hours).all() and m.budget_eur_per_unit_h == n.budget_eur_per_unit_h
        assert (m.site_id, m.category, m.capacity, m.recurring) == (
            n.site_id,
            n.category,
            n.capacity,
            n.recurring,
        )
    mairie = [o.id for o in sharing.offers(site_ids=["mairie_sv_site"])]
    assert mairie == ["salle_mairie"]
    sharing.save(example.offers[:1], [])  # saving again replaces, never duplicates
    assert len(sharing.offers()) == len(example.offers)


def test_offers_of_unknown_sites_are_refused_whole(sharing: SharingStore, example) -> None:  # noqa: ANN001
    from dataclasses import replace

    ghost = replace(example.offers[0], id="ghost", site_id="nowhere")
    with pytest.raises(InvalidInput, match="nowhere"):
        sharing.save([example.offers[1], ghost], [])
    assert "ghost" not in {o.id for o in sharing.offers()}


def test_capacity_is_shared_hour_by_hour(sharing: SharingStore) -> None:
    # the mairie's hall: 400 m², free Mon–Fri 18:00–23:00 and Saturday
    sharing.book("b1", "salle_mairie", 300, TUE_EVENING, JAN, DEC, need_id="sport_meca")
    with pytest.raises(BookingConflict, match=r"slot 43: 300 of 400 booked"):
        sharing.book("b2", "salle_mairie", 100.5, TUE_EVENING, JAN, DEC)
    sharing.book("b3", "salle_mairie", 100, TUE_EVENING, JAN, DEC)  # exactly full
    with pytest.raises(BookingConflict):
        sharing.book("b4", "salle_mairie", 1, [43], JAN, DEC)
    sharing.book("b5", "salle_mairie", 400, [42], JAN, DEC)  # 18:00 was still free
    # other dates, other months: the same hours are free again
    sharing.book("b6", "salle_mairie", 400, TUE_EVENING, date(2027, 1, 1), date(2027, 3, 31))
    with pytest.raises(BookingConflict, match="not offered"):
        sharing.book("b7", "salle_mairie", 1, [10], JAN, DEC)  # Monday 10:00 is the owner's
    assert [b.id for b in sharing.bookings("salle_mairie")] == ["b1", "b3", "b5", "b6"]
    assert sharing.booking("b1").need_id == "sport_meca"
    with pytest.raises(DuplicateKey, match="id"):
        sharing.book("b1", "salle_mairie", 1, [66], JAN, DEC)


def test_months_decide_overlap(sharing: SharingStore) -> None:
    sharing.book("summer", "qhse_chimie", 1, [32], JAN, DEC, months=[6, 7, 8])
    sharing.book("winter", "qhse_chimie", 1, [32], JAN, DEC, months=[12, 1])
    with pytest.raises(BookingConflict):
        sharing.book("august", "qhse_chimie", 1, [32], JAN, DEC, months=[8, 9])


def test_cancel_and_move(sharing: SharingStore) -> None:
    sharing.book("a", "chariot_meca", 1, [12], JAN, DEC)
    sharing.book("b", "chariot_meca", 1, [13], JAN, DEC)
    with pytest.raises(BookingConflict):
        sharing.move("b", [12], JAN, DEC)  # into a's hour
    assert sharing.booking("b").hours == (13,)  # unchanged
    moved = sharing.move("b", [17, 18], JAN, date(2026, 6, 30))
    assert moved.hours == (17, 18) and moved.last_day == date(2026, 6, 30)
    assert sharing.cancel("a").status == "cancelled"
    sharing.book("c", "chariot_meca", 1, [12], JAN, DEC)  # a's hour is free again
    with pytest.raises(SymbiosisError, match="no active booking"):
        sharing.cancel("a")
    with pytest.raises(SymbiosisError, match="no active booking"):
        sharing.move("a", [12], JAN, DEC)
    assert [b.id for b in sharing.bookings(status="cancelled")] == ["a"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"hours": [168]}, "hours"),
        ({"hours": [-1]}, "hours"),
        ({"hours": []}, "hours"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"last_day": date(2025, 12, 31)}, "last_day"),
        ({"months": [13]}, "months"),
    ],
)
def test_bad_bookings_name_the_field(sharing: SharingStore, kwargs: dict, field: str) -> None:
    args = {"hours": [42], "capacity": 1, "last_day": DEC, "months": None, **kwargs}
    with pytest.raises(InvalidInput) as err:
        sharing.book(
            "x", "salle_mairie", args["capacity"], args["hours"], JAN, args["last_day"], args["months"]
        )
    assert [i.field for i in err.value.issues] == [field]
    assert sharing.bookings("salle_mairie") == []


def test_unknown_offer(sharing: SharingStore) -> None:
    with pytest.raises(SymbiosisError, match="no such offer"):
        sharing.book("x", "nope", 1, [42], JAN, DEC)


def _race(book) -> list[str]:  # noqa: ANN001
    barrier = threading.Barrier(CLIENTS)

    def one(i: int) -> str:
        barrier.wait()
        try:
            book(i)
        except BookingConflict:
            return "conflict"
        return "booked"

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(CLIENTS)))


def _loads(sharing: SharingStore, offer_id: str) -> np.ndarray:
    """Every hour's booked capacity, recomputed from the store (all bookings span the same dates)."""
    load = np.zeros(168)
    for b in sharing.bookings(offer_id):
        load[list(b.hours)] += b.capacity
    return load


def test_twenty_concurrent_clients_never_double_book(sharing: SharingStore) -> None:
    # 400 m², 20 clients each want 100 m² on Tuesday evening: exactly four get it
    outcomes = _race(lambda i: sharing.book(f"c{i}", "salle_mairie", 100, TUE_EVENING, JAN, DEC))
    assert outcomes.count("booked") == 4 and outcomes.count("conflict") == 16
    assert _loads(sharing, "salle_mairie").max() == 400


def test_twenty_concurrent_clients_with_overlapping_hours(sharing: SharingStore) -> None:
    # the forklift (1 machine) is free Mon–Fri 12–14 and 17–20: 20 clients ask for random runs
    rng = np.random.default_rng(19)
    free = [h for d in range(5) for h in (*range(d * 24 + 12, d * 24 + 14), *range(d * 24 + 17, d * 24 + 20))]
    asks = [
        sorted(rng.choice(free, size=int(rng.integers(1, 4)), replace=False).tolist()) for _ in range(CLIENTS)
    ]
    outcomes = _race(lambda i: sharing.book(f"f{i}", "chariot_meca", 1, asks[i], JAN, DEC))
    load = _loads(sharing, "chariot_meca")
    assert load.max() <= 1  # never two bookings of the one forklift in the same hour
    booked = {b.id for b in sharing.bookings("chariot_meca")}
    assert booked == {f"f{i}" for i, o in enumerate(outcomes) if o == "booked"}
    # every refused client asked for an hour that a booked one holds
    for i, o in enumerate(outcomes):
        if o == "conflict":
            assert any(load[h] >= 1 for h in asks[i])


def test_an_accepted_allocation_becomes_bookings(sharing: SharingStore, example) -> None:  # noqa: ANN001
    from symbiosis.graph.sharing_store import book_allocation
    from symbiosis.sharing.service import run_sharing

    result = run_sharing(example, 2026, 100.0)
    made, refused = book_allocation(sharing, example, result)
    assert refused == [] and len(made) == len(result.allocated_rows) == 15
    convention = sharing.booking("convention_startup--cinema_salle--2026")
    assert (convention.first_day, convention.last_day) == (date(2026, 3, 1), date(2026, 3, 31))
    assert convention.hours == (81, 82, 83) and convention.capacity == 120  # Thursday 09:00–12:00
    made_again, refused_again = book_allocation(sharing, example, result)
    assert made_again == [] and len(refused_again) == 15  # accepting twice books nothing twice
    # the losing Tuesday-evening need now cannot squeeze in beside the winner
    with pytest.raises(BookingConflict):
        sharing.book("late", "salle_mairie", 300, TUE_EVENING, JAN, DEC)


def test_twenty_concurrent_creates_of_one_offer_id(sharing: SharingStore, example) -> None:  # noqa: ANN001
    """CREATE, not MERGE: of 20 simultaneous declarations of one new id, one wins, 19 are told."""
    base = next(o for o in example.offers if o.id == "chariot_meca")
    barrier = threading.Barrier(CLIENTS)

    def one(i: int) -> str:
        barrier.wait()
        try:
            sharing.create(replace(base, id="new_offer", capacity=float(i + 1)))
        except DuplicateKey as exc:
            assert exc.field == "id" and exc.value == "new_offer"
            return "duplicate"
        return "created"

    with ThreadPoolExecutor(CLIENTS) as pool:
        outcomes = list(pool.map(one, range(CLIENTS)))
    assert outcomes.count("created") == 1 and outcomes.count("duplicate") == CLIENTS - 1
    assert [o.id for o in sharing.offers()].count("new_offer") == 1
    assert sharing.get("offer", "new_offer")[0].capacity == outcomes.index("created") + 1


def test_replace_and_delete(sharing: SharingStore) -> None:
    offer, version = sharing.get("offer", "salle_mairie")
    assert sharing.replace(replace(offer, capacity=500.0), version)
    assert sharing.get("offer", "salle_mairie")[0].capacity == 500
    assert not sharing.replace(offer, version)  # read before the last change: refused
    sharing.book("b1", "salle_mairie", 300, TUE_EVENING, JAN, DEC)
    assert sharing.delete("offer", "salle_mairie") == ["b1"]  # held: nothing deleted
    assert sharing.get("offer", "salle_mairie") is not None
    sharing.cancel("b1")
    assert sharing.delete("offer", "salle_mairie") == []
    assert sharing.get("offer", "salle_mairie") is None
    assert sharing.booking("b1").status == "cancelled"  # the history stays
    assert sharing.delete("need", "sport_meca") == [] and sharing.get("need", "sport_meca") is None


def _peak_day_by_day(bookings: list[Booking]) -> np.ndarray:
    """Oracle: every day of every booking walked one by one."""
    peak = np.zeros(168)
    days = {b.first_day + timedelta(d) for b in bookings for d in range((b.last_day - b.first_day).days + 1)}
    for day in days:
        load = np.zeros(168)
        for b in bookings:
            if b.first_day <= day <= b.last_day and day.month in b.months:
                load[list(b.hours)] += b.capacity
        peak = np.maximum(peak, load)
    return peak


def test_unfit_bookings_agrees_with_a_day_by_day_walk() -> None:
    rng = np.random.default_rng(7)
    for trial in range(30):
        bookings = []
        for i in range(int(rng.integers(1, 6))):
            first = date(2026, 1, 1) + timedelta(int(rng.integers(0, 500)))
            months = sorted({int(m) for m in rng.integers(1, 13, size=int(rng.integers(1, 5)))})
            bookings.append(Booking(f"b{i}", "o", None, float(rng.integers(1, 4)),
                                    tuple(sorted({int(h) for h in rng.integers(40, 44, size=2)})),
                                    tuple(months), first, first + timedelta(int(rng.integers(0, 400))),
                                    "active"))  # fmt: skip
        peak = _peak_day_by_day(bookings)
        free = np.zeros(168, dtype=bool)
        free[40:44] = True
        top = peak.max()
        assert unfit_bookings(top, free, bookings) == [], trial  # exactly enough
        if top > 0:
            over = unfit_bookings(top - 0.5, free, bookings)  # half a unit short: those hours named
            assert {int(line.split()[2][:-1]) for line in over} == set(np.flatnonzero(peak > top - 0.5))
    narrower = np.zeros(168, dtype=bool)
    narrower[41:44] = True
    lost = Booking("b", "o", None, 1.0, (40, 41), tuple(range(1, 13)), JAN, DEC, "active")
    assert unfit_bookings(9, narrower, [lost]) == ["booking b: hour slot(s) [40] no longer offered"]
