"""Read and write datasets: a folder of CSV files or one Excel workbook (docs/DATA_FORMAT.md).

Reading validates the *whole* dataset before returning anything: every row goes through its
domain model, then references are checked (a site's firm and territory, a declaration's site and
resource, a territory's parent, duplicate ids). All problems are raised together as one
`InvalidInput` naming file, row, field, value and expectation, so a facilitator fixes a file in
one pass. Writing produces the same format, so ``read(write(read(x))) == read(x)``.

Each cell is turned into a string first (CSV and Excel alike) and parsed one way, which is what
makes the two formats interchangeable.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from symbiosis.domain.bounds import MAX_TEXT_CHARS
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.declarations import FLAT_PROFILE, InputDeclaration, OutputDeclaration
from symbiosis.domain.enums import TerritoryLevel
from symbiosis.domain.exchange import KnownExchange
from symbiosis.domain.firm import Firm, Site
from symbiosis.domain.territory import Territory
from symbiosis.errors import InvalidInput, Issue, SymbiosisError, issues_from_validation_error
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.spreadsheet_safety import neutralise_row, restore

TABLES = ("territories", "firms", "sites", "outputs", "inputs", "exchanges")

_DECLARATION = ["id", "site_id", "resource_code", "quantity", "quantity_unit", "monthly_profile", "peak_mw"]
_TERMS = ["confidentiality", "is_estimate", "year", "source", "note"]
_QUALITY = ["temperature_c", "purity_pct", "moisture_pct", "contaminants_mg_per_l", "return_temperature_c"]
_REQUIREMENT = [
    "min_temperature_c",
    "max_temperature_c",
    "max_contaminants_mg_per_l",
    "min_purity_pct",
    "max_moisture_pct",
    "return_temperature_c",
]
# heat capacity and temperature levels (docs/ENERGY.md): optional, written only when a row uses them,
# so datasets from before them read and write back unchanged
OPTIONAL_COLUMNS = {"peak_mw", "return_temperature_c"}
COLUMNS: dict[str, list[str]] = {
    "territories": ["id", "name", "level", "parent_id", "code", "source"],
    "firms": ["id", "name", "nace_code", "source"],
    "sites": ["id", "firm_id", "name", "latitude_deg", "longitude_deg", "territory_id", "source"],
    "outputs": _DECLARATION + _QUALITY + ["disposal_cost_eur_per_unit", "disposal_co2_kg_per_unit"] + _TERMS,
    "inputs": _DECLARATION + _REQUIREMENT + ["supply_price_eur_per_unit", "supply_co2_kg_per_unit"] + _TERMS,
    "exchanges": [
        "id",
        "from_site_id",
        "to_site_id",
        "resource_code",
        "output_id",
        "input_id",
        "quantity",
        "quantity_unit",
        "since_year",
        "year",
        "is_estimate",
        "source",
        "note",
    ],
}
REQUIRED: dict[str, set[str]] = {
    "territories": {"id", "name", "level"},
    "firms": {"id", "name"},
    "sites": {"id", "firm_id", "name", "latitude_deg", "longitude_deg"},
    "outputs": {"id", "site_id", "resource_code", "quantity", "quantity_unit"},
    "inputs": {"id", "site_id", "resource_code", "quantity", "quantity_unit"},
    "exchanges": {"id", "from_site_id", "to_site_id", "resource_code", "source"},
}
NUMERIC = {
    "latitude_deg",
    "longitude_deg",
    "quantity",
    "temperature_c",
    "purity_pct",
    "moisture_pct",
    "disposal_cost_eur_per_unit",
    "disposal_co2_kg_per_unit",
    "min_temperature_c",
    "max_temperature_c",
    "min_purity_pct",
    "max_moisture_pct",
    "supply_price_eur_per_unit",
    "supply_co2_kg_per_unit",
    "year",
    "since_year",
    "peak_mw",
    "return_temperature_c",
}
_NESTED = {"outputs": ("quality", set(_QUALITY)), "inputs": ("requirement", set(_REQUIREMENT))}
_MODELS: dict[str, type[BaseModel]] = {
    "territories": Territory,
    "firms": Firm,
    "sites": Site,
    "outputs": OutputDeclaration,
    "inputs": InputDeclaration,
    "exchanges": KnownExchange,
}


# ---------------------------------------------------------------- cells ↔ values


def format_cell(value: object) -> str:
    """One canonical text form per value: floats exact (shortest repr), whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dict):
        return ";".join(f"{k}={format_cell(v)}" for k, v in value.items())
    if isinstance(value, tuple | list):
        return ";".join(format_cell(v) for v in value)
    return str(value)


