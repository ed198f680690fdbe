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


def _exactly_one_created(responses: list[Any], *named: str) -> None:
    """One 201, the others 409 whose message names every string of ``named``; nothing else."""
    codes = sorted(r.status_code for r in responses)
    unexpected = [r.text for r in responses if r.status_code not in (201, 409)]
    assert codes == [201] + [409] * (len(responses) - 1), unexpected
    for r in responses:
        if r.status_code == 409:
            assert all(word in r.json()["detail"] for word in named), r.text


def test_twenty_concurrent_signups_with_one_email(as_role) -> None:
    email = "race@example.org"
    bodies = [
        {"email": email, "password": f"password-number-{i:02d}", "role": "analyst"} for i in range(WRITERS)
    ]
    _exactly_one_created(_race(as_role, "/users", bodies), "mail", email)
    users = [u for u in as_role("admin", "GET", "/users").json()["data"] if u["email"] == email]
    assert len(users) == 1
    assert as_role("admin", "DELETE", f"/users/{users[0]['id']}").status_code == 204


def test_twenty_concurrent_creates_of_one_firm_id(as_role) -> None:
    bodies = [{"id": "race_firm", "name": f"Racing firm {i}"} for i in range(WRITERS)]
    _exactly_one_created(_race(as_role, "/firms", bodies), "firm", "race_firm")
    assert as_role("admin", "GET", "/firms/race_firm").status_code == 200
    assert as_role("admin", "DELETE", "/firms/race_firm").status_code == 204
