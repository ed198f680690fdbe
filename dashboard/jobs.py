"""Long optimisations run as background jobs so the page stays responsive (and shows progress).

One `JobBoard` per dashboard server (held by `st.cache_resource`); a job is keyed by what it
computes, so asking twice for the same scenario joins the running job instead of starting another.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Job:
    key: str
    future: Future[Any]
    started_s: float = field(default_factory=time.monotonic)
    step: str = "queued"

    @property
    def done(self) -> bool:
        return self.future.done()

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started_s


class JobBoard:
    def __init__(self, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dashboard-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, key: str, fn: Callable[[Callable[[str], None]], Any]) -> Job:
        """Run ``fn(progress)`` in the background; ``progress(step)`` updates the job's step."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not (job.done and job.future.exception() is not None):
                return job
            holder: dict[str, Job] = {}
            registered = threading.Event()

            def progress(step: str) -> None:
                holder["job"].step = step

            def work() -> Any:
                registered.wait()  # the job object exists before the first progress call
                return fn(progress)

            job = holder["job"] = Job(key, self._pool.submit(work))
            self._jobs[key] = job
            registered.set()
            return job

    def get(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)
