"""What the two local graph servers (embedded ArcadeDB, local Neo4j) share: a detached child process
per data directory, a 0600 state file any process can read to connect, a lock serialising starts
and stops, and the checks "is that pid still OUR server" and "does Bolt answer".

Why shared: the CLI, the API and the dashboard are separate processes that must reuse one server;
the rules for finding, starting and stopping it are the same whichever engine runs in the child.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from neo4j import GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph.queries import PING

STOP_TIMEOUT_S = 60.0
POLL_S = 0.2

log = logging.getLogger(__name__)

S = TypeVar("S")


@dataclass(frozen=True)
class ServerStatus(Generic[S]):
    """What ``status()`` of either local server answers; ``state`` is that engine's state file."""

    running: bool
    state: S | None
    data_dir: Path
    log_file: Path


def loopback_uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


@dataclass(frozen=True, kw_only=True)
class LoopbackBolt:
    """What the ``server.json`` of every local engine holds (each engine's ``ServerState`` adds its
    own fields), with ``bolt_uri`` and ``auth``; ``USER`` is the engine's admin user."""

    USER: ClassVar[str]
    pid: int | None
    bolt_port: int
    password: str
    database: str
    data_dir: str
    started_at: str | None
    startup_s: float | None = None

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Self:
        """The state a ``server.json`` holds (keys this version does not know are ignored)."""
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})

    @property
    def bolt_uri(self) -> str:
        return loopback_uri(self.bolt_port)

    @property
    def auth(self) -> tuple[str, str]:
        return (self.USER, self.password)


def read_json(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return raw


def write_private(path: Path, text: str) -> Path:
    """Write atomically with mode 0600: state files and password files hold secrets."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def write_json(path: Path, data: dict[str, Any]) -> Path:
    return write_private(path, json.dumps(data, indent=2))


def pid_alive(pid: int | None, marker: str) -> bool:
    """True when ``pid`` is a live process whose command line holds ``marker`` (not a zombie, not
    a recycled pid belonging to another program, which we must never signal)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path(f"/proc/{pid}")
    if not proc.exists():  # no procfs (macOS): trust kill(0)
        return True
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = (proc / "cmdline").read_bytes()
    except OSError:
        return False
    return state != "Z" and marker.encode() in cmdline


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bolt_ok(port: int, auth: tuple[str, str], database: str) -> bool:
    """True when Bolt on 127.0.0.1:``port`` accepts ``auth`` and ``database`` answers a query."""
    if not port_open(port):
        return False
    try:
        # The acquisition timeout bounds the Bolt handshake too: a foreign program on the port
        # accepts the TCP connection and never answers.
        with GraphDatabase.driver(
            f"bolt://127.0.0.1:{port}", auth=auth, connection_timeout=2.0, connection_acquisition_timeout=3.0
        ) as driver:
            with driver.session(database=database) as session:
                session.run(PING).consume()
        return True
    except (DriverError, Neo4jError, OSError):
        return False


def log_tail(path: Path, lines: int = 15) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Serialise starts, stops and builds across processes (two servers on one data dir corrupt it)."""
    lock_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(lock_file, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def terminate(pid: int | None, marker: str, timeout_s: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM (the child shuts its database down cleanly), then SIGKILL if it hangs."""
    if not pid_alive(pid, marker):
        return
    assert pid is not None
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it when it is our own child
        if not pid_alive(pid, marker):
            return
        time.sleep(POLL_S)
    log.warning("graph server pid %s ignored SIGTERM for %.0f s: killing it", pid, timeout_s)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


class _StartedState(Protocol):
    @property
    def bolt_uri(self) -> str: ...


T = TypeVar("T", bound=_StartedState)


def await_start(
    proc: subprocess.Popen[bytes],
    state: T,
    save: Callable[[T], object],
    answers: Callable[[T], bool],
    timeout_s: float,
    timeout_setting: str,
    what: str,
    log_file: Path,
    t0: float,
) -> T:
    """Wait for a child started at ``t0`` (perf_counter) to answer on Bolt; record ``startup_s``
    and return the state, or record ``pid=None`` and raise one `GraphStoreUnavailable` quoting the
    child's log."""
    failure = wait_for_bolt(proc, lambda: answers(state), timeout_s, timeout_setting)
    if failure is None:
        started = replace(state, startup_s=round(time.perf_counter() - t0, 3))  # type: ignore[type-var]
        save(started)
        return started
    save(replace(state, pid=None))  # type: ignore[type-var]
    raise GraphStoreUnavailable(
        state.bolt_uri, f"{what} {failure}; last lines of {log_file}:\n{log_tail(log_file)}"
    )


def wait_for_bolt(
    proc: subprocess.Popen[bytes], answers: Callable[[], bool], timeout_s: float, timeout_setting: str
) -> str | None:
    """Poll until the child's Bolt answers: None then, else why not (the child exited, or it did
    not answer in time; it is terminated then). The caller adds the log tail to its error."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return f"exited with code {proc.returncode} while starting"
        if answers():
            return None
        time.sleep(POLL_S)
    with contextlib.suppress(ProcessLookupError):
        proc.terminate()
    try:
        proc.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return f"did not answer within {timeout_s:.0f} s ({timeout_setting})"
