"""Pause Python's cyclic garbage collector while Pyomo builds or we compile a large model.

A 100,000-link model creates ~10⁶ small objects, none of them garbage; each automatic collection
rescans everything alive, which made 70 % of the model-building time (1.8 s → 0.5 s without it,
see bench/bench_optimizer.py). Reference counting still frees memory as usual.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return fn(*args, **kwargs)

    return wrapper
