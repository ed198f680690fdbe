"""Offers and needs of shareable things, and reading them from a dataset, validated whole.

An **offer** is an asset (or a person's time) a firm or a public body makes available: its
category, capacity (in the category's unit), the weekly hours it is free, the months and dates
it is valid, the price asked per unit and hour. A **need** is the mirror: capacity wanted, weekly
hours, months and dates, the budget per unit and hour, and how far its users will travel.
Both carry the confidentiality levels of flows (`symbiosis.domain.enums.Confidentiality`).

Files, beside a dataset's ``sites.csv`` (docs/DATA_FORMAT.md, "Sharing"): ``sharing_offers.csv``
and ``sharing_needs.csv``. Nothing is returned unless every row of both is valid.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from symbiosis.dataset_io import decode_text, format_cell, read_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import Confidentiality
from symbiosis.errors import InvalidInput, Issue
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.sharing.categories import Category, Travel, load_categories, load_travel
from symbiosis.sharing.slots import HOURS_PER_WEEK, SlotError, parse_slots

OFFERS_FILE = "sharing_offers.csv"
NEEDS_FILE = "sharing_needs.csv"
COMMON = ("id", "site_id", "category", "capacity", "slots", "months", "valid_from", "valid_to",
          "recurring", "max_distance_km", "confidentiality", "is_estimate", "source", "note")  # fmt: skip
OFFER_COLUMNS = (*COMMON, "name", "used_slots", "price_eur_per_unit_h")
NEED_COLUMNS = (*COMMON, "budget_eur_per_unit_h")
REQUIRED = ("id", "site_id", "category", "capacity", "slots")
ALL_MONTHS = (1 << 12) - 1


@dataclass(frozen=True, kw_only=True)
class Shared:
    """What an offer and a need both declare."""

    id: str
    site_id: str
    category: str
    capacity: float  # in the category's capacity unit
    months: int  # 12-bit mask, bit 0 = January
    valid_from: date | None
    valid_to: date | None
    recurring: bool
    max_distance_km: float  # offers: inf when the owner sets no limit
    confidentiality: Confidentiality
    is_estimate: bool
    source: str | None


@dataclass(frozen=True, kw_only=True)
class Offer(Shared):
    name: str
    free: np.ndarray = field(repr=False)  # (168,) bool: hours the asset is offered
    used: np.ndarray = field(repr=False)  # (168,) bool: hours its owner uses it (occupancy before);
    # may overlap `free` when the owner keeps part of the capacity and offers the rest
    price_eur_per_unit_h: float

    @property
    def weekly(self) -> np.ndarray:
        """The hours that count in matching: those offered."""
        return self.free

    @property
    def unit_price_eur_per_h(self) -> float:
        return self.price_eur_per_unit_h


@dataclass(frozen=True, kw_only=True)
class Need(Shared):
    hours: np.ndarray = field(repr=False)  # (168,) bool: hours the need asks for
    budget_eur_per_unit_h: float  # inf: no budget given

    @property
    def weekly(self) -> np.ndarray:
        """The hours that count in matching: those needed."""
        return self.hours

    @property
    def unit_price_eur_per_h(self) -> float:
        return self.budget_eur_per_unit_h


@dataclass(frozen=True)
class SharingData:
    """A territory's sites plus its offers and needs, and the knowledge they are read against."""

    dataset: Dataset
    offers: list[Offer]
    needs: list[Need]
    categories: dict[str, Category]
    travel: Travel

    def site_names(self) -> dict[str, str]:
        return {s.id: s.name for s in self.dataset.sites}


DEFAULT_NEED_DISTANCE_KM = 15.0


def parse_months(text: str) -> int:
    """'' → all months; '1-12', '9-6' (September to June, wrapping), '7;8' → a 12-bit mask."""
    text = (text or "").strip()
    if not text:
        return ALL_MONTHS
    mask = 0
    for part in (p.strip() for p in text.split(";") if p.strip()):
        ends = [e.strip() for e in part.replace("–", "-").split("-")]
        if len(ends) > 2 or not all(e.isdigit() and 1 <= int(e) <= 12 for e in ends):
            raise ValueError(f"{part!r}: months are 1–12, as '9-6' or '7;8'")
        a, b = int(ends[0]), int(ends[-1])
        months = range(a, b + 1) if b >= a else [*range(a, 13), *range(1, b + 1)]
        for mth in months:
            mask |= 1 << (mth - 1)
    return mask