def _parse_pairs(text: str) -> dict[str, str]:
    """'cod=120;total_n=15' → {'cod': '120', 'total_n': '15'}; pydantic checks the numbers."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(
                f"expected name=value pairs separated by ';' (e.g. 'cod=120;total_n=15'), got {text!r}"
            )
        out[name.strip()] = value.strip()
    return out


# ---------------------------------------------------------------- raw tables


@dataclass
class _Table:
    """A table as text: where it came from, its header and its rows (row number, cells)."""

    name: str
    label: str  # "outputs.csv" or "kalundborg.xlsx sheet outputs"
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


# ---------------------------------------------------------------- hostile files

MAX_UNPACKED_BYTES = 1024 * 2**20
"""Default bound on what one archive (an uploaded .zip, an .xlsx, which is a zip too) may unpack to."""
MAX_COMPRESSION_RATIO = 200
"""Declared uncompressed/compressed size above which a large archive entry is taken for a zip bomb
(CSV and sheet XML compress 5-20×; a bomb 1,000× and more)."""
MAX_ARCHIVE_ENTRIES = 1000
_RATIO_CHECKED_FROM_BYTES = 2**20  # tiny entries may compress far: they cannot hurt


def check_archive(zf: zipfile.ZipFile, label: str, max_bytes: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a zip from its *declared* sizes, before anything is unpacked: too many entries, too
    large once unpacked, or an entry compressed suspiciously far. `InvalidInput` naming ``label``.
    Unpacking must still be bounded (`read_bounded`): declared sizes can lie."""
    infos = zf.infolist()
    issues: list[Issue] = []
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        issues.append(Issue(label, "(archive)", len(infos), f"at most {MAX_ARCHIVE_ENTRIES} files"))
    total = sum(i.file_size for i in infos)
    if total > max_bytes:
        issues.append(
            Issue(
                label, "(archive)", f"{total:,} bytes unpacked", f"at most {max_bytes:,} bytes once unpacked"
            )
        )
    for info in infos:
        if info.file_size >= _RATIO_CHECKED_FROM_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            issues.append(
                Issue(
                    f"{label}: {info.filename}",
                    "(archive)",
                    f"{info.file_size:,} bytes from {info.compress_size:,}",
                    f"a compression ratio of at most {MAX_COMPRESSION_RATIO} (this looks like a zip bomb)",
                )
            )
    if issues:
        raise InvalidInput(issues, label)


def read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, max_bytes: int) -> bytes:
    """An entry's bytes, read in chunks and abandoned as soon as it exceeds its declared size or
    ``max_bytes`` (a lying header cannot make us unpack a gigabyte)."""
    limit = min(info.file_size, max_bytes)
    out = bytearray()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 16):
            out += chunk
            if len(out) > limit:
                raise InvalidInput(
                    [Issue(f"{label}: {info.filename}", "(archive)", f"more than {limit:,} bytes",
                           "an entry no larger than its declared size and the unpacking limit")],
                    label,
                )  # fmt: skip
    return bytes(out)


def decode_text(data: bytes, label: str) -> str:
    """UTF-8 text (a BOM is dropped), or `InvalidInput` naming the file and what it looks like —
    a latin-1 export from Excel, or not text at all — rather than a decoding traceback."""
    if b"\x00" in data:
        raise InvalidInput([Issue(label, "(file)", "binary data", "a text CSV file encoded in UTF-8")], label)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes

        guess = from_bytes(data[:200_000]).best()
        looks = f"text in {guess.encoding}" if guess is not None else "binary data"
        raise InvalidInput(
            [
                Issue(
                    label,
                    "(encoding)",
                    f"byte 0x{data[exc.start]:02x} at offset {exc.start} (it looks like {looks})",
                    "a CSV encoded in UTF-8: in Excel, save as 'CSV UTF-8 (délimité par des virgules)'",
                )
            ],
            label,
        ) from None


