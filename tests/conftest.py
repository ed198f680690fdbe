"""Root of the test suites. pytest puts this folder on ``sys.path`` when it loads this file, so
every suite can ``from graph_engines import GRAPH_ENGINES, local_store`` (the shared two-engine
store fixtures) whichever subset of tests is run; and the statement recorder is installed before
any test, so the coverage check sees what every suite sent to each engine."""

from __future__ import annotations

import pytest
from graph_engines import install_recorder


def pytest_configure(config: pytest.Config) -> None:
    install_recorder()
