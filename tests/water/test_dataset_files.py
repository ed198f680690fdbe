"""The water tables of a dataset: read, validated whole, errors naming file, row, field, value."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InvalidInput, SymbiosisError
from symbiosis.water.dataset_files import read_water_problem
from symbiosis.water.operations import FixedLoadOperation

ROOT = Path(__file__).resolve().parents[2]
WANG_SMITH = ROOT / "datasets" / "wang_smith_1994"


def _copy(tmp_path: Path) -> Path:
    out = tmp_path / "ds"
    shutil.copytree(WANG_SMITH, out)
    return out


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_reads_the_example_with_units() -> None:
    p = read_water_problem(WANG_SMITH, {"plant_site"})
    op1 = next(o for o in p.operations if o.id == "op1")
    assert isinstance(op1, FixedLoadOperation)
    assert op1.load_kg_per_h == {"c": 2.0} and op1.limiting_flow_m3_per_h() == pytest.approx(20.0)
    assert p.treatments[0].outlet_mg_per_l == {"c": 5.0}


def test_yearly_flows_are_spread_over_8760_hours(tmp_path: Path) -> None:
    ds = _copy(tmp_path)
    _replace(
        ds / "water_sources.csv", "fresh,Fresh water,mains,,,,,", "fresh,Fresh water,mains,,,,8.76,Mm3/yr"
    )
    assert read_water_problem(ds).supplies[0].max_m3_per_h == pytest.approx(1000.0)
    _replace(ds / "water_sources.csv", "8.76,Mm3/yr", "90,t/h")  # the literature's unit
    assert read_water_problem(ds).supplies[0].max_m3_per_h == pytest.approx(90.0)


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "expected"),
    [
        (
            "water_operations.csv",
            "op1,plant_site,Operation 1,fixed_load",
            "op1,plant_site,Operation 1,batch",
            "kind",
            "'fixed_load'",
        ),
        (
            "water_operations.csv",
            ",c=2,c=0,c=100,",
            ",c=2,c=0,c=0,",
            "max_outlet_mg_per_l[c]",
            "more than the maximum inlet",
        ),
        (
            "water_operations.csv",
            ",c=2,c=0,c=100,",
            ",c=two,c=0,c=100,",
            "loads_kg_per_h",
            "name=value pairs",
        ),
        ("water_operations.csv", "op2,plant_site", "op2,nowhere", "site_id", "a site of sites.csv"),
        (
            "water_sources.csv",
            "fresh,Fresh water,mains",
            "fresh,Fresh water,rain",
            "type",
            "one of ground, surface, mains, sea",
        ),
        (
            "water_sources.csv",
            "fresh,Fresh water,mains,,,,,",
            "fresh,Fresh water,mains,,,,5,kWh",
            "quantity_unit",
            "a water flow unit",
        ),
        ("water_treatments.csv", ",c=5,,", ",c=5,c=1.5,", "removal_ratio", "values between 0 and 1"),
        ("water_treatments.csv", ",,,false,", ",,,maybe,", "shared", "'true' or 'false'"),
        ("water_operations.csv", "op3,plant_site", "op1,plant_site", "id", "not used earlier"),
    ],
)
def test_bad_cells_are_named(
    tmp_path: Path, file: str, old: str, new: str, field: str, expected: str
) -> None:
    ds = _copy(tmp_path)
    _replace(ds / file, old, new)
    with pytest.raises(InvalidInput) as err:
        read_water_problem(ds, {"plant_site"})
    text = str(err.value)
    assert f"{file} row" in text and f"field '{field}'" in text and expected in text, text


def test_monthly_profile_column(tmp_path: Path) -> None:
    ds = _copy(tmp_path)
    ops = ds / "water_operations.csv"
    _replace(ops, "outlet_mg_per_l,source,note", "outlet_mg_per_l,source,note,monthly_profile")
    _replace(ops, "limiting flow 20 t/h", "limiting flow 20 t/h,0;0;0;0;1;1;1;1;1;0;0;0")
    op1 = next(o for o in read_water_problem(ds).operations if o.id == "op1")
    assert op1.monthly_profile == pytest.approx((0, 0, 0, 0, 0.2, 0.2, 0.2, 0.2, 0.2, 0, 0, 0))
    _replace(ops, "0;0;0;0;1;1;1;1;1;0;0;0", "1;2;3")
    with pytest.raises(InvalidInput, match="field 'monthly_profile' = '1;2;3': expected 12 monthly values"):
        read_water_problem(ds)


def test_a_folder_without_water_tables_says_so(tmp_path: Path) -> None:
    with pytest.raises(SymbiosisError, match="declares no water operations"):
        read_water_problem(tmp_path)
    book = tmp_path / "site.xlsx"
    book.write_bytes(b"")
    with pytest.raises(SymbiosisError, match="read from a dataset folder of CSV files"):
        read_water_problem(book)


def test_cli_prints_the_targets() -> None:
    res = CliRunner().invoke(app, ["water-targets", str(WANG_SMITH), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    fresh = {t["label"]: t["fresh_m3_per_h"] for t in report["targets"]}
    assert fresh["no reuse"] == pytest.approx(112.5) and fresh["reuse across sites"] == pytest.approx(90.0)
    assert report["composite_curves"]["c"]["limiting_composite"] == [
        [0.0, 0],
        [1.0, 50],
        [9.0, 100],
        [21.0, 400],
        [41.0, 800],
    ]
    table = CliRunner().invoke(app, ["water-targets", str(WANG_SMITH)])
    assert (
        table.exit_code == 0
        and "112.50" in table.output
        and "90.00" in table.output
        and "exact" in table.output
    )


def test_cli_error_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "-m", "symbiosis.cli", "water-targets", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert (
        res.returncode == 1 and "declares no water operations" in res.stderr and "Traceback" not in res.stderr
    )
