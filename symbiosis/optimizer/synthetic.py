"""Seeded synthetic candidate sets, for benchmarks and randomised tests (never shipped as data).

Givers and takers are scattered over a square of ``side_km``; territories are a grid of
``grid × grid`` cells; each giver is linked to takers drawn among its nearest ones, so most links
are local and some cross a border, as in a real region. Prices are plausible orders of magnitude
only — this is a load generator, not a model of any territory.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from symbiosis.domain.candidate import Candidate, CandidateSet, DeclarationTerms
from symbiosis.domain.enums import ResourceFamily, TransportMode
from symbiosis.units import CanonicalUnit


def synthetic_candidate_set(
    n_givers: int,
    n_takers: int,
    n_links: int,
    seed: int = 0,
    fixed_cost_share: float = 0.0,
    grid: int = 1,
    side_km: float = 200.0,
    monthly: bool = False,
) -> CandidateSet:
    """A random but reproducible `CandidateSet`.

    ``fixed_cost_share`` of the links are pipelines: 30 % of a truck's running cost per unit, 20 % of
    its CO2, and a fixed cost between 10 % and 100 % of the link's annual gain at full use — so
    whether to build competes with trucking, as it does in a real park.
    """
    rng = np.random.default_rng(seed)
    gxy = rng.uniform(0, side_km, (n_givers, 2))
    txy = rng.uniform(0, side_km, (n_takers, 2))
    per_giver = max(1, n_links // n_givers)
    k_near = min(n_takers, max(per_giver * 3, per_giver))
    _, near = cKDTree(txy).query(gxy, k=k_near)
    near = np.asarray(near).reshape(n_givers, k_near)
    pairs = np.array(
        [(g, int(t)) for g in range(n_givers) for t in rng.choice(near[g], per_giver, replace=False)],
        dtype=np.int64,
    )[:n_links]

    def terr(xy: np.ndarray) -> list[str]:
        cell = np.minimum((xy / side_km * grid).astype(int), grid - 1)
        return [f"T{a}-{b}" for a, b in cell.tolist()]

    gterr, tterr = terr(gxy), terr(txy)
    supply = rng.uniform(1_000, 10_000, n_givers).round()
    demand = rng.uniform(1_000, 10_000, n_takers).round()
    disposal = rng.uniform(20, 120, n_givers).round(1)
    disposal_co2 = rng.uniform(50, 500, n_givers).round()
    virgin = rng.uniform(30, 150, n_takers).round(1)
    virgin_co2 = rng.uniform(100, 800, n_takers).round()

    def profile(total: float) -> tuple[float, ...]:
        if not monthly:
            return (total / 12.0,) * 12
        w = rng.uniform(0.2, 1.8, 12)
        return tuple((total * w / w.sum()).tolist())

    outputs = {
        f"o{g}": DeclarationTerms.model_construct(
            declaration_id=f"o{g}",
            kind="output",
            site_id=f"sg{g}",
            firm_id=f"fg{g}",
            territory_id=gterr[g],
            resource_code="R",
            family=ResourceFamily.MINERAL,
            unit=CanonicalUnit.TONNE,
            monthly_qty=profile(float(supply[g])),
            cost_eur_per_unit=float(disposal[g]),
            co2_kg_per_unit=float(disposal_co2[g]),
            contaminants_mg_per_l={},
        )
        for g in range(n_givers)
    }
    inputs = {
        f"i{t}": DeclarationTerms.model_construct(
            declaration_id=f"i{t}",
            kind="input",
            site_id=f"st{t}",
            firm_id=f"ft{t}",
            territory_id=tterr[t],
            resource_code="R",
            family=ResourceFamily.MINERAL,
            unit=CanonicalUnit.TONNE,
            monthly_qty=profile(float(demand[t])),
            cost_eur_per_unit=float(virgin[t]),
            co2_kg_per_unit=float(virgin_co2[t]),
            contaminants_mg_per_l={},
        )
        for t in range(n_takers)
    }
    g_idx, t_idx = pairs[:, 0], pairs[:, 1]
    dist = np.hypot(*(gxy[g_idx] - txy[t_idx]).T)
    factor = rng.uniform(0.6, 1.0, len(pairs)).round(3)
    has_fixed = rng.random(len(pairs)) < fixed_cost_share
    # a pipeline costs a fraction of a truck to run per tonne, but has to be built
    var_cost = np.where(has_fixed, 0.3, 1.0) * (2.0 + 0.4 * dist).round(2)
    var_co2 = np.where(has_fixed, 0.2, 1.0) * (0.1 * dist).round(2)
    full = np.minimum(supply[g_idx], demand[t_idx] / factor)
    gain = np.maximum(disposal[g_idx] + factor * virgin[t_idx] - var_cost, 0.0) * full
    fixed = np.where(has_fixed, (gain * rng.uniform(0.1, 1.0, len(pairs))).round(), 0.0)
    cands = []
    for n, (g, t) in enumerate(pairs.tolist()):
        qty = outputs[f"o{g}"].monthly_qty
        cands.append(
            Candidate.model_construct(
                output_id=f"o{g}",
                input_id=f"i{t}",
                giver_site_id=f"sg{g}",
                receiver_site_id=f"st{t}",
                output_resource="R",
                input_resource="R",
                rule_id=None,
                ratio=1.0,
                family=ResourceFamily.MINERAL,
                transport_mode=TransportMode.PIPELINE if fixed[n] > 0 else TransportMode.TRUCK,
                unit_out=CanonicalUnit.TONNE,
                unit_in=CanonicalUnit.TONNE,
                distance_km=float(dist[n]),
                route_km=float(dist[n]),
                monthly_qty=qty,
                exchangeable_qty_per_yr=float(sum(qty)),
                max_share_of_input=1.0,
                delivery_factor=float(factor[n]),
                needs_dilution=False,
                variable_cost_eur_per_unit=float(var_cost[n]),
                variable_co2_kg_per_unit=float(var_co2[n]),
                fixed_cost_eur_per_yr=float(fixed[n]),
                avoided_disposal_eur_per_unit=float(disposal[g]),
                avoided_disposal_co2_kg_per_unit=float(disposal_co2[g]),
                avoided_supply_eur_per_unit=float(virgin[t]),
                avoided_supply_co2_kg_per_unit=float(virgin_co2[t]),
                transport_cost_eur_per_yr=0.0,
                pretreatment_cost_eur_per_yr=0.0,
                avoided_disposal_eur_per_yr=0.0,
                avoided_supply_eur_per_yr=0.0,
                net_gain_eur_per_yr=float(gain[n] - fixed[n]),
                transport_co2_t_per_yr=0.0,
                pretreatment_co2_t_per_yr=0.0,
                avoided_disposal_co2_t_per_yr=0.0,
                avoided_supply_co2_t_per_yr=0.0,
                co2_avoided_t_per_yr=0.0,
                checks=(),
                viable=True,
                explanation="",
            )
        )
    return CandidateSet(candidates=cands, outputs=outputs, inputs=inputs)
