"""Categories of shareable things (spaces, equipment, services, skills) and travel figures.

Read from ``datasets/knowledge/sharing_categories.csv`` and ``sharing_travel.csv``. Each category
says in which unit capacity is counted (m², seats, pallet places, machines, persons…), the
typical market price per unit and hour — what a user pays when it does *not* share, hence the cost
sharing avoids — and the embodied carbon of the asset a user would otherwise build or buy, spread
over its lifetime and the hours a dedicated asset is used (docs/SHARING.md, "CO2 avoided").
Every row needs its sources; a figure not taken from a publication says ``estimate``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from symbiosis.errors import InvalidInput, Issue

CATEGORIES_FILE = "sharing_categories.csv"
TRAVEL_FILE = "sharing_travel.csv"
KINDS = ("space", "equipment", "service", "skill")
UNITS = ("m2", "seat", "desk", "pallet_place", "space", "machine", "vehicle", "person", "cradle")
UNIT_LABELS_FR = {
    "m2": "m²",
    "seat": "places",
    "desk": "postes",
    "pallet_place": "places palettes",
    "space": "places de parking",
    "machine": "machines",
    "vehicle": "véhicules",
    "person": "personnes",
    "cradle": "berceaux",
}
UNIT_LABELS_EN = {
    "m2": "m²",
    "seat": "seats",
    "desk": "desks",
    "pallet_place": "pallet places",
    "space": "parking spaces",
    "machine": "machines",
    "vehicle": "vehicles",
    "person": "persons",
    "cradle": "cradles",
}


@dataclass(frozen=True)
class Category:
    code: str
    kind: str
    name_fr: str
    name_en: str
    capacity_unit: str
    price_eur_per_unit_h: float  # market price of one capacity unit for one hour
    embodied_kg_co2e_per_unit: float  # building or making one unit of a dedicated asset
    lifetime_yr: float
    dedicated_use_h_per_week: float  # hours a week a dedicated asset would serve its owner
    is_estimate: bool

    def name(self, lang: str = "fr") -> str:
        return self.name_fr if lang == "fr" else self.name_en

    def unit_label(self, lang: str = "fr") -> str:
        return (UNIT_LABELS_FR if lang == "fr" else UNIT_LABELS_EN)[self.capacity_unit]

    @property
    def co2_kg_per_unit_yr(self) -> float:
        """Embodied carbon of one unit of a dedicated asset, per year of its life."""
        return self.embodied_kg_co2e_per_unit / self.lifetime_yr


@dataclass(frozen=True)
class Travel:
    """Going to a shared asset (or a shared person coming over): per road km, one way."""

    car_cost_eur_per_km: float
    car_co2_kg_per_km: float
    road_detour_factor: float


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise InvalidInput([Issue(str(path), "(file)", None, "the file is required")], "sharing knowledge")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(enumerate(csv.DictReader(fh), start=2))


def _number(
    issues: list[Issue], where: str, row: dict[str, str], field: str, minimum: float, strict: bool
) -> float:
    raw = (row.get(field) or "").strip()
    expected = f"a number {'>' if strict else '≥'} {minimum:g}"
    try:
        value = float(raw)
    except ValueError:
        issues.append(Issue(where, field, raw, expected))
        return float("nan")
    if not (value > minimum if strict else value >= minimum):
        issues.append(Issue(where, field, raw, expected))
    return value


def _knowledge_folder(folder: Path | None) -> Path:
    from symbiosis.settings import get_settings

    return folder or get_settings().datasets_dir / "knowledge"


def load_categories(folder: Path | None = None) -> dict[str, Category]:
    """{code: category}; every problem of the file is reported at once."""
    issues: list[Issue] = []
    out: dict[str, Category] = {}
    for n, row in _rows(_knowledge_folder(folder) / CATEGORIES_FILE):
        where = f"{CATEGORIES_FILE} row {n}"
        code = (row.get("code") or "").strip()
        if not code or code in out:
            issues.append(Issue(where, "code", code, "a unique, non-empty category code"))
        kind, unit = (row.get("kind") or "").strip(), (row.get("capacity_unit") or "").strip()
        if kind not in KINDS:
            issues.append(Issue(where, "kind", kind, f"one of {', '.join(KINDS)}"))
        if unit not in UNITS:
            issues.append(Issue(where, "capacity_unit", unit, f"one of {', '.join(UNITS)}"))
        for field in ("price_source", "co2_source"):
            if len((row.get(field) or "").strip()) < 3:
                issues.append(Issue(where, field, row.get(field), "a source (or 'estimate: …') is required"))
        estimate = (row.get("is_estimate") or "").strip().lower()
        if estimate not in ("true", "false"):
            issues.append(Issue(where, "is_estimate", estimate, "true or false"))
        out[code] = Category(
            code=code,
            kind=kind,
            name_fr=(row.get("name_fr") or code).strip(),
            name_en=(row.get("name_en") or code).strip(),
            capacity_unit=unit,
            price_eur_per_unit_h=_number(issues, where, row, "price_eur_per_unit_h", 0.0, strict=False),
            embodied_kg_co2e_per_unit=_number(
                issues, where, row, "embodied_kg_co2e_per_unit", 0.0, strict=False
            ),
            lifetime_yr=_number(issues, where, row, "lifetime_yr", 0.0, strict=True),
            dedicated_use_h_per_week=_number(
                issues, where, row, "dedicated_use_h_per_week", 0.0, strict=True
            ),
            is_estimate=estimate == "true",
        )
        if out[code].dedicated_use_h_per_week > 168:
            issues.append(
                Issue(where, "dedicated_use_h_per_week", out[code].dedicated_use_h_per_week, "at most 168")
            )
    if issues:
        raise InvalidInput(issues, "sharing categories")
    return out


def load_travel(folder: Path | None = None) -> Travel:
    issues: list[Issue] = []
    values: dict[str, float] = {}
    for n, row in _rows(_knowledge_folder(folder) / TRAVEL_FILE):
        where = f"{TRAVEL_FILE} row {n}"
        if len((row.get("source") or "").strip()) < 3:
            issues.append(Issue(where, "source", row.get("source"), "a source is required"))
        values[(row.get("key") or "").strip()] = _number(issues, where, row, "value", 0.0, strict=False)
    for key in ("car_cost_eur_per_km", "car_co2_kg_per_km", "road_detour_factor"):
        if key not in values:
            issues.append(Issue(TRAVEL_FILE, "key", key, "a row with this key"))
    if issues:
        raise InvalidInput(issues, "sharing travel figures")
    return Travel(values["car_cost_eur_per_km"], values["car_co2_kg_per_km"], values["road_detour_factor"])
