"""Pools over the API: who may list them, what each role sees, and that the figures hold together.

The store holds the pooling example zone (datasets/zone_laigle, seeded in `api.helpers`): ten firms
of the Zone industrielle de L'Aigle, a recycler, an anaerobic digester. The confidentiality matrix
is the matches' one: a member company sees its own share exactly, other members as opaque
references with volume ranges until their declaration is public or both firms consent.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.helpers import PASSWORD, POOL_TERRITORY, TERRITORY, login, numbers
from symbiosis.pooling.terms import Vehicle
from symbiosis.services.cache import knowledge_base
from symbiosis.services.consents import partner_ref
from symbiosis.services.ranges import band

pytestmark = pytest.mark.graph

MEMBER_FIRM = "plasturgie_a"  # in the plastics pool only
MEMBER_SITE = "plasturgie_a_site"
PARTNER_FIRM = "emballages_b"  # in the plastics and the wood pools
PARTNER_OUTPUT = "o_emballages_b_plastics"
URL = f"/pools?territory_id={POOL_TERRITORY}"


def _account(as_role, app_client, name: str, role: str, **extra: Any) -> dict[str, str]:
    """Create (once per store) and log in an account of the pooling zone."""
    email = f"{name}@example.org"
    r = as_role("admin", "POST", "/users", json={"email": email, "password": PASSWORD, "role": role, **extra})
    assert r.status_code in (201, 409), r.text
    return login(app_client, email)


@pytest.fixture
def member(as_role, app_client) -> dict[str, str]:
    return _account(as_role, app_client, "pool_member", "company", firm_id=MEMBER_FIRM)


@pytest.fixture
def partner(as_role, app_client) -> dict[str, str]:
    return _account(as_role, app_client, "pool_partner", "company", firm_id=PARTNER_FIRM)


@pytest.fixture
def zone_agency(as_role, app_client) -> dict[str, str]:
    return _account(as_role, app_client, "pool_agency", "agency", territory_ids=["cc_pays_de_laigle"])


def _full(as_role) -> list[dict[str, Any]]:
    r = as_role("admin", "GET", URL)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def test_who_may_list_pools(as_role, app_client, zone_agency) -> None:
    expected = {"admin": 200, "agency": 404, "agency_out": 404, "company": 200, "analyst": 403, "anon": 401}
    got = {role: as_role(role, "GET", URL).status_code for role in expected}
    assert got == expected
    assert app_client.get(URL, headers=zone_agency).status_code == 200
    # Kalundborg's agency sees its own territory's pools (there are none: no two firms share a stream)
    r = as_role("agency", "GET", f"/pools?territory_id={TERRITORY}")
    assert r.status_code == 200 and r.json() == {"data": [], "count": 0}
    # a company of another zone is in no pool of this one
    assert as_role("company", "GET", URL).json() == {"data": [], "count": 0}
    assert as_role("admin", "GET", "/pools?territory_id=no_such_place").status_code == 404


def test_the_agency_of_the_zone_sees_what_the_admin_sees(as_role, app_client, zone_agency) -> None:
    assert app_client.get(URL, headers=zone_agency).json()["data"] == _full(as_role)


def test_full_pools_hold_together(as_role) -> None:
    pools = _full(as_role)
    assert [p["resource_code"] for p in pools] == ["plastics", "wood", "organic_residues"]
    savings = [p["saving_eur_per_yr"] for p in pools]
    assert savings == sorted(savings, reverse=True) and savings[-1] > 0
    for p in pools:
        m = p["members"]
        # efficiency of the Shapley split, and the pro-rata split: both share the pooled cost exactly
        assert math.isclose(sum(x["shapley_eur_per_yr"] for x in m), p["pool_eur_per_yr"], rel_tol=1e-9)
        assert math.isclose(sum(x["pro_rata_eur_per_yr"] for x in m), p["pool_eur_per_yr"], rel_tol=1e-9)
        assert math.isclose(sum(x["today_eur_per_yr"] for x in m), p["today_eur_per_yr"], rel_tol=1e-9)
        assert math.isclose(p["saving_eur_per_yr"], p["today_eur_per_yr"] - p["pool_eur_per_yr"])
        parts = p["pool_transport_eur_per_yr"] + p["pool_price_eur_per_yr"] + p["pool_fixed_eur_per_yr"]
        assert math.isclose(parts, p["pool_eur_per_yr"], rel_tol=1e-9)  # carbon price 0
        for x in m:
            assert math.isclose(x["saving_eur_per_yr"], x["today_eur_per_yr"] - x["shapley_eur_per_yr"])
        # the tour visits every member's site exactly once, and nothing else
        visited = [s["site_id"] for r in p["routes"] for s in r]
        assert sorted(visited) == sorted(x["site_id"] for x in m)
        # names, not only ids
        assert all(x["firm_name"] and x["site_name"] != x["site_id"] for x in m)
        assert p["hub"]["firm_name"] and p["resource_name"] != p["resource_code"]
        assert p["shapley_exact"] and p["core_checked"] and p["core_violations"] == 0
        assert p["pool_truck_km_per_yr"] < p["today_truck_km_per_yr"]


def test_tour_length_is_the_routes_length_by_hand(as_role) -> None:
    """The tour km re-measured from the stops' coordinates: great-circle × the truck's detour."""
    factor = Vehicle.from_knowledge(knowledge_base()).road_detour_factor
    for p in _full(as_role):
        hub = p["hub"]
        total = 0.0
        for route in p["routes"]:
            path = [hub, *route, hub]
            total += sum(_gc_km(a, b) for a, b in itertools.pairwise(path))
        assert math.isclose(p["tour_km"], total * factor, rel_tol=1e-6)


def _gc_km(a: dict[str, float], b: dict[str, float]) -> float:
    """Haversine on the IUGG mean-radius sphere (6,371.0088 km, as symbiosis.matching.geo)."""
    p1, p2 = math.radians(a["latitude_deg"]), math.radians(b["latitude_deg"])
    dl = math.radians(b["longitude_deg"] - a["longitude_deg"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_a_member_sees_its_own_share_and_no_partner(as_role, app_client, member) -> None:
    full = _full(as_role)
    mine = _get(app_client, member, URL)
    assert mine["count"] == 1
    pool = mine["data"][0]
    plastics = next(p for p in full if p["resource_code"] == "plastics")
    own = next(x for x in plastics["members"] if x["firm_id"] == MEMBER_FIRM)
    assert pool["own_members"] == [own]
    assert pool["own_shapley_eur_per_yr"] == own["shapley_eur_per_yr"]
    assert pool["own_saving_eur_per_yr"] == own["saving_eur_per_yr"] > 0
    assert pool["n_members"] == len(plastics["members"]) and len(pool["partners"]) == pool["n_members"] - 1
    assert pool["id"] != plastics["id"] and pool["routes"] is None
    assert tuple(pool["saving_eur_per_yr_range"]) == band(plastics["saving_eur_per_yr"])
    text = json.dumps(mine)
    others = [x for x in plastics["members"] if x["firm_id"] != MEMBER_FIRM]
    for x in [*others, plastics["hub"]]:
        for secret in (x["firm_name"], x["site_name"], x["site_id"], x["firm_id"]):
            assert secret not in text, f"{secret!r} leaked to a member before consent"
    exact = set(numbers(mine))
    for x in others:
        for figure in (x["t_per_yr"], x["shapley_eur_per_yr"], x["today_eur_per_yr"], x["latitude_deg"]):
            assert figure not in exact, f"a partner's figure {figure} leaked"
    for figure in (plastics["saving_eur_per_yr"], plastics["pool_eur_per_yr"], plastics["tour_km"]):
        assert figure not in exact
    for shown, x in zip(pool["partners"], others, strict=True):
        assert shown["disclosed"] is False and shown["partner_ref"].startswith("p_")
        lo, hi = shown["t_per_yr_range"]
        assert lo <= x["t_per_yr"] < hi
    # its pool id is its own: the full id answers 404, as does an unknown one
    one = f"/pools/{pool['id']}?territory_id={POOL_TERRITORY}"
    assert app_client.get(one, headers=member).json() == pool
    for other in (plastics["id"], "pool_0000000000000000"):
        assert (
            app_client.get(f"/pools/{other}?territory_id={POOL_TERRITORY}", headers=member).status_code == 404
        )
    assert (
        as_role("admin", "GET", f"/pools/{plastics['id']}?territory_id={POOL_TERRITORY}").json() == plastics
    )


def test_a_partner_is_named_after_mutual_consent_only(app_client, ctx, member, partner) -> None:
    def view() -> dict[str, Any]:
        return _get(app_client, member, URL)["data"][0]

    ref, back = partner_ref(ctx, MEMBER_FIRM, PARTNER_FIRM), partner_ref(ctx, PARTNER_FIRM, MEMBER_FIRM)
    assert ref in {p["partner_ref"] for p in view()["partners"]}
    try:
        assert app_client.put(f"/consents/{ref}", headers=member).json()["disclosed"] is False
        assert "Emballages B" not in json.dumps(view())
        assert app_client.put(f"/consents/{back}", headers=partner).json()["disclosed"] is True
        after = view()
        shown = [p for p in after["partners"] if p["disclosed"]]
        assert len(shown) == 1 and after["routes"] is None
        assert (shown[0]["firm_id"], shown[0]["disclosed_by"]) == (PARTNER_FIRM, "consent")
        assert shown[0]["firm_name"] == "Emballages B (cartonnage)"
        assert shown[0]["t_per_yr"] == 22 and shown[0]["t_per_yr_range"] is None
        # the partner, for its part, sees Plasturgie A named in the plastics pool; the wood pool
        # (Plasturgie A is not in it) names nobody
        theirs = {p["resource_code"]: p for p in _get(app_client, partner, URL)["data"]}
        assert sorted(theirs) == ["plastics", "wood"]
        assert "Plasturgie A" in json.dumps(theirs["plastics"])
        assert not any(p["disclosed"] for p in theirs["wood"]["partners"])
    finally:
        app_client.delete(f"/consents/{ref}", headers=member)
    assert "Emballages B" not in json.dumps(view())


def _set_level(as_role, level: str) -> None:
    """Publish or withdraw the partner's declaration; the admin's own next read waits for the
    rebuilt territory result (read-your-writes), so the member's read after it sees the change."""
    r = as_role("admin", "PATCH", f"/outputs/{PARTNER_OUTPUT}", json={"confidentiality": level})
    assert r.status_code == 200, r.text
    assert as_role("admin", "GET", URL).status_code == 200