def _csv_tables(folder: Path) -> Iterator[_Table]:
    for name in TABLES:
        path = folder / f"{name}.csv"
        if not path.is_file():
            yield _Table(name, path.name)
            continue
        reader = csv.reader(io.StringIO(decode_text(path.read_bytes(), path.name), newline=""))
        table = _Table(name, path.name)
        number = 1
        try:
            table.header = [h.strip() for h in next(reader, [])]
            for number, cells in enumerate(reader, start=2):
                if any(c.strip() for c in cells):
                    table.rows.append((number, _cells(table.header, [restore(c) for c in cells])))
        except csv.Error as exc:  # e.g. a field longer than csv's own limit (131,072 characters)
            raise InvalidInput(
                [Issue(f"{path.name} row {number + 1}", "(row)", str(exc),
                       f"a well-formed CSV row with fields of at most {MAX_TEXT_CHARS:,} characters")],
                path.name,
            ) from None  # fmt: skip
        yield table


def _xlsx_tables(path: Path) -> Iterator[_Table]:
    """The workbook's sheets; a file that is not a readable workbook is one clear `InvalidInput`."""
    try:
        with zipfile.ZipFile(path) as zf:
            check_archive(zf, path.name)
        yield from _xlsx_sheets(path)
    except SymbiosisError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise a dozen kinds on a hostile file
        raise InvalidInput(
            [Issue(path.name, "(file)", type(exc).__name__, "an Excel workbook (.xlsx) that opens in Excel")],
            path.name,
        ) from None


def _xlsx_sheets(path: Path) -> Iterator[_Table]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for name in TABLES:
            label = f"{path.name} sheet {name}"
            if name not in book.sheetnames:
                yield _Table(name, label)
                continue
            rows = book[name].iter_rows(values_only=True)
            header = [format_cell(h).strip() for h in next(rows, ())]
            while header and not header[-1]:
                header.pop()
            table = _Table(name, label, header)
            for number, values in enumerate(rows, start=2):
                cells = [format_cell(v) for v in values]
                if any(c.strip() for c in cells):
                    table.rows.append((number, _cells(header, cells)))
            yield table
    finally:
        book.close()


def _cells(header: list[str], cells: list[str]) -> dict[str, str]:
    row = dict(zip(header, cells, strict=False))
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        row["(extra cells)"] = ";".join(cells[len(header) :])
    return row


# ---------------------------------------------------------------- reading


def read_dataset(path: Path, kb: KnowledgeBase) -> Dataset:
    """The validated dataset at ``path`` (a folder of CSVs or an ``.xlsx`` workbook).

    Raises `InvalidInput` listing every bad row; nothing is returned unless the whole set is valid.
    """
    path = Path(path)
    if path.is_dir():
        tables = list(_csv_tables(path))
    elif path.suffix.lower() == ".xlsx" and path.is_file():
        tables = list(_xlsx_tables(path))
    else:
        raise SymbiosisError(f"dataset {path} not found: expected a folder of CSV files or an .xlsx workbook")
    reader = _Reader(kb)
    dataset = reader.read(tables)
    if reader.issues:
        raise InvalidInput(reader.issues, f"dataset {path}")
    return dataset


