"""Dataset files ↔ validated records: exact round trips, and every bad row reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbiosis import DATASETS_DIR
from symbiosis.dataset_io import COLUMNS, OPTIONAL_COLUMNS, read_dataset, write_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.errors import InvalidInput, SymbiosisError
from symbiosis.knowledge import KnowledgeBase, load_knowledge_base

KALUNDBORG = DATASETS_DIR / "kalundborg"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def kalundborg(kb: KnowledgeBase) -> Dataset:
    return read_dataset(KALUNDBORG, kb)


@pytest.mark.parametrize(("fmt", "name"), [("csv", "out"), ("xlsx", "out.xlsx")])
def test_round_trip_is_exact(
    kb: KnowledgeBase, kalundborg: Dataset, tmp_path: Path, fmt: str, name: str
) -> None:
    target = write_dataset(kalundborg, tmp_path / name, fmt=fmt)
    again = read_dataset(target, kb)
    assert again == kalundborg
    assert again.counts() == kalundborg.counts()
    seasonal = next(o for o in again.outputs if o.id == "o_asnaes_district_heat")
    assert (
        seasonal.monthly_profile == next(o for o in kalundborg.outputs if o.id == seasonal.id).monthly_profile
    )


def test_csv_written_twice_is_byte_identical(kb: KnowledgeBase, kalundborg: Dataset, tmp_path: Path) -> None:
    first = write_dataset(kalundborg, tmp_path / "a")
    second = write_dataset(read_dataset(first, kb), tmp_path / "b")
    for name in COLUMNS:
        assert (first / f"{name}.csv").read_bytes() == (second / f"{name}.csv").read_bytes()


def test_xlsx_and_csv_read_the_same(kb: KnowledgeBase, kalundborg: Dataset, tmp_path: Path) -> None:
    book = write_dataset(kalundborg, tmp_path / "k.xlsx", fmt="xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(book, read_only=True)["outputs"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    first = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert header == [c for c in COLUMNS["outputs"] if c not in OPTIONAL_COLUMNS]  # Kalundborg uses none
    assert first[header.index("quantity")] == 135000  # a number, not text
    assert read_dataset(book, kb) == kalundborg


def test_nested_quality_and_contaminants_are_read(kalundborg: Dataset) -> None:
    effluent = next(o for o in kalundborg.outputs if o.id == "o_forsyning_effluent")
    assert effluent.quality.contaminants_mg_per_l == {"cod": 40.0, "total_n": 6.0, "total_p": 0.5}
    assert effluent.quality.temperature_c == 24.5
    assert effluent.unit == "m3" and effluent.quantity_per_yr == 6_000_000
    water = next(i for i in kalundborg.inputs if i.id == "i_novozymes_water")
    assert water.requirement.max_contaminants_mg_per_l == {"cod": 10.0, "total_n": 2.0}


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(text.strip() + "\n", encoding="utf-8")


def _bad_dataset(folder: Path) -> None:
    _write(
        folder,
        "territories",
        """
id,name,level,parent_id
dk,Denmark,country,
zealand,Zealand,region,dk
park,Park,industrial_park,nowhere
region2,Region two,region,park
""",
    )
    _write(
        folder,
        "firms",
        """
id,name,nace_code
f1,Firm one,35.11
f2,Firm two,not-a-code
""",
    )
    _write(
        folder,
        "sites",
        """
id,firm_id,name,latitude_deg,longitude_deg,territory_id
s1,f1,Site one,55.6,11.1,zealand
s2,f9,Site two,95.0,11.1,zealand
s1,f1,Site one again,55.6,11.1,atlantis
""",
    )
    _write(
        folder,
        "outputs",
        """
id,site_id,resource_code,quantity,quantity_unit,monthly_profile,temperature_c,contaminants_mg_per_l
o1,s1,fly_ash,100,t/yr,,,
o2,s1,unobtainium,100,t/yr,,,
o3,s1,fly_ash,-3,t/yr,,,
o4,s1,fly_ash,100,m3/h,,,
o5,s7,steam,100,t/h,1;2;3,,
o6,s1,treated_effluent,5,Mm3/yr,,30,cod120
""",
    )
    _write(
        folder,
        "inputs",
        """
