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

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from api_harness import KALUNDBORG, bench_parser, percentiles, served_api


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
    return percentiles(samples)


def _once_ms(client: Any, path: str) -> float:
    t0 = time.perf_counter()
    r = client.get(path)
    r.raise_for_status()
    return round((time.perf_counter() - t0) * 1000, 1)


def run(argv: list[str]) -> dict[str, Any]:
    ap = bench_parser(__doc__, 10_000, "smoke run: 1,000 sites, 5 requests per client")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=20, help="per client and phase")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="per phase")
    args = ap.parse_args(argv)
    if args.quick:
        args.sites, args.requests = 1_000, 5

    import httpx

    figures: dict[str, Any] = {
        "sites": args.sites,
        "clients": args.clients,
        "requests_per_client": args.requests,
    }
    with served_api("symbiosis-bench-api-", args.sites) as api:
        base, token, zone, region, national_outputs = (
            api.base,
            api.token,
            api.zone,
            api.region,
            api.region_outputs,
        )
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
            figures["kalundborg_match_cold_ms"] = _once_ms(c, f"/matches?territory_id={KALUNDBORG}&limit=20")
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
            figures["national_region_match_cold_ms"] = _once_ms(c, f"/matches?territory_id={region}&limit=20")
            figures["national_region_match"] = _phase(*phase, match(region))
            figures["national_write"] = _phase(*phase, write(national_outputs))
        p95 = figures["kalundborg_match"].get("p95_ms", float("inf"))
        figures["target_kalundborg_match_p95_ms"] = 100.0
        figures["target_met"] = p95 <= 100.0
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
