"""Contract terms of a pooled stream: truck, collection frequency, fixed cost, volume price breaks.

Read from ``datasets/knowledge/pooling_streams.csv`` and ``pooling_price_tiers.csv``; every row
needs a ``source``. Prices are *all-units* tiers (the tier reached by the contract's yearly
tonnage prices every tonne), which is how collectors and suppliers quote volume breaks.
"""

from __future__ import annotations

import bisect
import csv
from dataclasses import dataclass
from pathlib import Path

from symbiosis.errors import InvalidInput, Issue
from symbiosis.knowledge.base import KnowledgeBase

STREAMS_FILE = "pooling_streams.csv"
TIERS_FILE = "pooling_price_tiers.csv"
SIDES = ("collection", "purchase")
# truck.csv prices road haulage per t·km for a ~20 t average payload (its source column); a pooled
# tour is priced per vehicle-km, so the same truck's vehicle-km cost is that rate × 20 t.
TRUCK_REFERENCE_PAYLOAD_T = 20.0


@dataclass(frozen=True)
class PriceTier:
    min_t_per_yr: float
    price_eur_per_t: float


@dataclass(frozen=True)
class StreamTerms:
    """What one contract for one resource looks like (side: collection of a waste, or purchase)."""

    resource_code: str
    side: str
    vehicle_capacity_t: float
    min_pickups_per_month: int
    pool_fixed_cost_eur_per_yr: float
    tiers: tuple[PriceTier, ...]  # sorted by min_t_per_yr, the first at 0

    def price_eur_per_t(self, volume_t_per_yr: float) -> float:
        """All-units price: the highest tier whose threshold the yearly volume reaches."""
        mins = [t.min_t_per_yr for t in self.tiers]
        k = bisect.bisect_right(mins, volume_t_per_yr) - 1
        return self.tiers[max(k, 0)].price_eur_per_t

    def contract_price_eur_per_yr(self, volume_t_per_yr: float) -> float:
        return self.price_eur_per_t(volume_t_per_yr) * volume_t_per_yr


@dataclass(frozen=True)
class Vehicle:
    """Per vehicle-km figures derived from the knowledge base's truck row (road distance)."""

    cost_eur_per_km: float
    co2_kg_per_km: float
    road_detour_factor: float

    @classmethod
    def from_knowledge(cls, kb: KnowledgeBase) -> Vehicle:
        t = kb.truck
        return cls(
            cost_eur_per_km=t.cost_eur_per_t_km * TRUCK_REFERENCE_PAYLOAD_T,
            co2_kg_per_km=t.co2_kg_per_t_km * TRUCK_REFERENCE_PAYLOAD_T,
            road_detour_factor=t.road_detour_factor,
        )


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise InvalidInput([Issue(str(path), "(file)", None, "the file is required")], "pooling terms")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [(n, row) for n, row in enumerate(csv.DictReader(fh), start=2)]


def _number(issues: list[Issue], where: str, row: dict[str, str], field: str, *, minimum: float) -> float:
    raw = (row.get(field) or "").strip()
    try:
        value = float(raw)
    except ValueError:
        issues.append(Issue(where, field, raw, f"a number ≥ {minimum:g}"))
        return float("nan")
    if not value >= minimum:
        issues.append(Issue(where, field, raw, f"a number ≥ {minimum:g}"))
    return value


def load_terms(kb: KnowledgeBase, folder: Path | None = None) -> dict[tuple[str, str], StreamTerms]:
    """{(resource_code, side): terms}; every problem in both files is reported at once."""
    from symbiosis.settings import get_settings

    folder = folder or get_settings().datasets_dir / "knowledge"
    issues: list[Issue] = []
    tiers: dict[tuple[str, str], list[PriceTier]] = {}
    for n, row in _rows(folder / TIERS_FILE):
        where = f"{TIERS_FILE} row {n}"
        key = ((row.get("resource_code") or "").strip(), (row.get("side") or "").strip())
        if len((row.get("source") or "").strip()) < 3:
            issues.append(Issue(where, "source", row.get("source"), "a source is required"))
        tier = PriceTier(
            _number(issues, where, row, "min_t_per_yr", minimum=0.0),
            _number(issues, where, row, "price_eur_per_t", minimum=-1e9),
        )
        tiers.setdefault(key, []).append(tier)
    out: dict[tuple[str, str], StreamTerms] = {}
    for n, row in _rows(folder / STREAMS_FILE):
        where = f"{STREAMS_FILE} row {n}"
        code, side = (row.get("resource_code") or "").strip(), (row.get("side") or "").strip()
        if code not in kb.resources:
            issues.append(Issue(where, "resource_code", code, "a resource code of resources.csv"))
        elif kb.resources[code].canonical_unit.value != "t":
            issues.append(Issue(where, "resource_code", code, "a resource counted in t (trucked)"))
        if side not in SIDES:
            issues.append(Issue(where, "side", side, "'collection' or 'purchase'"))
        if len((row.get("source") or "").strip()) < 3:
            issues.append(Issue(where, "source", row.get("source"), "a source is required"))
        cap = _number(issues, where, row, "vehicle_capacity_t", minimum=1e-6)
        pickups = _number(issues, where, row, "min_pickups_per_month", minimum=1)
        fixed = _number(issues, where, row, "pool_fixed_cost_eur_per_yr", minimum=0.0)
        own = sorted(tiers.pop((code, side), []), key=lambda t: t.min_t_per_yr)
        if not own or own[0].min_t_per_yr != 0:
            issues.append(Issue(where, "resource_code", code, f"a price tier from 0 t/yr in {TIERS_FILE}"))
        elif len({t.min_t_per_yr for t in own}) != len(own):
            issues.append(Issue(where, "resource_code", code, f"distinct tier thresholds in {TIERS_FILE}"))
        if pickups == pickups and pickups != int(pickups):
            issues.append(Issue(where, "min_pickups_per_month", pickups, "a whole number ≥ 1"))
        out[(code, side)] = StreamTerms(
            code, side, cap, int(pickups) if pickups == pickups else 1, fixed, tuple(own)
        )
    for code, side in tiers:
        issues.append(Issue(TIERS_FILE, "resource_code", f"{code}/{side}", f"a row in {STREAMS_FILE}"))
    if issues:
        raise InvalidInput(issues, "pooling terms")
    return out
