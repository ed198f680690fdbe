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
cut rounds at the root and can overrun it by seconds on 100,000 links. If it
has not answered by the caller's own deadline plus a grace (``_GRACE_SHARE`` of the limit, at
least ``_GRACE_MIN_S``), it is terminated and only the LP
bound is used.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from symbiosis.optimizer.compile import compile_model
from symbiosis.optimizer.data import FloatArray, ProblemData
from symbiosis.optimizer.gcpause import gc_paused
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.solve import HighsSession
from symbiosis.spawning import SPAWN, start_without_main

_GRACE_SHARE = 0.1
_GRACE_MIN_S = 2.0
_DEADLINE_SHARE = 0.9
_MIN_SOLVE_S = 1.0


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
    d: ProblemData,
    carbon_price_eur_per_t: float,
    co2_cap_t: float | None,
    mip_rel_gap: float,
    deadline_wall_s: float,
) -> None:
    try:
        with gc_paused():
            c = compile_model(build_model(d, carbon_price_eur_per_t, co2_cap_t))
            s = HighsSession(c, threads=1)
            left = deadline_wall_s - time.time()
            if left < _MIN_SOLVE_S:
                conn.send(WholeModelOutcome(None, None, "no time left"))
                return
            out = s.run(left, mip_rel_gap)
        flow = None if out.x is None else out.x[c.flow_cols]
        conn.send(WholeModelOutcome(out.bound, flow, out.status))
    except Exception as exc:  # reported to the parent, which falls back to the LP bound
        conn.send(WholeModelOutcome(None, None, f"failed: {exc}"))
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
        self.grace_s = max(_GRACE_MIN_S, _GRACE_SHARE * time_limit_s)
        child_deadline_wall_s = time.time() + _DEADLINE_SHARE * time_limit_s
        self._conn, child_conn = SPAWN.Pipe(duplex=False)
        self._proc = SPAWN.Process(
            target=_child,
            args=(child_conn, d, carbon_price_eur_per_t, co2_cap_t, mip_rel_gap, child_deadline_wall_s),
            daemon=True,
        )
        start_without_main(self._proc)
        child_conn.close()
        self._outcome: WholeModelOutcome | None = None

    def proved_optimal(self) -> bool:
        """True once the child has answered with a plan HiGHS proved optimal (never blocks)."""
        if self._outcome is None and not self._conn.closed and self._conn.poll(0):
            self.result()
        return self._outcome is not None and self._outcome.status == "Optimal"

    def result(self) -> WholeModelOutcome:
        """Wait (at most until the deadline plus a grace period) and collect; never raises."""
        if self._outcome is not None:
            return self._outcome
        wait_s = max(0.0, self.deadline_wall_s + self.grace_s - time.time())
        try:
            if self._conn.poll(wait_s):
                self._outcome = self._conn.recv()
            else:
                self._outcome = WholeModelOutcome(None, None, "did not answer in time")
        except (EOFError, OSError):
            self._outcome = WholeModelOutcome(None, None, "exited without answering")
        finally:
            self.stop()
        return self._outcome

    def stop(self) -> None:
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join(timeout=5)
        if not self._conn.closed:
            self._conn.close()