id,site_id,resource_code,quantity,quantity_unit,min_temperature_c,colour
i1,s1,natural_gypsum,100,t/yr,,
""",
    )
    _write(
        folder,
        "exchanges",
        """
id,from_site_id,to_site_id,resource_code,output_id,input_id,source
x1,s1,s5,fly_ash,o1,i9,somewhere
""",
    )


def test_every_bad_row_is_reported_and_nothing_returned(kb: KnowledgeBase, tmp_path: Path) -> None:
    _bad_dataset(tmp_path)
    result = None
    with pytest.raises(InvalidInput) as err:
        result = read_dataset(tmp_path, kb)
    assert result is None
    found = {(i.location, i.field, str(i.value)) for i in err.value.issues}
    expected = {
        ("territories.csv row 4", "parent_id", "nowhere"),
        ("territories.csv row 5", "parent_id", "park"),  # a region cannot sit inside a park
        ("firms.csv row 3", "nace_code", "not-a-code"),
        ("sites.csv row 3", "latitude_deg", "95.0"),
        ("sites.csv row 3", "firm_id", "f9"),
        ("sites.csv row 4", "id", "s1"),
        ("sites.csv row 4", "territory_id", "atlantis"),
        ("outputs.csv row 3", "resource_code", "unobtainium"),
        ("outputs.csv row 4", "quantity", "-3"),
        ("outputs.csv row 5", "quantity_unit", "m3/h"),
        ("outputs.csv row 6", "monthly_profile", "1;2;3"),
        ("outputs.csv row 6", "site_id", "s7"),
        ("outputs.csv row 7", "contaminants_mg_per_l", "cod120"),
        ("inputs.csv", "colour", "colour"),
        ("exchanges.csv row 2", "to_site_id", "s5"),
        ("exchanges.csv row 2", "input_id", "i9"),
    }
    assert expected <= found, expected - found
    assert len(err.value.issues) == len(expected)
    message = str(err.value)
    assert message.startswith(f"{len(expected)} problem(s) in dataset")
    assert "outputs.csv row 5: field 'quantity_unit' = 'm3/h'" in message


def test_xlsx_errors_name_the_sheet(kb: KnowledgeBase, kalundborg: Dataset, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book_path = write_dataset(kalundborg, tmp_path / "k.xlsx", fmt="xlsx")
    book = load_workbook(book_path)
    sites = book["sites"]
    sites.cell(row=3, column=4).value = -123.0  # latitude of the second site
    book.save(book_path)
    with pytest.raises(InvalidInput) as err:
        read_dataset(book_path, kb)
    assert [(i.location, i.field) for i in err.value.issues] == [("k.xlsx sheet sites row 3", "latitude_deg")]


def test_missing_required_column(kb: KnowledgeBase, tmp_path: Path) -> None:
    _write(tmp_path, "firms", "id\nf1")
    with pytest.raises(InvalidInput) as err:
        read_dataset(tmp_path, kb)
    assert ("firms.csv", "name") in {(i.location, i.field) for i in err.value.issues}


def test_missing_dataset_and_unknown_format(kb: KnowledgeBase, kalundborg: Dataset, tmp_path: Path) -> None:
    with pytest.raises(SymbiosisError, match="not found"):
        read_dataset(tmp_path / "nope", kb)
    with pytest.raises(SymbiosisError, match="expected 'csv' or 'xlsx'"):
        write_dataset(kalundborg, tmp_path / "x", fmt="json")


def test_full_precision_floats_survive_excel(kb: KnowledgeBase, tmp_path: Path) -> None:
    """openpyxl keeps ~16 significant digits; 17-digit floats must still come back identical."""
    _write(tmp_path / "src", "firms", "id,name\nf1,Firm")
    _write(
        tmp_path / "src",
        "sites",
        "id,firm_id,name,latitude_deg,longitude_deg\ns1,f1,A,63.818873094883074,23.040552205915375\ns2,f1,B,55.6,11.1",
    )
    data = read_dataset(tmp_path / "src", kb)
    book = write_dataset(data, tmp_path / "d.xlsx", fmt="xlsx")
    assert read_dataset(book, kb) == data
    from openpyxl import load_workbook

    rows = list(load_workbook(book, read_only=True)["sites"].iter_rows(min_row=2, values_only=True))
    assert rows[1][3] == 55.6  # short decimals stay numbers


# --- hostile files: every one a clear InvalidInput naming the file, never a traceback -----------


def _firms_csv(tmp_path: Path, content: bytes) -> Path:
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "firms.csv").write_bytes(content)
    return folder


def _only_issue(err: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, str, str]:
    (issue,) = err.value.issues
    return issue.location, issue.field, f"{issue.value} | {issue.expected}"


def test_utf8_csv_with_bom_is_read(kb: KnowledgeBase, tmp_path: Path) -> None:
    ds = read_dataset(_firms_csv(tmp_path, "\ufeffid,name\nf1,Béton de Fécamp\n".encode()), kb)
    assert [f.name for f in ds.firms] == ["Béton de Fécamp"]


def test_latin1_csv_is_refused_naming_the_file(kb: KnowledgeBase, tmp_path: Path) -> None:
    content = "id,name\nf1,Béton de Fécamp\n".encode("latin-1")
    with pytest.raises(InvalidInput) as err:
        read_dataset(_firms_csv(tmp_path, content), kb)
    location, field, text = _only_issue(err)
    assert (location, field) == ("firms.csv", "(encoding)")
    assert "0xe9" in text and "UTF-8" in text


def test_binary_csv_is_refused(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        read_dataset(_firms_csv(tmp_path, bytes(range(256)) * 8), kb)
    location, _, text = _only_issue(err)
    assert location == "firms.csv" and "binary" in text


@pytest.mark.parametrize("chars", [10_001, 200_000])
def test_overlong_field_is_refused_with_its_row(kb: KnowledgeBase, tmp_path: Path, chars: int) -> None:
    content = f"id,name\nf1,ok\nf2,{'x' * chars}\n".encode()
    with pytest.raises(InvalidInput) as err:
        read_dataset(_firms_csv(tmp_path, content), kb)
    location, _, text = _only_issue(err)
    assert location == "firms.csv row 3" and "10,000 characters" in text


def test_field_at_the_length_bound_is_read(kb: KnowledgeBase, tmp_path: Path) -> None:
    ds = read_dataset(_firms_csv(tmp_path, f"id,name\nf1,{'x' * 10_000}\n".encode()), kb)
    assert len(ds.firms[0].name) == 10_000


@pytest.mark.parametrize("bad", ["Infinity", "inf", "NaN", "1e400"])
def test_non_finite_quantity_in_a_file_is_refused(kb: KnowledgeBase, tmp_path: Path, bad: str) -> None:
    folder = tmp_path / "ds"
    write_dataset(read_dataset(KALUNDBORG, kb), folder, "csv")
    text = (folder / "outputs.csv").read_text(encoding="utf-8").splitlines()
    cells = text[1].split(",")
    cells[COLUMNS["outputs"].index("quantity")] = bad
    (folder / "outputs.csv").write_text(
        "\n".join([text[0], ",".join(cells), *text[2:]]) + "\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput) as err:
        read_dataset(folder, kb)
    (issue,) = err.value.issues
    assert (issue.location, issue.field) == ("outputs.csv row 2", "quantity")


@pytest.mark.parametrize("content", [b"", b"not a workbook at all", b"PK\x03\x04garbage", b"id,name\nf1,A\n"])
def test_garbage_or_mislabelled_xlsx_is_refused(kb: KnowledgeBase, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as err:
        read_dataset(path, kb)
    location, field, text = _only_issue(err)
    assert (location, field) == ("data.xlsx", "(file)") and "Excel workbook" in text


def test_cli_import_of_garbage_xlsx_is_one_line_without_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "data.xlsx"
    path.write_bytes(b"definitely not a zip")
    env = {**__import__("os").environ, "SYMBIOSIS_HOME_DIR": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "symbiosis.cli", "import", str(path)],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "data.xlsx" in done.stderr and "Excel workbook" in done.stderr


def _zip_with(entries: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_bomb_is_refused_from_declared_sizes(tmp_path: Path) -> None:
    import io
    import zipfile

    from symbiosis.dataset_io import MAX_COMPRESSION_RATIO, check_archive

    # 64 MiB of one byte deflate ~1000x: refused from the header alone, before unpacking
    bomb = _zip_with({"outputs.csv": b"0" * (64 * 2**20)})
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf, pytest.raises(InvalidInput) as err:
        check_archive(zf, "bomb.zip")
    assert "zip bomb" in err.value.issues[0].expected
    # an ordinary CSV of the same size but realistic content compresses < MAX_COMPRESSION_RATIO
    rows = b"".join(b"f%d,Firm number %d of the territory\n" % (i, i * 7919 % 100003) for i in range(60_000))
    with zipfile.ZipFile(io.BytesIO(_zip_with({"firms.csv": rows}))) as zf:
        info = zf.infolist()[0]
        assert info.file_size < MAX_COMPRESSION_RATIO * info.compress_size
        check_archive(zf, "ok.zip")
    # the total bound: both sides
    small = _zip_with({"a.csv": b"x" * 1000, "b.csv": b"y" * 1000})
    with zipfile.ZipFile(io.BytesIO(small)) as zf:
        check_archive(zf, "small.zip", max_bytes=2000)
        with pytest.raises(InvalidInput, match="small.zip"):
            check_archive(zf, "small.zip", max_bytes=1999)


def test_lying_zip_header_is_cut_while_unpacking() -> None:
    import io
    import zipfile

    from symbiosis.dataset_io import read_bounded

    with zipfile.ZipFile(io.BytesIO(_zip_with({"firms.csv": b"z" * 5000}))) as zf:
        info = zf.infolist()[0]
        assert read_bounded(zf, info, "up.zip", 5000) == b"z" * 5000
        with pytest.raises(InvalidInput, match="up.zip"):
            read_bounded(zf, info, "up.zip", 4999)
        info.file_size = 100  # a header that lies: zipfile stops at the declared size, CRC fails
        with pytest.raises((InvalidInput, zipfile.BadZipFile)):
            read_bounded(zf, info, "up.zip", 10**9)


def test_archive_entry_count_bound_both_sides() -> None:
    import io
    import zipfile

    from symbiosis.dataset_io import MAX_ARCHIVE_ENTRIES, check_archive

    for count, refused in ((MAX_ARCHIVE_ENTRIES, False), (MAX_ARCHIVE_ENTRIES + 1, True)):
        data = _zip_with({f"f{i}.txt": b"x" for i in range(count)})
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if refused:
                with pytest.raises(InvalidInput, match="many.zip"):
                    check_archive(zf, "many.zip")
            else:
                check_archive(zf, "many.zip")


def test_heat_capacity_and_return_temperatures_round_trip(
    kb: KnowledgeBase, kalundborg: Dataset, tmp_path: Path
) -> None:
    """The optional heat columns (docs/ENERGY.md) appear once a row uses them and read back equal."""
    out = kalundborg.outputs[0].model_copy(
        update={
            "peak_mw": 12.5,
            "quality": kalundborg.outputs[0].quality.model_copy(update={"return_temperature_c": 40.0}),
        }
    )
    ds = Dataset(
        territories=kalundborg.territories,
        firms=kalundborg.firms,
        sites=kalundborg.sites,
        outputs=[out, *kalundborg.outputs[1:]],
        inputs=kalundborg.inputs,
        exchanges=kalundborg.exchanges,
    )
    folder = write_dataset(ds, tmp_path / "h")
    header = (folder / "outputs.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"peak_mw", "return_temperature_c"} <= set(header)
    assert "peak_mw" not in (folder / "inputs.csv").read_text(encoding="utf-8").splitlines()[0]
    again = read_dataset(folder, kb)
    assert again.outputs[0].peak_mw == 12.5 and again.outputs[0].quality.return_temperature_c == 40.0
