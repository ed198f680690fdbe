"""Matching needs to offers: category, capacity, hours, dates, distance, price — all vectorised.

Why this shape: a territory-wide run (10^5 offers × 10^5 needs) cannot look at 10^10 pairs. Pairs
are generated per category by a k-d tree over the offers' positions within each need's reach
(×1.5, to find near-misses too); every test on the candidate pairs is then one numpy expression:
weekly hours with packed 64-bit words (`slots`), active days with per-month cumulative day counts
of the year, distance by haversine. A pair **fits** when every test passes; it is a **near-miss**
when exactly one fails within a band a facilitator could negotiate (half the capacity or hours or
days, 1.5× the distance or the budget). Money and CO2 are per year over the chosen year
(docs/SHARING.md):

* unit-hours = need capacity × need hours per week × weeks the pair is active;
* cost avoided = category market price × unit-hours (what the user would pay elsewhere);
* user's saving = (market price − asked price) × unit-hours − travel; owner's income = asked price
  × unit-hours (an idle asset earns);
* CO2 avoided = the dedicated asset not built or bought: capacity × min(1, hours / hours a
  dedicated asset serves) × embodied CO2 per unit-year × active share of the year − travel CO2;
* travel = 2 × distance × detour factor × (runs of hours per week) × weeks, by car.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.spatial import cKDTree

from symbiosis.sharing.categories import Category, Travel
from symbiosis.sharing.records import Need, Offer, SharingData
from symbiosis.sharing.slots import HOURS_PER_WEEK, describe, pack, popcount

EARTH_RADIUS_KM = 6371.0088
NEAR_FACTOR = 1.5  # distance and budget: up to 1.5× the limit is a near-miss
NEAR_SHARE = 0.5  # capacity, hours, days: at least half of what is needed is a near-miss


# failed tests, one bit each; a near-miss has exactly one bit set
CAPACITY, HOURS, DAYS, DISTANCE, PRICE = 1, 2, 4, 8, 16


@dataclass
class Side:
    """One side's arrays (offers or needs), in the input order."""

    category: np.ndarray  # int: index into the category list
    capacity: np.ndarray
    words: np.ndarray  # (n, 3) uint64 packed weekly hours (offers: free; needs: wanted)
    months: np.ndarray  # int 12-bit masks
    first_day: np.ndarray  # day of the year (0-based), inclusive
    last_day: np.ndarray  # inclusive; < first_day when the record is not valid in the year
    price: np.ndarray  # offers: asked €/unit·h; needs: budget €/unit·h (inf: none)
    max_km: np.ndarray
    lat: np.ndarray
    lon: np.ndarray


@dataclass
class Matches:
    """Candidate pairs (fits and near-misses) as parallel arrays; rows sorted by need."""

    need: np.ndarray
    offer: np.ndarray
    failed: np.ndarray  # bitmask of failed tests (0 = fits)
    distance_km: np.ndarray
    missing_hours: np.ndarray  # need hours the offer does not have free, per week
    need_hours: np.ndarray
    pair_days: np.ndarray  # days of the year both are valid and in their months
    need_days: np.ndarray
    unit_hours_per_yr: np.ndarray
    cost_avoided_eur: np.ndarray
    user_saving_eur: np.ndarray
    owner_income_eur: np.ndarray
    travel_eur: np.ndarray
    co2_avoided_t: np.ndarray  # net of travel
    units_avoided: np.ndarray  # dedicated units (m², seats, machines…) not built or bought

    @property
    def fits(self) -> np.ndarray:
        return self.failed == 0

    def value_eur(self, carbon_price_eur_per_t: float) -> np.ndarray:
        """What a pair is worth a year: cost avoided − travel + carbon price × CO2 avoided."""
        return self.cost_avoided_eur - self.travel_eur + carbon_price_eur_per_t * self.co2_avoided_t

    def take(self, rows: np.ndarray) -> Matches:
        return Matches(**{k: v[rows] for k, v in self.__dict__.items()})


def year_calendar(year: int) -> np.ndarray:
    """(12, days + 1) cumulative counts: [m, d] = days before day d of the year that are in month m."""
    n_days = 366 if calendar.isleap(year) else 365
    month_of_day = np.repeat(np.arange(12), [calendar.monthrange(year, m + 1)[1] for m in range(12)])
    onehot = month_of_day[None, :] == np.arange(12)[:, None]
    return np.concatenate([np.zeros((12, 1), dtype=np.int64), np.cumsum(onehot, axis=1)], axis=1)[
        :, : n_days + 1
    ]


