"""Optimisation runs as background jobs: queued → running → done / failed / cancelled, and
restart recovery (a run left "running" in the store is failed when an app starts)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.helpers import TERRITORY
from symbiosis.api import create_app
from symbiosis.services.principal import Principal, Role
from symbiosis.services.runs import INTERRUPTED, RUN, STALE_S, STATUS_CHECK_S, JobRunner, create_run

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API

FINAL = {"done", "failed", "cancelled"}


def _wait(as_role, run_id: str, role: str = "agency", timeout_s: float = 180.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    seen = set()
    while time.monotonic() < deadline:
        run = as_role(role, "GET", f"/runs/{run_id}").json()
        seen.add(run["status"])
        if run["status"] in FINAL:
            run["_seen"] = seen
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run_id} not finished after {timeout_s} s (seen {seen})")


def test_run_lifecycle_queue_done_and_cancel(as_role, app_client) -> None:
    r = as_role("agency", "POST", "/runs", json={"territory_id": TERRITORY, "carbon_price_eur_per_t": 80})
    assert r.status_code == 202, r.text
    first = r.json()
    assert first["status"] == "queued" and first["result"] is None
    second = as_role("agency", "POST", "/runs", json={"territory_id": TERRITORY, "pareto_points": 3}).json()
    assert (
        as_role("agency", "GET", f"/runs/{second['id']}").json()["status"] == "queued"
    )  # one worker at a time
    r = as_role("agency", "POST", f"/runs/{second['id']}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"

    done = _wait(as_role, first["id"])
    assert done["status"] == "done", done
    assert "running" in done["_seen"] or done["started_at"]
    result = done["result"]
    assert result["kind"] == "plan" and result["plan"]["links"]
    assert result["kpis"]["savings_eur_per_yr"] > 0 and done["progress"] == 1.0
    assert as_role("agency", "GET", f"/runs/{second['id']}").json()["status"] == "cancelled"  # never ran
    assert as_role("agency", "POST", f"/runs/{first['id']}/cancel").status_code == 409
    listed = as_role("agency", "GET", "/runs").json()
    assert {first["id"], second["id"]} <= {x["id"] for x in listed["data"]}
    assert all(x["result"] is None for x in listed["data"])  # lists stay light


def test_cancel_stops_the_worker_process(as_role, app_client) -> None:
    run = as_role("admin", "POST", "/runs", json={"territory_id": TERRITORY, "pareto_points": 20}).json()
    jobs = app_client.app.state.jobs
    deadline = time.monotonic() + 60
    while not jobs.is_alive(run["id"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert jobs.is_alive(run["id"]), "the worker process should have started"
    r = as_role("admin", "POST", f"/runs/{run['id']}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert not jobs.is_alive(run["id"])
    time.sleep(1.0)
    assert as_role("admin", "GET", f"/runs/{run['id']}").json()["status"] == "cancelled"


def test_a_failed_run_says_why(as_role) -> None:
    run = as_role("admin", "POST", "/runs", json={"territory_id": "dk_fredericia"}).json()
    failed = _wait(as_role, run["id"], "admin")
    assert failed["status"] == "failed"
    assert failed["error"] and "Traceback" not in failed["error"]


def test_restart_marks_interrupted_runs_failed(ctx, api_settings, headers) -> None:
    ctx.repo().save_record(
        RUN, {"id": "run_left_running", "territory_id": TERRITORY, "status": "running", "progress": 0.5}
    )
    with TestClient(create_app(api_settings, ctx)) as restarted:
        run = restarted.get("/runs/run_left_running", headers=headers["admin"]).json()
    assert run["status"] == "failed" and run["error"] == INTERRUPTED and run["finished_at"]


def test_a_run_ended_by_another_process_stops_its_worker(as_role, ctx) -> None:
    """A run the dashboard's runner started, cancelled through the API (which does not own it):
    the owner's watcher reads the record, stops its worker and never overwrites "cancelled"."""
    dashboard_jobs = JobRunner(ctx)
    admin = Principal("u_dashboard", "dashboard@example.org", Role.ADMIN)
    run = create_run(ctx, dashboard_jobs, admin, {"territory_id": TERRITORY, "pareto_points": 20})
    deadline = time.monotonic() + 60
    while not dashboard_jobs.is_alive(run["id"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert dashboard_jobs.is_alive(run["id"]), "the worker process should have started"
    r = as_role("admin", "POST", f"/runs/{run['id']}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    deadline = time.monotonic() + 4 * STATUS_CHECK_S + 10
    while dashboard_jobs.is_alive(run["id"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not dashboard_jobs.is_alive(run["id"])
    time.sleep(2 * STATUS_CHECK_S)
    assert as_role("admin", "GET", f"/runs/{run['id']}").json()["status"] == "cancelled"


def test_restart_spares_runs_another_live_process_watches(ctx, api_settings, headers) -> None:
    """A dashboard's run beats every STATUS_CHECK_S: an API starting meanwhile must not fail it."""
    now = datetime.now(UTC)
    fresh = (now - timedelta(seconds=STALE_S / 3)).isoformat(timespec="seconds")
    old = (now - timedelta(seconds=STALE_S * 3)).isoformat(timespec="seconds")
    for run_id, beat in (("run_watched", fresh), ("run_orphaned", old)):
        ctx.repo().save_record(
            RUN,
            {
                "id": run_id,
                "territory_id": TERRITORY,
                "status": "running",
                "progress": 0.5,
                "heartbeat_at": beat,
            },
        )
    with TestClient(create_app(api_settings, ctx)) as restarted:
        watched = restarted.get("/runs/run_watched", headers=headers["admin"]).json()
        orphaned = restarted.get("/runs/run_orphaned", headers=headers["admin"]).json()
    assert watched["status"] == "running"
    assert orphaned["status"] == "failed" and orphaned["error"] == INTERRUPTED
    ctx.repo().patch_record(RUN, "run_watched", {"status": "failed", "error": "test over"})


def test_a_watcher_beats_while_its_run_runs(as_role, ctx) -> None:
    runner = JobRunner(ctx)
    admin = Principal("u_dashboard", "dashboard@example.org", Role.ADMIN)
    run = create_run(ctx, runner, admin, {"territory_id": TERRITORY, "pareto_points": 20})
    first = run["heartbeat_at"]
    deadline = time.monotonic() + 60
    beat = first
    while beat == first and time.monotonic() < deadline:
        time.sleep(0.5)
        beat = ctx.repo().get_record(RUN, run["id"])["heartbeat_at"]
    assert beat > first  # ISO timestamps of one format compare as times
    as_role("admin", "POST", f"/runs/{run['id']}/cancel")
    runner.cancel(run["id"])


def test_whoever_reads_an_orphaned_run_settles_it(as_role, ctx) -> None:
    """A dashboard that stopped leaves its run "running": the next read fails it, no restart needed."""
    now = datetime.now(UTC)
    old = (now - timedelta(seconds=STALE_S * 3)).isoformat(timespec="seconds")
    fresh = (now - timedelta(seconds=STALE_S / 3)).isoformat(timespec="seconds")
    for run_id, beat in (("run_left_by_a_dashboard", old), ("run_listed_orphan", old), ("run_alive", fresh)):
        ctx.repo().save_record(
            RUN, {"id": run_id, "territory_id": TERRITORY, "status": "running", "heartbeat_at": beat}
        )
    one = as_role("admin", "GET", "/runs/run_left_by_a_dashboard").json()
    assert one["status"] == "failed" and one["error"] == INTERRUPTED and one["finished_at"]
    listed = {r["id"]: r for r in as_role("admin", "GET", "/runs").json()["data"]}
    assert listed["run_listed_orphan"]["status"] == "failed"
    assert listed["run_alive"]["status"] == "running"
    assert ctx.repo().get_record(RUN, "run_listed_orphan")["status"] == "failed"  # stored, not only shown
    ctx.repo().patch_record(RUN, "run_alive", {"status": "failed", "error": "test over"})
