"""Start-up safety (secrets), 503 when the graph store is down, and no stack traces."""

from __future__ import annotations

import socket
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from symbiosis.api import create_app
from symbiosis.api.deps import current_principal
from symbiosis.services.errors import Misconfigured
from symbiosis.services.principal import Principal, Role
from symbiosis.services.security import SECRET_FILE, TokenIssuer, resolve_secret
from symbiosis.settings import Settings


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_production_without_secret_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(Misconfigured, match="SYMBIOSIS_API_SECRET"):
        create_app(Settings(home_dir=tmp_path, mode="production", api_secret=None))
    with pytest.raises(Misconfigured, match="at least"):
        create_app(Settings(home_dir=tmp_path, mode="production", api_secret="short"))
    assert not (tmp_path / SECRET_FILE).exists()


def test_development_secret_is_generated_once_in_a_private_file(tmp_path: Path) -> None:
    settings = Settings(home_dir=tmp_path, mode="development", api_secret=None)
    first = resolve_secret(settings)
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    assert resolve_secret(settings) == first and len(first) >= 32


def test_tokens_signed_with_another_secret_are_refused() -> None:
    token = TokenIssuer("a" * 40).issue("user_x", "admin")
    assert TokenIssuer("a" * 40).subject(token) == "user_x"
    with pytest.raises(Exception, match="invalid token"):
        TokenIssuer("b" * 40).subject(token)


def test_graph_store_down_gives_503_without_trace(tmp_path: Path) -> None:
    settings = Settings(
        home_dir=tmp_path, neo4j_uri=f"bolt://127.0.0.1:{_closed_port()}", api_secret="s" * 40
    )
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/auth/token", data={"username": "a@b.cd", "password": "whatever-password"})
        assert r.status_code == 503 and "graph store" in r.json()["detail"]
        assert client.get("/health").status_code == 503
        # past authentication (dependency override: the store is what is down, not the login)
        app.dependency_overrides[current_principal] = lambda: Principal("u", "a@b.cd", Role.ADMIN)
        r = client.get("/sites")
        assert r.status_code == 503 and "Traceback" not in r.text
        assert r.json()["detail"].startswith("the graph store is unavailable")


def test_unauthenticated_and_bad_tokens_get_401(tmp_path: Path) -> None:
    settings = Settings(
        home_dir=tmp_path, neo4j_uri=f"bolt://127.0.0.1:{_closed_port()}", api_secret="s" * 40
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/sites").status_code == 401
        r = client.get("/sites", headers={"Authorization": "Bearer not-a-jwt"})
        assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
