"""Authentication hardening (issue 14, item 8) over HTTP on the real store: production secret
strength, login lockout per account (seen by a second API process) and per client, password strength,
logout and revocation by jti across processes, security headers, and Swagger UI served offline."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.helpers import PASSWORD, fast_passwords
from symbiosis.api import create_app
from symbiosis.services import login_guard, users
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import Misconfigured, TooManyRequests
from symbiosis.services.principal import Role
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API

STRONG_SECRET_32 = "3d57c0374e758bdaff11574e0f1bb233"  # 32 random hex digits: ~10^32 guesses


# --- production secret ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [
        "passwordpasswordpasswordpassword",  # the issue's: 32 characters, ~10 guesses
        "s" * 40,
        "abcdefghijklmnopqrstuvwxyz0123456789",
        STRONG_SECRET_32[:31],  # random, one character short
    ],
)
def test_production_refuses_a_weak_secret(tmp_path, secret: str) -> None:
    with pytest.raises(Misconfigured, match="too weak for production"):
        create_app(Settings(home_dir=tmp_path, mode="production", api_secret=secret))


@pytest.mark.parametrize("secret", [STRONG_SECRET_32, "x9Kp2-vQ7nR4_tW8zL3mB6cY1hJ5sD0fG-aE"])
def test_production_starts_with_a_strong_secret(tmp_path, secret: str) -> None:
    assert create_app(Settings(home_dir=tmp_path, mode="production", api_secret=secret)).title == "symbiosis"


def test_development_accepts_any_secret(tmp_path) -> None:
    assert create_app(Settings(home_dir=tmp_path, mode="development", api_secret="s" * 40))


# --- login throttling ----------------------------------------------------------------------------


@pytest.fixture
def account(ctx: ServiceContext) -> Iterator[str]:
    email = f"lock_{uuid.uuid4().hex[:8]}@example.org"
    record = users.create_user_record(ctx, email, PASSWORD, Role.ANALYST)
    yield email
    ctx.repo().delete_record("User", record["id"])
    for rec in ctx.repo().list_records(login_guard.THROTTLE):  # other tests log in from "testclient" too
        ctx.repo().delete_record(login_guard.THROTTLE, rec["id"])


@pytest.fixture
def second_process(ctx: ServiceContext, api_settings: Settings) -> Iterator[TestClient]:
    """Another API instance on the same store: its own context, driver and caches."""
    other = ServiceContext.create(api_settings, fast_passwords())
    other.tokens = ctx.tokens  # the same SYMBIOSIS_API_SECRET, as in a deployment
    with TestClient(create_app(api_settings, other), raise_server_exceptions=False) as client:
        yield client
    other.close()


def _login(client: TestClient, email: str, password: str):  # noqa: ANN202
    return client.post("/auth/token", data={"username": email, "password": password})


def test_account_locks_after_max_failures_even_for_the_right_password(
    app_client: TestClient, second_process: TestClient, account: str, api_settings: Settings
) -> None:
    limit = api_settings.login_max_failures
    for _ in range(limit - 1):
        assert _login(app_client, account, "wrong-password-123").status_code == 401
    assert _login(app_client, account, PASSWORD).status_code == 200  # one below the limit: still fine
    for _ in range(limit):  # a success cleared the counter: `limit` new failures lock
        assert _login(app_client, account, "wrong-password-123").status_code == 401
    for client in (app_client, second_process):  # the lock is in the store: every process sees it
        r = _login(client, account, PASSWORD)
        assert r.status_code == 429, r.text
        assert 0 < int(r.headers["Retry-After"]) <= api_settings.login_lockout_s
        assert "try again" in r.json()["detail"]


def test_unknown_accounts_lock_alike(app_client: TestClient, account: str, api_settings: Settings) -> None:
    ghost = f"ghost_{uuid.uuid4().hex[:8]}@example.org"
    for _ in range(api_settings.login_max_failures):
        assert _login(app_client, ghost, "whatever-password").status_code == 401
    assert _login(app_client, ghost, "whatever-password").status_code == 429


def test_lockout_ends_after_its_time(ctx: ServiceContext, account: str) -> None:
    now = time.time()
    for _ in range(ctx.settings.login_max_failures):
        login_guard.failed(ctx, account, None, now=now)
    with pytest.raises(TooManyRequests):
        login_guard.check(ctx, account, None, now=now + ctx.settings.login_lockout_s - 1)
    login_guard.check(ctx, account, None, now=now + ctx.settings.login_lockout_s + 1)


def test_one_client_spraying_many_accounts_is_locked_out(ctx: ServiceContext, account: str) -> None:
    client, now = "203.0.113.7", time.time()
    allowed = login_guard.CLIENT_FACTOR * ctx.settings.login_max_failures
    for k in range(allowed - 1):  # every account below its own limit
        login_guard.failed(ctx, f"spray{k}@example.org", client, now=now)
    login_guard.check(ctx, account, client, now=now)  # one below the client limit
    login_guard.failed(ctx, "spray-last@example.org", client, now=now)
    with pytest.raises(TooManyRequests, match="your address"):
        login_guard.check(ctx, account, client, now=now)
    login_guard.check(ctx, account, "198.51.100.1", now=now)  # another client is not affected


# --- password strength ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        (" " * 12, False),
        ("passwordpassword", False),
        ("aaaaaaaaaaaaaaaa", False),
        ("strength_probe@example.org", False),  # the e-mail itself
        ("Xk9#mQ2$vL7", False),  # strong but 11 characters
        ("Xk9#mQ2$vL7w", True),  # 12
        (PASSWORD, True),
    ],
)
def test_password_strength_beyond_length(as_role, password: str, accepted: bool) -> None:
    body = {"email": "strength_probe@example.org", "password": password, "role": "analyst"}
    r = as_role("admin", "POST", "/users", json=body)
    if accepted:
        assert r.status_code == 201, r.text
        assert as_role("admin", "DELETE", f"/users/{r.json()['id']}").status_code == 204
    else:
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["password"]
        assert password not in r.text or password == " " * 12  # never echoed back
        assert r.json()["errors"][0]["value"] == "***"


# --- logout and revocation -----------------------------------------------------------------------


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_logout_revokes_the_token_in_every_process(
    app_client: TestClient, second_process: TestClient, account: str
) -> None:
    token = _login(app_client, account, PASSWORD).json()["access_token"]
    other = _login(app_client, account, PASSWORD).json()["access_token"]
    assert second_process.get("/users/me", headers=_bearer(token)).status_code == 200
    assert app_client.post("/auth/logout", headers=_bearer(token)).status_code == 204
    for client in (app_client, second_process):
        r = client.get("/users/me", headers=_bearer(token))
        assert r.status_code == 401 and "revoked" in r.json()["detail"]
    assert second_process.get("/users/me", headers=_bearer(other)).status_code == 200  # per token
    assert app_client.post("/auth/logout").status_code == 401


def test_logout_purges_revocations_of_long_expired_tokens(
    ctx: ServiceContext, app_client: TestClient, account: str
) -> None:
    """Revocations outlive their token by `REVOCATION_KEPT_AFTER_EXPIRY_S` (clock skew between API
    processes), then the next logout deletes them: on each side of that boundary."""
    kept_s = users.REVOCATION_KEPT_AFTER_EXPIRY_S
    now = time.time()
    expiries = {"long_gone": now - kept_s - 60, "just_expired": now - kept_s + 60, "valid": now + 3600}
    for name, expires_at in expiries.items():
        ctx.repo().save_record(users.REVOKED, {"id": f"jti-{name}", "user_id": "u", "expires_at": expires_at})
    token = _login(app_client, account, PASSWORD).json()["access_token"]
    assert app_client.post("/auth/logout", headers=_bearer(token)).status_code == 204
    left = {rec["id"] for rec in ctx.repo().list_records(users.REVOKED)}
    assert "jti-long_gone" not in left
    assert {"jti-just_expired", "jti-valid", ctx.tokens.claims(token).jti} <= left
    r = app_client.get("/users/me", headers=_bearer(token))
    assert r.status_code == 401 and "revoked" in r.json()["detail"]  # the new revocation holds


def test_a_deleted_users_token_stops_working_in_another_process(
    ctx: ServiceContext, app_client: TestClient, second_process: TestClient, headers
) -> None:
    email = f"gone_{uuid.uuid4().hex[:8]}@example.org"
    record = users.create_user_record(ctx, email, PASSWORD, Role.ANALYST)
    token = _login(app_client, email, PASSWORD).json()["access_token"]
    assert second_process.get("/users/me", headers=_bearer(token)).status_code == 200  # seen there first
    assert app_client.delete(f"/users/{record['id']}", headers=headers["admin"]).status_code == 204
    r = second_process.get("/users/me", headers=_bearer(token))
    assert r.status_code == 401 and "no longer exists" in r.json()["detail"]


# --- security headers and offline docs -----------------------------------------------------------


def test_security_headers_on_every_answer(app_client: TestClient, headers) -> None:
    for r in (
        app_client.get("/health"),
        app_client.get("/sites"),
        app_client.get("/sites", headers=headers["admin"]),
    ):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert "strict-transport-security" not in r.headers  # development: plain http on localhost


def test_hsts_in_production(ctx: ServiceContext, api_settings: Settings) -> None:
    prod = api_settings.model_copy(update={"mode": "production", "api_secret": STRONG_SECRET_32})
    with TestClient(create_app(prod, ctx), raise_server_exceptions=False) as client:
        assert client.get("/health").headers["strict-transport-security"].startswith("max-age=31536000")


@pytest.mark.parametrize(("page_path", "marker", "script"), [
    ("/docs", "swagger-ui", "/docs/init.js"),
    ("/redoc", 'id="redoc"', "/redoc/init.js"),
])  # fmt: skip
def test_api_docs_are_served_from_our_own_files(
    app_client: TestClient, page_path: str, marker: str, script: str
) -> None:
    page = app_client.get(page_path)
    assert page.status_code == 200 and marker in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and all(ref.startswith("/") and not ref.startswith("//") for ref in refs)  # no CDN
    for ref in refs:
        r = app_client.get(ref)
        assert r.status_code == 200 and len(r.content) > 50, ref
        assert r.headers["content-security-policy"] == csp
    assert script in refs and "/openapi.json" in app_client.get(script).text

