"""Spawned children never re-run the parent's ``__main__`` script.

Streamlit makes the dashboard page ``sys.modules["__main__"]`` (and its AppTest leaves it there):
a ``spawn`` child then re-executes the page before its target, and dies if the page fails. CI
caught the whole-model bound process dying that way after the dashboard tests. The fixture below
installs a ``__main__`` whose script always fails, as such a page does in a bare process.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
import types
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from symbiosis.optimizer.bound_process import WholeModelBound
from symbiosis.optimizer.data import build_problem_data
from symbiosis.optimizer.results import baseline_objective
from symbiosis.optimizer.synthetic import synthetic_candidate_set
from symbiosis.spawning import POOL_CONTEXT, SPAWN, start_without_main


@pytest.fixture
def failing_main_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "page.py"
    script.write_text("raise RuntimeError('a page that cannot render outside Streamlit')\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    main.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", main)
    return script


def test_a_plain_spawn_re_runs_the_main_script(failing_main_script: Path) -> None:
    """The fixture reproduces the fault: without the guard the child dies before its target."""
    proc = SPAWN.Process(target=time.sleep, args=(0,))
    proc.start()
    proc.join(timeout=60)
    assert proc.exitcode not in (0, None)


def test_start_without_main_runs_the_target_and_restores_main(failing_main_script: Path) -> None:
    main_before = sys.modules["__main__"]
    proc = SPAWN.Process(target=time.sleep, args=(0,))
    start_without_main(proc)
    assert sys.modules["__main__"] is main_before
    proc.join(timeout=60)
    assert proc.exitcode == 0


def test_the_bound_process_answers_under_a_failing_main_script(failing_main_script: Path) -> None:
    d = build_problem_data(synthetic_candidate_set(8, 8, 30, seed=1, fixed_cost_share=1.0))
    outcome = WholeModelBound(d, 50.0, None, 1e-9, time_limit_s=20.0).result()
    assert outcome.status == "Optimal", outcome.status
    assert outcome.bound is not None and outcome.flow is not None


def test_pool_workers_are_spawned_with_a_blank_main(failing_main_script: Path) -> None:
    """The decomposition's process pool: spawned (never forked, see `symbiosis.spawning`), and
    its workers start under a ``__main__`` script that cannot run."""
    assert POOL_CONTEXT.get_start_method() == "spawn"
    main_before = sys.modules["__main__"]
    with ProcessPoolExecutor(max_workers=2, mp_context=POOL_CONTEXT) as pool:
        pids = set(pool.map(_worker_pid, range(4)))
    assert sys.modules["__main__"] is main_before
    assert os.getpid() not in pids and len(pids) >= 1


def _worker_pid(_: int) -> int:
    return os.getpid()


def test_a_quiet_solve_prints_nothing() -> None:
    """No HiGHS banner on stdout (highspy 1.16 prints one from ``highspy.Highs()``), so a plan
    written to stdout stays machine-readable."""
    code = (
        "from symbiosis.optimizer import optimize\n"
        "from symbiosis.optimizer.synthetic import synthetic_candidate_set\n"
        "optimize(synthetic_candidate_set(6, 6, 18, seed=1, fixed_cost_share=0.5))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""


PIPE_BUFFER_BYTES = 64 * 1024  # Linux's default pipe capacity


def test_starting_the_bound_process_leaves_the_heuristic_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Handing the whole model to the bound process must not wait for the child to import Pyomo
    and highspy (≈ 1.7 s): the data once went among the ``Process`` arguments, whose pipe the
    child reads only after those imports, and a MILP given 1.5 s came back with no exchange at all.
    ``start()`` cannot block on that pipe when what it writes fits in the pipe's buffer, so this
    checks the size of what ``start()`` pickles against a model larger than the buffer — not a
    clock, which a loaded machine makes fail."""
    from symbiosis.optimizer import bound_process

    d = build_problem_data(synthetic_candidate_set(200, 200, 5_000, seed=3, grid=4, fixed_cost_share=1.0))
    assert len(pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL)) > 2 * PIPE_BUFFER_BYTES
    started: list[int] = []

    def pickled_size(arg: Any) -> int:
        try:
            return len(pickle.dumps(arg, protocol=pickle.HIGHEST_PROTOCOL))
        except RuntimeError:  # pipe ends and shared values: handles, pickled only while spawning
            return 0

    def measuring_start(proc: Any) -> None:
        started.append(sum(pickled_size(a) for a in (*proc._args, *proc._kwargs.values())))
        start_without_main(proc)

    monkeypatch.setattr(bound_process, "start_without_main", measuring_start)
    helper = WholeModelBound(d, 50.0, None, 0.5, time_limit_s=120.0)
    try:
        assert len(started) == 1 and started[0] < PIPE_BUFFER_BYTES // 4, started
        outcome = helper.result()  # the data still reaches the child, over its own pipe
    finally:
        helper.stop()
    assert outcome.bound is not None and outcome.bound <= baseline_objective(d, 50.0), outcome