class _RowReader:
    """Reads one row's cells, collecting every problem as an `Issue` instead of stopping."""

    def __init__(self, where: str, cells: dict[str, str], issues: list[Issue]) -> None:
        self.where, self.cells, self.issues = where, cells, issues

    def text(self, name: str) -> str:
        return (self.cells.get(name) or "").strip()

    def bad(self, name: str, value: object, expected: str) -> None:
        self.issues.append(Issue(self.where, name, value, expected))

    def number(self, name: str, default: float, *, positive: bool = False) -> float:
        raw = self.text(name)
        if not raw:
            if math.isnan(default):
                self.bad(name, raw, "a number (required)")
            return default
        try:
            value = float(raw.replace(",", ".")) if raw.count(",") == 1 and "." not in raw else float(raw)
        except ValueError:
            self.bad(name, raw, "a number")
            return default
        if not math.isfinite(value) or (value <= 0 if positive else value < 0):
            self.bad(name, raw, "a number > 0" if positive else "a number ≥ 0")
        return value

    def slots(self, name: str) -> np.ndarray:
        raw = self.text(name)
        try:
            return parse_slots(raw)
        except SlotError as exc:  # the message names the part at fault; the whole value is shown anyway
            self.bad(name, raw, str(exc).removeprefix(f"{raw!r}: "))
            return np.zeros(HOURS_PER_WEEK, dtype=bool)

    def day(self, name: str) -> date | None:
        raw = self.text(name)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.bad(name, raw, "a date YYYY-MM-DD")
            return None

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.text(name).lower()
        if not raw:
            return default
        if raw not in ("true", "false", "1", "0", "oui", "non", "yes", "no"):
            self.bad(name, raw, "true or false")
        return raw in ("true", "1", "oui", "yes")


def _table(path: Path, columns: tuple[str, ...], issues: list[Issue]) -> list[tuple[str, dict[str, str]]]:
    """The rows of a sharing CSV (none when the file is absent), header checked."""
    if not path.is_file():
        return []
    reader = csv.reader(io.StringIO(decode_text(path.read_bytes(), path.name), newline=""))
    return _checked_rows(path.name, reader, columns, issues)


def _sheet(
    workbook: Path, file_name: str, columns: tuple[str, ...], issues: list[Issue]
) -> list[tuple[str, dict[str, str]]]:
    """The rows of the sheet named like the CSV without ``.csv`` (``sharing_offers``) of a dataset
    workbook — the way `read_dataset` reads the other tables from an .xlsx (none when absent)."""
    from openpyxl import load_workbook

    name = file_name.removesuffix(".csv")
    book = load_workbook(workbook, read_only=True, data_only=True)
    try:
        if name not in book.sheetnames:
            return []
        rows = ([format_cell(v) for v in values] for values in book[name].iter_rows(values_only=True))
        return _checked_rows(f"{workbook.name} sheet {name}", rows, columns, issues)
    finally:
        book.close()


def _checked_rows(
    label: str, rows: Iterator[list[str]], columns: tuple[str, ...], issues: list[Issue]
) -> list[tuple[str, dict[str, str]]]:
    header = [h.strip() for h in next(rows, [])]
    while header and not header[-1]:  # a sheet's trailing empty header cells
        header.pop()
    for name in header:
        if name not in columns:
            issues.append(Issue(f"{label} row 1", name, name, f"a column of {', '.join(columns)}"))
    for name in REQUIRED:
        if name not in header:
            issues.append(Issue(f"{label} row 1", name, None, "a required column"))
    out = []
    for n, cells in enumerate(rows, start=2):
        if any(c.strip() for c in cells):
            out.append((f"{label} row {n}", dict(zip(header, cells, strict=False))))
    return out


