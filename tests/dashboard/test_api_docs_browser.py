"""The API's documentation pages render in a real browser with nothing but our own server: Debian's
Chromium loads /redoc and /docs from uvicorn on loopback (the machine reaches no CDN, and the
pages' CSP would refuse one), and the rendered page lists our operations."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from browser_support import NEEDS_CHROMIUM

from symbiosis.api import create_app
from symbiosis.cli.dashboard_cmd import free_port
from symbiosis.settings import Settings

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]

WAIT_S = 60.0


@pytest.fixture(scope="module")
def api_url() -> Iterator[str]:
    """The API under uvicorn in a thread; its graph store is unreachable (the docs need none)."""
    import uvicorn

    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_password="unused")
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_S
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _wait_for_text(browser, text: str) -> str:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        body = browser.find_element("tag name", "body").text
        if text in body:
            return body
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; page shows: {body[:500]!r}")


def _severe(browser) -> list[str]:  # noqa: ANN001
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


@pytest.mark.parametrize("page", ["/redoc", "/docs"])
def test_docs_render_offline(browser, api_url: str, page: str) -> None:  # noqa: ANN001
    browser.get_log("browser")  # start from an empty console
    browser.get(api_url + page)
    body = _wait_for_text(browser, "/auth/token")  # an operation, drawn from /openapi.json
    assert "symbiosis" in body
    assert _severe(browser) == []  # no refused script, style, worker or font
