"""Long-running local services (API, dashboard) started detached, reused, and stopped by name.

`make demo` must end with both served on localhost and return to the shell, so each runs in its
own session with its log under ``<home>/run/``; a small state file (pid, URL) lets a later
command reuse a live one or stop it. The graph store has its own, richer lifecycle
(`symbiosis.graph.embedded`).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from symbiosis import REPO_DIR
from symbiosis.errors import SymbiosisError
from symbiosis.settings import Settings

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Service:
    name: str
    pid: int
    url: str
    health_url: str
    log: str


def _run_dir(settings: Settings) -> Path:
    path = settings.home_dir / "run"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _state_file(settings: Settings, name: str) -> Path:
    return _run_dir(settings) / f"{name}.json"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def pick_port(preferred: int) -> int:
    """The preferred port when free, else any free one (a busy 8000 must not stop the demo)."""
    if preferred and port_free(preferred):
        return preferred
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def running(settings: Settings, name: str) -> Service | None:
    path = _state_file(settings, name)
    if not path.exists():
        return None
    svc = Service(**json.loads(path.read_text(encoding="utf-8")))
    if _alive(svc.pid) and _healthy(svc.health_url):
        return svc
    return None


def start(
    settings: Settings, name: str, argv: list[str], url: str, health_url: str, timeout_s: float = 90.0
) -> Service:
    """Reuse a healthy `name`, or start `argv` detached and wait until `health_url` answers."""
    live = running(settings, name)
    if live is not None:
        return live
    log = _run_dir(settings) / f"{name}.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv, cwd=REPO_DIR, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
    svc = Service(name=name, pid=proc.pid, url=url, health_url=health_url, log=str(log))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-8:])
            raise SymbiosisError(f"{name} exited with code {proc.returncode} before serving {url}:\n{tail}")
        if _healthy(health_url):
            _state_file(settings, name).write_text(json.dumps(asdict(svc)), encoding="utf-8")
            return svc
        time.sleep(0.3)
    proc.terminate()
    raise SymbiosisError(f"{name} did not answer at {health_url} within {timeout_s:.0f} s (log: {log})")


def stop(settings: Settings, name: str, timeout_s: float = 15.0) -> bool:
    """Stop `name` if this machine's state file says it runs; True when something was stopped."""
    path = _state_file(settings, name)
    if not path.exists():
        return False
    svc = Service(**json.loads(path.read_text(encoding="utf-8")))
    path.unlink()
    if not _alive(svc.pid):
        return False
    try:
        os.killpg(svc.pid, signal.SIGTERM)
    except OSError:
        os.kill(svc.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while _alive(svc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(svc.pid):
        os.killpg(svc.pid, signal.SIGKILL)
    return True