def test_a_public_declaration_is_shown_without_consent(as_role, app_client, member) -> None:
    _set_level(as_role, "public")
    try:
        pool = _get(app_client, member, URL)["data"][0]
        shown = [p for p in pool["partners"] if p["disclosed"]]
        assert [(p["firm_id"], p["disclosed_by"], p["partner_ref"]) for p in shown] == [
            (PARTNER_FIRM, "public", None)
        ]
    finally:
        _set_level(as_role, "agency")
    pool = _get(app_client, member, URL)["data"][0]
    assert not any(p["disclosed"] for p in pool["partners"])


@pytest.mark.parametrize(("price", "status"), [(0, 200), (100000, 200), (-0.01, 422), (100000.5, 422)])
def test_carbon_price_bounds(as_role, price: float, status: int) -> None:
    r = as_role("admin", "GET", f"{URL}&carbon_price_eur_per_t={price}")
    assert r.status_code == status, r.text
    if status == 422:
        assert "carbon_price_eur_per_t" in r.text


def test_a_carbon_price_adds_to_every_cost(as_role) -> None:
    cp = 200.0
    base = {p["id"]: p for p in _full(as_role)}
    priced = {
        p["id"]: p for p in as_role("admin", "GET", f"{URL}&carbon_price_eur_per_t={cp}").json()["data"]
    }
    assert base.keys() & priced.keys()
    for pid in base.keys() & priced.keys():
        a, b = base[pid], priced[pid]
        assert math.isclose(
            b["pool_eur_per_yr"], a["pool_eur_per_yr"] + cp * a["pool_co2_t_per_yr"], rel_tol=1e-9
        )
        assert math.isclose(
            b["today_eur_per_yr"], a["today_eur_per_yr"] + cp * a["today_co2_t_per_yr"], rel_tol=1e-9
        )


