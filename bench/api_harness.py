"""What the API benchmarks share: command-line basics, a private loaded store, uvicorn serving the
API on it, logging in, and percentiles.

Why one module: bench_api.py, bench_concurrency.py and bench_engines.py each used to repeat the path
set-up, the ``--sites``/``--quick`` options, and (the first two) the store start, the load, the API
start and the login — copies that drifted apart. A benchmark script in bench/ imports this module
first (Python puts the script's folder on the path), which puts the repository on the path too.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
for _path in (REPO_DIR, BENCH_DIR):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

KALUNDBORG = "kalundborg_symbiosis"
PASSWORD = "bench-admin-password"
BENCH_USER = "bench@example.org"


def bench_parser(doc: str | None, sites: int | None, quick_help: str) -> argparse.ArgumentParser:
    """A parser with the options every benchmark has: ``--sites`` (synthetic dataset size) and
    ``--quick`` (a smoke run, sizes set by the script)."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0] if doc else None)
    ap.add_argument("--sites", type=int, default=sites, help="synthetic national dataset size")
    ap.add_argument("--quick", action="store_true", help=quick_help)
    return ap


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    if not ordered:
        return {"n": 0}
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1),
            "max_ms": round(ordered[-1], 1)}  # fmt: skip


def serve_api(home: str, secret: str) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn serving the API on a free loopback port against the private store of ``home``;
    returns the process and its base URL once ``/health`` answers."""
    import httpx

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SYMBIOSIS_NEO4J_URI"}  # the private store
    env |= {"SYMBIOSIS_HOME_DIR": home, "SYMBIOSIS_API_SECRET": secret, "SYMBIOSIS_EMBEDDED_HEAP": "2g"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "symbiosis.api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, cwd=REPO_DIR,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise RuntimeError("uvicorn did not come up")
        time.sleep(0.3)


def stop_api(server: subprocess.Popen[bytes] | None) -> None:
    if server is None:
        return
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()


def load_store(settings: Any, n_sites: int) -> tuple[str, str, list[str]]:
    """Fill the store with the knowledge base, Kalundborg, ``n_sites`` synthetic sites (seed 7)
    and the admin `BENCH_USER`; returns (a national zone, its region, output ids of that region)."""
    from symbiosis import DATASETS_DIR
    from symbiosis.dataset_io import read_dataset
    from symbiosis.services import users
    from symbiosis.services.cache import knowledge_base
    from symbiosis.services.context import ServiceContext
    from symbiosis.services.principal import Role
    from symbiosis.synthetic import generate_dataset

    ctx = ServiceContext.create(settings)
    try:
        repo = ctx.repo()
        repo.ensure_schema()
        kb = knowledge_base()
        repo.import_knowledge(kb)
        repo.import_dataset(read_dataset(DATASETS_DIR / "kalundborg", kb))
        national = generate_dataset(n_sites, seed=7, kb=kb)
        t0 = time.perf_counter()
        repo.import_dataset(national)
        print(f"loaded synthetic dataset: {n_sites:,} sites, {len(national.outputs):,} outputs, "
              f"{len(national.inputs):,} inputs in {time.perf_counter() - t0:.1f} s", flush=True)  # fmt: skip
        users.create_user_record(ctx, BENCH_USER, PASSWORD, Role.ADMIN)
    finally:
        ctx.close()
    site_zone = {s.id: s.territory_id for s in national.sites}
    per_zone: dict[str, int] = {}
    for o in national.outputs:
        per_zone[site_zone[o.site_id]] = per_zone.get(site_zone[o.site_id], 0) + 1
    zone = max(per_zone, key=lambda z: per_zone[z])
    region = next(t.parent_id for t in national.territories if t.id == zone)
    in_region = {t.id for t in national.territories if t.parent_id == region}
    outputs = [o.id for o in national.outputs if site_zone[o.site_id] in in_region]
    return zone, str(region), outputs


def login(base: str, user: str = BENCH_USER) -> str:
    """A bearer token of ``user`` (password `PASSWORD`)."""
    import httpx

    r = httpx.post(f"{base}/auth/token", data={"username": user, "password": PASSWORD}, timeout=60)
    r.raise_for_status()
    return str(r.json()["access_token"])


@dataclass(frozen=True)
class ServedApi:
    settings: Any
    base: str
    token: str
    zone: str
    """The national zone with the most declarations."""
    region: str
    region_outputs: list[str]


@contextmanager
def served_api(
    prefix: str, n_sites: int, prepare: Callable[[Any], None] | None = None
) -> Iterator[ServedApi]:
    """A private embedded store (temporary home, free ports) loaded by `load_store`, ``prepare``
    (settings) run on it, and the API served on it; everything stopped on exit."""
    import secrets

    from symbiosis.graph import embedded
    from symbiosis.settings import Settings

    secret = secrets.token_urlsafe(48)
    with tempfile.TemporaryDirectory(prefix=prefix) as home:
        settings = Settings(home_dir=Path(home), neo4j_uri=None, api_secret=secret, embedded_heap="2g")
        embedded.ensure_running(settings)
        server = None
        try:
            zone, region, outputs = load_store(settings, n_sites)
            if prepare is not None:
                prepare(settings)
            server, base = serve_api(home, secret)
            yield ServedApi(settings, base, login(base), zone, region, outputs)
        finally:
            stop_api(server)
            embedded.stop(settings)
