"""The one place where a failure becomes what a user reads: a short message in their language saying
what happened and what to do, never a traceback. The cause goes to the server log with a short
reference the message repeats, so an administrator finds it.

`guarded(lang, what)` wraps a page (`app.py`) or one panel of a page (the plan of the Scenarios
page), so one failing part leaves the others — and the other pages — working. Streamlit's own
control flow (`st.stop`, `st.rerun`) is a `BaseException`, not an `Exception`, and passes through.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from dashboard.i18n import tr
from symbiosis.errors import GraphStoreUnavailable, InvalidInput
from symbiosis.optimizer.errors import InfeasibleProblem, NonOptimalSolve, OptimizerError
from symbiosis.services.errors import Forbidden, NotFound, Unauthenticated

LOG = logging.getLogger("symbiosis.dashboard")


def message_key(exc: BaseException) -> str:
    """Which catalogue message explains ``exc`` (most specific first)."""
    kinds: tuple[tuple[type[BaseException], str], ...] = (
        (GraphStoreUnavailable, "failure.store"),
        (InfeasibleProblem, "failure.infeasible"),
        (NonOptimalSolve, "failure.not_optimal"),
        (OptimizerError, "failure.optimizer"),
        (InvalidInput, "failure.invalid"),
        (Unauthenticated, "failure.signed_out"),
        (Forbidden, "failure.forbidden"),
        (NotFound, "failure.not_found"),
    )
    for kind, key in kinds:
        if isinstance(exc, kind):
            return key
    return "failure.unexpected"


def explain(exc: BaseException, lang: str, what: str) -> str:
    """Log ``exc`` with its traceback and return the user's message (``what`` = the part that failed,
    already in the user's language)."""
    ref = secrets.token_hex(3)
    LOG.error("dashboard failure ref=%s in %s", ref, what, exc_info=exc)
    return tr(message_key(exc), lang, what=what, ref=ref)


@contextmanager
def guarded(lang: str, what: str) -> Iterator[None]:
    """Show any failure inside as one message instead of a traceback; the run goes on after it."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - this is the boundary: everything becomes a message
        st.error(explain(exc, lang, what))
