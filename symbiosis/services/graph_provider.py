"""One long-lived connection to the graph store for a whole API process.

Opening a driver costs a handshake and a ping, too much per request; so the provider opens it on
first use and keeps it. When the store goes away, the failing request gets `GraphStoreUnavailable`
(→ 503) and the connection is dropped, so the next request tries afresh — the API recovers by
itself once the store is back.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack

from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph.app_state import AppStateRepository, open_app_graph
from symbiosis.settings import Settings


class GraphProvider:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._stack: ExitStack | None = None
        self._repo: AppStateRepository | None = None

    def repo(self) -> AppStateRepository:
        with self._lock:
            if self._repo is None:
                stack = ExitStack()
                self._repo = stack.enter_context(open_app_graph(self.settings))
                self._stack = stack
            return self._repo

    def reset(self) -> None:
        """Forget the connection (after a `GraphStoreUnavailable`); the next call reconnects."""
        with self._lock:
            stack, self._stack, self._repo = self._stack, None, None
        if stack is not None:
            try:
                stack.close()
            except GraphStoreUnavailable:
                pass

    close = reset