class _Reader:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.issues: list[Issue] = []

    def read(self, tables: list[_Table]) -> Dataset:
        by_name = {t.name: t for t in tables}
        for table in tables:
            self._check_header(table)
        records = {name: self._records(by_name[name]) for name in TABLES}
        ids = {name: self._ids(by_name[name]) for name in TABLES}
        self._check_references(ids, by_name)
        return Dataset(**records)  # type: ignore[arg-type]  # each list holds its table's model

    def _check_header(self, table: _Table) -> None:
        known = COLUMNS[table.name]
        for col in table.header:
            if col not in known:
                self.issues.append(
                    Issue(table.label, col or "(empty header)", col, f"a known column: {', '.join(known)}")
                )
        if table.header or table.rows:
            for col in sorted(REQUIRED[table.name] - set(table.header)):
                self.issues.append(Issue(table.label, col, None, "this required column is missing"))

    def _records(self, table: _Table) -> list[BaseModel]:
        model = _MODELS[table.name]
        known = set(COLUMNS[table.name])
        out: list[BaseModel] = []
        for number, cells in table.rows:
            location = f"{table.label} row {number}"
            values = self._values(table.name, cells, known, location)
            if values is None:
                continue
            try:
                out.append(model.model_validate(values))
            except ValidationError as err:
                for issue in issues_from_validation_error(err, location):
                    self.issues.append(_column_issue(issue))
        return out

    def _values(self, kind: str, cells: dict[str, str], known: set[str], location: str) -> dict | None:
        """Model input from a row's cells, or None when the row cannot be validated at all."""
        values: dict[str, object] = {}
        nested_key, nested_cols = _NESTED.get(kind, ("", set()))
        nested: dict[str, object] = {}
        ok = True
        for col, raw in cells.items():
            text = raw.strip()
            if col not in known:
                if col == "(extra cells)":
                    self.issues.append(Issue(location, col, text, "no more cells than header columns"))
                continue
            if not text:
                continue
            if len(text) > MAX_TEXT_CHARS:
                self.issues.append(
                    Issue(location, col, text[:50] + "…", f"at most {MAX_TEXT_CHARS:,} characters")
                )
                ok = False
            elif col.endswith("contaminants_mg_per_l"):
                try:
                    nested[col] = _parse_pairs(text)
                except ValueError as exc:
                    self.issues.append(Issue(location, col, text, str(exc)))
                    ok = False
            elif col in nested_cols:
                nested[col] = text
            else:
                values[col] = text
        if nested_key:
            values[nested_key] = nested
        if "resource_code" in values:
            resource = self.kb.resources.get(str(values["resource_code"]))
            if resource is None:
                self.issues.append(
                    Issue(
                        location,
                        "resource_code",
                        values["resource_code"],
                        "a resource code of the knowledge base (datasets/knowledge/resources.csv)",
                    )
                )
                return None
            values["unit"] = resource.canonical_unit
        return values if ok else None

    def _ids(self, table: _Table) -> set[str]:
        """Ids as written, duplicates reported — rows that failed validation still count as present,
        so one bad site does not cascade into 'unknown site' for each of its declarations."""
        seen: dict[str, int] = {}
        for number, cells in table.rows:
            rid = cells.get("id", "").strip()
            if not rid:
                continue
            if rid in seen:
                self.issues.append(
                    Issue(
                        f"{table.label} row {number}",
                        "id",
                        rid,
                        f"a unique id (already used in row {seen[rid]})",
                    )
                )
            else:
                seen[rid] = number
        return set(seen)

    def _check_references(self, ids: dict[str, set[str]], tables: dict[str, _Table]) -> None:
        """Checked on the cells as written, so rows that failed validation are checked too."""
        levels = {c.get("id", "").strip(): _level(c.get("level", "")) for _, c in tables["territories"].rows}
        for loc, cells in _located(tables["territories"]):
            parent, level = _cell(cells, "parent_id"), _level(cells.get("level", ""))
            if not parent:
                continue
            if parent not in ids["territories"]:
                self._ref(loc, "parent_id", parent, "territories")
            elif level is not None and (parent_level := levels.get(parent)) is not None:
                if parent_level.rank >= level.rank:
                    self.issues.append(
                        Issue(
                            loc,
                            "parent_id",
                            parent,
                            f"a territory of a wider level than "
                            f"{level.value!r} (it is {parent_level.value!r})",
                        )
                    )
        self._refs("sites", {"firm_id": "firms", "territory_id": "territories"}, ids, tables)
        self._refs("outputs", {"site_id": "sites"}, ids, tables)
        self._refs("inputs", {"site_id": "sites"}, ids, tables)
        self._refs(
            "exchanges",
            {"from_site_id": "sites", "to_site_id": "sites", "output_id": "outputs", "input_id": "inputs"},
            ids,
            tables,
        )
        site_of = {
            kind: {_cell(c, "id"): _cell(c, "site_id") for _, c in tables[kind].rows}
            for kind in ("outputs", "inputs")
        }
        for loc, cells in _located(tables["exchanges"]):
            for col, kind, side in (
                ("output_id", "outputs", "from_site_id"),
                ("input_id", "inputs", "to_site_id"),
            ):
                ref, site = _cell(cells, col), _cell(cells, side)
                owner = site_of[kind].get(ref)
                if ref and owner and site and owner != site:
                    self.issues.append(
                        Issue(loc, col, ref, f"a declaration of site {site!r} (it belongs to {owner!r})")
                    )

    def _refs(
        self, kind: str, columns: dict[str, str], ids: dict[str, set[str]], tables: dict[str, _Table]
    ) -> None:
        for loc, cells in _located(tables[kind]):
            for col, target in columns.items():
                ref = _cell(cells, col)
                if ref and ref not in ids[target]:
                    self._ref(loc, col, ref, target)

    def _ref(self, location: str, col: str, value: str, table: str) -> None:
        self.issues.append(Issue(location, col, value, f"an id present in {table}"))


