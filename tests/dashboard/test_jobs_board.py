"""Background jobs: same key joins the running job; steps are reported; failures can be retried."""

from __future__ import annotations

import threading

import pytest

from dashboard.jobs import JobBoard


def test_same_key_joins_and_progress_is_reported() -> None:
    board = JobBoard()
    gate = threading.Event()

    def work(progress):  # noqa: ANN001, ANN202
        progress("solving")
        gate.wait(5)
        return 42

    job = board.submit("k", work)
    assert board.submit("k", work) is job
    gate.set()
    assert job.future.result(timeout=5) == 42
    assert job.done and job.step == "solving" and board.get("k") is job


def test_a_failed_job_is_started_again() -> None:
    board = JobBoard()

    def fail(progress):  # noqa: ANN001, ANN202
        raise RuntimeError("boom")

    job = board.submit("k", fail)
    with pytest.raises(RuntimeError):
        job.future.result(timeout=5)
    again = board.submit("k", lambda progress: 1)
    assert again is not job and again.future.result(timeout=5) == 1
