"""What the browser tests share: Debian's Chromium driven by Selenium, and a served dashboard.

Never a browser download: `/usr/bin/chromium` and `/usr/bin/chromedriver` come from Debian's
``chromium`` and ``chromium-driver`` packages (`.ci/run` installs them when missing).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from symbiosis.cli.dashboard_cmd import free_port, start_dashboard, wait_ready

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1500,1100",
)
NEEDS_CHROMIUM = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
    "apt-get install -y chromium chromium-driver",
)


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium WebDriver with a throw-away profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def served_dashboard(dataset: Path | None, log: Path) -> Iterator[str]:
    """`symbiosis dashboard` on a free port (``dataset`` None: the graph store); yields its URL."""
    port = free_port()
    proc = start_dashboard(port, dataset, log=log)
    try:
        yield wait_ready(port, proc, timeout_s=90)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except Exception:  # noqa: BLE001 - a server that ignores SIGTERM is killed
            proc.kill()
