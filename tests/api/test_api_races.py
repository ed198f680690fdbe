"""Concurrent creates through the API, on each engine: of 20 simultaneous requests for the same
e-mail (or firm id) exactly one gets 201 and the 19 others a clean 409 naming the field — never a
500, never two records. The uniqueness constraints decide (tests/graph/test_write_races.py)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

pytestmark = pytest.mark.graph

WRITERS = 20


def _race(as_role: Any, path: str, bodies: list[dict[str, Any]]) -> list[Any]:
    barrier = threading.Barrier(len(bodies))

    def post(body: dict[str, Any]) -> Any:
        barrier.wait()
        return as_role("admin", "POST", path, json=body)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_twenty_concurrent_signups_with_one_email(as_role) -> None:
    email = "race@example.org"
    bodies = [
        {"email": email, "password": f"password-number-{i:02d}", "role": "analyst"} for i in range(WRITERS)
    ]
    responses = _race(as_role, "/users", bodies)
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * (WRITERS - 1), [
        r.text for r in responses if r.status_code not in (201, 409)
    ]
    for r in responses:
        if r.status_code == 409:
            assert "e-mail" in r.json()["detail"] or "email" in r.json()["detail"], r.text
            assert email in r.json()["detail"]
    users = [u for u in as_role("admin", "GET", "/users").json()["data"] if u["email"] == email]
    assert len(users) == 1
    assert as_role("admin", "DELETE", f"/users/{users[0]['id']}").status_code == 204


def test_twenty_concurrent_creates_of_one_firm_id(as_role) -> None:
    bodies = [{"id": "race_firm", "name": f"Racing firm {i}"} for i in range(WRITERS)]
    responses = _race(as_role, "/firms", bodies)
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * (WRITERS - 1), [
        r.text for r in responses if r.status_code not in (201, 409)
    ]
    for r in responses:
        if r.status_code == 409:
            assert "race_firm" in r.json()["detail"] and "firm" in r.json()["detail"], r.text
    assert as_role("admin", "GET", "/firms/race_firm").status_code == 200
    assert as_role("admin", "DELETE", "/firms/race_firm").status_code == 204
