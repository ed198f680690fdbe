"""Start ``spawn`` child processes without re-running the parent's script in them.

Why: a ``spawn`` child first re-executes the parent's ``__main__`` file (as ``__mp_main__``) so
that functions defined there can be unpickled. Under Streamlit, ``__main__`` is the dashboard's
page script — Streamlit installs it as ``sys.modules["__main__"]`` on every script run, and its
``AppTest`` leaves it there afterwards — so an optimisation run started from the dashboard, or the
optimiser's whole-model bound process, would first render the whole dashboard in bare mode
(reading the graph store), and die before doing its work whenever that page cannot render in a
bare process. Every target this package starts lives in an importable module, so the child needs
nothing from ``__main__``: while the process object is pickled and launched, ``__main__`` is a
blank module, which ``multiprocessing`` then leaves alone.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import threading
import types
from multiprocessing.context import SpawnContext
from multiprocessing.process import BaseProcess

SPAWN: SpawnContext = mp.get_context("spawn")

_swap_lock = threading.Lock()


def start_without_main(proc: BaseProcess) -> None:
    """``proc.start()`` with a blank ``__main__``; the real one is back before this returns.

    The target must live in an importable module (never in a script run as ``__main__``).
    """
    with _swap_lock:
        real_main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            proc.start()
        finally:
            if real_main is not None:
                sys.modules["__main__"] = real_main