def _located(table: _Table) -> Iterator[tuple[str, dict[str, str]]]:
    for number, cells in table.rows:
        yield f"{table.label} row {number}", cells


def _cell(cells: dict[str, str], col: str) -> str:
    return (cells.get(col) or "").strip()


def _level(text: str) -> TerritoryLevel | None:
    try:
        return TerritoryLevel(text.strip())
    except ValueError:
        return None  # reported by the model


def _column_issue(issue: Issue) -> Issue:
    """Name the CSV column, not the model path: 'quality.temperature_c' → 'temperature_c'."""
    parts = issue.field.split(".")
    if parts[0] in ("quality", "requirement") and len(parts) > 1:
        return Issue(issue.location, parts[1], issue.value, issue.expected)
    return issue


# ---------------------------------------------------------------- writing


def dataset_rows(dataset: Dataset) -> dict[str, list[list[str]]]:
    """Every table as rows of canonical cell text, header first."""
    out: dict[str, list[list[str]]] = {}
    for name in TABLES:
        cols = COLUMNS[name]
        rows = [_record_cells(name, rec, cols) for rec in getattr(dataset, name)]
        keep = [k for k, c in enumerate(cols) if c not in OPTIONAL_COLUMNS or any(r[k] for r in rows)]
        rows = [[cols[k] for k in keep], *([r[k] for k in keep] for r in rows)]
        out[name] = rows
    return out


def _record_cells(kind: str, rec: BaseModel, cols: list[str]) -> list[str]:
    flat = dict(rec)
    nested = _NESTED.get(kind)
    if nested:
        flat.update(dict(flat.pop(nested[0])))
    if flat.get("monthly_profile") == FLAT_PROFILE:
        flat["monthly_profile"] = None
    for key in ("contaminants_mg_per_l", "max_contaminants_mg_per_l"):
        if key in flat and not flat[key]:
            flat[key] = None
    return [format_cell(flat.get(c)) for c in cols]


def write_dataset(dataset: Dataset, path: Path, fmt: str = "csv") -> Path:
    """Write ``dataset`` as a folder of CSVs (``fmt='csv'``) or one workbook (``fmt='xlsx'``)."""
    path = Path(path)
    tables = dataset_rows(dataset)
    if fmt == "csv":
        path.mkdir(parents=True, exist_ok=True)
        for name, rows in tables.items():
            numeric = [c in NUMERIC for c in rows[0]]
            with (path / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(rows[0])
                writer.writerows(neutralise_row(row, numeric) for row in rows[1:])  # no formulas
        return path
    if fmt == "xlsx":
        _write_xlsx(tables, path)
        return path
    raise SymbiosisError(f"unknown dataset format {fmt!r}: expected 'csv' or 'xlsx'")


def _write_xlsx(tables: dict[str, list[list[str]]], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        header = rows[0]
        sheet.append(header)
        numeric = [c in NUMERIC for c in header]
        for row in rows[1:]:
            sheet.append([_xlsx_safe(sheet, v) for v in _typed(row, numeric)])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _xlsx_safe(sheet: Any, value: object) -> object:
    """A cell Excel shows as the text it is: control characters (which the xlsx format cannot
    hold; openpyxl would raise) become U+FFFD, and a text starting with '=' stays text instead of
    becoming a formula (a firm named '=HYPERLINK(…)' must not run in a facilitator's Excel)."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    return cell


def _typed(row: Iterable[str], numeric: list[bool]) -> Iterator[object]:
    """Numbers as numbers so Excel users can compute with them; text stays text."""
    for cell, is_number in zip(row, numeric, strict=True):
        if not cell:
            yield None
        elif is_number:
            number = float(cell)
            if number.is_integer() and abs(number) < 1e15:
                yield int(number)
            elif float(f"{number:.15g}") == number:
                yield number
            else:  # openpyxl stores ~16 significant digits: keep full precision as text
                yield cell
        else:
            yield cell
