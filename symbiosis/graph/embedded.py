"""The embedded graph store: one ArcadeDB server (Bolt on 127.0.0.1) per data directory.

Why a detached child process: the CLI, the API and the dashboard are separate Python processes
that must see the same graph, and a JVM cannot be shared between them. The first caller starts
the server (`ensure_running`), writes ``server.json`` (mode 0600: pid, ports, password, database,
data dir, start time) and every later caller reuses it. The password is random, generated once per
data directory and kept in that file, because ArcadeDB stores the root password it was first
started with.

Layout of ``settings.embedded_dir``: ``server.json``, ``server.log`` (the child's output),
``server.lock`` (serialises concurrent starts), ``databases/`` (ArcadeDB's files), ``log/``.
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from symbiosis.graph import local_server as ls
from symbiosis.settings import Settings, get_settings

DATABASE = "symbiosis"
ROOT_USER = "root"
CHILD_MODULE = "symbiosis.graph.embedded_process"
STATE_FILE = "server.json"
LOG_FILE = "server.log"
LOCK_FILE = "server.lock"
STOP_TIMEOUT_S = 30.0


@dataclass(frozen=True, kw_only=True)
class ServerState(ls.LoopbackBolt):
    """What ``server.json`` holds: enough for any process to connect to the running server."""

    USER: ClassVar[str] = ROOT_USER
    http_port: int


ServerStatus = ls.ServerStatus[ServerState]


def _state_path(settings: Settings) -> Path:
    return settings.embedded_dir / STATE_FILE


def read_state(settings: Settings) -> ServerState | None:
    raw = ls.read_json(_state_path(settings))
    if raw is None:
        return None
    return ServerState.from_json(raw)


def _write_state(settings: Settings, state: ServerState) -> Path:
    """Written atomically with mode 0600: the file holds the root password."""
    return ls.write_json(_state_path(settings), asdict(state))


def _pid_alive(pid: int | None) -> bool:
    return ls.pid_alive(pid, CHILD_MODULE)


def _bolt_ok(state: ServerState) -> bool:
    return ls.bolt_ok(state.bolt_port, state.auth, state.database)


def _log_tail(settings: Settings, lines: int = 15) -> str:
    return ls.log_tail(settings.embedded_dir / LOG_FILE, lines)


def _start_lock(settings: Settings) -> contextlib.AbstractContextManager[None]:
    return ls.locked(settings.embedded_dir / LOCK_FILE)


def _running_state(settings: Settings) -> ServerState | None:
    state = read_state(settings)
    if state is not None and _pid_alive(state.pid) and _bolt_ok(state):
        return state
    return None


def ensure_running(settings: Settings | None = None) -> ServerState:
    """Reuse the live server of this data directory (pid alive AND Bolt answers) or start one."""
    settings = settings or get_settings()
    state = _running_state(settings)
    if state is not None:
        return state
    with _start_lock(settings):
        state = _running_state(settings)  # another process may have started it meanwhile
        return state if state is not None else _start(settings)


def _start(settings: Settings) -> ServerState:
    data_dir = settings.embedded_dir.resolve()
    previous = read_state(settings)
    if previous is not None and _pid_alive(previous.pid):
        # Alive but not answering (hung, or still starting from a crashed caller): replace it.
        _terminate(previous.pid, settings)
    password = previous.password if previous else secrets.token_urlsafe(24)
    if previous is None:
        # ArcadeDB keeps the first root password in its users file; without our state file we
        # cannot know it, so let the server create the root user afresh with the new one.
        with contextlib.suppress(FileNotFoundError):
            (data_dir / "databases" / "config" / "server-users.jsonl").unlink()
    state = ServerState(
        pid=None,
        bolt_port=settings.embedded_bolt_port or ls.free_port(),
        http_port=settings.embedded_http_port or ls.free_port(),
        password=password,
        database=DATABASE,
        data_dir=str(data_dir),
        started_at=None,
    )
    state_path = _write_state(settings, state)
    t0 = time.perf_counter()
    with open(data_dir / LOG_FILE, "ab") as log_fh:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                CHILD_MODULE,
                "--state",
                str(state_path),
                "--heap",
                settings.embedded_heap,
            ],
            stdin=subprocess.DEVNULL,
            stdout=log_fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=data_dir,
        )
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    state = ServerState(**{**asdict(state), "pid": proc.pid, "started_at": started_at})
    _write_state(settings, state)
    return ls.await_start(
        proc,
        state,
        lambda st: _write_state(settings, st),
        _bolt_ok,
        settings.embedded_start_timeout_s,
        "SYMBIOSIS_EMBEDDED_START_TIMEOUT_S",
        "the embedded server",
        data_dir / LOG_FILE,
        t0,
    )


def _terminate(pid: int | None, settings: Settings) -> None:
    ls.terminate(pid, CHILD_MODULE, STOP_TIMEOUT_S)


def stop(settings: Settings | None = None) -> bool:
    """Stop the server of this data directory; False when none was running."""
    settings = settings or get_settings()
    with _start_lock(settings):
        state = read_state(settings)
        if state is None or not _pid_alive(state.pid):
            return False
        _terminate(state.pid, settings)
        _write_state(settings, ServerState(**{**asdict(state), "pid": None}))
        return True


def status(settings: Settings | None = None) -> ServerStatus:
    """Never starts anything: "not running" is a normal answer."""
    settings = settings or get_settings()
    state = read_state(settings)
    running = state is not None and _pid_alive(state.pid) and _bolt_ok(state)
    return ServerStatus(
        running=running,
        state=state,
        data_dir=settings.embedded_dir,
        log_file=settings.embedded_dir / LOG_FILE,
    )
