"""What a prefilled dataset yields: ``python -m symbiosis.prefill.report [DATASET_DIR]``.

Runs matching and the optimiser on the dataset exactly as read from disk (no graph store needed)
and prints the number of candidates by resource pair, the largest CO2 opportunities and the
optimal plan's totals — the figures quoted in datasets/finland_eprtr/README.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from symbiosis.prefill.eprtr import DATASET_DIR


def main(argv: list[str] | None = None) -> int:
    from symbiosis.dataset_io import read_dataset
    from symbiosis.knowledge import load_knowledge_base
    from symbiosis.matching.service import match
    from symbiosis.optimizer.options import OptimizeOptions
    from symbiosis.optimizer.results import water_abstraction_balance
    from symbiosis.optimizer.service import optimize

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dataset", type=Path, nargs="?", default=DATASET_DIR)
    p.add_argument("--top", type=int, default=10, help="largest CO2 opportunities to list")
    p.add_argument("--carbon-price", type=float, default=100.0, help="€/t CO2 for the optimiser")
    p.add_argument(
        "--time-limit", type=float, default=120.0,
        help="seconds for the optimiser; the best plan found is reported with its proven gap",
    )  # fmt: skip
    p.add_argument(
        "--from-resources", default="",
        help="comma-separated output resources: also list their largest opportunities by net gain",
    )  # fmt: skip
    args = p.parse_args(argv)

    kb = load_knowledge_base()
    dataset = read_dataset(args.dataset, kb)
    names = {s.id: s.name for s in dataset.sites}
    t0 = time.perf_counter()
    cs = match(dataset, kb)
    match_s = time.perf_counter() - t0
    print(f"{args.dataset}: {dataset.counts()}")
    print(
        f"matching: {len(cs.candidates):,} viable candidates in {match_s:.2f} s; "
        f"{len(cs.unmatched):,} declarations without a partner"
    )
    pairs = Counter((c.output_resource, c.input_resource) for c in cs.candidates)
    for (out_res, in_res), n in pairs.most_common():
        print(f"  {n:>5,}  {out_res} → {in_res}")
    print("largest CO2 opportunities (each candidate alone, t CO2/yr avoided):")
    for c in sorted(cs.candidates, key=lambda c: -c.co2_avoided_t_per_yr)[: args.top]:
        print(
            f"  {c.co2_avoided_t_per_yr:>9,.0f}  {c.output_resource} → {c.input_resource}, "
            f"{c.distance_km:.1f} km: {names[c.giver_site_id]} → {names[c.receiver_site_id]}"
        )
    wanted = {r.strip() for r in args.from_resources.split(",") if r.strip()}
    if wanted:
        print(f"largest opportunities from {', '.join(sorted(wanted))} (each candidate alone, by net gain):")
        chosen = [c for c in cs.candidates if c.output_resource in wanted]
        for c in sorted(chosen, key=lambda c: -c.net_gain_eur_per_yr)[: args.top]:
            print(
                f"  {c.net_gain_eur_per_yr:>11,.0f} €/yr {c.co2_avoided_t_per_yr:>7,.0f} t CO2/yr "
                f"{c.exchangeable_qty_per_yr:>9,.0f} {c.output_resource} → {c.input_resource}, "
                f"{c.distance_km:.1f} km: {names[c.giver_site_id]} → {names[c.receiver_site_id]}"
            )
        resource_of = {d.id: d.resource_code for d in [*dataset.outputs, *dataset.inputs]}
        unmatched = Counter(
            resource_of[u.declaration_id] for u in cs.unmatched if resource_of[u.declaration_id] in wanted
        )
        print(f"  without a partner: {dict(sorted(unmatched.items()))}")
    _known_exchanges(dataset, cs.candidates)
    for warning in cs.warnings:
        print(f"warning: {warning}")
    t1 = time.perf_counter()
    plan = optimize(
        cs,
        OptimizeOptions(
            carbon_price_eur_per_t=args.carbon_price, time_limit_s=args.time_limit, accept_gap=True
        ),
    )
    saving_gap = plan.solver.saving_gap
    totals = plan.totals
    print(
        f"optimiser at {args.carbon_price:g} €/t CO2: {len(plan.links):,} exchanges in the plan "
        f"({plan.solver.status}, "
        f"gap on the saving {'n/a' if saving_gap is None else f'{saving_gap:.2%}'}, "
        f"{time.perf_counter() - t1:.1f} s); "
        f"savings {totals.savings_eur_per_yr:,.0f} €/yr, "
        f"CO2 avoided {totals.co2_avoided_t_per_yr:,.0f} t/yr "
        f"(baseline {totals.baseline_co2_t_per_yr:,.0f} t/yr)"
    )
    water = water_abstraction_balance(plan.links, cs.candidates)
    balance = ", ".join(f"{src} {v:+,.0f}" for src, v in water["abstraction_change_m3_per_yr"].items())
    print(
        f"water abstracted, m3/yr: {balance or 'no change'}; "
        f"fresh water saved {water['fresh_water_saved_m3_per_yr']:,.0f} m3/yr"
    )
    return 0


def _known_exchanges(dataset, candidates) -> None:  # noqa: ANN001 - Dataset, list[Candidate]
    """Totals of the dataset's known (already running) exchanges, each at its candidate's quantity.

    What a published account of an existing network should be compared with: today's practice,
    not the optimiser's plan (which may add new exchanges).
    """
    if not dataset.exchanges:
        return
    by_pair = {(c.output_id, c.input_id): c for c in candidates}
    found = [
        by_pair[(x.output_id, x.input_id)] for x in dataset.exchanges if (x.output_id, x.input_id) in by_pair
    ]
    co2 = sum(c.co2_avoided_t_per_yr for c in found)
    gain = sum(c.net_gain_eur_per_yr for c in found)
    water = sum(c.fresh_water_saved_m3_per_yr for c in found)
    print(
        f"known exchanges: {len(found)} of {len(dataset.exchanges)} found by matching; each at its "
        f"exchangeable quantity: CO2 avoided {co2:,.0f} t/yr, net gain {gain:,.0f} €/yr, "
        f"fresh water saved {water:,.0f} m3/yr"
    )
    for c in sorted(found, key=lambda c: -c.co2_avoided_t_per_yr):
        print(
            f"  {c.co2_avoided_t_per_yr:>9,.0f} t CO2/yr {c.fresh_water_saved_m3_per_yr:>11,.0f} m3 "
            f"{c.output_id} → {c.input_id}"
        )


if __name__ == "__main__":
    sys.exit(main())
