"""Seeded synthetic offers and needs for a (synthetic) dataset's sites, and writing them as CSV.

`symbiosis generate --sharing` adds them to a generated national dataset: about half of the
sites offer something they own (a room in the evening, a warehouse at weekends, a forklift at
lunchtime…), most declare a need, and needs are drawn so that many fit an offer of their activity
zone — the way a territory's sharing looks once an agency has surveyed it. Same seed, same files.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import Confidentiality
from symbiosis.sharing.categories import Category
from symbiosis.sharing.records import (
    ALL_MONTHS,
    NEED_COLUMNS,
    NEEDS_FILE,
    OFFER_COLUMNS,
    OFFERS_FILE,
    Need,
    Offer,
)
from symbiosis.sharing.slots import HOURS_PER_WEEK, runs

# weekly windows an owner frees its asset in: (first hour of the week, length in hours, repeat on days)
OFFER_WINDOWS = ((18, 14, 5), (0, 8, 5), (120, 48, 1), (12, 2, 5), (8, 10, 5))
CAPACITY_RANGE = {  # what one offer holds, by capacity unit
    "m2": (50, 1500), "seat": (10, 150), "desk": (2, 20), "pallet_place": (10, 100), "space": (10, 80),
    "machine": (1, 2), "vehicle": (1, 3), "person": (1, 2), "cradle": (2, 10),
}  # fmt: skip


def _window(rng: np.random.Generator) -> np.ndarray:
    start, length, days = OFFER_WINDOWS[int(rng.integers(0, len(OFFER_WINDOWS)))]
    mask = np.zeros(HOURS_PER_WEEK, dtype=bool)
    for d in range(days):
        mask[(start + 24 * d + np.arange(length)) % HOURS_PER_WEEK] = True
    return mask


def synthetic_sharing(
    dataset: Dataset, categories: dict[str, Category], seed: int
) -> tuple[list[Offer], list[Need]]:
    """Offers on ~half the sites, needs on ~70 %; a need's hours lie inside a window of its kind."""
    rng = np.random.default_rng(seed)
    codes = sorted(categories)
    offers: list[Offer] = []
    needs: list[Need] = []
    for site in dataset.sites:
        if rng.random() < 0.5:
            cat = categories[codes[int(rng.integers(0, len(codes)))]]
            lo, hi = CAPACITY_RANGE[cat.capacity_unit]
            free = _window(rng)
            offers.append(Offer(
                id=f"of_{site.id}", site_id=site.id, category=cat.code, name=f"{cat.name_fr} — {site.name}",
                capacity=float(rng.integers(lo, hi + 1)), free=free, used=~free,
                months=ALL_MONTHS if rng.random() < 0.85 else 0b001111111100, valid_from=None, valid_to=None,
                recurring=True,
                price_eur_per_unit_h=round(cat.price_eur_per_unit_h * rng.uniform(0.4, 1.0), 4),
                max_distance_km=math.inf, confidentiality=Confidentiality.AGENCY, is_estimate=True,
                source="synthetic (symbiosis generate --sharing)",
            ))  # fmt: skip
        if rng.random() < 0.7:
            cat = categories[codes[int(rng.integers(0, len(codes)))]]
            lo, hi = CAPACITY_RANGE[cat.capacity_unit]
            window = _window(rng)
            hours = np.zeros(HOURS_PER_WEEK, dtype=bool)
            start, length = runs(window)[int(rng.integers(0, len(runs(window))))]
            take = int(rng.integers(1, min(length, 6) + 1))
            hours[(start + int(rng.integers(0, length - take + 1)) + np.arange(take)) % HOURS_PER_WEEK] = True
            needs.append(Need(
                id=f"nd_{site.id}", site_id=site.id, category=cat.code,
                capacity=float(max(lo, int(rng.integers(lo, hi + 1)) // 2)), hours=hours,
                months=ALL_MONTHS, valid_from=None, valid_to=None, recurring=True,
                budget_eur_per_unit_h=(
                    math.inf if rng.random() < 0.5 else round(cat.price_eur_per_unit_h * 1.2, 4)
                ),
                max_distance_km=float(rng.choice([5.0, 10.0, 20.0])), confidentiality=Confidentiality.AGENCY,
                is_estimate=True, source="synthetic (symbiosis generate --sharing)",
            ))  # fmt: skip
    return offers, needs


def slots_text(mask: np.ndarray) -> str:
    """Half-open slot ranges ``a-b`` (a run across the week's end as two), `parse_slots`' format."""
    parts = []
    for start, length in sorted(runs(mask)):
        end = start + length
        if end <= HOURS_PER_WEEK:
            parts.append(f"{start}-{end}")
        else:
            parts += [f"{start}-{HOURS_PER_WEEK}", f"0-{end - HOURS_PER_WEEK}"]
    return ";".join(parts)


def _months_text(mask: int) -> str:
    return "" if mask == ALL_MONTHS else ";".join(str(m + 1) for m in range(12) if mask >> m & 1)


def _number(x: float) -> str:
    return "" if not math.isfinite(x) else f"{x:g}"


def write_sharing(offers: list[Offer], needs: list[Need], folder: Path) -> None:
    """``sharing_offers.csv`` and ``sharing_needs.csv`` in ``folder`` (docs/DATA_FORMAT.md)."""
    folder.mkdir(parents=True, exist_ok=True)

    def common(r: Offer | Need) -> dict[str, str]:
        return {
            "id": r.id, "site_id": r.site_id, "category": r.category, "capacity": _number(r.capacity),
            "months": _months_text(r.months), "valid_from": r.valid_from.isoformat() if r.valid_from else "",
            "valid_to": r.valid_to.isoformat() if r.valid_to else "", "recurring": str(r.recurring).lower(),
            "max_distance_km": _number(r.max_distance_km), "confidentiality": r.confidentiality.value,
            "is_estimate": str(r.is_estimate).lower(), "source": r.source or "", "note": "",
        }  # fmt: skip

    with (folder / OFFERS_FILE).open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=OFFER_COLUMNS)
        w.writeheader()
        for o in offers:
            w.writerow(
                common(o)
                | {"slots": slots_text(o.free), "used_slots": slots_text(o.used), "name": o.name}
                | {"price_eur_per_unit_h": _number(o.price_eur_per_unit_h)}
            )
    with (folder / NEEDS_FILE).open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=NEED_COLUMNS)
        w.writeheader()
        for n in needs:
            w.writerow(
                common(n)
                | {"slots": slots_text(n.hours), "budget_eur_per_unit_h": _number(n.budget_eur_per_unit_h)}
            )
