"""Start ``spawn`` child processes without re-running the parent's script in them.

Why ``spawn`` and never ``fork`` (Linux's default): a forked child inherits HiGHS's worker
threads' state but not the threads. With highspy 1.16, a component solved in a ``fork``-ed pool
worker after the parent had itself run HiGHS spun at full CPU for ever (`HighsSession.run` never
returned; the test suite hung for hours). Every process this package starts is a ``spawn`` child.

Why a blank ``__main__``: a ``spawn`` child first re-executes the parent's ``__main__`` file (as
``__mp_main__``) so that functions defined there can be unpickled. Under Streamlit, ``__main__`` is
the dashboard's page script — Streamlit installs it as ``sys.modules["__main__"]`` on every script
run, and its ``AppTest`` leaves it there afterwards — so an optimisation run started from the
dashboard, or the optimiser's whole-model bound process, would first render the whole dashboard in
bare mode (reading the graph store), and die before doing its work whenever that page cannot render
in a bare process. Every target this package starts lives in an importable module, so the child
needs nothing from ``__main__``: while the process object is pickled and launched, ``__main__`` is
a blank module, which ``multiprocessing`` then leaves alone.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.context import SpawnContext, SpawnProcess
from multiprocessing.process import BaseProcess

SPAWN: SpawnContext = mp.get_context("spawn")

_swap_lock = threading.Lock()


@contextmanager
def _blank_main() -> Iterator[None]:
    with _swap_lock:
        real_main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if real_main is not None:
                sys.modules["__main__"] = real_main


def start_without_main(proc: BaseProcess) -> None:
    """``proc.start()`` with a blank ``__main__``; the real one is back before this returns.

    The target must live in an importable module (never in a script run as ``__main__``).
    """
    with _blank_main():
        proc.start()


class _BlankMainSpawnProcess(SpawnProcess):
    def start(self) -> None:
        with _blank_main():
            super().start()


class _BlankMainSpawnContext(SpawnContext):
    Process = _BlankMainSpawnProcess


POOL_CONTEXT: SpawnContext = _BlankMainSpawnContext()
"""For ``ProcessPoolExecutor(mp_context=POOL_CONTEXT)``: its workers are spawned with a blank
``__main__``, like `start_without_main`."""
