"""API tests: FastAPI's TestClient over a REAL graph store — every test on each engine, a private
embedded ArcadeDB and a private local Neo4j 5 (tests/graph_engines.py), each in a tmp dir on free
ports, loaded once with the Kalundborg dataset.

One `ServiceContext` (one driver, one cache) is shared by the session; argon2 runs with cheap
parameters here only. Users of every role are created once; `client_for(role)` logs in for real
(OAuth2 password flow → JWT) so the authorization matrix exercises the whole chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from graph_engines import GRAPH_ENGINES, local_store

from api.helpers import ACCOUNTS, ROLES, login, seeded_context
from symbiosis import DATASETS_DIR
from symbiosis.api import create_app
from symbiosis.services.context import ServiceContext
from symbiosis.settings import Settings


@pytest.fixture(scope="session", params=GRAPH_ENGINES)
def api_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    with local_store(request.param, tmp_path_factory.mktemp("symbiosis-api-home")) as settings:
        yield settings


@pytest.fixture(scope="session")
def ctx(api_settings: Settings) -> Iterator[ServiceContext]:
    context = seeded_context(api_settings, ACCOUNTS)
    yield context
    context.close()


@pytest.fixture(scope="session")
def app_client(ctx: ServiceContext, api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings, ctx), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def headers(app_client: TestClient) -> dict[str, dict[str, str]]:
    """Authorization headers per role (plus "anon": none)."""
    out = {name: login(app_client, f"{name}@example.org") for name in ROLES}
    out["anon"] = {}
    return out


@pytest.fixture
def as_role(app_client: TestClient, headers: dict[str, dict[str, str]]) -> Callable[..., object]:
    def call(role: str, method: str, path: str, **kwargs: object):  # noqa: ANN202
        return app_client.request(method, path, headers=headers[role], **kwargs)

    return call


@pytest.fixture
def kalundborg_dir() -> Path:
    return DATASETS_DIR / "kalundborg"
