"""Dashboard tests: data modules on their own, every page through Streamlit's AppTest, one page
run against the real embedded graph store, and an end-to-end run in headless Chromium.

AppTest reads Kalundborg from ``datasets/kalundborg`` (the dataset-folder source) for speed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from symbiosis import DATASETS_DIR, REPO_DIR

if (
    str(REPO_DIR) not in sys.path
):  # `dashboard` is a top-level folder of the checkout, not a package of symbiosis
    sys.path.insert(0, str(REPO_DIR))
from symbiosis.dataset_io import read_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge import load_knowledge_base
from symbiosis.knowledge.base import KnowledgeBase

pytest.importorskip(
    "streamlit", reason="the dashboard extra is not installed (pip install -e '.[dashboard]')"
)

from streamlit.testing.v1 import AppTest  # noqa: E402

from dashboard.sources import DATASET_ENV  # noqa: E402

APP = REPO_DIR / "dashboard" / "app.py"
KALUNDBORG = DATASETS_DIR / "kalundborg"
APPTEST_TIMEOUT_S = 180


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="session")
def kalundborg(kb: KnowledgeBase) -> Dataset:
    return read_dataset(KALUNDBORG, kb)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], AppTest]:
    """``app("scenarios")``: the dashboard on Kalundborg (dataset folder), on that page, run once."""
    monkeypatch.setenv(DATASET_ENV, str(KALUNDBORG))

    def open_page(page: str = "overview") -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT_S)
        at.run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots and other test artifacts (gitignored)."""
    out = REPO_DIR / "test-artifacts" / "dashboard"
    out.mkdir(parents=True, exist_ok=True)
    return out
