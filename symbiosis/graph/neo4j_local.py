"""A local Neo4j 5 server for tests and for users who have Java: Neo4j Community 5.26 LTS from Maven
Central, started as a real server speaking Bolt on a free loopback port, data in
``<home>/neo4j`` (`symbiosis graph start --engine neo4j`).

Why 5.26: it is Neo4j 5's long-term-support release, the last line that runs on Java 17 (the
2025.x calendar releases need Java 21, which Debian 12 does not ship), and the Cypher 5 our
statements are written in. The exact version is the one pinned in ``java/neo4j/pom.xml``.

How: Maven Central carries Neo4j's modules but not its server tarball, so
``mvn dependency:copy-dependencies`` fetches ``org.neo4j:neo4j`` (the community DBMS with its Bolt
server) into ``java/neo4j/target/lib`` once per checkout, ``javac`` compiles the 60-line
``java/neo4j/src/Neo4jLauncher.java``, and ``java -cp …`` runs it detached, reading the
``neo4j.conf`` written here. Everything else (state file, lock, reuse by the CLI, the API and the
dashboard, SIGTERM then SIGKILL) works as for the embedded ArcadeDB server (`local_server`).

Layout of ``settings.neo4j_local_dir``: ``server.json`` (0600: pid, port, password, start time),
``password`` (0600, read by the launcher), ``server.log``, ``server.lock``, ``conf/neo4j.conf``,
``data/`` and ``logs/`` (Neo4j's own).
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from symbiosis import REPO_DIR
from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph import local_server as ls
from symbiosis.settings import Settings, get_settings

JAVA_DIR = REPO_DIR / "java" / "neo4j"
POM = JAVA_DIR / "pom.xml"
LAUNCHER_SOURCE = JAVA_DIR / "src" / "Neo4jLauncher.java"
LIB_DIR = JAVA_DIR / "target" / "lib"
CLASSES_DIR = JAVA_DIR / "target" / "classes"
LAUNCHER_CLASS = "Neo4jLauncher"
USER = "neo4j"
DATABASE = "neo4j"
"""Neo4j Community serves one user database, always called ``neo4j``."""
STATE_FILE = "server.json"
LOG_FILE = "server.log"
LOCK_FILE = "server.lock"
PASSWORD_FILE = "password"
BUILD_LOCK = JAVA_DIR / "target" / "build.lock"
INSTALL_HINT = "apt-get install openjdk-17-jdk-headless maven"


def neo4j_version() -> str:
    """The Neo4j version pinned in ``java/neo4j/pom.xml`` (one place to change it)."""
    match = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", POM.read_text(encoding="utf-8"))
    if match is None:
        raise RuntimeError(f"{POM}: no <neo4j.version> property")
    return match.group(1)


@dataclass(frozen=True, kw_only=True)
class ServerState(ls.LoopbackBolt):
    """``server.json`` of the local Neo4j; ``version`` is the Neo4j release the jars belong to."""

    USER: ClassVar[str] = USER
    version: str
    database: str = DATABASE


ServerStatus = ls.ServerStatus[ServerState]


def missing_tools() -> str | None:
    """Why the local Neo4j cannot run here (``None`` when java, javac and mvn are all on PATH)."""
    absent = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if not absent:
        return None
    return f"{', '.join(absent)} not found on PATH: the local Neo4j needs Java 17+ and Maven ({INSTALL_HINT})"


def _uri(settings: Settings) -> str:
    return f"local Neo4j ({settings.neo4j_local_dir})"


def _run_build_step(cmd: list[str], what: str, settings: Settings) -> None:
    try:
        done = subprocess.run(cmd, cwd=JAVA_DIR, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise GraphStoreUnavailable(_uri(settings), f"{what} could not run ({exc}); {INSTALL_HINT}") from None
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise GraphStoreUnavailable(_uri(settings), f"{what} failed (exit {done.returncode}):\n{tail}")


def ensure_built(settings: Settings | None = None) -> None:
    """Fetch Neo4j's jars from Maven Central (first run only) and compile the launcher if needed.

    A stamp file records the version the jars belong to, so bumping ``pom.xml`` refetches; the
    lock keeps two processes (two test sessions, the CLI and a test) from building at once.
    """
    settings = settings or get_settings()
    reason = missing_tools()
    if reason is not None:
        raise GraphStoreUnavailable(_uri(settings), reason)
    version = neo4j_version()
    stamp = LIB_DIR / ".version"
    with ls.locked(BUILD_LOCK):
        if not stamp.exists() or stamp.read_text(encoding="utf-8").strip() != version:
            shutil.rmtree(LIB_DIR, ignore_errors=True)
            _run_build_step(
                ["mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
                 f"-DoutputDirectory={LIB_DIR}", "-DincludeScope=runtime"],
                f"fetching Neo4j {version} from Maven Central (mvn dependency:copy-dependencies)",
                settings,
            )  # fmt: skip
            stamp.write_text(version + "\n", encoding="utf-8")
        compiled = CLASSES_DIR / f"{LAUNCHER_CLASS}.class"
        fresh = compiled.exists() and compiled.stat().st_mtime >= max(
            LAUNCHER_SOURCE.stat().st_mtime, stamp.stat().st_mtime
        )
        if not fresh:
            CLASSES_DIR.mkdir(parents=True, exist_ok=True)
            _run_build_step(
                ["javac", "-d", str(CLASSES_DIR), "-cp", str(LIB_DIR / "*"), str(LAUNCHER_SOURCE)],
                "compiling the Neo4j launcher (javac)",
                settings,
            )


def _dir(settings: Settings) -> Path:
    return settings.neo4j_local_dir


def read_state(settings: Settings) -> ServerState | None:
    raw = ls.read_json(_dir(settings) / STATE_FILE)
    if raw is None:
        return None
    return ServerState.from_json(raw)


def _write_state(settings: Settings, state: ServerState) -> None:
    ls.write_json(_dir(settings) / STATE_FILE, asdict(state))


def _marker(settings: Settings) -> str:
    """What the launcher's command line holds: its class and THIS data dir (a pid check that tells
    our server from another checkout's or from a recycled pid)."""
    return f"{LAUNCHER_CLASS}\0{_dir(settings).resolve()}"


