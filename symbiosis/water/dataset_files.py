"""The water tables of a dataset folder: `water_sources.csv`, `water_operations.csv`,
`water_treatments.csv` (optional files, docs/DATA_FORMAT.md "Water networks").

A dataset without them is read as before. Every bad cell is reported at once, with its file,
spreadsheet row, field, value and what was expected; nothing is returned unless all is valid.
Flows are written with a unit (`m3/h`, `t/h` of water, `Mm3/yr` …) and held in m³/h, the unit of
the water-pinch literature; a yearly figure is spread over 8,760 h.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from symbiosis.dataset_io import decode_text
from symbiosis.domain.declarations import normalise_profile
from symbiosis.domain.resource import WaterSource
from symbiosis.errors import InvalidInput, Issue, SymbiosisError
from symbiosis.units import parse_decimal, to_canonical_per_year
from symbiosis.water.operations import FixedFlowOperation, FixedLoadOperation, Operation
from symbiosis.water.problem import WaterProblem
from symbiosis.water.sources import WaterSupply
from symbiosis.water.treatment import TreatmentUnit

HOURS_PER_YEAR = 8760.0
WATER_M3_PER_T = 1.0  # density of water ~1 t/m³ (as resources.csv for every water resource)
T = TypeVar("T")
FILES = {
    "water_sources": (
        ("id", "name", "type"),
        (
            "site_id",
            "price_eur_per_m3",
            "co2_kg_per_m3",
            "max_quantity",
            "quantity_unit",
            "contaminants_mg_per_l",
            "source",
            "note",
        ),
    ),
    "water_operations": (
        ("id", "site_id", "name", "kind"),
        (
            "inlet_quantity",
            "outlet_quantity",
            "loss_quantity",
            "quantity_unit",
            "loads_kg_per_h",
            "max_inlet_mg_per_l",
            "max_outlet_mg_per_l",
            "outlet_mg_per_l",
            "monthly_profile",
            "source",
            "note",
        ),
    ),
    "water_treatments": (
        ("id", "site_id", "name", "source"),
        (
            "outlet_mg_per_l",
            "removal_ratio",
            "cost_eur_per_m3",
            "energy_kwh_per_m3",
            "electricity_co2_kg_per_kwh",
            "max_quantity",
            "quantity_unit",
            "shared",
            "note",
        ),
    ),
}


def has_water_tables(folder: Path) -> bool:
    return any((Path(folder) / f"{name}.csv").is_file() for name in FILES)


class _Row:
    """One row's cells, collecting issues instead of raising, so a file is reported whole."""

    def __init__(self, where: str, cells: dict[str, str], issues: list[Issue]) -> None:
        self.where, self.cells, self.issues = where, cells, issues

    def text(self, col: str) -> str:
        return (self.cells.get(col) or "").strip()

    def bad(self, col: str, expected: str) -> None:
        self.issues.append(Issue(self.where, col, self.text(col), expected))

    def check_site(self, site_ids: set[str] | None) -> None:
        if site_ids is not None and self.text("site_id") not in site_ids:
            self.bad("site_id", "a site of sites.csv")

    def number(
        self, col: str, default: float | None = None, low: float = 0.0, high: float = math.inf
    ) -> float | None:
        raw = self.text(col)
        if not raw:
            return default
        try:
            v = parse_decimal(raw)
        except (ValueError, SymbiosisError):
            v = math.nan
        if not (math.isfinite(v) and low <= v <= high):
            self.bad(col, f"a number between {low:g} and {high:g}")
            return default
        return v

    def flow_m3_per_h(self, col: str) -> float | None:
        v = self.number(col)
        if v is None:
            return None
        unit = self.text("quantity_unit") or "m3/h"
        for canonical in ("m3", "t"):  # t/h, the water-pinch literature's unit: 1 t of water = 1 m³
            try:
                return to_canonical_per_year(v, unit, canonical) / HOURS_PER_YEAR * WATER_M3_PER_T
            except SymbiosisError:
                continue
        self.bad("quantity_unit", "a water flow unit such as 'm3/h', 't/h' or 'Mm3/yr'")
        return None

    def profile(self) -> tuple[float, ...] | None:
        if not self.text("monthly_profile"):
            return None
        try:
            return normalise_profile(self.text("monthly_profile"))
        except ValueError as exc:
            self.bad("monthly_profile", str(exc))
            return None

    def pairs(self, col: str, high: float = math.inf) -> dict[str, float]:
        out: dict[str, float] = {}
        raw = self.text(col)
        for part in filter(None, (p.strip() for p in raw.split(";"))):
            name, sep, value = part.partition("=")
            try:
                v = parse_decimal(value) if sep else math.nan
            except (ValueError, SymbiosisError):
                v = math.nan
            if not name.strip() or not (math.isfinite(v) and 0 <= v <= high):
                self.bad(
                    col,
                    f"name=value pairs separated by ';' with values between 0 and {high:g}, "
                    "e.g. 'cod=120;ss=35'",
                )
                return {}
            out[name.strip().lower()] = v
        return out


def _rows(folder: Path, name: str, issues: list[Issue]) -> list[_Row]:
    path = folder / f"{name}.csv"
    if not path.is_file():
        return []
    required, optional = FILES[name]
    reader = csv.reader(io.StringIO(decode_text(path.read_bytes(), path.name), newline=""))
    header = [h.strip() for h in next(reader, [])]
    for col in header:
        if col and col not in required + optional:
            issues.append(
                Issue(f"{path.name} row 1", col, col, f"one of the columns {', '.join(required + optional)}")
            )
    for col in required:
        if col not in header:
            issues.append(Issue(f"{path.name} row 1", col, None, "this required column"))
    rows = [
        _Row(f"{path.name} row {number}", dict(zip(header, cells, strict=False)), issues)
        for number, cells in enumerate(reader, start=2)
        if any(c.strip() for c in cells)
    ]
    return _checked(name, rows)


