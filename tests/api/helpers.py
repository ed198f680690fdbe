"""Constants and small helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from symbiosis import DATASETS_DIR
from symbiosis.dataset_io import read_dataset
from symbiosis.services import users
from symbiosis.services.cache import knowledge_base
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Role
from symbiosis.services.security import Passwords
from symbiosis.settings import Settings

PASSWORD = "correct-horse-battery"
TERRITORY = "kalundborg_symbiosis"
COMPANY_FIRM = "novo_nordisk"
COMPANY_SITE = "novo_nordisk_kal"
POOL_DATASET = "zone_laigle"
POOL_TERRITORY = "cc_pays_de_laigle"
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


def seeded_context(
    settings: Settings, accounts: dict[str, tuple[Role, list[str], str | None]]
) -> ServiceContext:
    """A context on an emptied store holding the knowledge base, Kalundborg, the pooling example
    zone and ``accounts``
    (``name@example.org`` with `PASSWORD`)."""
    context = ServiceContext.create(settings, fast_passwords())
    repo = context.repo()
    repo.ensure_schema()
    repo.clear()
    kb = knowledge_base()
    repo.import_knowledge(kb)
    repo.import_dataset(read_dataset(DATASETS_DIR / "kalundborg", kb))
    repo.import_dataset(read_dataset(DATASETS_DIR / POOL_DATASET, kb))  # pools: tests/api/test_api_pools.py
    for name, (role, territories, firm) in accounts.items():
        users.create_user_record(context, f"{name}@example.org", PASSWORD, role, territories, firm)
    return context


def numbers(node: Any) -> list[float]:
    """Every number in a JSON answer (booleans excluded), to search it for a figure."""
    if isinstance(node, bool):
        return []
    if isinstance(node, int | float):
        return [float(node)]
    if isinstance(node, dict):
        return [v for x in node.values() for v in numbers(x)]
    if isinstance(node, list):
        return [v for x in node for v in numbers(x)]
    return []
