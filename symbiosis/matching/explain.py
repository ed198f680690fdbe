"""Words a facilitator can read: each condition with its values, and the figures behind the gain."""

from __future__ import annotations

import math

import numpy as np

from symbiosis.domain.candidate import ConditionCheck
from symbiosis.domain.enums import ResourceFamily, TransportMode
from symbiosis.matching.evaluate import Fail, Totals
from symbiosis.matching.groups import Group
from symbiosis.matching.tables import Tables
from symbiosis.matching.water import fresh_water_saved_m3

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _n(v: float) -> str:
    """Readable number: thousands separated, no pointless decimals."""
    if v != v:
        return "n/a"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) >= 0.01 or v == 0 else f"{v:.2g}"


def _months(monthly: np.ndarray) -> str:
    on = [MONTH_NAMES[k] for k in range(12) if monthly[k] > 0]
    return "all year" if len(on) == 12 else ("none" if not on else ", ".join(on))


def _fnan(v: float) -> float | None:
    return None if v != v else float(v)


def _percent_check(name: str, declared: float, limit: float, held: bool, relation: str) -> ConditionCheck:
    """A purity or moisture condition: the giver's declared % against the receiver's (or rule's) limit."""
    seen = "not declared" if math.isnan(declared) else f"{_n(declared)} %"
    return ConditionCheck(
        name=name,
        held=held,
        actual=_fnan(declared),
        required=float(limit),
        detail=f"{name} {seen}, {relation} {_n(limit)} %",
    )