def _checked(name: str, rows: list[_Row]) -> list[_Row]:
    """Every required cell filled and every id used once in the table."""
    required, _ = FILES[name]
    seen: set[str] = set()
    for row in rows:
        for col in required:
            if not row.text(col):
                row.bad(col, "a value (required)")
        if row.text("id") in seen:
            row.bad("id", "an id not used earlier in the file")
        seen.add(row.text("id"))
    return rows


def _build(row: _Row, make: Callable[..., T], *args: Any) -> T | None:
    """The record, or None with its own checks turned into issues at this row."""
    try:
        return make(*args)
    except InvalidInput as exc:
        row.issues += [Issue(row.where, i.field, i.value, i.expected) for i in exc.issues]
        return None


def read_water_problem(folder: Path, site_ids: set[str] | None = None) -> WaterProblem:
    """The water problem declared in ``folder``; ``site_ids`` (the dataset's sites) checks references."""
    folder = Path(folder)
    if folder.is_file():
        raise SymbiosisError(
            f"{folder}: the water tables are read from a dataset folder of CSV files "
            "(water_sources.csv, water_operations.csv, water_treatments.csv), not from a workbook"
        )
    issues: list[Issue] = []
    tables = {name: _rows(folder, name, issues) for name in FILES}
    return _problem(tables, site_ids, issues, f"water tables of {folder}", f"{folder} declares")


def water_problem_from_records(tables: dict[str, list[dict[str, str]]]) -> WaterProblem:
    """The water problem of tables sent as records (the API's JSON body): one dict of cells per
    row, keyed by the CSV columns; issues name the table and the row's index, e.g.
    ``water_operations[2]``. Site ids are not checked against a dataset (there is none)."""
    issues: list[Issue] = []
    rows: dict[str, list[_Row]] = {}
    for name in FILES:
        rows[name] = _checked(
            name, [_Row(f"{name}[{i}]", cells, issues) for i, cells in enumerate(tables.get(name, []))]
        )
    return _problem(rows, None, issues, "water tables sent", "the request declares")


def _problem(
    tables: dict[str, list[_Row]], site_ids: set[str] | None, issues: list[Issue], what: str, who: str
) -> WaterProblem:
    """Build and check every record; all issues at once, nothing returned unless all is valid."""
    supplies: list[WaterSupply] = []
    for r in tables["water_sources"]:
        kinds = [k.value for k in WaterSource]
        if r.text("type").lower() not in kinds:
            r.bad("type", f"one of {', '.join(kinds)}")
            continue
        site = r.text("site_id") or None
        if site is not None and site_ids is not None and site not in site_ids:
            r.bad("site_id", "a site of sites.csv (or empty: any site may draw from it)")
        s = _build(
            r,
            WaterSupply,
            r.text("id"),
            r.text("name"),
            WaterSource(r.text("type").lower()),
            r.number("price_eur_per_m3", 0.0),
            r.number("co2_kg_per_m3", 0.0),
            r.flow_m3_per_h("max_quantity"),
            site,
            r.pairs("contaminants_mg_per_l"),
        )
        if s is not None:
            supplies.append(s)
    ops: list[Operation] = []
    for r in tables["water_operations"]:
        r.check_site(site_ids)
        kind = r.text("kind").lower()
        op: Operation | None
        head = (r.text("id"), r.text("site_id"), r.text("name"))
        if kind == "fixed_load":
            op = _build(
                r,
                FixedLoadOperation,
                *head,
                r.pairs("loads_kg_per_h"),
                r.pairs("max_inlet_mg_per_l"),
                r.pairs("max_outlet_mg_per_l"),
                r.flow_m3_per_h("loss_quantity") or 0.0,
                r.profile(),
            )
        elif kind == "fixed_flow":
            op = _build(
                r,
                FixedFlowOperation,
                *head,
                r.flow_m3_per_h("inlet_quantity") or 0.0,
                r.flow_m3_per_h("outlet_quantity") or 0.0,
                r.pairs("max_inlet_mg_per_l"),
                r.pairs("outlet_mg_per_l"),
                r.profile(),
            )
        else:
            r.bad(
                "kind",
                "'fixed_load' (a contaminant load, flow free) or 'fixed_flow' (fixed inlet/outlet flows)",
            )
            continue
        if op is not None:
            ops.append(op)
    treatments: list[TreatmentUnit] = []
    for r in tables["water_treatments"]:
        r.check_site(site_ids)
        shared = r.text("shared").lower()
        if shared not in ("", "true", "false"):
            r.bad("shared", "'true' or 'false'")
        t = _build(
            r,
            TreatmentUnit,
            r.text("id"),
            r.text("site_id"),
            r.text("name"),
            r.pairs("outlet_mg_per_l"),
            r.pairs("removal_ratio", 1.0),
            r.number("cost_eur_per_m3", 0.0),
            r.number("energy_kwh_per_m3", 0.0),
            r.number("electricity_co2_kg_per_kwh", 0.0),
            r.flow_m3_per_h("max_quantity"),
            shared == "true",
            r.text("source"),
        )
        if t is not None:
            treatments.append(t)
    if issues:
        raise InvalidInput(issues, what)
    if not ops:
        raise SymbiosisError(f"{who} no water operations: add water_operations (docs/DATA_FORMAT.md)")
    return WaterProblem(tuple(ops), tuple(supplies), tuple(treatments))
