"""Everything `symbiosis water-targets` prints, as one dictionary (also its JSON output).

Targets (minimum fresh water and wastewater, four sets of allowed pipes), the cheapest plan
(€ + carbon price × CO2 over sources and treatment) against the cheapest no-reuse baseline,
with water abstracted by source type and wastewater discharged before and after, the site
balance of the plan, and the limiting composite curve of each contaminant.
"""

from __future__ import annotations

from pathlib import Path

from symbiosis.water.balance import monthly_site_balances, site_balances
from symbiosis.water.dataset_files import HOURS_PER_YEAR, read_water_problem
from symbiosis.water.network_model import WaterNetwork, solve_network
from symbiosis.water.problem import Mode, WaterProblem
from symbiosis.water.targets import limiting_composite_curve, supply_line, water_targets


def by_source_type_m3_per_h(net: WaterNetwork) -> dict[str, float]:
    out: dict[str, float] = {}
    for sid, v in net.by_source_m3_per_h().items():
        kind = net.problem.supply(sid).kind.value
        out[kind] = out.get(kind, 0.0) + v
    return out


def _plan_dict(net: WaterNetwork) -> dict:
    p = net.problem
    cost = sum(p.supply(s).price_eur_per_m3 * v for s, v in net.by_source_m3_per_h().items()) + sum(
        p.treatment(t).cost_eur_per_m3 * v for t, v in net.treated_m3_per_h().items()
    )
    co2 = sum(p.supply(s).co2_kg_per_m3 * v for s, v in net.by_source_m3_per_h().items()) + sum(
        p.treatment(t).co2_kg_per_m3 * v for t, v in net.treated_m3_per_h().items()
    )
    return {
        "mode": net.mode.value,
        "abstracted_by_source_type_m3_per_yr": {
            k: v * HOURS_PER_YEAR for k, v in by_source_type_m3_per_h(net).items()
        },
        "wastewater_m3_per_yr": net.wastewater_m3_per_h * HOURS_PER_YEAR,
        "treated_m3_per_yr": {k: v * HOURS_PER_YEAR for k, v in net.treated_m3_per_h().items()},
        "cost_eur_per_yr": cost * HOURS_PER_YEAR,
        "co2_t_per_yr": co2 * HOURS_PER_YEAR / 1000,
    }


def plan_mode(p: WaterProblem) -> Mode:
    """The widest set of pipes the problem allows: regeneration when it has treatment units."""
    return Mode.REGENERATION if p.treatments else Mode.REUSE


def plan_networks(p: WaterProblem, carbon_price_eur_per_t: float) -> tuple[WaterNetwork, WaterNetwork]:
    """The cheapest no-reuse baseline and the cheapest plan across sites (€ + carbon price × CO2):
    the "before" and "after" of the report, the CLI and the dashboard."""
    before = solve_network(p, Mode.NO_REUSE, False, "cost", carbon_price_eur_per_t)
    after = solve_network(p, plan_mode(p), True, "cost", carbon_price_eur_per_t)
    return before, after


def water_report(p: WaterProblem, carbon_price_eur_per_t: float = 100.0) -> dict:
    targets = water_targets(p)
    after_mode = plan_mode(p)
    before, after = plan_networks(p, carbon_price_eur_per_t)
    fresh_before = sum(v for k, v in by_source_type_m3_per_h(before).items() if k != "sea")
    fresh_after = sum(v for k, v in by_source_type_m3_per_h(after).items() if k != "sea")
    curves = {}
    best = min(t.fresh_m3_per_h for t in targets if t.mode is Mode.REUSE)
    for k in sorted(p.contaminants):
        curve = limiting_composite_curve(p, k)
        if curve:
            curves[k] = {"limiting_composite": curve, "supply_line_at_reuse_target": supply_line(curve, best)}
    return {
        "targets": [t.to_dict() for t in targets],
        "plan": {
            "carbon_price_eur_per_t": carbon_price_eur_per_t,
            "before": _plan_dict(before),
            "after": _plan_dict(after),
            "fresh_water_saved_m3_per_yr": (fresh_before - fresh_after) * HOURS_PER_YEAR,
            "site_balance_m3_per_h": [b.to_dict() for b in site_balances(after).values()],
            "site_balance_by_month": monthly_site_balances(
                p, after_mode, True, "cost", carbon_price_eur_per_t
            ),
        },
        "composite_curves": curves,
    }


def water_report_for_dataset(path: Path, carbon_price_eur_per_t: float = 100.0) -> dict:
    """Validate the dataset (its sites) and its water tables, then report."""
    from symbiosis.dataset_io import read_dataset
    from symbiosis.knowledge import load_knowledge_base

    ds = read_dataset(Path(path), load_knowledge_base())
    problem = read_water_problem(Path(path), {s.id for s in ds.sites})
    return water_report(problem, carbon_price_eur_per_t)
