"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis).

Every operation is called with generated requests as an **admin**, a **company** account and with
**no token**, against a private embedded graph store loaded with the Kalundborg dataset (the fuzzer
creates, patches and deletes at random: it must not disturb the other API tests' store). Two
properties must hold for every answer: no server error (5xx), and the body conforms to the
response schema the OpenAPI document declares for that status. Examples are bounded
(`MAX_EXAMPLES` per operation and role) and derandomized, so the run is fast and the same every
time; failing cases are printed by schemathesis with a curl line to replay.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from api.helpers import COMPANY_FIRM, PASSWORD, seeded_context
from symbiosis.api import create_app
from symbiosis.graph import embedded
from symbiosis.services import users
from symbiosis.services.principal import Role
from symbiosis.settings import Settings

pytestmark = [pytest.mark.graph, pytest.mark.slow]

MAX_EXAMPLES = int(os.environ.get("SYMBIOSIS_FUZZ_EXAMPLES", "6"))
"""Per operation and role: 6 in `make test`; e.g. SYMBIOSIS_FUZZ_EXAMPLES=50 for a deeper run."""


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    home = tmp_path_factory.mktemp("symbiosis-fuzz-home")
    api_settings = Settings(home_dir=home, neo4j_uri=None, embedded_heap="512m", write_batch_size=500)
    embedded.ensure_running(api_settings)
    ctx = seeded_context(
        api_settings, {"admin": (Role.ADMIN, [], None), "company": (Role.COMPANY, [], COMPANY_FIRM)}
    )
    try:
        app = create_app(api_settings, ctx)
        app.state.fuzz_ctx = ctx
        with TestClient(app):  # runs the lifespan
            yield app
    finally:
        ctx.close()
        embedded.stop(api_settings)


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def _fresh_token(app: FastAPI, role: str) -> str | None:
    """A new token per operation: generated logins fail by the dozen from one client (lockout
    counters cleared here), and `POST /auth/logout` revokes the token it is sent with."""
    ctx = app.state.fuzz_ctx
    for rec in ctx.repo().list_records("LoginThrottle"):
        ctx.repo().delete_record("LoginThrottle", rec["id"])
    return None if role == "anon" else users.login(ctx, f"{role}@example.org", PASSWORD)


def _call(case: schemathesis.Case, token: str | None) -> int:
    """One generated request: no 5xx, and a body that matches its declared schema."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = case.call_and_validate(
        headers=headers, checks=[not_a_server_error, schemathesis.checks.response_schema_conformance]
    )
    return response.status_code


def _fuzz_operation(operation: schemathesis.APIOperation, token: str | None, statuses: Counter[int]) -> None:
    @FUZZ
    @given(case=operation.as_strategy())
    def run(case: schemathesis.Case) -> None:
        statuses[_call(case, token)] += 1

    run()


@pytest.mark.parametrize("role", ["admin", "company", "anon"])
def test_fuzz_every_operation(fuzz_app: FastAPI, fuzz_schema: schemathesis.BaseSchema, role: str) -> None:
    """Every operation of the OpenAPI document, `MAX_EXAMPLES` generated requests each; all
    failures are collected and reported together (operation, then schemathesis' own report)."""
    failures: dict[str, str] = {}
    statuses: Counter[int] = Counter()
    operations = 0
    for result in fuzz_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz_operation(operation, _fresh_token(fuzz_app, role), statuses)
        except Exception as exc:  # a hypothesis failure: keep going, report every operation at once
            failures[operation.label] = str(exc)[:3000]
    assert operations >= 30  # the whole API was walked (a broken schema would walk nothing)
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
    # the requests got past authentication: a fuzz that only ever sees 401s proves nothing
    answered = sum(n for status, n in statuses.items() if status != 401)
    assert answered >= (0.9 if role != "anon" else 0.0) * sum(statuses.values()), statuses
    assert statuses[200] + statuses[201] + statuses[204] >= (20 if role != "anon" else 1), statuses
    print(f"fuzz as {role}: {operations} operations, statuses {dict(sorted(statuses.items()))}")