def _alive(state: ServerState | None, settings: Settings) -> bool:
    return state is not None and ls.pid_alive(state.pid, _marker(settings))


def _answers(state: ServerState) -> bool:
    return ls.bolt_ok(state.bolt_port, state.auth, state.database)


def _running_state(settings: Settings) -> ServerState | None:
    state = read_state(settings)
    if state is not None and _alive(state, settings) and _answers(state):
        return state
    return None


def _conf(settings: Settings, bolt_port: int) -> str:
    """neo4j.conf: Bolt on loopback only, auth on, small memory, no usage report to Neo4j Inc."""
    return "\n".join(
        [
            "# written by symbiosis (symbiosis/graph/neo4j_local.py) at every start",
            "server.default_listen_address=127.0.0.1",
            "server.bolt.enabled=true",
            f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
            "dbms.security.auth_enabled=true",
            "dbms.usage_report.enabled=false",
            f"server.memory.pagecache.size={settings.neo4j_local_pagecache}",
            "db.tx_log.rotation.retention_policy=2 files",
            "",
        ]
    )


def ensure_running(settings: Settings | None = None) -> ServerState:
    """Reuse the live local Neo4j of this home dir (pid alive AND Bolt answers) or start one."""
    settings = settings or get_settings()
    state = _running_state(settings)
    if state is not None:
        return state
    ensure_built(settings)
    with ls.locked(_dir(settings) / LOCK_FILE):
        state = _running_state(settings)
        return state if state is not None else _start(settings)


def _start(settings: Settings) -> ServerState:
    home = _dir(settings).resolve()
    previous = read_state(settings)
    if previous is not None and _alive(previous, settings):
        ls.terminate(previous.pid, _marker(settings))  # alive but not answering: replace it
    # The launcher gives the `neo4j` user this password on its first start; later starts must
    # reuse it, so it lives beside the data (mode 0600) for as long as the data does.
    password_file = home / PASSWORD_FILE
    if password_file.exists() and (home / "data").exists():
        password = password_file.read_text(encoding="utf-8").strip()
    else:
        password = secrets.token_urlsafe(24)
        ls.write_private(password_file, password + "\n")
    port = settings.neo4j_local_bolt_port or ls.free_port()
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(_conf(settings, port), encoding="utf-8")
    cmd = [
        "java",
        f"-Xmx{settings.neo4j_local_heap}",
        "-XX:+UseG1GC",
        "-cp",
        f"{CLASSES_DIR}:{LIB_DIR / '*'}",
        LAUNCHER_CLASS,
        str(home),
        str(password_file),
    ]
    t0 = time.perf_counter()
    with open(home / LOG_FILE, "ab") as log_fh:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log_fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=home,
        )
    state = ServerState(
        pid=proc.pid,
        bolt_port=port,
        password=password,
        data_dir=str(home),
        version=neo4j_version(),
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    _write_state(settings, state)
    return ls.await_start(
        proc,
        state,
        lambda st: _write_state(settings, st),
        _answers,
        settings.neo4j_local_start_timeout_s,
        "SYMBIOSIS_NEO4J_LOCAL_START_TIMEOUT_S",
        "the local Neo4j",
        home / LOG_FILE,
        t0,
    )


def stop(settings: Settings | None = None) -> bool:
    """Stop the local Neo4j of this home dir; False when none was running."""
    settings = settings or get_settings()
    with ls.locked(_dir(settings) / LOCK_FILE):
        state = read_state(settings)
        if state is None or not _alive(state, settings):
            return False
        ls.terminate(state.pid, _marker(settings))
        _write_state(settings, ServerState(**{**asdict(state), "pid": None}))
        return True


def status(settings: Settings | None = None) -> ServerStatus:
    """Never starts (nor builds) anything: "not running" is a normal answer."""
    settings = settings or get_settings()
    state = read_state(settings)
    running = state is not None and _alive(state, settings) and _answers(state)
    return ServerStatus(running, state, _dir(settings), _dir(settings) / LOG_FILE)
