"""Bulk import validates the whole upload before writing anything; exports round-trip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from api.helpers import TERRITORY

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API


def _zip(folder: Path, edits: dict[str, list[list[str]]]) -> bytes:
    """The dataset at ``folder`` with rows appended per table, zipped as an upload."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(folder.glob("*.csv")):
            text = path.read_text(encoding="utf-8")
            extra = edits.get(path.stem, [])
            if extra:
                out = io.StringIO()
                csv.writer(out, lineterminator="\n").writerows(extra)
                text = text.rstrip("\n") + "\n" + out.getvalue()
            zf.writestr(f"upload/{path.name}", text)
    return buf.getvalue()


def _counts(as_role) -> tuple[int, int]:
    sites = as_role("admin", "GET", "/sites?limit=1").json()["count"]
    outputs = as_role("admin", "GET", "/outputs?limit=1").json()["count"]
    return sites, outputs


def test_import_with_bad_rows_writes_nothing_and_lists_every_row(as_role, kalundborg_dir: Path) -> None:
    before = _counts(as_role)
    upload = _zip(kalundborg_dir, {
        "sites": [
            ["new_good_site", "orsted", "A good new site", "55.66", "11.08", TERRITORY, "test"],
            ["new_bad_site", "orsted", "Off the globe", "123.0", "11.08", TERRITORY, "test"],
        ],
        "outputs": [
            ["o_new_good", "new_good_site", "fly_ash", "10", "t/yr"] + [""] * 12,
            ["o_new_bad", "new_good_site", "fly_ash", "10", "parsecs"] + [""] * 12,
        ],
    })  # fmt: skip
    r = as_role("admin", "POST", "/imports", files=[("files", ("upload.zip", upload, "application/zip"))])
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert {(e["field"], e["value"]) for e in errors} >= {
        ("latitude_deg", "123.0"),
        ("quantity_unit", "parsecs"),
    }
    assert all("row" in e["location"] for e in errors)
    assert _counts(as_role) == before
    assert as_role("admin", "GET", "/sites/new_good_site").status_code == 404


def test_agency_cannot_import_outside_its_territories(as_role, kalundborg_dir: Path) -> None:
    upload = _zip(kalundborg_dir, {})  # the file also holds Aalborg and Fredericia sites
    r = as_role("agency_out", "POST", "/imports", files=[("files", ("k.zip", upload, "application/zip"))])
    assert r.status_code == 422
    assert any(e["field"] == "territory_id" and e["value"] == TERRITORY for e in r.json()["errors"])


def test_exports_round_trip_and_geojson(as_role) -> None:
    r = as_role("agency", "GET", f"/exports?territory_id={TERRITORY}&format=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    before = _counts(as_role)
    files = [("files", ("export.xlsx", r.content, "application/octet-stream"))]
    r = as_role("agency", "POST", "/imports", files=files)
    assert r.status_code == 200, r.text
    assert r.json()["written"]["sites"] >= 8 and _counts(as_role) == before  # re-import changes nothing

    r = as_role("agency", "GET", f"/exports?territory_id={TERRITORY}&format=csv")
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        names = {Path(n).name for n in zf.namelist()}
    assert {"sites.csv", "outputs.csv", "inputs.csv"} <= names

    r = as_role("agency", "GET", f"/exports?territory_id={TERRITORY}&format=geojson")
    gj = json.loads(r.content)
    points = [f for f in gj["features"] if f["geometry"]["type"] == "Point"]
    assert gj["type"] == "FeatureCollection" and len(points) >= 8
    lon, lat = points[0]["geometry"]["coordinates"]
    assert 10 < lon < 12 and 55 < lat < 56  # GeoJSON order: longitude, latitude
