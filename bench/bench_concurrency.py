"""Latency under write load: concurrent writers (POST /outputs) and readers (GET /matches) on the API.

uvicorn serves `symbiosis.api` in its own process on a free loopback port; the graph store is a
private embedded ArcadeDB server in a temporary home (never ``.symbiosis/``) holding Kalundborg and a
seeded synthetic national dataset (``--sites``). For ``--seconds`` seconds, ``--writers`` threads
(each its own HTTP connection) each create declarations one after the other on the sites of one
national industrial zone, while ``--readers`` threads ask ``GET /matches`` of that same zone — the
worst case: every write changes what the readers ask for. Reported: p50/p95/max of writes and of
reads during them, requests per second, and the same writes from one writer alone (uncontended).

Target (issue 14): with 20 writers, writes p95 ≤ 150 ms and reads during them p95 ≤ 150 ms.

Usage: ``python bench/bench_concurrency.py [--sites 2000] [--writers 20] [--readers 4] [--seconds 30]
[--quick]``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from api_harness import PASSWORD, bench_parser, login, percentiles, served_api

TARGET_P95_MS = 150.0
READER = "reader@example.org"
RESOURCES = (("wood", "t/yr"), ("heat_medium_50_90c", "MWh/yr"), ("fgd_gypsum", "t/yr"), ("fly_ash", "t/yr"),
             ("process_water", "m3/yr"))  # fmt: skip
"""(resource code, unit) of the declarations the writers create: popular codes, so writes clash."""


def _add_reader(settings: Any) -> None:
    """The readers' own account: a writer's reads wait for its own writes, other users' do not."""
    from symbiosis.services import users
    from symbiosis.services.context import ServiceContext
    from symbiosis.services.principal import Role

    ctx = ServiceContext.create(settings)
    try:
        users.create_user_record(ctx, READER, PASSWORD, Role.ADMIN)
    finally:
        ctx.close()


