"""Dashboard tests: data modules on their own, every page through Streamlit's AppTest, the pages
that sign in and write run against the real embedded graph store, and an end-to-end run in
headless Chromium.

AppTest reads Kalundborg from ``datasets/kalundborg`` (the dataset-folder source) for speed; the
graph-store tests run on each engine (tests/graph_engines.py): one private embedded ArcadeDB and
one private local Neo4j (`store_settings`), each holding Kalundborg and one account per role.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from symbiosis import DATASETS_DIR, REPO_DIR

if (
    str(REPO_DIR) not in sys.path
):  # `dashboard` is a top-level folder of the checkout, not a package of symbiosis
    sys.path.insert(0, str(REPO_DIR))
from graph_engines import GRAPH_ENGINES, local_store

from symbiosis.dataset_io import read_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge import load_knowledge_base
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.settings import Settings

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


PASSWORD = "correct-horse-battery"
ACCOUNTS = {  # name → (role, territories, firm); e-mail is name@example.org
    "admin": ("admin", [], None),
    "agency": ("agency", ["dk_kalundborg"], None),
    "company": ("company", [], "novo_nordisk"),
    "partner": ("company", [], "orsted"),  # Novo Nordisk's steam supplier: the other side of consent
    "analyst": ("analyst", [], None),
}


@pytest.fixture(scope="session", params=GRAPH_ENGINES)
def store_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, kalundborg: Dataset
) -> Iterator[Settings]:
    """A private store of each engine (never the user's .symbiosis/) with Kalundborg and the accounts."""
    with local_store(
        request.param, tmp_path_factory.mktemp("dashboard-home"), write_batch_size=2000
    ) as settings:
        seed_store(settings, kalundborg, ACCOUNTS)
        yield settings


def seed_store(
    settings: Settings, dataset: Dataset, accounts: dict[str, tuple[str, list[str], str | None]]
) -> None:
    """Load ``dataset`` into the store and create ``accounts`` (``name@example.org``, `PASSWORD`)."""
    from argon2 import PasswordHasher

    from symbiosis.services import users
    from symbiosis.services.context import ServiceContext
    from symbiosis.services.principal import Role
    from symbiosis.services.security import Passwords

    fast = Passwords(PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))  # tests only
    ctx = ServiceContext.create(settings, fast)
    try:
        repo = ctx.repo()
        repo.ensure_schema()
        repo.import_dataset(dataset)
        for name, (role, territories, firm) in accounts.items():
            users.create_user_record(ctx, f"{name}@example.org", PASSWORD, Role(role), territories, firm)
    finally:
        ctx.close()


@pytest.fixture
def graph_app(store_env: Settings) -> Callable[..., AppTest]:
    """``graph_app("synergies", as_user="agency")``: the dashboard on the private store, signed in
    through the sidebar form when ``as_user`` is given, on that page."""

    def open_page(
        page: str = "overview", as_user: str | None = None, territory: str | None = None
    ) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT_S)
        at.run()
        if as_user is not None:
            sign_in(at, as_user)
        if territory is not None:
            at.sidebar.selectbox(key="territory").set_value(territory).run()
        if page != "overview":
            at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


@pytest.fixture
def store_env(store_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The environment points the dashboard (in this process, or a child it serves) at the private
    store of `store_settings`, whichever engine it runs."""
    settings = store_settings
    monkeypatch.delenv(DATASET_ENV, raising=False)
    monkeypatch.delenv("SYMBIOSIS_NEO4J_URI", raising=False)
    monkeypatch.setenv("SYMBIOSIS_HOME_DIR", str(settings.home_dir))
    monkeypatch.setenv("SYMBIOSIS_EMBEDDED_HEAP", settings.embedded_heap)
    monkeypatch.setenv("SYMBIOSIS_GRAPH_ENGINE", settings.graph_engine)
    return settings


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.sidebar.text_input(key="auth_email").input(f"{name}@example.org")
    at.sidebar.text_input(key="auth_password").input(password)
    return at.sidebar.button(key="auth_submit").click().run()


@pytest.fixture(scope="module")
def kalundborg_url(artifacts: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The dashboard served on Kalundborg's dataset folder (local-files mode), one per test module;
    its log is test-artifacts/dashboard/<module>.log."""
    from browser_support import served_dashboard

    with served_dashboard(KALUNDBORG, artifacts / f"{request.module.__name__}.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium (`browser_support.chromium`), one per test module."""
    from browser_support import chromium

    with chromium() as driver:
        yield driver


@pytest.fixture
def store_dashboard(store_env: Settings, artifacts: Path) -> Iterator[str]:
    """The dashboard served on the private test store, whichever engine it runs (graph source:
    sign-in first)."""
    from browser_support import served_dashboard

    with served_dashboard(None, artifacts / "streamlit-store.log") as url:
        yield url
