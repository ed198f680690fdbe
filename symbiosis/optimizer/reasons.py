"""Why a link is in a plan, in one line: its rule, its substitution ratio, how it travels.

Why: a plan row saying 350,000 t of slurry "delivered" 3,500 t of fertiliser reads like a bug
unless it says that a rule credits 1 t of slurry with 0.01 t of mineral-fertiliser equivalent. Every
plan link carries its rule id, ratio and this sentence (table, JSON, CSV, API run results).
"""

from __future__ import annotations

from symbiosis.domain.candidate import Candidate


def link_reason(c: Candidate) -> str:
    """One line: what replaces what, at which ratio, by which rule; transport and blending."""
    unit_out, unit_in = c.unit_out.value, c.unit_in.value
    what = f"1 {unit_out} {c.output_resource} = {c.ratio:g} {unit_in} {c.input_resource}"
    what += " (same resource)" if c.rule_id is None else f" (rule {c.rule_id})"
    travel = f"{c.transport_mode.value} {c.route_km:,.0f} km"
    lost = 1.0 - c.delivery_factor / c.ratio
    if lost > 1e-9:
        travel += f", {lost:.1%} lost"
    parts = [what, travel]
    if c.needs_dilution:
        parts.append(f"only blended (≤ {c.max_share_of_input:.1%} of the input alone)")
    elif c.max_share_of_input < 1.0:
        parts.append(f"≤ {c.max_share_of_input:.0%} of the input")
    return "; ".join(parts)