def _load_phase(
    base: str, tokens: tuple[str, str], zone: str, sites: list[str], writers: int, readers: int,
    seconds: float, pace_s: tuple[float, float] = (0.0, 0.0),
) -> dict[str, Any]:  # fmt: skip
    """``writers`` + ``readers`` threads for ``seconds``; latencies of each side and errors.
    ``tokens``: (the writers' account, the readers' account). ``pace_s``: (each writer, each reader)
    starts a request every so many seconds (0: as soon as the previous one answered); a client
    behind its schedule does not burst to catch up."""
    import httpx

    token, reader_token = tokens
    start = time.monotonic()
    stop_at = start + seconds

    def pacer(k: int, every: float, clients: int) -> Any:
        """Sleeps until the client's next turn; clients' turns are spread evenly over ``every``."""
        next_at = start + every * k / max(clients, 1)

        def wait() -> None:
            nonlocal next_at
            if every > 0:
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at = max(next_at + every, time.monotonic())

        return wait

    errors: list[str] = []
    lock = threading.Lock()

    def writer(k: int) -> list[float]:
        out: list[float] = []
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as c:
            i, wait = 0, pacer(k, pace_s[0], writers)
            while time.monotonic() < stop_at:
                wait()
                code, unit = RESOURCES[(k + i) % len(RESOURCES)]
                body = {
                    "site_id": sites[(k + i) % len(sites)],
                    "resource_code": code,
                    "quantity": 100.0 + k + i,
                    "quantity_unit": unit,
                    "source": "bench_concurrency",
                }
                t0 = time.perf_counter()
                r = c.post("/outputs", json=body)
                out.append((time.perf_counter() - t0) * 1000)
                if r.status_code >= 400:
                    with lock:
                        errors.append(f"POST /outputs: {r.status_code} {r.text[:160]}")
                i += 1
        return out

    def reader(k: int) -> list[float]:
        out: list[float] = []
        auth = {"Authorization": f"Bearer {reader_token}"}
        with httpx.Client(base_url=base, headers=auth, timeout=120) as c:
            wait = pacer(k, pace_s[1], readers)
            while time.monotonic() < stop_at:
                wait()
                t0 = time.perf_counter()
                r = c.get("/matches", params={"territory_id": zone, "limit": 20})
                out.append((time.perf_counter() - t0) * 1000)
                if r.status_code >= 400:
                    with lock:
                        errors.append(f"GET /matches: {r.status_code} {r.text[:160]}")
        return out

    with ThreadPoolExecutor(writers + readers) as pool:
        w = [pool.submit(writer, k) for k in range(writers)]
        rd = [pool.submit(reader, k) for k in range(readers)]
        writes = [ms for f in w for ms in f.result()]
        reads = [ms for f in rd for ms in f.result()]
    return {
        "writes": percentiles(writes) | {"per_s": round(len(writes) / seconds, 1)},
        "reads": percentiles(reads) | {"per_s": round(len(reads) / seconds, 1)},
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def run(argv: list[str]) -> dict[str, Any]:
    ap = bench_parser(__doc__, 2_000, "smoke run: 500 sites, 8 s")
    ap.add_argument("--writers", type=int, default=20)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=30.0, help="length of each loaded phase")
    ap.add_argument("--write-every", type=float, default=1.0, help="paced phase: s between a writer's posts")
    ap.add_argument("--read-every", type=float, default=0.25, help="paced phase: s between a reader's gets")
    args = ap.parse_args(argv)
    if args.quick:
        args.sites, args.seconds = 500, 8.0

    import httpx

    figures: dict[str, Any] = {
        "title": "Latency under write load (API, concurrent writers and readers)",
        "description": (
            f"{args.writers} writers POST /outputs and {args.readers} readers GET /matches of the same "
            f"national zone for {args.seconds:.0f} s, through uvicorn on loopback, private embedded "
            f"store ({args.sites:,} synthetic sites + Kalundborg). Target: p95 ≤ {TARGET_P95_MS:.0f} ms "
            "for both."
        ),
    }
    with served_api("symbiosis-bench-conc-", args.sites, prepare=_add_reader) as api:
        base, zone = api.base, api.zone
        tokens = (api.token, login(base, READER))
        headers = {"Authorization": f"Bearer {api.token}"}
        sites = [
            s["id"]
            for s in httpx.get(
                f"{base}/sites", params={"territory_id": zone, "limit": 1000}, headers=headers, timeout=60
            ).json()["data"]
        ]
        httpx.get(f"{base}/matches", params={"territory_id": zone}, headers=headers, timeout=300)  # warm
        single = _load_phase(base, tokens, zone, sites, 1, 0, min(10.0, args.seconds))
        pace = (args.write_every, args.read_every)
        paced = _load_phase(base, tokens, zone, sites, args.writers, args.readers, args.seconds, pace)
        loaded = _load_phase(base, tokens, zone, sites, args.writers, args.readers, args.seconds)
    figures["load_average_1min"] = round(os.getloadavg()[0], 1)  # shared machine: other work skews it
    figures["zone"] = zone
    figures["zone_sites"] = len(sites)
    crowd = f"{args.writers} writers + {args.readers} readers"
    paced_name = f"{crowd}, paced ({args.write_every:g} s / {args.read_every:g} s)"
    figures["latency"] = [
        {"phase": "1 writer alone, back to back", "kind": "POST /outputs", **single["writes"]},
        {"phase": paced_name, "kind": "POST /outputs", **paced["writes"]},
        {"phase": paced_name, "kind": "GET /matches", **paced["reads"]},
        {"phase": f"{crowd}, back to back (saturating)", "kind": "POST /outputs", **loaded["writes"]},
        {"phase": f"{crowd}, back to back (saturating)", "kind": "GET /matches", **loaded["reads"]},
    ]
    phases = (single, paced, loaded)
    figures["errors"] = sum(ph["errors"] for ph in phases)
    figures["first_error"] = next((ph["first_error"] for ph in phases if ph["first_error"]), None)
    figures["target_p95_ms"] = TARGET_P95_MS
    figures["paced_writes_target_met"] = paced["writes"].get("p95_ms", float("inf")) <= TARGET_P95_MS
    figures["paced_reads_target_met"] = paced["reads"].get("p95_ms", float("inf")) <= TARGET_P95_MS
    figures["saturating_writes_target_met"] = loaded["writes"].get("p95_ms", float("inf")) <= TARGET_P95_MS
    figures["saturating_reads_target_met"] = loaded["reads"].get("p95_ms", float("inf")) <= TARGET_P95_MS
    return figures


def _print(figures: dict[str, Any]) -> None:
    print(f"\n{figures['description']}")
    for row in figures["latency"]:
        print(f"  {row['phase']:<48} {row['kind']:<14} p50 {row.get('p50_ms', '-'):>8} ms   "
              f"p95 {row.get('p95_ms', '-'):>8} ms   max {row.get('max_ms', '-'):>8} ms   "
              f"n {row.get('n')}  ({row.get('per_s')}/s)")  # fmt: skip
    first = f" (first: {figures['first_error']})" if figures["errors"] else ""
    print(f"  errors: {figures['errors']}{first}; machine load average {figures['load_average_1min']}")
    for phase in ("paced", "saturating"):
        for side in ("writes", "reads"):
            met = figures[f"{phase}_{side}_target_met"]
            print(f"  {phase} {side} p95 ≤ {figures['target_p95_ms']:.0f} ms: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    result = run(sys.argv[1:])
    _print(result)
    print("BENCH_JSON " + json.dumps(result))
