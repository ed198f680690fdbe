"""The authorization matrix: every role × every endpoint, allowed or denied, from one table.

Roles: admin; agency of dk_kalundborg (holds the Kalundborg park); agency_out of dk_aalborg (sees
nothing of Kalundborg); company bound to Novo Nordisk; analyst; anon (no token). A denial is 401
(no token), 403 (the role may never do this) or 404 (the object is outside the caller's scope —
answered exactly like a missing one).
"""

from __future__ import annotations

from typing import Any

import pytest

from api.helpers import TERRITORY

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API

ROLES = ("admin", "agency", "agency_out", "company", "analyst", "anon")
OWN_SITE = "novo_nordisk_kal"
OTHER_SITE = "asnaes"
OWN_OUTPUT = "o_novo_yeast_slurry"
OTHER_OUTPUT = "o_asnaes_fgd_gypsum"
ALL_200 = (200, 200, 200, 200, 200, 401)

# (method, path, json body, expected status for admin, agency, agency_out, company, analyst, anon)
MATRIX: list[tuple[str, str, dict[str, Any] | None, tuple[int, ...]]] = [
    ("GET", "/health", None, (200, 200, 200, 200, 200, 200)),
    ("GET", "/users/me", None, ALL_200),
    ("GET", "/users", None, (200, 403, 403, 403, 403, 401)),
    ("POST", "/users", {"email": "x@y.zz", "password": "short"}, (422, 403, 403, 403, 403, 401)),
    ("DELETE", "/users/user_missing", None, (404, 403, 403, 403, 403, 401)),
    ("GET", "/territories", None, ALL_200),
    ("GET", "/territories/dk_kalundborg", None, ALL_200),
    ("PATCH", "/territories/dk_kalundborg", {"code": "326"}, (200, 403, 403, 403, 403, 401)),
    ("DELETE", "/territories/dk_kalundborg", None, (409, 403, 403, 403, 403, 401)),
    ("GET", "/firms", None, (200, 200, 200, 200, 403, 401)),
    ("GET", "/firms/novo_nordisk", None, (200, 200, 404, 200, 403, 401)),
    ("GET", "/firms/orsted", None, (200, 200, 404, 404, 403, 401)),
    ("PATCH", "/firms/novo_nordisk", {"nace_code": "21.20"}, (200, 200, 404, 200, 403, 401)),
    ("DELETE", "/firms/novo_nordisk", None, (409, 403, 403, 403, 403, 401)),
    ("GET", "/sites", None, (200, 200, 200, 200, 403, 401)),
    ("GET", f"/sites/{OWN_SITE}", None, (200, 200, 404, 200, 403, 401)),
    ("GET", f"/sites/{OTHER_SITE}", None, (200, 200, 404, 404, 403, 401)),
    ("PATCH", f"/sites/{OWN_SITE}", {"name": "Novo Nordisk Kalundborg"}, (200, 200, 404, 200, 403, 401)),
    ("PATCH", f"/sites/{OTHER_SITE}", {"name": "Asnæs power station"}, (200, 200, 404, 404, 403, 401)),
    ("DELETE", "/sites/no_such_site", None, (404, 404, 404, 404, 403, 401)),
    ("GET", "/outputs", None, (200, 200, 200, 200, 403, 401)),
    ("GET", f"/outputs/{OWN_OUTPUT}", None, (200, 200, 404, 200, 403, 401)),
    ("GET", f"/outputs/{OTHER_OUTPUT}", None, (200, 200, 404, 404, 403, 401)),
    ("PATCH", f"/outputs/{OWN_OUTPUT}", {"note": "checked"}, (200, 200, 404, 200, 403, 401)),
    ("PATCH", f"/outputs/{OTHER_OUTPUT}", {"note": "checked"}, (200, 200, 404, 404, 403, 401)),
    ("GET", "/inputs", None, (200, 200, 200, 200, 403, 401)),
    ("GET", "/inputs/i_novo_steam", None, (200, 200, 404, 200, 403, 401)),
    ("GET", "/inputs/i_gyproc_gypsum", None, (200, 200, 404, 404, 403, 401)),
    ("GET", "/resources", None, ALL_200),
    ("GET", "/resources/fly_ash", None, ALL_200),
    ("GET", "/substitution-rules", None, ALL_200),
    ("GET", f"/matches?territory_id={TERRITORY}", None, (200, 200, 404, 200, 403, 401)),
    (
        "GET",
        f"/matches/explain?territory_id={TERRITORY}&output_id={OTHER_OUTPUT}&input_id=i_gyproc_gypsum",
        None,
        (200, 200, 404, 403, 403, 401),
    ),
    ("GET", f"/pools?territory_id={TERRITORY}", None, (200, 200, 404, 200, 403, 401)),
    ("GET", f"/pools/pool_missing?territory_id={TERRITORY}", None, (404, 404, 404, 404, 403, 401)),
    ("GET", "/runs", None, (200, 200, 200, 403, 403, 401)),
    ("GET", "/runs/run_missing", None, (404, 404, 404, 403, 403, 401)),
    ("POST", "/runs", {"territory_id": TERRITORY, "time_limit_s": -1}, (422, 422, 422, 403, 403, 401)),
    ("GET", "/synergies", None, (200, 200, 200, 403, 403, 401)),
    ("POST", "/synergies", {"output_id": OTHER_OUTPUT}, (422, 422, 422, 403, 403, 401)),
    ("GET", "/consents", None, (403, 403, 403, 200, 403, 401)),
    ("PUT", "/consents/p_unknown", None, (403, 403, 403, 404, 403, 401)),
    ("GET", f"/exports?territory_id={TERRITORY}&format=geojson", None, (200, 200, 404, 403, 403, 401)),
    ("GET", f"/aggregates/{TERRITORY}", None, (200, 200, 404, 403, 200, 401)),
    # water targets on the tables sent (issue 17): computation, as /runs
    ("POST", "/water/targets", {"water_operations": []}, (422, 422, 422, 403, 403, 401)),
    # -- sharing (issue 19); the allowed cases on real offers: tests/api/test_api_sharing.py --
    ("GET", "/sharing/offers", None, (200, 200, 200, 200, 403, 401)),
    ("GET", "/sharing/needs", None, (200, 200, 200, 200, 403, 401)),
    (
        "POST",
        "/sharing/offers",
        {"id": "o1", "site_id": "no_such_site", "category": "hall", "capacity": 1, "slots": "0-5"},
        (404, 404, 404, 404, 403, 401),
    ),  # fmt: skip
    (
        "POST",
        "/sharing/needs",
        {"id": "n1", "site_id": "no_such_site", "category": "hall", "capacity": 1, "slots": "0-5"},
        (404, 404, 404, 404, 403, 401),
    ),  # fmt: skip
    ("GET", f"/sharing/matches?territory_id={TERRITORY}", None, (200, 200, 404, 200, 403, 401)),
    (
        "POST",
        "/sharing/allocations",
        {"territory_id": TERRITORY, "year": 2026},
        (202, 202, 404, 403, 403, 401),
    ),  # fmt: skip  (a queued run)
    ("PUT", "/sharing/offers/o_missing", {"capacity": 1}, (404, 404, 404, 404, 403, 401)),
    ("PUT", "/sharing/needs/n_missing", {"capacity": 1}, (404, 404, 404, 404, 403, 401)),
    ("DELETE", "/sharing/offers/o_missing", None, (404, 404, 404, 404, 403, 401)),
    ("DELETE", "/sharing/needs/n_missing", None, (404, 404, 404, 404, 403, 401)),
    ("GET", "/sharing/bookings", None, (200, 200, 200, 200, 403, 401)),
    ("GET", "/sharing/bookings.ics", None, (200, 200, 200, 200, 403, 401)),
    (
        "POST",
        "/sharing/bookings",
        {
            "id": "b1",
            "offer_id": "o_missing",
            "capacity": 1,
            "hours": [42],
            "first_day": "2026-01-01",
            "last_day": "2026-12-31",
        },
        (404, 404, 404, 404, 403, 401),
    ),  # fmt: skip
    (
        "PATCH",
        "/sharing/bookings/b_missing",
        {"hours": [42], "first_day": "2026-01-01", "last_day": "2026-12-31"},
        (404, 404, 404, 404, 403, 401),
    ),  # fmt: skip
    ("DELETE", "/sharing/bookings/b_missing", None, (404, 404, 404, 404, 403, 401)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_authorization_matrix(
    as_role, role: str, method: str, path: str, body: dict[str, Any] | None, expected: tuple[int, ...]
) -> None:
    r = as_role(role, method, path, json=body)
    want = expected[ROLES.index(role)]
    assert r.status_code == want, f"{role} {method} {path}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400:
        payload = r.json()
        assert payload["detail"] and "Traceback" not in r.text


def test_every_route_is_in_the_matrix(app_client) -> None:
    """A new endpoint must be added to the matrix (the table is the access policy, reviewed)."""
    covered = {(m, p.split("?")[0]) for m, p, _, _ in MATRIX}
    templates = {
        "/users/{user_id}": "/users/user_missing",
        "/territories/{territory_id}": "/territories/dk_kalundborg",
        "/firms/{firm_id}": "/firms/novo_nordisk",
        "/sites/{site_id}": f"/sites/{OWN_SITE}",
        "/outputs/{declaration_id}": f"/outputs/{OWN_OUTPUT}",
        "/inputs/{declaration_id}": "/inputs/i_novo_steam",
        "/resources/{code}": "/resources/fly_ash",
        "/runs/{run_id}": "/runs/run_missing",
        "/pools/{pool_id}": "/pools/pool_missing",
        "/consents/{partner_ref}": "/consents/p_unknown",
        "/aggregates/{territory_id}": f"/aggregates/{TERRITORY}",
        "/sharing/bookings/{booking_id}": "/sharing/bookings/b_missing",  # sharing (issue 19)
        "/sharing/offers/{offer_id}": "/sharing/offers/o_missing",
        "/sharing/needs/{need_id}": "/sharing/needs/n_missing",
    }
    untested = set()
    for path, item in app_client.get("/openapi.json").json()["paths"].items():
        for method in item:
            concrete = templates.get(path, path)
            if (method.upper(), concrete) not in covered:
                untested.add(f"{method.upper()} {path}")
    # writes whose allowed case needs fresh objects are covered by the CRUD/job/synergy/import tests
    exercised_elsewhere = {
        "POST /auth/token", "POST /territories", "POST /firms", "POST /sites", "POST /outputs",
        "POST /inputs", "DELETE /sites/{site_id}", "DELETE /outputs/{declaration_id}",
        "DELETE /inputs/{declaration_id}", "PATCH /inputs/{declaration_id}", "POST /runs/{run_id}/cancel",
        "GET /synergies/{synergy_id}", "PATCH /synergies/{synergy_id}", "GET /consents/{partner_ref}",
        "DELETE /consents/{partner_ref}", "POST /imports", "POST /auth/logout",
    }  # fmt: skip
    assert untested <= exercised_elsewhere, sorted(untested - exercised_elsewhere)