def days_between(cum: np.ndarray, first: np.ndarray, last: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Days in [first, last] (day-of-year, inclusive) whose month is in the 12-bit mask."""
    ok = last >= first
    a = np.where(ok, first, 0)
    b = np.where(ok, last + 1, 0)
    bits = (months[:, None] >> np.arange(12)[None, :]) & 1  # (n, 12)
    per_month = cum[:, b].T - cum[:, a].T  # (n, 12)
    return np.where(ok, (bits * per_month).sum(axis=1), 0)


def _day_range(start: date | None, end: date | None, year: int) -> tuple[int, int]:
    y0, y1 = date(year, 1, 1), date(year, 12, 31)
    s = max(start or y0, y0)
    e = min(end or y1, y1)
    return (s - y0).days, (e - y0).days  # last < first when outside the year


def side_arrays(records: Sequence[Offer | Need], data: SharingData, codes: list[str], year: int) -> Side:
    sites = {s.id: s for s in data.dataset.sites}
    index = {c: i for i, c in enumerate(codes)}
    hours = np.array([r.weekly for r in records], dtype=np.bool_).reshape(-1, HOURS_PER_WEEK)
    ranges = np.array([_day_range(r.valid_from, r.valid_to, year) for r in records], dtype=np.int64).reshape(
        -1, 2
    )
    return Side(
        category=np.array([index[r.category] for r in records], dtype=np.int64),
        capacity=np.array([r.capacity for r in records], dtype=np.float64),
        words=pack(hours),
        months=np.array([r.months for r in records], dtype=np.int64),
        first_day=ranges[:, 0], last_day=ranges[:, 1],
        price=np.array([r.unit_price_eur_per_h for r in records], dtype=np.float64),
        max_km=np.array([r.max_distance_km for r in records], dtype=np.float64),
        lat=np.array([sites[r.site_id].latitude_deg for r in records], dtype=np.float64),
        lon=np.array([sites[r.site_id].longitude_deg for r in records], dtype=np.float64),
    )  # fmt: skip


def _xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return EARTH_RADIUS_KM * np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def candidate_pairs(offers: Side, needs: Side, n_categories: int) -> tuple[np.ndarray, np.ndarray]:
    """(need, offer) index pairs of one category within 1.5× the need's reach (chord ≤ arc)."""
    need_parts, offer_parts = [], []
    for c in range(n_categories):
        o_idx = np.flatnonzero(offers.category == c)
        n_idx = np.flatnonzero(needs.category == c)
        if not len(o_idx) or not len(n_idx):
            continue
        tree = cKDTree(_xyz(offers.lat[o_idx], offers.lon[o_idx]))
        found = tree.query_ball_point(
            _xyz(needs.lat[n_idx], needs.lon[n_idx]), r=needs.max_km[n_idx] * NEAR_FACTOR, return_sorted=False
        )
        counts = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
        if counts.sum() == 0:
            continue
        need_parts.append(np.repeat(n_idx, counts))
        offer_parts.append(o_idx[np.concatenate([np.asarray(f, dtype=np.int64) for f in found if f])])
    if not need_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(need_parts), np.concatenate(offer_parts)


def _runs_per_week(words: np.ndarray) -> np.ndarray:
    """Separate runs of hours in each packed weekly pattern (trips a week), at least 1."""
    from symbiosis.sharing.slots import unpack

    hours = unpack(words)
    starts = hours & ~np.roll(hours, 1, axis=1)
    return np.maximum(starts.sum(axis=1), 1)


def match(data: SharingData, year: int) -> tuple[Matches, list[str]]:
    """Every fit and near-miss of the data's needs against its offers over ``year``."""
    codes = sorted(data.categories)
    offers = side_arrays(data.offers, data, codes, year)
    needs = side_arrays(data.needs, data, codes, year)
    return match_arrays(offers, needs, [data.categories[c] for c in codes], data.travel, year), codes


def match_arrays(offers: Side, needs: Side, categories: list[Category], travel: Travel, year: int) -> Matches:
    """The vectorised core of `match` (also used by the benchmark on generated arrays)."""
    ni, oi = candidate_pairs(offers, needs, len(categories))
    cum = year_calendar(year)
    dist = haversine_km(needs.lat[ni], needs.lon[ni], offers.lat[oi], offers.lon[oi])
    need_words, offer_words = needs.words[ni], offers.words[oi]
    need_hours = popcount(need_words)
    missing = popcount(need_words & ~offer_words)
    need_days = days_between(cum, needs.first_day[ni], needs.last_day[ni], needs.months[ni])
    pair_days = days_between(
        cum,
        np.maximum(needs.first_day[ni], offers.first_day[oi]),
        np.minimum(needs.last_day[ni], offers.last_day[oi]),
        needs.months[ni] & offers.months[oi],
    )
    limit_km = np.minimum(needs.max_km[ni], offers.max_km[oi])
    need_cap, offer_cap = needs.capacity[ni], offers.capacity[oi]
    budget, asked = needs.price[ni], offers.price[oi]
    failed = (
        np.where(offer_cap < need_cap, CAPACITY, 0)
        | np.where(missing > 0, HOURS, 0)
        | np.where((pair_days < need_days) | (need_days == 0), DAYS, 0)
        | np.where(dist > limit_km, DISTANCE, 0)
        | np.where(asked > budget, PRICE, 0)
    )
    near = (
        ((failed == CAPACITY) & (offer_cap >= NEAR_SHARE * need_cap))
        | ((failed == HOURS) & (need_hours - missing >= NEAR_SHARE * need_hours))
        | ((failed == DAYS) & (pair_days >= NEAR_SHARE * need_days) & (need_days > 0))
        | ((failed == DISTANCE) & (dist <= NEAR_FACTOR * limit_km))
        | ((failed == PRICE) & (asked <= NEAR_FACTOR * budget))
    )
    keep = (failed == 0) | near
    ni, oi, failed, dist = ni[keep], oi[keep], failed[keep], dist[keep]
    need_hours, missing, need_days, pair_days = (
        need_hours[keep],
        missing[keep],
        need_days[keep],
        pair_days[keep],
    )
    need_cap, asked = need_cap[keep], asked[keep]
    cat = needs.category[ni]
    price = np.array([c.price_eur_per_unit_h for c in categories])[cat]
    co2_unit_yr = np.array([c.co2_kg_per_unit_yr for c in categories])[cat]
    dedicated = np.array([c.dedicated_use_h_per_week for c in categories])[cat]
    weeks = pair_days / 7.0
    unit_hours = need_cap * (need_hours - missing) * weeks  # a near-miss on hours: the hours that fit
    trips_yr = _runs_per_week(needs.words[ni]) * weeks
    road_km = 2.0 * dist * travel.road_detour_factor * trips_yr
    travel_eur = road_km * travel.car_cost_eur_per_km
    n_days = cum.shape[1] - 1
    units = need_cap * np.minimum(1.0, (need_hours - missing) / dedicated)
    co2_t = (units * co2_unit_yr * (pair_days / n_days) - road_km * travel.car_co2_kg_per_km) / 1000.0
    order = np.lexsort((oi, ni))
    out = Matches(
        need=ni, offer=oi, failed=failed, distance_km=dist, missing_hours=missing, need_hours=need_hours,
        pair_days=pair_days, need_days=need_days, unit_hours_per_yr=unit_hours,
        cost_avoided_eur=price * unit_hours, user_saving_eur=(price - asked) * unit_hours - travel_eur,
        owner_income_eur=asked * unit_hours, travel_eur=travel_eur, co2_avoided_t=co2_t, units_avoided=units,
    )  # fmt: skip
    return out.take(order)


def _num(x: float, lang: str, digits: int = 1) -> str:
    text = f"{x:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",") if lang == "fr" else text


_PHRASES = {
    "fr": {
        0: "libre {free} ; votre besoin {hours} convient ; {cap_o} {unit} pour {cap_n} demandés ; {km}",
        CAPACITY: "{cap_o} {unit} libres, {cap_n} demandés",
        HOURS: "libre {free}, demandé {hours} : manque {missing}",
        DAYS: "période : {pair_days} jours sur {need_days} demandés sont couverts",
        DISTANCE: "{km}, au-delà des {limit} km acceptés",
        PRICE: "prix demandé {asked} €/{unit_one}·h, budget {budget} €",
    },
    "en": {
        0: "free {free}; your need {hours} fits; {cap_o} {unit} for {cap_n} needed; {km}",
        CAPACITY: "{cap_o} {unit} free, {cap_n} needed",
        HOURS: "free {free}, needed {hours}: missing {missing}",
        DAYS: "dates: {pair_days} of the {need_days} days needed are covered",
        DISTANCE: "{km}, beyond the {limit} km accepted",
        PRICE: "asked {asked} €/{unit_one}·h, budget {budget} €",
    },
}


def explain(data: SharingData, m: Matches, row: int, lang: str = "fr") -> str:
    """A facilitator's sentence for one pair: why it fits, or the one thing that does not."""
    offer, need = data.offers[int(m.offer[row])], data.needs[int(m.need[row])]
    cat = data.categories[need.category]
    values = {
        "free": describe(offer.free, lang),
        "hours": describe(need.hours, lang),
        "missing": describe(need.hours & ~offer.free, lang),
        "cap_o": _num(offer.capacity, lang, 0),
        "cap_n": _num(need.capacity, lang, 0),
        "unit": cat.unit_label(lang),
        "unit_one": cat.capacity_unit.replace("m2", "m²"),
        "km": f"{_num(float(m.distance_km[row]), lang)} km",
        "limit": _num(min(need.max_distance_km, offer.max_distance_km), lang),
        "pair_days": int(m.pair_days[row]),
        "need_days": int(m.need_days[row]),
        "asked": _num(offer.price_eur_per_unit_h, lang, 2),
        "budget": _num(need.budget_eur_per_unit_h, lang, 2),
    }
    return _PHRASES["fr" if lang == "fr" else "en"][int(m.failed[row])].format(**values)
