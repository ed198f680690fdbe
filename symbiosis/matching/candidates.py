"""Turning columnar pairs into pydantic `Candidate`s — only for what a caller will see.

Inputs here were validated when the tables were built, so `model_construct` skips re-validation
(it is ~20× cheaper, which matters when a territory hands thousands of links to the optimiser).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from symbiosis.domain.candidate import Candidate
from symbiosis.domain.enums import TransportMode
from symbiosis.energy.links import link_terms
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.evaluate import (
    Fail,
    PairBlock,
    Totals,
    Transport,
    evaluate,
    monthly_exchange,
    totals,
    transport_terms,
)
from symbiosis.matching.explain import checks_for, explanation_text
from symbiosis.matching.geo import km_from_xyz
from symbiosis.matching.groups import Group, group_for
from symbiosis.matching.options import MatchOptions
from symbiosis.matching.tables import FloatArray, Tables
from symbiosis.matching.water import abstraction_change_m3_per_unit, fresh_water_saved_m3


def materialise(
    tables: Tables, kb: KnowledgeBase, groups: list[Group], block: PairBlock, explain: bool = True
) -> list[Candidate]:
    """One `Candidate` per row of ``block`` (order kept), with checks and explanation when ``explain``."""
    out: list[Candidate | None] = [None] * len(block)
    for gi in np.unique(block.group):
        rows = np.flatnonzero(block.group == gi)
        g = groups[int(gi)]
        sub = block.take(rows)
        tr = link_terms(tables, kb, g, sub.oi, sub.ii, transport_terms(kb, g, sub.distance_km))
        t = totals(tables, g, sub.oi, sub.ii, sub.exchangeable_qty_per_yr, tr)
        monthly = monthly_exchange(tables, sub, tr.delivery_factor, tr.usable_fraction)
        for k, r in enumerate(rows):
            out[r] = _one(tables, g, sub, tr, t, monthly, k, explain)
    return [c for c in out if c is not None]


def _at(values: FloatArray | float, k: int) -> float:
    return float(values[k]) if isinstance(values, np.ndarray) and values.ndim else float(values)


def _one(
    tables: Tables,
    g: Group,
    b: PairBlock,
    tr: Transport,
    t: Totals,
    monthly: np.ndarray,
    k: int,
    explain: bool,
) -> Candidate:
    o, i = tables.outputs, tables.inputs
    orow, irow = int(b.oi[k]), int(b.ii[k])
    od, idecl = o.decls[orow], i.decls[irow]
    tk = Totals(*(_at(getattr(t, f), k) for f in Totals.__dataclass_fields__))
    fail = int(b.fail[k])
    q = float(b.exchangeable_qty_per_yr[k])
    route_km, var_cost, var_co2 = (
        _at(tr.route_km, k),
        _at(tr.cost_eur_per_unit, k),
        _at(tr.co2_kg_per_unit, k),
    )
    fixed, delivery = _at(tr.fixed_cost_eur_per_yr, k), _at(tr.delivery_factor, k)
    pre_cost = g.rule.pretreatment_cost_eur_per_unit if g.rule else 0.0
    pre_co2 = g.rule.pretreatment_co2_kg_per_unit if g.rule else 0.0
    water = abstraction_change_m3_per_unit(g, delivery)
    checks: tuple = ()
    text = ""
    if explain:
        checks = checks_for(
            tables,
            g,
            orow,
            irow,
            float(b.distance_km[k]),
            route_km,
            g.reach_km,
            fail,
            float(b.share[k]),
            bool(b.needs_dilution[k]),
            monthly[k],
            g.mode,
        )
        title = (
            f"{od.resource_code} from {od.site_id} ({od.id}) → {idecl.resource_code} at "
            f"{idecl.site_id} ({idecl.id})"
        )
        text = explanation_text(
            title,
            checks,
            fail == 0,
            od.unit.value,
            idecl.unit.value,
            q,
            delivery,
            float(o.cost_eur_per_unit[orow]),
            float(i.cost_eur_per_unit[irow]),
            var_cost,
            fixed,
            pre_cost,
            tk,
            bool(b.needs_dilution[k]),
            {src: v * q for src, v in water.items()},
            fixed_is_deal=g.mode is TransportMode.TRUCK,
        )
    return Candidate.model_construct(
        **_pair_fields(tables, orow, irow),
        rule_id=g.rule.id if g.rule else None,
        ratio=g.ratio,
        family=g.family,
        transport_mode=g.mode,
        distance_km=float(b.distance_km[k]),
        route_km=route_km,
        monthly_qty=tuple(float(x) for x in monthly[k]),
        exchangeable_qty_per_yr=q,
        max_share_of_input=float(b.share[k]),
        delivery_factor=delivery,
        needs_dilution=bool(b.needs_dilution[k]),
        variable_cost_eur_per_unit=var_cost + pre_cost,
        variable_co2_kg_per_unit=var_co2 + pre_co2 + g.burnt_co2_kg_per_unit,
        combustion_co2_kg_per_unit=g.burnt_co2_kg_per_unit,
        combustion_co2_t_per_yr=float(tk.combustion_co2_t_per_yr),
        water_abstraction_m3_per_unit=water,
        fresh_water_saved_m3_per_yr=fresh_water_saved_m3(water) * q,
        fixed_cost_eur_per_yr=fixed,
        transport_cost_eur_per_yr=float(tk.transport_cost_eur_per_yr),
        pretreatment_cost_eur_per_yr=float(tk.pretreatment_cost_eur_per_yr),
        avoided_disposal_eur_per_yr=float(tk.avoided_disposal_eur_per_yr),
        avoided_supply_eur_per_yr=float(tk.avoided_supply_eur_per_yr),
        net_gain_eur_per_yr=float(tk.net_gain_eur_per_yr),
        transport_co2_t_per_yr=float(tk.transport_co2_t_per_yr),
        pretreatment_co2_t_per_yr=float(tk.pretreatment_co2_t_per_yr),
        avoided_disposal_co2_t_per_yr=float(tk.avoided_disposal_co2_t_per_yr),
        avoided_supply_co2_t_per_yr=float(tk.avoided_supply_co2_t_per_yr),
        co2_avoided_t_per_yr=float(tk.co2_avoided_t_per_yr),
        checks=checks,
        viable=fail == 0,
        explanation=text,
    )


def explain_pair(
    tables: Tables, kb: KnowledgeBase, options: MatchOptions, out_row: int, in_row: int
) -> Candidate:
    """Any pair, viable or not — including ones too far away or of unrelated resources."""
    o, i = tables.outputs, tables.inputs
    g = group_for(kb, o.resource[out_row], i.resource[in_row], options)
    xyz = tables.sites.xyz
    d = km_from_xyz(xyz[o.site[[out_row]]], xyz[i.site[[in_row]]])
    if g is None:
        return _unrelated(tables, kb, out_row, in_row, float(d[0]))
    block = evaluate(tables, kb, 0, g, np.array([out_row]), np.array([in_row]), d)
    block.fail = (block.fail | np.where(block.distance_km > g.reach_km, int(Fail.DISTANCE), 0)).astype(
        np.int16
    )
    if o.site[out_row] == i.site[in_row]:
        block.fail = (block.fail | int(Fail.SAME_SITE)).astype(np.int16)
    return materialise(tables, kb, [g], block)[0]


def _unrelated(tables: Tables, kb: KnowledgeBase, out_row: int, in_row: int, distance_km: float) -> Candidate:
    o, i = tables.outputs, tables.inputs
    od, idecl = o.decls[out_row], i.decls[in_row]
    fam = kb.resources[od.resource_code].family
    checks = checks_for(
        tables,
        None,
        out_row,
        in_row,
        distance_km,
        distance_km,
        0.0,
        0,
        1.0,
        False,
        np.zeros(12),
        TransportMode.TRUCK,
    )
    text = (
        f"{od.resource_code} from {od.site_id} ({od.id}) → {idecl.resource_code} at {idecl.site_id} "
        f"({idecl.id}) — not viable\n  ✗ {checks[0].detail}"
    )
    zero = 0.0
    return Candidate.model_construct(
        **_pair_fields(tables, out_row, in_row),
        rule_id=None,
        ratio=1.0,
        family=fam,
        transport_mode=kb.families[fam].transport_mode,
        distance_km=distance_km,
        route_km=distance_km,
        monthly_qty=(0.0,) * 12,
        exchangeable_qty_per_yr=zero,
        max_share_of_input=1.0,
        delivery_factor=1.0,
        needs_dilution=False,
        variable_cost_eur_per_unit=zero,
        variable_co2_kg_per_unit=zero,
        fixed_cost_eur_per_yr=zero,
        transport_cost_eur_per_yr=zero,
        pretreatment_cost_eur_per_yr=zero,
        avoided_disposal_eur_per_yr=zero,
        avoided_supply_eur_per_yr=zero,
        net_gain_eur_per_yr=zero,
        transport_co2_t_per_yr=zero,
        pretreatment_co2_t_per_yr=zero,
        avoided_disposal_co2_t_per_yr=zero,
        avoided_supply_co2_t_per_yr=zero,
        co2_avoided_t_per_yr=zero,
        checks=checks,
        viable=False,
        explanation=text,
    )


def _pair_fields(tables: Tables, out_row: int, in_row: int) -> dict[str, Any]:
    """What a candidate says of its two declarations, viable or not: who, what, units, and the
    per-unit disposal and supply it would avoid."""
    o, i = tables.outputs, tables.inputs
    od, idecl = o.decls[out_row], i.decls[in_row]
    return {
        "output_id": od.id,
        "input_id": idecl.id,
        "giver_site_id": od.site_id,
        "receiver_site_id": idecl.site_id,
        "output_resource": od.resource_code,
        "input_resource": idecl.resource_code,
        "unit_out": od.unit,
        "unit_in": idecl.unit,
        "avoided_disposal_eur_per_unit": float(o.cost_eur_per_unit[out_row]),
        "avoided_disposal_co2_kg_per_unit": float(o.co2_kg_per_unit[out_row]),
        "avoided_supply_eur_per_unit": float(i.cost_eur_per_unit[in_row]),
        "avoided_supply_co2_kg_per_unit": float(i.co2_kg_per_unit[in_row]),
    }
