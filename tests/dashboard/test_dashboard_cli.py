"""`symbiosis dashboard`: the command line it runs, and its errors in one line."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.cli.dashboard_cmd import APP, HOST, dashboard_command, free_port


def test_the_command_serves_the_app_headless_on_localhost() -> None:
    cmd = dashboard_command(8765)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4] == str(APP) and APP.exists()
    opts = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert opts["--server.headless"] == "true"
    assert opts["--server.address"] == HOST == "127.0.0.1"
    assert opts["--server.port"] == "8765"


def test_free_port_is_bindable() -> None:
    port = free_port()
    with socket.socket() as s:
        s.bind((HOST, port))


def test_a_missing_dataset_folder_is_refused() -> None:
    result = CliRunner().invoke(app, ["dashboard", "--dataset", "/nonexistent/folder", "--port", "0"])
    assert result.exit_code != 0
    assert "expected an existing dataset folder" in str(result.exception)
