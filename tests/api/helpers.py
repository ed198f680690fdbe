"""Constants and small helpers shared by the API tests."""

from __future__ import annotations

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from symbiosis.services.principal import Role
from symbiosis.services.security import Passwords

PASSWORD = "correct-horse-battery"
TERRITORY = "kalundborg_symbiosis"
COMPANY_FIRM = "novo_nordisk"
COMPANY_SITE = "novo_nordisk_kal"
ROLES = ("admin", "agency", "agency_out", "company", "analyst")
ACCOUNTS: dict[str, tuple[Role, list[str], str | None]] = {
    "admin": (Role.ADMIN, [], None),
    "agency": (Role.AGENCY, ["dk_kalundborg"], None),
    "agency_out": (Role.AGENCY, ["dk_aalborg"], None),
    "company": (Role.COMPANY, [], COMPANY_FIRM),
    "analyst": (Role.ANALYST, [], None),
}


def fast_passwords() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/auth/token", data={"username": email, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}
