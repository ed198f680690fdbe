"""The sharing API over a real store, on each engine: who sees which offers, needs, matches and
bookings (the confidentiality matrix extended to sharing), allocation into bookings, bad input.

Its own private store per engine, seeded with the example park (datasets/sharing_plaine_ain)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import icalendar
import pytest
from fastapi.testclient import TestClient
from graph_engines import GRAPH_ENGINES, local_store

from api.helpers import PASSWORD, login, seeded_context
from symbiosis import DATASETS_DIR
from symbiosis.api import create_app
from symbiosis.graph.sharing_store import SharingStore
from symbiosis.services import users
from symbiosis.services.cache import knowledge_base
from symbiosis.services.principal import Role
from symbiosis.sharing.records import read_sharing

pytestmark = pytest.mark.graph

ACCOUNTS = {
    "admin": (Role.ADMIN, [], None),
    "agency": (Role.AGENCY, ["cc_plaine_ain"], None),
    "agency_park": (Role.AGENCY, ["pipa"], None),  # the park only: not the commune's buildings
    "meca": (Role.COMPANY, [], "meca_d"),
    "chimie": (Role.COMPANY, [], "chimie_b"),
    "analyst": (Role.ANALYST, [], None),
}
PUBLIC_OFFERS = {
    "salle_mairie", "gymnase_college", "cinema_salle", "pont_bascule_transport", "cantine_restaurant",
    "creche_berceaux",
}  # fmt: skip


@pytest.fixture(scope="module", params=GRAPH_ENGINES)
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with local_store(request.param, tmp_path_factory.mktemp("sharing-api")) as settings:
        ctx = seeded_context(settings, {})  # the knowledge base and Kalundborg
        data = read_sharing(DATASETS_DIR / "sharing_plaine_ain", knowledge_base())
        ctx.repo().import_dataset(data.dataset)
        store = SharingStore(ctx.repo())
        store.ensure_schema()
        store.save(data.offers, data.needs)
        for name, (role, territories, firm) in ACCOUNTS.items():
            users.create_user_record(ctx, f"{name}@example.org", PASSWORD, role, territories, firm)
        with TestClient(create_app(settings, ctx), raise_server_exceptions=False) as c:
            c.headers_for = {name: login(c, f"{name}@example.org") for name in ACCOUNTS}  # type: ignore[attr-defined]
            yield c
        ctx.close()


def _get(c: TestClient, who: str, path: str, **kw: object):  # noqa: ANN202
    return c.get(path, headers=c.headers_for[who], **kw)  # type: ignore[attr-defined]


def _send(c: TestClient, who: str, method: str, path: str, body: object = None):  # noqa: ANN202
    return c.request(method, path, headers=c.headers_for[who], json=body)  # type: ignore[attr-defined]


def _ids(r) -> set[str]:  # noqa: ANN001
    assert r.status_code == 200, r.text
    return {row["id"] for row in r.json()["data"]}


def test_who_sees_which_offers_and_needs(client: TestClient) -> None:
    every = _ids(_get(client, "admin", "/sharing/offers"))
    assert len(every) == 13 and _ids(_get(client, "agency", "/sharing/offers")) == every
    park = _ids(_get(client, "agency_park", "/sharing/offers"))
    assert "salle_mairie" not in park and "entrepot_logistique" in park
    assert _ids(_get(client, "meca", "/sharing/offers")) == {"chariot_meca"} | PUBLIC_OFFERS
    assert "labo_chimie" in _ids(_get(client, "chimie", "/sharing/offers"))  # its own private offer
    assert "labo_chimie" not in _ids(_get(client, "meca", "/sharing/offers"))
    assert _ids(_get(client, "meca", "/sharing/needs")) == {"sport_meca", "qhse_meca", "creche_meca"}
    assert _get(client, "analyst", "/sharing/offers").status_code == 403
    assert client.get("/sharing/offers").status_code == 401
    row = next(r for r in _get(client, "meca", "/sharing/offers").json()["data"] if r["id"] == "salle_mairie")
    assert (
        row["slots_text_fr"] == "lun–ven 18:00–23:00 ; sam 08:00–20:00"
        and row["firm_name"] == "Mairie (commune du parc)"
    )


def test_matches_redact_the_partner_unless_public_or_consented(client: TestClient) -> None:
    path = "/sharing/matches?territory_id=cc_plaine_ain&year=2026"
    full = _get(client, "agency", path).json()["data"]
    assert any(m["need_id"] == "qhse_agro" for m in full)  # a facilitator sees every pair, named
    mine = _get(client, "meca", path).json()["data"]
    assert all(m["need_id"] in {"sport_meca", "qhse_meca", "creche_meca", None} for m in mine)
    assert not any(m.get("need_id") == "qhse_agro" for m in mine)
    hall = next(m for m in mine if m.get("offer_id") == "salle_mairie")
    assert (
        hall["disclosed"]
        and hall["disclosed_by"] == "public"
        and "votre besoin mar 19:00–22:00" in hall["explanation"]
    )
    hse = next(m for m in mine if m["own_side"] == "need" and m["category"] == "hse_officer")
    assert hse == {
        "need_id": "qhse_meca", "offer_id": None, "category": "hse_officer", "fits": True, "distance_km": 1,
        "partner_ref": hse["partner_ref"], "partner_capacity_range": [1.0, 2.0], "disclosed": False,
        "own_side": "need", "disclosed_by": "none",
    }  # fmt: skip
    # chimie_b sees Mécanique D's need redacted too (it is 'agency'); both consent → disclosed
    theirs = _get(client, "chimie", path).json()["data"]
    assert all(
        not m["disclosed"] for m in theirs if m["own_side"] == "offer" and m["category"] == "hse_officer"
    )
    assert _send(client, "meca", "PUT", f"/consents/{hse['partner_ref']}").status_code == 200
    statuses = _get(client, "chimie", "/consents").json()["data"]
    meca_ref = next(c["partner_ref"] for c in statuses if c["received"])
    assert _send(client, "chimie", "PUT", f"/consents/{meca_ref}").status_code == 200
    after = next(m for m in _get(client, "meca", path).json()["data"] if m.get("need_id") == "qhse_meca")
    assert (
        after["disclosed_by"] == "consent"
        and after["offer_id"] == "qhse_chimie"
        and "libre mar 08:00–12:00" in after["explanation"]
    )
    assert _get(client, "agency_park", "/sharing/matches?territory_id=cc_plaine_ain").status_code == 404
    assert _get(client, "analyst", path).status_code == 403


def test_bookings_by_role_with_conflicts_and_bad_input(client: TestClient) -> None:
    body = {
        "id": "meca_sat",
        "offer_id": "salle_mairie",
        "capacity": 300,
        "hours": [128, 129, 130],
        "first_day": "2026-01-01",
        "last_day": "2026-12-31",
    }  # fmt: skip  (Saturday 08:00–11:00)
    r = _send(client, "meca", "POST", "/sharing/bookings", body)
    assert r.status_code == 201, r.text
    assert r.json()["hours_text_fr"] == "sam 08:00–11:00"
    over = _send(client, "chimie", "POST", "/sharing/bookings", {**body, "id": "chimie_sat", "capacity": 101})
    assert over.status_code == 409 and "300 of 400 booked" in over.json()["detail"]
    assert (
        _send(
            client, "chimie", "POST", "/sharing/bookings", {**body, "id": "chimie_sat", "capacity": 100}
        ).status_code
        == 201
    )
    assert _send(client, "meca", "POST", "/sharing/bookings", body).status_code == 409  # same id again
    for bad, field in (
        ({"hours": [168]}, "hours"),
        ({"capacity": 0}, "capacity"),
        ({"last_day": "2025-12-31"}, ""),
    ):
        r = _send(client, "meca", "POST", "/sharing/bookings", {**body, "id": "bad", **bad})
        assert r.status_code == 422, r.text
        assert field in str(r.json()["errors"])
    # an offer the company may not see is missing to it
    hidden = {**body, "id": "x", "offer_id": "salle_reunion_chimie", "capacity": 1, "hours": [20]}
    assert _send(client, "meca", "POST", "/sharing/bookings", hidden).status_code == 404
    # who sees which booking: the booker, the owner's facilitator; not another company
    assert "meca_sat" in _ids(_get(client, "meca", "/sharing/bookings"))
    assert "meca_sat" not in _ids(_get(client, "chimie", "/sharing/bookings"))
    assert {"meca_sat", "chimie_sat"} <= _ids(_get(client, "agency", "/sharing/bookings"))
    assert _send(client, "chimie", "DELETE", "/sharing/bookings/meca_sat").status_code == 404
    moved = _send(client, "meca", "PATCH", "/sharing/bookings/meca_sat",
                  {"hours": [131, 132], "first_day": "2026-01-01", "last_day": "2026-06-30"})  # fmt: skip
    assert moved.status_code == 200 and moved.json()["hours"] == [131, 132]
    cal = icalendar.Calendar.from_ical(_get(client, "meca", "/sharing/bookings.ics").content)
    starts = [e.decoded("dtstart") for e in cal.walk("VEVENT")]
    assert [(s.date().isoformat(), s.hour) for s in starts] == [("2026-01-03", 11)]  # first Saturday, 11:00
    assert _send(client, "meca", "DELETE", "/sharing/bookings/meca_sat").json()["status"] == "cancelled"


def test_allocation_into_bookings(client: TestClient) -> None:
    body = {"territory_id": "cc_plaine_ain", "year": 2026, "carbon_price_eur_per_t": 100, "book": True}
    assert _send(client, "meca", "POST", "/sharing/allocations", body).status_code == 403
    r = _send(client, "agency", "POST", "/sharing/allocations", body)
    assert r.status_code == 202, r.text  # a run in the runs queue
    run = r.json()
    assert run["kind"] == "sharing_allocation" and run["status"] in ("queued", "running")
    deadline = time.monotonic() + 600  # a guard against a hang, not a speed check
    while run["status"] not in ("done", "failed", "cancelled") and time.monotonic() < deadline:
        time.sleep(0.2)
        run = _get(client, "agency", f"/runs/{run['id']}").json()
    assert run["status"] == "done", run
    assert run["progress"] == 1.0
    assert _get(client, "meca", f"/runs/{run['id']}").status_code == 403  # runs are facilitators'
    doc = run["result"]
    assert doc["kind"] == "sharing_allocation" and doc["kpis"]["pairs"] == 15
    assert len(doc["allocated"]) == 15 and doc["gap"] <= 1e-4
    # bookings made meanwhile by the other test may refuse some pairs; never more than allocated
    assert doc["bookings_made"] + len(doc["bookings_refused"]) == 15
    occ = {o["offer_id"]: o for o in doc["occupancy"]}
    assert occ["parking_logistique"]["hours_before"] == 70 and occ["parking_logistique"]["hours_after"] == 140
    assert _send(client, "agency_park", "POST", "/sharing/allocations", body).status_code == 404


def test_declaring_offers_and_needs(client: TestClient) -> None:
    body = {"id": "meca_atelier", "site_id": "meca_d_site", "category": "workshop", "capacity": 120,
            "slots": "sam 08:00-18:00", "confidentiality": "public",
            "price_eur_per_unit_h": 0.015}  # fmt: skip
    r = _send(client, "meca", "POST", "/sharing/offers", body)
    assert r.status_code == 201, r.text
    assert r.json()["slots_text_fr"] == "sam 08:00–18:00" and r.json()["firm_name"] == "Mécanique D"
    assert "meca_atelier" in _ids(_get(client, "chimie", "/sharing/offers"))  # public: others see it
    assert _send(client, "meca", "POST", "/sharing/offers", body).status_code == 409  # id in use
    other_site = {**body, "id": "x1", "site_id": "chimie_b_site"}
    assert _send(client, "meca", "POST", "/sharing/offers", other_site).status_code == 404
    bad = {**body, "id": "x2", "slots": "170", "capacity": 0, "category": "piscine"}
    r = _send(client, "meca", "POST", "/sharing/offers", bad)
    assert r.status_code == 422
    fields = sorted(e["field"] for e in r.json()["errors"])
    assert fields == ["capacity", "category", "slots"], r.json()
    assert (
        _send(client, "meca", "POST", "/sharing/needs", {**body, "id": "x3", "colour": "blue"}).status_code
        == 422
    )
    need = {"id": "meca_salle", "site_id": "meca_d_site", "category": "meeting_room", "capacity": 8,
            "slots": "jeu 17:00-19:00", "max_distance_km": 5}  # fmt: skip
    assert (
        _send(client, "agency", "POST", "/sharing/needs", need).status_code == 201
    )  # a facilitator, for the firm
    assert "meca_salle" in _ids(_get(client, "meca", "/sharing/needs"))
    assert _send(client, "agency_park", "POST", "/sharing/needs", {**need, "id": "x4",
                 "site_id": "mairie_sv_site"}).status_code == 404  # fmt: skip


def test_twenty_concurrent_declarations_of_one_new_id(client: TestClient) -> None:
    """One 201, nineteen 409 naming the field and the value — never a 500, never two records."""
    bodies = [{"id": "race_offer", "site_id": "meca_d_site", "category": "workshop", "capacity": i + 1,
               "slots": "sam 08:00-18:00", "price_eur_per_unit_h": 0.01} for i in range(20)]  # fmt: skip
    barrier = threading.Barrier(len(bodies))

    def post(body: dict) -> object:
        barrier.wait()
        return _send(client, "meca", "POST", "/sharing/offers", body)

    with ThreadPoolExecutor(len(bodies)) as pool:
        responses = list(pool.map(post, bodies))
    assert sorted(r.status_code for r in responses) == [201] + [409] * 19, [r.text for r in responses]
    for r in responses:
        if r.status_code == 409:
            assert "id" in r.json()["detail"] and "race_offer" in r.json()["detail"], r.text
    rows = [o for o in _get(client, "admin", "/sharing/offers").json()["data"] if o["id"] == "race_offer"]
    assert len(rows) == 1
    assert _send(client, "meca", "DELETE", "/sharing/offers/race_offer").status_code == 204


def test_owners_update_and_delete_offers_and_needs(client: TestClient) -> None:
    offer = {"id": "meca_quai", "site_id": "meca_d_site", "category": "warehouse", "capacity": 50,
             "slots": "sam 08:00-12:00", "price_eur_per_unit_h": 0.02}  # fmt: skip
    assert _send(client, "meca", "POST", "/sharing/offers", offer).status_code == 201
    path = "/sharing/offers/meca_quai"
    # another firm may neither change nor delete it, and is not told it exists (private offer)
    assert _send(client, "chimie", "PUT", path, {**offer, "capacity": 1}).status_code == 404
    assert _send(client, "chimie", "DELETE", path).status_code == 404
    assert _send(client, "analyst", "DELETE", path).status_code == 403
    assert _send(client, "meca", "PUT", "/sharing/offers/nope", offer).status_code == 404
    # the owner: bad input names the field; the id is the path's
    r = _send(client, "meca", "PUT", path, {**offer, "capacity": -1})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["capacity"]
    r = _send(client, "meca", "PUT", path, {**offer, "id": "other"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id"
    r = _send(client, "meca", "PUT", path, {**offer, "capacity": 60})
    assert r.status_code == 200 and r.json()["capacity"] == 60
    # a booking of 40 holds it: 40 still fits, 39.5 does not; the hours booked must stay offered
    booking = {"id": "chimie_quai", "offer_id": "meca_quai", "capacity": 40, "hours": [129, 130],
               "first_day": "2026-01-01", "last_day": "2026-12-31"}  # fmt: skip
    assert _send(client, "admin", "POST", "/sharing/bookings", booking).status_code == 201
    assert _send(client, "meca", "PUT", path, {**offer, "capacity": 40}).status_code == 200
    r = _send(client, "meca", "PUT", path, {**offer, "capacity": 39.5})
    assert r.status_code == 409 and "hour slot 129: 40 booked" in r.json()["detail"]
    r = _send(client, "meca", "PUT", path, {**offer, "capacity": 40, "slots": "sam 08:00-10:00"})
    assert r.status_code == 409 and "booking chimie_quai: hour slot(s) [130]" in r.json()["detail"]
    assert _send(client, "meca", "GET", "/sharing/offers").json()["data"]  # still there, unchanged
    assert [o["capacity"] for o in _get(client, "meca", "/sharing/offers").json()["data"]
            if o["id"] == "meca_quai"] == [40]  # fmt: skip
    # deleting is refused while the booking is active, naming it; allowed once it is cancelled
    r = _send(client, "meca", "DELETE", path)
    assert r.status_code == 409 and "chimie_quai" in r.json()["detail"]
    assert _send(client, "meca", "DELETE", "/sharing/bookings/chimie_quai").status_code == 200
    assert _send(client, "meca", "DELETE", path).status_code == 204
    assert "meca_quai" not in _ids(_get(client, "admin", "/sharing/offers"))
    assert _send(client, "meca", "DELETE", path).status_code == 404
    # needs: a facilitator of the firm's territory may change them; a company of another firm not
    need = {"id": "meca_parking", "site_id": "meca_d_site", "category": "parking", "capacity": 4,
            "slots": "lun 08:00-12:00"}  # fmt: skip
    assert _send(client, "meca", "POST", "/sharing/needs", need).status_code == 201
    assert _send(client, "chimie", "PUT", "/sharing/needs/meca_parking", need).status_code == 404
    r = _send(client, "agency", "PUT", "/sharing/needs/meca_parking", {**need, "capacity": 6})
    assert r.status_code == 200 and r.json()["capacity"] == 6
    assert _send(client, "chimie", "DELETE", "/sharing/needs/meca_parking").status_code == 404
    assert _send(client, "meca", "DELETE", "/sharing/needs/meca_parking").status_code == 204
    # an offer id is not reusable as a need id
    assert _send(client, "meca", "POST", "/sharing/needs", {**need, "id": "chariot_meca"}).status_code == 409


def test_allocation_job_reports_its_progress_in_french(client: TestClient) -> None:
    """The run's body, called directly: its steps, in order, in French; without ``book`` no booking."""
    from symbiosis.services.sharing import allocation_job

    seen: list[tuple[float, str]] = []
    params = {"territory_id": "pipa", "year": 2026, "carbon_price_eur_per_t": 100.0, "time_limit_s": 60.0}
    before = _ids(_get(client, "admin", "/sharing/bookings"))
    doc = allocation_job(client.app.state.ctx.repo(), params, lambda f, m: seen.append((f, m)))  # type: ignore[attr-defined]
    assert [f for f, _ in seen] == [0.1, 0.3]
    assert seen[0][1] == "lecture des offres et besoins du territoire pipa"
    assert seen[1][1].startswith("appariement et allocation de ") and " besoins sur " in seen[1][1]
    assert doc["territory_id"] == "pipa" and doc["bookings_made"] == 0
    assert _ids(_get(client, "admin", "/sharing/bookings")) == before
    seen.clear()
    allocation_job(client.app.state.ctx.repo(), {**params, "book": True}, lambda f, m: seen.append((f, m)))  # type: ignore[attr-defined]
    assert seen[-1][0] == 0.9 and seen[-1][1].startswith("réservation de ")
