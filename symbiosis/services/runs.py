"""Optimisation runs as background jobs: ``queued → running → done | failed | cancelled``.

Each run is a record in the graph store (so it outlives the API process) and, while it runs, a
worker *process* (`run_worker`) watched by a thread of the process that started it (the API, or
the dashboard): cancel terminates the worker. The record is the truth: a watcher that finds its
run ended by another process — cancelled through the API while the dashboard runs it, or marked
failed by `recover` when an API starts — stops its worker and writes nothing more. At start-up,
`recover` marks runs left ``queued``/``running`` as failed.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from symbiosis.errors import GraphStoreUnavailable, InvalidInput, Issue
from symbiosis.services.access import may_see_territory
from symbiosis.services.context import ServiceContext, utc_now
from symbiosis.services.errors import Conflict, NotFound
from symbiosis.services.principal import Principal, Role
from symbiosis.services.run_worker import run_optimisation
from symbiosis.spawning import SPAWN, start_without_main

RUN = "Run"
ACTIVE = ("queued", "running")
FINAL = ("done", "failed", "cancelled")
POLL_S = 0.2
STATUS_CHECK_S = 2.0  # how often a watcher looks whether another process ended its run, and beats
STALE_S = 30.0  # a queued/running run whose watcher has not beaten for this long has no watcher
INTERRUPTED = (
    "interrupted: the process watching it (API or dashboard) stopped while it was queued or running; "
    "start it again"
)


@dataclass
class _Job:
    run_id: str
    params: dict[str, Any]
    cancelled: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    process: Any = None


class JobRunner:
    """Runs at most ``max_parallel`` worker processes; later runs wait ``queued``."""

    def __init__(self, ctx: ServiceContext, max_parallel: int = 1) -> None:
        self.ctx = ctx
        self._slots = threading.Semaphore(max_parallel)
        self._jobs: dict[str, _Job] = {}
        self._lock = threading.Lock()

    def submit(self, run_id: str, params: dict[str, Any]) -> None:
        job = _Job(run_id, params)
        with self._lock:
            self._jobs[run_id] = job
        threading.Thread(target=self._watch, args=(job,), name=f"run-{run_id}", daemon=True).start()

    def cancel(self, run_id: str) -> bool:
        """Stop a queued or running job of this process; False when it is not ours (or over)."""
        with self._lock:
            job = self._jobs.get(run_id)
        if job is None:
            return False
        with job.lock:  # after this, the watcher writes nothing more to the record
            job.cancelled.set()
            proc = job.process
        if proc is not None and proc.is_alive():
            proc.terminate()
            proc.join(5)
            if proc.is_alive():
                proc.kill()
        return True

    def is_alive(self, run_id: str) -> bool:
        with self._lock:
            job = self._jobs.get(run_id)
        return bool(job and job.process is not None and job.process.is_alive())

    def shutdown(self) -> None:
        with self._lock:
            ids = list(self._jobs)
        for run_id in ids:
            if self.cancel(run_id):
                self._update(run_id, status="failed", error=INTERRUPTED, finished_at=utc_now())

    def _update(self, run_id: str, **props: Any) -> None:
        try:
            self.ctx.repo().patch_run_unless_ended(run_id, props, FINAL)  # an end written elsewhere stands
        except GraphStoreUnavailable:
            self.ctx.graph.reset()  # the record stays as it was; recover() settles it on restart

    def _ended_elsewhere(self, run_id: str) -> bool:
        """Whether the record says the run is over although this watcher has not finished it."""
        try:
            record = self.ctx.repo().get_record(RUN, run_id)
        except GraphStoreUnavailable:
            return False
        return record is not None and record.get("status") in FINAL

    def _job_update(self, job: _Job, **props: Any) -> None:
        with job.lock:
            if not job.cancelled.is_set():
                self._update(job.run_id, **props)

    def _watch(self, job: _Job) -> None:
        try:
            while not self._slots.acquire(timeout=STATUS_CHECK_S):  # queued: still beat, still listen
                if job.cancelled.is_set() or self._ended_elsewhere(job.run_id):
                    return
                self._job_update(job, heartbeat_at=utc_now())
            try:
                if not job.cancelled.is_set():
                    self._execute(job)
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._jobs.pop(job.run_id, None)

    def _execute(self, job: _Job) -> None:
        parent, child = SPAWN.Pipe(duplex=False)
        proc = SPAWN.Process(
            target=run_optimisation, args=(self.ctx.settings, job.params, child), daemon=True
        )
        with job.lock:
            if job.cancelled.is_set():
                return
            job.process = proc
            start_without_main(proc)  # no fork of a process holding driver threads
        child.close()
        self._job_update(
            job, status="running", started_at=utc_now(), progress=0.05, message="started", stage="started"
        )
        outcome: tuple[str, Any] | None = None
        next_check = time.monotonic() + STATUS_CHECK_S
        while outcome is None:
            if job.cancelled.is_set():
                break
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + STATUS_CHECK_S
                if self._ended_elsewhere(job.run_id):
                    self.cancel(job.run_id)
                    break
                self._job_update(job, heartbeat_at=utc_now())
            try:
                if parent.poll(POLL_S):
                    msg = parent.recv()
                    if msg[0] == "progress":
                        stage = (
                            {"stage": msg[3], "stage_values_json": json.dumps(msg[4])} if len(msg) > 4 else {}
                        )
                        self._job_update(job, progress=float(msg[1]), message=str(msg[2]), **stage)
                    else:
                        outcome = (msg[0], msg[1])
                elif not proc.is_alive():
                    break
            except (EOFError, OSError):
                break
        proc.join(5)
        if outcome is None:
            reason = f"the worker process stopped unexpectedly (exit code {proc.exitcode})"
            self._job_update(job, status="failed", error=reason, finished_at=utc_now())
        elif self._ended_elsewhere(job.run_id):
            job.cancelled.set()  # cancelled or failed by another process meanwhile: its word stands
        elif outcome[0] == "done":
            result = outcome[1]
            self._job_update(
                job,
                status="done",
                progress=1.0,
                message="finished",
                stage="finished",
                finished_at=utc_now(),
                result_json=json.dumps(result, default=str),
            )
        else:
            self._job_update(job, status="failed", error=str(outcome[1]), finished_at=utc_now())


# --- service functions -----------------------------------------------------------------------


def _visible(ctx: ServiceContext, p: Principal, record: dict[str, Any] | None, run_id: str) -> dict[str, Any]:
    if record is None or not may_see_territory(ctx, p, record.get("territory_id")):
        raise NotFound("run", run_id)
    return record


def public(record: dict[str, Any], with_result: bool = True) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k != "result_json"}
    result = json.loads(record["result_json"]) if with_result and record.get("result_json") else None
    out["result"] = result
    return out


def create_run(ctx: ServiceContext, jobs: JobRunner, p: Principal, params: dict[str, Any]) -> dict[str, Any]:
    p.require(Role.ADMIN, Role.AGENCY)
    tid = params["territory_id"]
    if tid not in ctx.tree().territories or not may_see_territory(ctx, p, tid):
        raise InvalidInput([Issue("run", "territory_id", tid, "a territory you may see")], "run")
    record = {
        "id": f"run_{uuid.uuid4().hex[:16]}",
        **{k: v for k, v in params.items() if v is not None},
        "status": "queued",
        "progress": 0.0,
        "message": "waiting for a free worker",
        "stage": "queued",
        "created_at": utc_now(),
        "created_by": p.user_id,
    }
    record["heartbeat_at"] = record["created_at"]
    ctx.repo().save_record(RUN, record)
    jobs.submit(record["id"], params)
    return public(record)


def get_run(ctx: ServiceContext, p: Principal, run_id: str) -> dict[str, Any]:
    p.require(Role.ADMIN, Role.AGENCY)
    record = _visible(ctx, p, ctx.repo().get_record(RUN, run_id), run_id)
    return public(_settled(ctx, record, datetime.now(UTC)))


def list_runs(ctx: ServiceContext, p: Principal, territory_id: str | None = None) -> list[dict[str, Any]]:
    p.require(Role.ADMIN, Role.AGENCY)
    out = []
    now = datetime.now(UTC)
    for rec in ctx.repo().list_records(RUN):
        if may_see_territory(ctx, p, rec.get("territory_id")) and territory_id in (
            None,
            rec.get("territory_id"),
        ):
            out.append(public(_settled(ctx, rec, now), with_result=False))
    return sorted(out, key=lambda r: r.get("created_at", ""), reverse=True)


def cancel_run(ctx: ServiceContext, jobs: JobRunner, p: Principal, run_id: str) -> dict[str, Any]:
    p.require(Role.ADMIN, Role.AGENCY)
    record = _visible(ctx, p, ctx.repo().get_record(RUN, run_id), run_id)
    if record["status"] in FINAL:
        raise Conflict(f"run {run_id} is {record['status']} already: nothing to cancel")
    jobs.cancel(run_id)
    patched = ctx.repo().patch_run_unless_ended(
        run_id,
        {
            "status": "cancelled",
            "finished_at": utc_now(),
            "message": f"cancelled by {p.email}",
            "stage": "cancelled",
            "stage_values_json": json.dumps({"by": p.email}),
        },
        FINAL,
    )
    if patched is None:  # it ended between the look and the write: its end stands
        now = ctx.repo().get_record(RUN, run_id) or record
        raise Conflict(f"run {run_id} is {now.get('status')} already: nothing to cancel")
    return public(patched)


def _stale(record: dict[str, Any], now: datetime) -> bool:
    beat = record.get("heartbeat_at")
    if not beat:
        return True
    try:
        return (now - datetime.fromisoformat(str(beat))).total_seconds() > STALE_S
    except ValueError:
        return True


def _settled(ctx: ServiceContext, record: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The record, failed with `INTERRUPTED` first if it is queued/running without a heartbeat for
    ``STALE_S``: its watcher's process is gone. Settled by whoever looks first, so a run of a
    dashboard that stopped does not stay "running" until the next API start."""
    if record.get("status") not in ACTIVE or not _stale(record, now):
        return record
    patch = {"status": "failed", "error": INTERRUPTED, "finished_at": utc_now()}
    return ctx.repo().patch_run_unless_ended(record["id"], patch, FINAL) or (
        ctx.repo().get_record(RUN, record["id"]) or {**record, **patch}
    )


def recover(ctx: ServiceContext) -> int:
    """Mark runs a dead process left queued/running as failed (no heartbeat for ``STALE_S``);
    returns how many. Runs a live process still watches are left alone."""
    now = datetime.now(UTC)
    stale = [rec for rec in ctx.repo().runs_with_status(list(ACTIVE)) if _stale(rec, now)]
    for rec in stale:
        _settled(ctx, rec, now)
    return len(stale)