def _get(client: TestClient, headers: dict[str, str], url: str) -> dict[str, Any]:
    r = client.get(url, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_pool_goes_through_the_pipeline_once(as_role, app_client, zone_agency) -> None:
    wood = next(p for p in _full(as_role) if p["resource_code"] == "wood")
    body = {"pool_id": wood["id"], "territory_id": POOL_TERRITORY, "note": "réunion du club d'entreprises"}
    # Kalundborg's agency may not see the zone; companies and analysts may never promote
    assert as_role("agency", "POST", "/synergies", json=body).status_code == 404
    assert as_role("company", "POST", "/synergies", json=body).status_code == 403
    r = app_client.post("/synergies", json=body, headers=zone_agency)
    assert r.status_code == 201, r.text
    card = r.json()
    assert (card["kind"], card["pool_id"], card["status"]) == ("pool", wood["id"], "identified")
    assert card["member_site_ids"] == [m["site_id"] for m in wood["members"]]
    assert card["hub_site_id"] == wood["hub"]["site_id"] and card["output_id"] is None
    assert card["value_eur_per_yr"] == wood["saving_eur_per_yr"]
    assert set(card["territory_ids"]) == {"zi_laigle", "cc_pays_de_laigle"}
    # promoted twice: refused while open, naming the card
    again = app_client.post("/synergies", json=body, headers=zone_agency)
    assert again.status_code == 409 and card["id"] in again.text
    for status in ("contacted", "under_study", "signed", "implemented"):
        r = app_client.patch(f"/synergies/{card['id']}", json={"status": status}, headers=zone_agency)
        assert r.status_code == 200 and r.json()["status"] == status
    assert card["id"] not in {s["id"] for s in as_role("agency", "GET", "/synergies").json()["data"]}
    assert card["id"] in {s["id"] for s in as_role("admin", "GET", "/synergies").json()["data"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pool_id": "pool_0000000000000000", "territory_id": POOL_TERRITORY}, "pool"),
        ({"pool_id": "x"}, "territory_id"),
        ({"territory_id": POOL_TERRITORY}, "pool_id"),
        ({"territory_id": POOL_TERRITORY, "pool_id": "x", "output_id": "o_x"}, "output_id"),
    ],
)
def test_promoting_a_pool_names_what_is_wrong(as_role, body: dict[str, str], field: str) -> None:
    r = as_role("admin", "POST", "/synergies", json=body)
    assert r.status_code in (404, 422), r.text
    assert field in r.text
