"""`symbiosis dashboard`: serve the Streamlit dashboard on 127.0.0.1 (headless, no browser opened).

`dashboard_command` and `start_dashboard` are also what ``make demo`` and the browser test use,
so every way of starting the dashboard runs the same command line.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Annotated

import typer

from symbiosis import REPO_DIR
from symbiosis.errors import SymbiosisError

APP = REPO_DIR / "dashboard" / "app.py"
DATASET_ENV = "SYMBIOSIS_DASHBOARD_DATASET"  # read by dashboard/sources.py
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def dashboard_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--server.address",
        HOST,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "viewer",
    ]


def _env(dataset: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if dataset is not None:
        env[DATASET_ENV] = str(dataset.resolve())
    return env


def start_dashboard(
    port: int, dataset: Path | None = None, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start the server in the background; the caller stops it (``proc.terminate()``)."""
    out = log.open("ab") if log is not None else subprocess.DEVNULL
    return subprocess.Popen(
        dashboard_command(port), cwd=REPO_DIR, env=_env(dataset), stdout=out, stderr=subprocess.STDOUT
    )


def wait_ready(port: int, proc: subprocess.Popen[bytes] | None = None, timeout_s: float = 60.0) -> str:
    """The dashboard's URL once its health endpoint answers; SymbiosisError after ``timeout_s``."""
    url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SymbiosisError(f"the dashboard exited with code {proc.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return url
        except OSError:
            time.sleep(0.3)
    raise SymbiosisError(f"the dashboard did not answer at {url} within {timeout_s:.0f} s")


def register(app: typer.Typer) -> None:
    @app.command()
    def dashboard(
        port: Annotated[
            int | None,
            typer.Option("--port", help="port on 127.0.0.1 (default SYMBIOSIS_DASHBOARD_PORT; 0 = free)"),
        ] = None,
        dataset: Annotated[
            Path | None, typer.Option("--dataset", help="read a dataset folder instead of the graph store")
        ] = None,
    ) -> None:
        """Serve the dashboard (maps, matches, scenarios, network) on localhost until Ctrl-C."""
        from symbiosis.settings import get_settings

        if not APP.exists():
            raise SymbiosisError(f"{APP} not found: expected a symbiosis checkout with its dashboard/")
        if dataset is not None and not dataset.exists():
            raise SymbiosisError(f"--dataset {dataset}: expected an existing dataset folder")
        chosen = get_settings().dashboard_port if port is None else port
        chosen = free_port() if chosen == 0 else chosen
        typer.echo(f"dashboard: http://{HOST}:{chosen}")
        try:
            code = subprocess.call(dashboard_command(chosen), cwd=REPO_DIR, env=_env(dataset))
        except KeyboardInterrupt:
            code = 0
        if code not in (0, -2, 130):
            raise SymbiosisError(f"streamlit exited with code {code}")
