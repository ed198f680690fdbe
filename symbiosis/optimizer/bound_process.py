"""HiGHS's branch and bound on the whole model, in a second process, beside the heuristic.

Why: on a large MILP the heuristic (`piece.solve_piece`) and the lower bound want the same
minute. The bound that matters comes from HiGHS's root cuts on the *whole* model — they take
about as long as the heuristic itself on 100,000 links — and HiGHS's root is essentially
sequential, so on a two-core machine running it in its own process while the heuristic improves
the plan gives the bound the whole time limit instead of what the heuristic leaves over. Whatever
incumbent HiGHS finds on its own comes back too and is kept if it is cheaper.

The child is started with the ``spawn`` method (no fork of a process that may already run HiGHS
threads; the parent's script is not re-run in it, see `symbiosis.spawning`), rebuilds the model
from the pickled `ProblemData`, and works to an absolute wall-clock deadline set at
``_DEADLINE_SHARE`` of the caller's time limit, because HiGHS checks its time limit only between
cut rounds at the root, and a round takes up to 30 s on 100,000 links (alone on a core: dual bounds
175.3, 177.9, 179.5 and 180.8 M€ at 5, 10, 28 and 61 s of a 54 s limit).

So the child does not only answer at the end: HiGHS's MIP-interrupt callback, which HiGHS calls at
each of those checks, writes the dual bound reached so far into a shared double. The bound at a
check is as valid as the final one (it is HiGHS's global lower bound, objective offset included).
The same callback stops HiGHS once its incumbent's saving is proven within the tolerance
(`HighsSession.stop_when_saving_proven`, gaps.py).
The caller stops its own work ``wrap_up_s`` (``_WRAP_UP_SHARE`` of the limit, at least
``_WRAP_UP_MIN_S``) before its deadline, collects its garbage, and then waits for the child at
most until that deadline; if the child has not answered by then, it is terminated and the last
streamed bound is used. So the caller's time limit holds, and a cut round that runs past it costs
the bound of that round only — not, as before the stream, everything but the LP bound (seen on a
loaded machine: a 60 s run took 66.6 s and reported the LP's 175.3 M€ instead of 179.5).

The `ProblemData` goes to the child over its own pipe, written by a thread, and not among the
``Process`` arguments: ``spawn`` writes the pickled process object into a pipe that the child reads
only as it unpickles it, i.e. after importing this module (Pyomo, highspy: ≈ 1.7 s), so any
argument larger than the pipe's 64 KiB buffer blocked ``start()`` — and with it the heuristic —
for that long (a 2 s time limit then returned no plan at all).
"""

from __future__ import annotations

import math
import multiprocessing as mp
import pickle
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized

from symbiosis.optimizer.compile import compile_model
from symbiosis.optimizer.data import FloatArray, ProblemData
from symbiosis.optimizer.gcpause import gc_paused
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.results import baseline_objective
from symbiosis.optimizer.solve import HighsSession
from symbiosis.spawning import SPAWN, start_without_main

_WRAP_UP_SHARE = 0.04  # a garbage collection (≈ 1 s on 100,000 links) and the child's answer
_WRAP_UP_MIN_S = 0.5
_DEADLINE_SHARE = 0.9
_MIN_SOLVE_S = 1.0
_HIGHS_REL_GAP = 1e-9  # HiGHS's own gap (on the objective) never stops it first


def child_processes_allowed() -> bool:
    """False inside a daemonic process (the API's optimisation runs are one), which may not start
    children: callers then do the same work in their own process."""
    return not mp.current_process().daemon


@dataclass
class WholeModelOutcome:
    bound: float | None  # HiGHS's dual bound on the whole model: valid for the whole problem
    flow: FloatArray | None  # (T, L) HiGHS's own best plan, if it found one
    status: str


