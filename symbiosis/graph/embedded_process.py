"""Child-process entry of the embedded graph store: ``python -m symbiosis.graph.embedded_process``.

The ArcadeDB server runs in its own JVM, in its own process, so that the CLI, the API and the
dashboard (separate Python processes) share one server and one data directory, and so that a
crash or a ``kill`` of a client never corrupts the store. This module only starts the server
from the state file the parent wrote (`symbiosis.graph.embedded`) and stops it cleanly on
SIGTERM/SIGINT; it never decides ports or passwords itself.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Run the embedded ArcadeDB graph server (Bolt on 127.0.0.1).")
    p.add_argument("--state", type=Path, required=True, help="server.json written by the parent (0600)")
    p.add_argument("--heap", default="2g", help="JVM maximum heap, e.g. 2g")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    state = json.loads(args.state.read_text(encoding="utf-8"))
    data_dir = Path(state["data_dir"])
    # ArcadeDB writes its application log and JVM crash files under ./log: keep them in the data dir.
    os.chdir(data_dir)

    import arcadedb_embedded as arcadedb  # slow import (JPype): only in the child

    server = arcadedb.ArcadeDBServer(
        root_path=str(data_dir / "databases"),
        root_password=state["password"],
        config={
            "host": "127.0.0.1",
            "http_port": int(state["http_port"]),
            "server_plugins": BOLT_PLUGIN,
            "bolt_port": int(state["bolt_port"]),
            "bolt_host": "127.0.0.1",
        },
        jvm_kwargs={"heap_size": args.heap},
    )
    stop_requested = threading.Event()

    def _request_stop(signum: int, _frame: FrameType | None) -> None:
        stop_requested.set()

    signal.signal(signal.SIGTERM, _request_stop)
    signal.signal(signal.SIGINT, _request_stop)

    t0 = time.perf_counter()
    try:
        server.start()
        server.create_database(state["database"])  # opens it when it exists already
    except Exception as exc:  # the parent quotes this log's tail to the user
        print(f"embedded graph server failed to start: {exc}", flush=True)
        with contextlib.suppress(Exception):
            server.stop()
        # Engine threads left by a failed start keep a normal interpreter exit waiting forever.
        os._exit(1)
    print(f"ready in {time.perf_counter() - t0:.2f} s: bolt 127.0.0.1:{state['bolt_port']}", flush=True)

    while not stop_requested.wait(0.5):
        pass
    print("stopping", flush=True)
    server.stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
