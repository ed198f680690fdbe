"""REST API latency under concurrent clients, on loopback, against a private embedded store.

uvicorn serves `symbiosis.api` in its own process on a free port; the graph store is a private
embedded ArcadeDB server in a temporary home (never ``.symbiosis/``) holding the Kalundborg dataset
and a seeded synthetic national dataset (``--sites`` sites, ~3 declarations each, industrial zones
of ~50 sites nested in a grid of regions). ``--clients`` threads, each with its own HTTP
connection, send ``--requests`` requests each (bounded by ``--max-seconds`` per phase), and the
p50/p95 of each phase are reported side by side:

* match query: ``GET /matches`` of a territory (Kalundborg park; a national zone; a national
  region), served from the per-territory candidate cache — plus the cold first query that builds it;
* declaration write: ``PATCH /outputs/{id}`` (validated, written, cache of its territory dropped),
  each client its own declaration — and the same from one client alone, for the uncontended figure
  (the embedded store serialises write transactions, so concurrent writers queue).

Target: p95 ≤ 100 ms for the Kalundborg match query with 20 concurrent clients.

Usage: ``python bench/bench_api.py [--sites 10000] [--clients 20] [--requests 20] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

KALUNDBORG = "kalundborg_symbiosis"
PASSWORD = "bench-admin-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentiles(samples_ms: list[float]) -> dict[str, float]:
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

    port = _free_port()
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


def _load(settings: Any, n_sites: int) -> tuple[str, str, list[str]]:
    """Fill the store; returns (a national zone, its region, output ids of that region)."""
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
        users.create_user_record(ctx, "bench@example.org", PASSWORD, Role.ADMIN)
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


def _phase(base: str, token: str, clients: int, requests: int, max_s: float, call: Any) -> dict[str, float]:
    import httpx

    deadline = time.monotonic() + max_s

    def worker(k: int) -> list[float]:
        out: list[float] = []
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            for i in range(requests):
                if time.monotonic() > deadline:
                    break
                t0 = time.perf_counter()
                r = call(c, k, i)
                out.append((time.perf_counter() - t0) * 1000)
                if r.status_code >= 400:
                    raise RuntimeError(f"{r.request.method} {r.request.url}: {r.status_code} {r.text[:200]}")
        return out

    with ThreadPoolExecutor(clients) as pool:
        samples = [ms for part in pool.map(worker, range(clients)) for ms in part]
    return _percentiles(samples)


def _once_ms(client: Any, path: str) -> float:
    t0 = time.perf_counter()
    r = client.get(path)
    r.raise_for_status()
    return round((time.perf_counter() - t0) * 1000, 1)


def run(argv: list[str]) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=10_000, help="synthetic national dataset size")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=20, help="per client and phase")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="per phase")
    ap.add_argument("--quick", action="store_true", help="smoke run: 1,000 sites, 5 requests per client")
    args = ap.parse_args(argv)
    if args.quick:
        args.sites, args.requests = 1_000, 5

    import httpx

    from symbiosis.graph import embedded
    from symbiosis.settings import Settings

    secret = secrets.token_urlsafe(48)
    figures: dict[str, Any] = {
        "sites": args.sites,
        "clients": args.clients,
        "requests_per_client": args.requests,
    }
    with tempfile.TemporaryDirectory(prefix="symbiosis-bench-api-") as home:
        settings = Settings(home_dir=Path(home), neo4j_uri=None, api_secret=secret, embedded_heap="2g")
        embedded.ensure_running(settings)
        server = None
        try:
            zone, region, national_outputs = _load(settings, args.sites)
            server, base = serve_api(home, secret)
            token = httpx.post(
                f"{base}/auth/token", data={"username": "bench@example.org", "password": PASSWORD}
            )
            token = token.json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}

            def match(territory: str) -> Any:
                return lambda c, k, i: c.get("/matches", params={"territory_id": territory, "limit": 20})

            def write(output_ids: list[str]) -> Any:
                """Each client updates its own declaration (as firms do), notes changing each time."""
                return lambda c, k, i: c.patch(
                    f"/outputs/{output_ids[k % len(output_ids)]}", json={"note": f"bench {k}-{i}"}
                )

            phase = (base, token, args.clients, args.requests, args.max_seconds)
            kalundborg_outputs = [
                o["id"]
                for o in httpx.get(
                    f"{base}/outputs", params={"territory_id": KALUNDBORG, "limit": 100}, headers=headers
                ).json()["data"]
            ]
            with httpx.Client(base_url=base, headers=headers, timeout=300) as c:
                figures["kalundborg_match_cold_ms"] = _once_ms(
                    c, f"/matches?territory_id={KALUNDBORG}&limit=20"
                )
                figures["kalundborg_match"] = _phase(*phase, match(KALUNDBORG))
                figures["kalundborg_write"] = _phase(*phase, write(kalundborg_outputs))
                single = (base, token, 1, args.requests, args.max_seconds)
                figures["kalundborg_write_1_client"] = _phase(*single, write(kalundborg_outputs))
                figures["kalundborg_match_after_write_ms"] = _once_ms(
                    c, f"/matches?territory_id={KALUNDBORG}&limit=20"
                )
                figures["national_zone"] = zone
                figures["national_zone_match_cold_ms"] = _once_ms(c, f"/matches?territory_id={zone}&limit=20")
                figures["national_zone_match"] = _phase(*phase, match(zone))
                figures["national_region"] = region
                figures["national_region_match_cold_ms"] = _once_ms(
                    c, f"/matches?territory_id={region}&limit=20"
                )
                figures["national_region_match"] = _phase(*phase, match(region))
                figures["national_write"] = _phase(*phase, write(national_outputs))
            p95 = figures["kalundborg_match"].get("p95_ms", float("inf"))
            figures["target_kalundborg_match_p95_ms"] = 100.0
            figures["target_met"] = p95 <= 100.0
        finally:
            stop_api(server)
            embedded.stop(settings)
    return figures


def _print(figures: dict[str, Any]) -> None:
    n, k = figures["clients"], figures["requests_per_client"]
    print(
        f"\nAPI latency, {n} concurrent clients × {k} requests, national {figures['sites']:,} synthetic sites"
    )
    for key, value in figures.items():
        if isinstance(value, dict):
            print(f"  {key:<28} p50 {value.get('p50_ms', '-'):>8} ms   p95 {value.get('p95_ms', '-'):>8} ms"
                  f"   max {value.get('max_ms', '-'):>8} ms   n {value.get('n')}")  # fmt: skip
        elif key.endswith("_ms"):
            print(f"  {key:<28} {value:>8} ms (single request)")
    print(f"  Kalundborg match p95 ≤ 100 ms: {'met' if figures['target_met'] else 'NOT met'}")


if __name__ == "__main__":
    result = run(sys.argv[1:])
    _print(result)
    print("BENCH_JSON " + json.dumps(result))