def _child(
    conn: Connection,
    data_conn: Connection,
    streamed: Synchronized,
    carbon_price_eur_per_t: float,
    co2_cap_t: float | None,
    mip_rel_gap: float,
    deadline_wall_s: float,
) -> None:
    try:
        try:
            d: ProblemData = pickle.loads(data_conn.recv_bytes())
        except EOFError:  # the parent gave up before handing the data over: nobody is listening
            return
        finally:
            data_conn.close()
        with gc_paused():
            c = compile_model(build_model(d, carbon_price_eur_per_t, co2_cap_t))
            s = HighsSession(c, threads=1)
            baseline = baseline_objective(d, carbon_price_eur_per_t)
            s.stop_when_saving_proven(baseline, mip_rel_gap, streamed)
            left = deadline_wall_s - time.time()
            if left < _MIN_SOLVE_S:
                conn.send(WholeModelOutcome(None, None, "no time left"))
                return
            out = s.run(left, _HIGHS_REL_GAP)  # the callback applies our test on the saving
        flow = None if out.x is None else out.x[c.flow_cols]
        conn.send(WholeModelOutcome(out.bound, flow, out.status))
    except Exception as exc:  # reported to the parent, which falls back to the LP bound
        try:
            conn.send(WholeModelOutcome(None, None, f"failed: {exc}"))
        except OSError:  # the parent is gone
            pass
    finally:
        conn.close()


def _send_and_close(conn: Connection, payload: bytes) -> None:
    """Write the child's data; a child already gone (terminated, crashed) just ends the write."""
    try:
        conn.send_bytes(payload)
    except OSError:  # BrokenPipeError once the child has exited: its outcome says why
        pass
    finally:
        conn.close()


class WholeModelBound:
    """A running child process solving the whole MILP until a wall-clock deadline."""

    def __init__(
        self,
        d: ProblemData,
        carbon_price_eur_per_t: float,
        co2_cap_t: float | None,
        mip_rel_gap: float,
        time_limit_s: float,
    ) -> None:
        self.deadline_wall_s = time.time() + time_limit_s  # the caller's
        self.wrap_up_s = max(_WRAP_UP_MIN_S, _WRAP_UP_SHARE * time_limit_s)  # see the module doc
        child_deadline_wall_s = time.time() + _DEADLINE_SHARE * time_limit_s
        self._conn, child_conn = SPAWN.Pipe(duplex=False)
        data_child_conn, data_conn = SPAWN.Pipe(duplex=False)
        self._streamed: Synchronized = SPAWN.Value("d", -math.inf)
        self._proc = SPAWN.Process(
            target=_child,
            args=(
                child_conn,
                data_child_conn,
                self._streamed,
                carbon_price_eur_per_t,
                co2_cap_t,
                mip_rel_gap,
                child_deadline_wall_s,
            ),
            daemon=True,
        )
        start_without_main(self._proc)
        child_conn.close()
        data_child_conn.close()
        self._outcome: WholeModelOutcome | None = None
        payload = pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL)
        self._sender = threading.Thread(target=_send_and_close, args=(data_conn, payload), daemon=True)
        self._sender.start()

    def proved_optimal(self) -> bool:
        """True once the child has answered with a plan HiGHS proved optimal (never blocks)."""
        if self._outcome is None and not self._conn.closed and self._conn.poll(0):
            self.result()
        return self._outcome is not None and self._outcome.status == "Optimal"

    def result(self) -> WholeModelOutcome:
        """Wait (at most until the caller's deadline) and collect; never raises.

        Without an answer, the outcome carries the last bound the child streamed (if any)."""
        if self._outcome is not None:
            return self._outcome
        wait_s = max(0.0, self.deadline_wall_s - time.time())
        try:
            if self._conn.poll(wait_s):
                self._outcome = self._conn.recv()
            else:
                self._outcome = WholeModelOutcome(
                    self.streamed_bound(), None, "stopped at the time limit (bound of its last cut round)"
                )
        except (EOFError, OSError):
            self._outcome = WholeModelOutcome(self.streamed_bound(), None, "exited without answering")
        finally:
            self.stop()
        return self._outcome

    def streamed_bound(self) -> float | None:
        """The highest dual bound HiGHS has reported so far (valid for the whole problem), if any."""
        value = float(self._streamed.value)
        return value if math.isfinite(value) else None

    def stop(self) -> None:
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join(timeout=5)
        self._sender.join(timeout=5)  # the child's end is closed now: a pending write fails at once
        if not self._conn.closed:
            self._conn.close()