def checks_for(
    tables: Tables,
    group: Group | None,
    out_row: int,
    in_row: int,
    distance_km: float,
    route_km: float,
    reach_km: float,
    fail: int,
    share: float,
    needs_dilution: bool,
    monthly: np.ndarray,
    mode: TransportMode,
) -> tuple[ConditionCheck, ...]:
    """One `ConditionCheck` per condition that applies, in the order a facilitator reads them."""
    o, i = tables.outputs, tables.inputs
    r_out, r_in = o.resource[out_row], i.resource[in_row]
    unit = o.decls[out_row].unit.value
    checks: list[ConditionCheck] = []
    if group is None:
        checks.append(
            ConditionCheck(
                name="resource",
                held=False,
                actual=r_out,
                required=r_in,
                detail=f"no substitution rule lets {r_out} replace {r_in}",
            )
        )
        return tuple(checks)
    rule = group.rule
    detail = (
        f"same resource ({r_out})"
        if rule is None
        else f"rule {rule.id}: 1 {unit} of {r_out} replaces {_n(rule.ratio)} "
        f"{i.decls[in_row].unit.value} of {r_in}"
        + (
            f", covering at most {rule.max_share_of_input:.0%} of the input"
            if rule.max_share_of_input < 1
            else ""
        )
    )
    checks.append(ConditionCheck(name="resource", held=True, actual=r_out, required=r_in, detail=detail))

    t_out = o.temperature_c[out_row]
    t_min = i.temperature_c[in_row] + group.approach_k
    if rule is not None and rule.min_temperature_c is not None:
        t_min = np.fmax(t_min, rule.min_temperature_c)
    if not math.isnan(t_min):
        held = not fail & Fail.TEMPERATURE_LOW
        seen = "not declared" if math.isnan(t_out) else f"{_n(t_out)} °C"
        checks.append(
            ConditionCheck(
                name="temperature",
                held=held,
                actual=_fnan(t_out),
                required=float(t_min),
                detail=f"temperature {seen}, needs ≥ {_n(t_min)} °C"
                + (
                    f" (the input's minimum + {_n(group.approach_k)} K heat-exchanger approach)"
                    if group.approach_k
                    else ""
                ),
            )
        )
    t_max = i.max_temperature_c[in_row]
    if not math.isnan(t_max):
        held = not fail & Fail.TEMPERATURE_HIGH
        seen = "not declared" if math.isnan(t_out) else f"{_n(t_out)} °C"
        checks.append(
            ConditionCheck(
                name="temperature",
                held=held,
                actual=_fnan(t_out),
                required=float(t_max),
                detail=f"temperature {seen}, accepts ≤ {_n(t_max)} °C",
            )
        )

    for c, name in enumerate(tables.contaminant_names):
        limit = i.contaminants[in_row, c]
        if math.isnan(limit):
            continue
        conc = o.contaminants[out_row, c]
        if math.isnan(conc):
            checks.append(
                ConditionCheck(
                    name=f"contaminant:{name}",
                    held=True,
                    actual=None,
                    required=float(limit),
                    detail=f"{name} not declared by the giver (taken as absent), limit {_n(limit)} mg/l",
                )
            )
        elif conc <= limit:
            checks.append(
                ConditionCheck(
                    name=f"contaminant:{name}",
                    held=True,
                    actual=float(conc),
                    required=float(limit),
                    detail=f"{name} {_n(conc)} mg/l ≤ limit {_n(limit)} mg/l",
                )
            )
        elif group.family is ResourceFamily.WATER and limit > 0:
            checks.append(
                ConditionCheck(
                    name=f"contaminant:{name}",
                    held=True,
                    actual=float(conc),
                    required=float(limit),
                    detail=f"{name} {_n(conc)} mg/l above the limit {_n(limit)} mg/l: usable only "
                    f"blended with the receiver's clean supply, at most {_n(limit / conc * 100)} % "
                    "of its intake",
                )
            )
        else:
            checks.append(
                ConditionCheck(
                    name=f"contaminant:{name}",
                    held=False,
                    actual=float(conc),
                    required=float(limit),
                    detail=f"{name} {_n(conc)} mg/l, limit {_n(limit)} mg/l",
                )
            )

    p_min = i.purity_pct[in_row]
    if rule is not None and rule.min_purity_pct is not None:
        p_min = np.fmax(p_min, rule.min_purity_pct)
    if not math.isnan(p_min):
        held = not fail & Fail.PURITY
        checks.append(_percent_check("purity", o.purity_pct[out_row], p_min, held, "needs ≥"))
    m_max = i.moisture_pct[in_row]
    if rule is not None and rule.max_moisture_pct is not None:
        m_max = np.fmin(m_max, rule.max_moisture_pct)
    if not math.isnan(m_max):
        held = not fail & Fail.MOISTURE
        checks.append(_percent_check("moisture", o.moisture_pct[out_row], m_max, held, "accepts ≤"))

    o_m, i_m = o.monthly[out_row], i.monthly[in_row]
    if fail & Fail.TIMING:
        if o_m.sum() <= 0 or i_m.sum() <= 0:
            detail = "nothing to exchange: a declared quantity is zero"
        else:
            detail = f"no month in common: giver has it {_months(o_m)}, receiver needs it {_months(i_m)}"
        checks.append(
            ConditionCheck(
                name="timing", held=False, actual=_months(o_m), required=_months(i_m), detail=detail
            )
        )
    else:
        q = float(monthly.sum())
        checks.append(
            ConditionCheck(
                name="timing",
                held=True,
                actual=_months(monthly),
                required=_months(i_m),
                detail=f"months in common: {_months(monthly)}; {_n(q)} {unit}/yr exchangeable",
            )
        )

    if fail & Fail.SAME_SITE:
        checks.append(
            ConditionCheck(
                name="distance",
                held=False,
                actual=0.0,
                required=None,
                detail="giver and receiver are the same site: not an exchange between sites",
            )
        )
        return tuple(checks)
    far = bool(fail & Fail.DISTANCE)
    road = "road" if mode is TransportMode.TRUCK else "pipe"
    detail = (
        f"too far: {_n(distance_km)} km, reach {_n(reach_km)} km for {group.family.value}"
        if far
        else f"{_n(distance_km)} km ≤ reach {_n(reach_km)} km for {group.family.value} "
        f"({_n(route_km)} {road} km by {mode.value})"
    )
    checks.append(
        ConditionCheck(
            name="distance", held=not far, actual=float(distance_km), required=reach_km, detail=detail
        )
    )
    if fail & Fail.LOSS:
        checks.append(
            ConditionCheck(
                name="transport",
                held=False,
                actual=float(route_km),
                required=None,
                detail=f"pipeline losses over {_n(route_km)} km consume the whole flow",
            )
        )
    if fail & Fail.LOT_TOO_SMALL:
        checks.append(
            ConditionCheck(
                name="lot",
                held=False,
                actual=float(monthly.sum()),
                required=None,
                detail=f"{_n(float(monthly.sum()))} {unit}/yr is less than one truck lot a year "
                "(knowledge base truck.csv min_lot_t_per_yr)",
            )
        )
    if fail & Fail.NOT_TRUCKABLE:
        checks.append(
            ConditionCheck(
                name="transport",
                held=False,
                actual=unit,
                required="t or m3",
                detail=f"{r_out} is counted in {unit}: it cannot be carried by truck",
            )
        )
    return tuple(checks)


