"""What per-request authentication costs once it is read from the store (issue 14, item 8).

Every request re-reads its user and its token's revocation from the graph store, so that a logout
or a deleted account is honoured at once by every API process (docs/SECURITY.md). This measures
that cost side by side, interleaved in one run, against the former behaviour (a per-process cached
user record, no revocation check): sequential ``GET /users/me`` and ``GET /matches`` (Kalundborg,
50 rows) through FastAPI's TestClient on a private embedded store. Prints medians and the ratio.

Usage: ``python bench/bench_auth.py [--requests 400] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent
for extra in (REPO_DIR, REPO_DIR / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from api.helpers import ACCOUNTS, PASSWORD, seeded_context  # noqa: E402  (the API tests' seeding)
from fastapi.testclient import TestClient  # noqa: E402

from symbiosis.api import create_app  # noqa: E402
from symbiosis.graph import embedded  # noqa: E402
from symbiosis.services import users  # noqa: E402
from symbiosis.services.context import ServiceContext  # noqa: E402
from symbiosis.services.principal import Principal  # noqa: E402
from symbiosis.settings import Settings  # noqa: E402

PATHS = ("/users/me", "/matches?territory_id=kalundborg_symbiosis&limit=50")


def _cached_auth() -> Any:
    """The former `principal_from_token`: the token's user record, cached in the process."""
    cache: dict[str, dict] = {}

    def principal(ctx: ServiceContext, token: str) -> Principal:
        uid = ctx.tokens.subject(token)
        record = cache.get(uid) or cache.setdefault(uid, ctx.repo().get_record("User", uid) or {})
        return users._principal(record)

    return principal


def run(argv: list[str]) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=400, help="per path, half in each mode")
    ap.add_argument("--quick", action="store_true", help="smoke run: 60 requests per path")
    args = ap.parse_args(argv)
    n = 60 if args.quick else args.requests
    settings = Settings(
        home_dir=Path(tempfile.mkdtemp(prefix="bench-auth-")), neo4j_uri=None, embedded_heap="512m"
    )
    embedded.ensure_running(settings)
    figures: dict[str, Any] = {"requests_per_path": n}
    try:
        ctx = seeded_context(settings, {"admin": ACCOUNTS["admin"]})
        from_store, cached = users.principal_from_token, _cached_auth()
        with TestClient(create_app(settings, ctx)) as client:
            form = {"username": "admin@example.org", "password": PASSWORD}
            headers = {
                "Authorization": "Bearer " + client.post("/auth/token", data=form).json()["access_token"]
            }
            for path in PATHS:
                times: dict[str, list[float]] = {"store": [], "cached": []}
                for i in range(n):  # interleaved: both modes see the same machine load
                    mode = "store" if i % 2 == 0 else "cached"
                    users.principal_from_token = from_store if mode == "store" else cached
                    t0 = time.perf_counter()
                    assert client.get(path, headers=headers).status_code == 200
                    times[mode].append((time.perf_counter() - t0) * 1000)
                users.principal_from_token = from_store
                store, cache = (statistics.median(times[m][5:]) for m in ("store", "cached"))
                name = path.split("?")[0].strip("/").replace("/", "_")
                figures[name] = {
                    "store_read_auth_ms": round(store, 2), "cached_auth_ms": round(cache, 2),
                    "ratio": round(store / cache, 2), "added_ms": round(store - cache, 2),
                }  # fmt: skip
                print(f"{path:55s} median: store-read auth {store:6.2f} ms, cached {cache:6.2f} ms, "
                      f"ratio {store / cache:4.2f}")  # fmt: skip
        ctx.close()
    finally:
        users.principal_from_token = from_store
        embedded.stop(settings)
    return figures


if __name__ == "__main__":
    print("BENCH_JSON " + json.dumps(run(sys.argv[1:])))
