"""Sharing at territory scale: matching 10^5 offers × 10^5 needs; allocating 10^4 needs over 10^3 assets.

Run: ``.venv/bin/python bench/bench_sharing.py [--quick]``. A seeded synthetic France: activity
zones (~3 km across) scattered over the metropolitan territory, 20 categories, weekly patterns made
of one to three runs of hours (offers: evenings, nights, weekends, office hours; needs: 1–12 h runs
inside them or not), months and validity windows, capacities and prices. Targets (issue 19):
matching ≤ 30 s; allocation to a ≤ 1 % gap in ≤ 60 s (Pyomo build and compilation included).

Side by side in the same run, the time test of the pairs: the vectorised packed-word test
(`popcount(need & ~offer)`) against a per-hour Python loop over the same pairs (a sample, scaled).
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from symbiosis.sharing.allocation import AllocationProblem, allocate
from symbiosis.sharing.categories import Category, Travel
from symbiosis.sharing.matching import Side, match_arrays
from symbiosis.sharing.records import ALL_MONTHS
from symbiosis.sharing.slots import HOURS_PER_WEEK, pack, popcount, unpack

N_CATEGORIES = 20
YEAR = 2026
TRAVEL = Travel(car_cost_eur_per_km=0.636, car_co2_kg_per_km=0.218, road_detour_factor=1.3)
CATEGORIES = [
    Category(f"c{k}", "space", f"c{k}", f"c{k}", "seat", 1.0 + k, 500.0, 40.0, 20.0, True)
    for k in range(N_CATEGORIES)
]
OFFER_SHAPES = [(18, 14), (0, 8), (8, 10), (120, 48), (12, 2)]  # (first hour of the day, length): evenings…


def _patterns(rng: np.random.Generator, n: int, offers: bool) -> np.ndarray:
    masks = np.zeros((n, HOURS_PER_WEEK), dtype=bool)
    for _ in range(3):
        active = rng.random(n) < (0.8 if offers else 0.5)
        if offers:
            shape = rng.integers(0, len(OFFER_SHAPES), n)
            start = np.array([OFFER_SHAPES[s][0] for s in shape]) + 24 * rng.integers(0, 5, n) * (shape != 3)
            length = np.array([OFFER_SHAPES[s][1] for s in shape])
        else:
            start = rng.integers(0, HOURS_PER_WEEK, n)
            length = rng.integers(1, 13, n)
        for k in np.flatnonzero(active):
            masks[k, (start[k] + np.arange(length[k])) % HOURS_PER_WEEK] = True
    masks[~masks.any(axis=1), 18:22] = True
    return masks


def synthetic(
    n_offers: int, n_needs: int, n_zones: int, seed: int, reach_km: float, n_categories: int = N_CATEGORIES
) -> tuple[Side, Side]:
    """Offers and needs as the arrays `match_arrays` takes (a need's hours often inside an offer's)."""
    rng = np.random.default_rng(seed)
    zones = np.column_stack((rng.uniform(43.5, 50.5, n_zones), rng.uniform(-1.0, 7.0, n_zones)))

    def side(n: int, offers: bool) -> Side:
        z = rng.integers(0, n_zones, n)
        hours = _patterns(rng, n, offers)
        first = np.where(rng.random(n) < 0.1, rng.integers(0, 200, n), 0)
        return Side(
            category=rng.integers(0, n_categories, n),
            capacity=rng.integers(20, 200, n).astype(float)
            if offers
            else rng.integers(5, 60, n).astype(float),
            words=pack(hours),
            months=np.where(rng.random(n) < 0.9, ALL_MONTHS, 0b001111111100 if offers else 0b000001110000),
            first_day=first,
            last_day=np.where(first > 0, first + rng.integers(30, 165, n), 364),
            price=rng.uniform(0.5, 8.0, n)
            if offers
            else np.where(rng.random(n) < 0.5, np.inf, rng.uniform(3, 20, n)),
            max_km=np.full(n, np.inf) if offers else rng.uniform(0.5, 1.0, n) * reach_km,
            lat=zones[z, 0] + rng.normal(0, 0.012, n),
            lon=zones[z, 1] + rng.normal(0, 0.016, n),
        )

    offers = side(n_offers, True)
    needs = side(n_needs, False)
    # half the needs ask for hours inside some offer of their zone and category: realistic fits
    inside = rng.random(n_needs) < 0.5
    donor = rng.integers(0, n_offers, n_needs)
    hours_o = unpack(offers.words[donor])
    hours_n = unpack(needs.words)
    hours_n[inside] = hours_n[inside] & hours_o[inside]
    empty = ~hours_n.any(axis=1)
    hours_n[empty & inside] = hours_o[empty & inside]
    hours_n[~hours_n.any(axis=1), 18:20] = True
    needs.words = pack(hours_n)
    needs.category[inside] = offers.category[donor[inside]]
    needs.lat[inside] = offers.lat[donor[inside]] + rng.normal(0, 0.01, int(inside.sum()))
    needs.lon[inside] = offers.lon[donor[inside]] + rng.normal(0, 0.01, int(inside.sum()))
    return offers, needs


def loop_hours_test(need_words: np.ndarray, offer_words: np.ndarray) -> np.ndarray:
    """The naive way: unpack each pair and count missing hours one hour at a time."""
    out = np.zeros(len(need_words), dtype=np.int64)
    for k in range(len(need_words)):
        nh, oh = unpack(need_words[k])[0], unpack(offer_words[k])[0]
        out[k] = sum(1 for h in range(HOURS_PER_WEEK) if nh[h] and not oh[h])
    return out


def bench_matching(n: int, repeats: int) -> dict:
    offers, needs = synthetic(n, n, max(1, n // 50), seed=1, reach_km=10.0)
    times, m = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        m = match_arrays(offers, needs, CATEGORIES, TRAVEL, YEAR)
        times.append(time.perf_counter() - t0)
    assert m is not None
    sample = np.arange(min(20_000, len(m.need)))
    nw, ow = needs.words[m.need[sample]], offers.words[m.offer[sample]]
    t0 = time.perf_counter()
    vec = popcount(nw & ~ow)
    vec_s = time.perf_counter() - t0
    loop_n = min(2000, len(sample))
    t0 = time.perf_counter()
    slow = loop_hours_test(nw[:loop_n], ow[:loop_n])
    loop_s = (time.perf_counter() - t0) * len(sample) / max(loop_n, 1)
    assert (slow == vec[:loop_n]).all()
    return {
        "offers": n,
        "needs": n,
        "pairs kept": int(len(m.need)),
        "fits": int(m.fits.sum()),
        "median s": round(statistics.median(times), 2),
        "target s": 30,
        f"hours test, {len(sample):,} pairs: packed words s": round(vec_s, 4),
        "per-hour loop s (scaled from a sample)": round(loop_s, 2),
        "loop / packed": round(loop_s / max(vec_s, 1e-9)),
    }


def bench_allocation(n_assets: int, n_needs: int, time_limit_s: float) -> dict:
    # two categories and zones of 40 assets: ~10 needs compete for each asset, ~1.8 fitting offers per need
    offers, needs = synthetic(n_assets, n_needs, max(1, n_assets // 40), seed=2, reach_km=8.0, n_categories=2)
    t0 = time.perf_counter()
    m = match_arrays(offers, needs, CATEGORIES, TRAVEL, YEAR)
    fits = m.take(np.flatnonzero(m.fits))
    match_s = time.perf_counter() - t0
    p = AllocationProblem(
        need=fits.need,
        offer=fits.offer,
        value_eur=fits.value_eur(100.0),
        need_capacity=needs.capacity[fits.need],
        need_words=needs.words[fits.need] & offers.words[fits.offer],
        months=needs.months[fits.need] & offers.months[fits.offer],
        offer_capacity=offers.capacity,
    )
    t0 = time.perf_counter()
    a = allocate(p, time_limit_s=time_limit_s, mip_rel_gap=0.01)
    total = time.perf_counter() - t0
    # the capacity holds in every month and hour: recomputed from the chosen pairs independently
    hours = unpack(p.need_words[a.chosen]).astype(float) * p.need_capacity[a.chosen, None]
    for month in range(12):
        active = (p.months[a.chosen] >> month) & 1 == 1
        load = np.zeros((n_assets, HOURS_PER_WEEK))
        np.add.at(load, p.offer[a.chosen][active], hours[active])
        assert (load <= p.offer_capacity[:, None] + 1e-6).all()
    return {
        "assets": n_assets,
        "needs": n_needs,
        "fitting pairs": int(len(p.need)),
        "capacity rows": a.n_capacity_rows,
        "needs served": int(len(np.unique(p.need[a.chosen]))),
        "matching s": round(match_s, 2),
        "build + compile s": round(a.build_s, 2),
        "HiGHS s": round(a.time_s, 2),
        "total s": round(total, 2),
        "gap": f"{a.gap:.3%}",
        "status": a.status,
        "target": "≤ 1 % in ≤ 60 s",
    }


def run(argv: list[str]) -> dict:
    quick = "--quick" in argv
    matching = bench_matching(5_000 if quick else 100_000, 1 if quick else 3)
    allocation = bench_allocation(100 if quick else 1_000, 1_000 if quick else 10_000, 60.0)
    return {"matching": matching, "allocation": allocation}


def main() -> None:
    out = run(sys.argv[1:])
    for name, figures in out.items():
        print(f"{name}:")
        for k, v in figures.items():
            print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