def explanation_text(
    title: str,
    checks: tuple[ConditionCheck, ...],
    viable: bool,
    unit_out: str,
    unit_in: str,
    qty: float,
    delivery_factor: float,
    cost_out: float,
    cost_in: float,
    var_cost: float,
    fixed: float,
    pre_cost: float,
    t: Totals,
    needs_dilution: bool,
    water_m3_per_yr: dict[str, float] | None = None,
    fixed_is_deal: bool = False,
) -> str:
    lines = [title + (" — viable" if viable else " — not viable")]
    lines += [("  ✓ " if c.held else "  ✗ ") + c.detail for c in checks]
    if qty > 0 and all(c.name != "resource" or c.held for c in checks):
        q_in = qty * delivery_factor
        lines.append(f"  Figures at {_n(qty)} {unit_out}/yr sent, {_n(q_in)} {unit_in}/yr delivered:")
        lines.append(
            f"    + avoided disposal at the giver: {_n(qty)} {unit_out} × {_n(cost_out)} €/{unit_out} = "
            f"{_n(float(t.avoided_disposal_eur_per_yr))} €/yr"
        )
        lines.append(
            f"    + avoided supply at the receiver: {_n(q_in)} {unit_in} × {_n(cost_in)} €/{unit_in} = "
            f"{_n(float(t.avoided_supply_eur_per_yr))} €/yr"
        )
        what = "per-deal cost" if fixed_is_deal else "pipeline capital and upkeep"
        fixed_txt = f" + {_n(fixed)} €/yr fixed ({what})" if fixed > 0 else ""
        lines.append(
            f"    − transport: {_n(qty)} {unit_out} × {_n(var_cost)} €/{unit_out}{fixed_txt} = "
            f"{_n(float(t.transport_cost_eur_per_yr))} €/yr"
        )
        if pre_cost > 0:
            lines.append(
                f"    − pre-treatment: {_n(qty)} {unit_out} × {_n(pre_cost)} €/{unit_out} = "
                f"{_n(float(t.pretreatment_cost_eur_per_yr))} €/yr"
            )
        lines.append(
            f"    = net gain {_n(float(t.net_gain_eur_per_yr))} €/yr; CO2e avoided "
            f"{_n(float(t.co2_avoided_t_per_yr))} t/yr (disposal {_n(float(t.avoided_disposal_co2_t_per_yr))}"
            f" + supply {_n(float(t.avoided_supply_co2_t_per_yr))} − transport "
            f"{_n(float(t.transport_co2_t_per_yr))} − pre-treatment "
            f"{_n(float(t.pretreatment_co2_t_per_yr))}"
            + (
                f" − burnt at the receiver {_n(float(t.combustion_co2_t_per_yr))}"
                if float(t.combustion_co2_t_per_yr) > 0
                else ""
            )
            + ")"
        )
        if water_m3_per_yr:
            parts = ", ".join(f"{src} {v:+,.0f}" for src, v in sorted(water_m3_per_yr.items()))
            fresh = fresh_water_saved_m3(water_m3_per_yr)
            lines.append(f"    water abstracted, m3/yr: {parts}; fresh water saved {_n(fresh)} m3/yr")
        if needs_dilution:
            lines.append(
                "    (water above an inlet limit: the optimiser blends it with the receiver's clean supply)"
            )
    return "\n".join(lines)
