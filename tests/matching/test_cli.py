"""`symbiosis match --dataset …` end to end on the Kalundborg files (the graph path is the same code)."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from symbiosis import DATASETS_DIR
from symbiosis.cli import app

KALUNDBORG = DATASETS_DIR / "kalundborg"
pytestmark = pytest.mark.skipif(not (KALUNDBORG / "outputs.csv").exists(), reason="no Kalundborg dataset yet")


def run(*args: str) -> str:
    res = CliRunner().invoke(app, ["match", "--dataset", str(KALUNDBORG), *args], terminal_width=200)
    assert res.exit_code == 0, res.output
    return res.output


def test_ranked_table_and_csv(tmp_path) -> None:
    out = tmp_path / "c.csv"
    text = run("--top-k", "2", "--sort", "co2", "--csv", str(out))
    assert "Candidate exchanges" in text and "viable candidates in all" in text
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and [float(r["co2_avoided_t_per_yr"]) for r in rows] == sorted(
        (float(r["co2_avoided_t_per_yr"]) for r in rows), reverse=True
    )
    assert all(r["explanation"] for r in rows)


def test_filters_explain_and_near_misses() -> None:
    text = run("--site", "gyproc_kal", "--resource", "natural_gypsum")
    assert "o_asnaes_fgd_gypsum" in text and "o_refinery_gas" not in text
    text = run("--explain", "o_aalborg_waste_heat:i_dh_heat")
    assert "✗ too far: 166 km, reach 20 km for heat" in text
    text = run("--near-misses", "--family", "organic")
    assert "Near-misses (1;" in text and "o_novo_residues" in text and "moisture 90 %" in text


def test_bad_options_are_one_line_errors() -> None:
    res = CliRunner().invoke(app, ["match", "--dataset", str(KALUNDBORG), "--sort", "price"])
    assert res.exit_code != 0 and "expected 'gain' or 'co2'" in str(res.exception)
    res = CliRunner().invoke(app, ["match", "--dataset", str(KALUNDBORG), "--territory", "atlantis"])
    assert "unknown territory 'atlantis'" in str(res.exception)


@pytest.mark.graph
@pytest.mark.slow
def test_match_reads_the_territory_from_the_graph_store(tmp_path) -> None:
    """The real path: import Kalundborg into an embedded store of its own, then match territory 'dk'."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SYMBIOSIS_HOME_DIR": str(tmp_path / "home"), "COLUMNS": "200"}
    cli = [sys.executable, "-c", "from symbiosis.cli import main; main()"]

    def run_cli(*args: str) -> str:
        done = subprocess.run([*cli, *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    try:
        run_cli("import", str(KALUNDBORG))
        out = tmp_path / "graph.csv"
        run_cli("match", "--territory", "dk", "--csv", str(out))
        from_graph = {
            r["output_id"] + "->" + r["input_id"] for r in csv.DictReader(out.open(encoding="utf-8"))
        }
        run_cli(
            "match", "--dataset", str(KALUNDBORG), "--territory", "dk", "--csv", str(tmp_path / "files.csv")
        )
        files = tmp_path / "files.csv"
        from_files = {
            r["output_id"] + "->" + r["input_id"] for r in csv.DictReader(files.open(encoding="utf-8"))
        }
        assert from_graph == from_files and len(from_graph) > 20
    finally:
        subprocess.run([*cli, "graph", "stop"], env=env, capture_output=True, timeout=120)
