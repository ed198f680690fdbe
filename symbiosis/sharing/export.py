"""A sharing run as JSON: the allocated pairs, near-misses and each asset's weekly occupancy."""

from __future__ import annotations

import numpy as np

from symbiosis.sharing.matching import explain
from symbiosis.sharing.records import SharingData
from symbiosis.sharing.service import SharingResult


def allocation_json(data: SharingData, result: SharingResult, lang: str = "fr") -> dict:
    m, a = result.matches, result.allocation
    names = data.site_names()

    def pair(k: int) -> dict:
        need, offer = data.needs[int(m.need[k])], data.offers[int(m.offer[k])]
        return {
            "need_id": need.id,
            "need_site": names[need.site_id],
            "offer_id": offer.id,
            "offer_name": offer.name,
            "offer_site": names[offer.site_id],
            "category": need.category,
            "fits": bool(m.failed[k] == 0),
            "distance_km": round(float(m.distance_km[k]), 3),
            "unit_hours_per_yr": float(m.unit_hours_per_yr[k]),
            "cost_avoided_eur_per_yr": float(m.cost_avoided_eur[k]),
            "user_saving_eur_per_yr": float(m.user_saving_eur[k]),
            "owner_income_eur_per_yr": float(m.owner_income_eur[k]),
            "travel_eur_per_yr": float(m.travel_eur[k]),
            "co2_avoided_t_per_yr": float(m.co2_avoided_t[k]),
            "explanation": explain(data, m, k, lang),
        }

    allocated = set(result.allocated_rows.tolist())
    return {
        "year": result.year,
        "carbon_price_eur_per_t": result.carbon_price_eur_per_t,
        "allocation": {
            "value_eur_per_yr": a.value_eur,
            "bound_eur_per_yr": a.bound_eur,
            "gap": a.gap,
            "status": a.status,
            "solve_s": a.time_s,
        },
        "allocated": [pair(int(k)) for k in result.allocated_rows],
        "not_allocated": [pair(k) for k in range(len(m.need)) if k not in allocated],
        "occupancy": [
            {
                "offer_id": data.offers[o.offer_index].id,
                "hours_before": o.hours_before,
                "hours_after": o.hours_after,
                "before": o.before.astype(int).tolist(),
                "after": o.after.astype(int).tolist(),
                "shared_load": np.round(o.shared_load, 6).tolist(),
            }
            for o in result.occupancy
        ],
    }