def _common(r: _RowReader, sites: set[str], categories: dict[str, Category], seen: set[str]) -> dict:
    ident = r.text("id")
    if not ident:
        r.bad("id", ident, "a non-empty id")
    elif ident in seen:
        r.bad("id", ident, "an id not used by another row of this file")
    seen.add(ident)
    site = r.text("site_id")
    if site not in sites:
        r.bad("site_id", site, "the id of a site of sites.csv")
    category = r.text("category")
    if category not in categories:
        r.bad("category", category, f"a category of sharing_categories.csv ({', '.join(sorted(categories))})")
    try:
        months = parse_months(r.text("months"))
    except ValueError as exc:
        r.bad("months", r.text("months"), str(exc))
        months = ALL_MONTHS
    start, end = r.day("valid_from"), r.day("valid_to")
    if start and end and end < start:
        r.bad("valid_to", end.isoformat(), f"a date on or after valid_from ({start.isoformat()})")
    recurring = r.boolean("recurring", True)
    if not recurring and (start is None or end is None):
        r.bad("recurring", "false", "a one-off (recurring = false) needs valid_from and valid_to")
    level = r.text("confidentiality") or Confidentiality.AGENCY.value
    if level not in {c.value for c in Confidentiality}:
        r.bad("confidentiality", level, "public, agency or private")
        level = Confidentiality.AGENCY.value
    return dict(
        id=ident, site_id=site, category=category, capacity=r.number("capacity", float("nan"), positive=True),
        months=months, valid_from=start, valid_to=end, recurring=recurring,
        confidentiality=Confidentiality(level), is_estimate=r.boolean("is_estimate", False),
        source=r.text("source") or None,
    )  # fmt: skip


def parse_offer(
    where: str,
    cells: dict[str, str],
    sites: set[str],
    categories: dict[str, Category],
    seen: set[str],
    issues: list[Issue],
) -> Offer:
    """One offer from its cells (a CSV row, or an API body as text); problems go to ``issues``."""
    r = _RowReader(where, cells, issues)
    common = _common(r, sites, categories, seen)
    free = r.slots("slots")
    cat = categories.get(common["category"])
    return Offer(
        **common, name=r.text("name") or common["id"], free=free,
        used=r.slots("used_slots") if r.text("used_slots") else ~free,
        price_eur_per_unit_h=r.number("price_eur_per_unit_h", cat.price_eur_per_unit_h if cat else 0.0),
        max_distance_km=r.number("max_distance_km", float("inf"), positive=True),
    )  # fmt: skip


def parse_need(
    where: str,
    cells: dict[str, str],
    sites: set[str],
    categories: dict[str, Category],
    seen: set[str],
    issues: list[Issue],
) -> Need:
    """One need from its cells; problems go to ``issues``."""
    r = _RowReader(where, cells, issues)
    common = _common(r, sites, categories, seen)
    return Need(
        **common, hours=r.slots("slots"),
        budget_eur_per_unit_h=r.number("budget_eur_per_unit_h", float("inf")),
        max_distance_km=r.number("max_distance_km", DEFAULT_NEED_DISTANCE_KM, positive=True),
    )  # fmt: skip


def read_sharing(path: Path, kb: KnowledgeBase, knowledge_folder: Path | None = None) -> SharingData:
    """The dataset at ``path`` with its offers and needs; `InvalidInput` lists every bad row."""
    path = Path(path)
    dataset = read_dataset(path, kb)
    categories, travel = load_categories(knowledge_folder), load_travel(knowledge_folder)
    sites = {s.id for s in dataset.sites}
    issues: list[Issue] = []
    seen: set[str] = set()

    def rows(file_name: str, columns: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
        if path.suffix.lower() == ".xlsx":  # a workbook: sheets sharing_offers and sharing_needs
            return _sheet(path, file_name, columns, issues)
        return _table(path / file_name, columns, issues)

    offers = [
        parse_offer(where, cells, sites, categories, seen, issues)
        for where, cells in rows(OFFERS_FILE, OFFER_COLUMNS)
    ]
    seen = set()
    needs = [
        parse_need(where, cells, sites, categories, seen, issues)
        for where, cells in rows(NEEDS_FILE, NEED_COLUMNS)
    ]
    if issues:
        raise InvalidInput(issues, f"sharing data in {path}")
    return SharingData(dataset, offers, needs, categories, travel)
