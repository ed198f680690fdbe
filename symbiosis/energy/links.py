"""Where matching meets the energy model: country defaults per declaration, heat terms per link.

Two entry points keep the edits to matching small:
- `apply_country_defaults` rewrites, after the tables are built, the default counterfactuals that
  are electricity (a CHP's lost power for steam sent, electric heat for low-grade heat) at the
  site's country price and grid factor; declared values are never touched.
- `link_terms` takes the flat transport terms of a group and, for pipelines, sizes the pipe by the
  link's peak flow, loses heat by diameter, and for heat-pump rules sets the COP-dependent ratio,
  electricity and heat-pump capex of each pair.
Both do nothing when the knowledge base has no energy tables.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import ResourceFamily, TerritoryLevel, TransportMode
from symbiosis.domain.resource import PipelineParameters
from symbiosis.energy import chp, heat_pump, pipe_sizing
from symbiosis.energy.parameters import EnergyParameters, EnergyTables
from symbiosis.knowledge.base import KnowledgeBase

if TYPE_CHECKING:
    from symbiosis.matching.evaluate import Transport
    from symbiosis.matching.groups import Group
    from symbiosis.matching.tables import DeclTable, FloatArray, Tables

HOURS_PER_MONTH = 8760.0 / 12.0
MAX_LOSS_FRACTION = 0.999


def site_country_codes(dataset: Dataset, site_ids: list[str]) -> list[str | None]:
    """Each site's country code: the `code` of the country-level territory above its territory."""
    by_id = {t.id: t for t in dataset.territories}
    territory_of = {s.id: s.territory_id for s in dataset.sites}
    out: list[str | None] = []
    for sid in site_ids:
        tid, code, seen = territory_of.get(sid), None, set()
        while tid is not None and tid in by_id and tid not in seen:
            seen.add(tid)
            t = by_id[tid]
            if t.level is TerritoryLevel.COUNTRY:
                code = t.code
                break
            tid = t.parent_id
        out.append(code)
    return out


def apply_country_defaults(tables: Tables, kb: KnowledgeBase) -> None:
    """Default electricity-based counterfactuals at each site's country factors (in place)."""
    energy = kb.energy
    if energy is None:
        return
    p = energy.parameters
    countries = tables.sites.country_codes
    o = tables.outputs
    for r in p.chp_steam_resources:
        for row in o.by_resource.get(r, ()):
            d = o.decls[row]
            c = energy.country(countries[int(o.site[row])])
            if d.disposal_cost_eur_per_unit is None:  # type: ignore[union-attr]
                o.cost_eur_per_unit[row] = -chp.lost_power_cost_eur_per_t(p, c)
            if d.disposal_co2_kg_per_unit is None:  # type: ignore[union-attr]
                o.co2_kg_per_unit[row] = -chp.lost_power_co2_kg_per_t(p, c)
    i = tables.inputs
    for r in p.district_heat_resources:
        for row in i.by_resource.get(r, ()):
            c = energy.country(countries[int(i.site[row])])
            if c.district_heat_co2_kg_per_mwh is not None and i.decls[row].supply_co2_kg_per_unit is None:  # type: ignore[union-attr]
                i.co2_kg_per_unit[row] = c.district_heat_co2_kg_per_mwh
    for r, mwh_e in p.electric_counterfactual_mwh_e_per_unit.items():
        for row in i.by_resource.get(r, ()):
            d = i.decls[row]
            c = energy.country(countries[int(i.site[row])])
            if d.supply_price_eur_per_unit is None:  # type: ignore[union-attr]
                i.cost_eur_per_unit[row] = mwh_e * c.electricity_price_eur_per_mwh
            if d.supply_co2_kg_per_unit is None:  # type: ignore[union-attr]
                i.co2_kg_per_unit[row] = mwh_e * c.grid_co2_kg_per_mwh


def _temperatures(
    tables: Tables, energy: EnergyTables, oi: np.ndarray, ii: np.ndarray, out_res: str, in_res: str
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(source °C, sink °C, pipe flow °C, pipe return °C) per pair: declared where stated, else the
    bands'; the pipe carries the output's fluid, cooled by its band's flow − return difference."""
    ob, ib = energy.bands.get(out_res), energy.bands.get(in_res)
    t_source = tables.outputs.temperature_c[oi].copy()
    if ob is not None:
        t_source = np.where(np.isnan(t_source), ob.supply_c, t_source)
    t_sink = tables.inputs.temperature_c[ii].copy()
    if ib is not None:
        t_sink = np.where(np.isnan(t_sink), ib.supply_c, t_sink)
    pipe_band = ob or ib
    flow = t_source if pipe_band is None else np.where(np.isnan(t_source), pipe_band.supply_c, t_source)
    band_dt = np.nan if pipe_band is None else pipe_band.supply_c - pipe_band.return_c
    ret = tables.outputs.return_temperature_c[oi]
    ret = np.where(np.isnan(ret), flow - band_dt, ret)  # a declared flow keeps the band's ΔT
    return t_source, t_sink, flow, ret


def link_terms(
    tables: Tables, kb: KnowledgeBase, group: Group, oi: np.ndarray, ii: np.ndarray, tr: Transport
) -> Transport:
    """The flat `transport_terms` of a group, made pair-specific by the energy model."""
    energy = kb.energy
    if energy is None or group.mode is not TransportMode.PIPELINE or len(oi) == 0:
        return tr
    p = energy.parameters
    pipe = kb.pipelines[group.family]
    is_heat_pump = group.rule is not None and group.rule.id in p.heat_pump_rules
    t_source, t_sink, t_flow, t_return = _temperatures(
        tables, energy, oi, ii, group.output_resource, group.input_resource
    )
    ratio = np.full(len(oi), group.ratio)
    cost, co2, fixed = tr.cost_eur_per_unit, tr.co2_kg_per_unit, tr.fixed_cost_eur_per_yr
    if is_heat_pump:
        c = heat_pump.cop(t_source, t_sink, p)
        ratio = heat_pump.sink_mwh_per_source_mwh(c)
        e = heat_pump.electricity_mwh_per_source_mwh(c)
        sites = tables.inputs.site[ii]  # the pump stands at the receiver and buys its electricity
        price = np.array(
            [energy.country(tables.sites.country_codes[s]).electricity_price_eur_per_mwh for s in sites]
        )
        grid = np.array([energy.country(tables.sites.country_codes[s]).grid_co2_kg_per_mwh for s in sites])
        cost = cost + e * price
        co2 = co2 + e * grid
    # the pipe carries the smaller of what the giver has and the receiver takes, at its peak month
    peak_out = _peak_per_h(tables.outputs, oi)
    peak_in = _peak_per_h(tables.inputs, ii) / ratio
    peak_units_per_h = np.minimum(peak_out, peak_in)
    mean_units_per_h = (
        np.minimum(tables.outputs.quantity_per_yr[oi], tables.inputs.quantity_per_yr[ii] / ratio) / 8760.0
    )
    loss = tr.loss_fraction
    if pipe.sized_by_flow:
        fixed, loss = _sized_pipe(
            pipe, p, group.family, tr, peak_units_per_h, mean_units_per_h, t_flow, t_return
        )
    if is_heat_pump:
        fixed = fixed + heat_pump.fixed_cost_eur_per_yr(peak_units_per_h * ratio, p)
    direct_heat = group.family is ResourceFamily.HEAT and not is_heat_pump  # through a heat exchanger
    usable = _usable_fraction(tables, p, oi, ii, t_flow, t_return) if direct_heat else np.ones(len(oi))
    delivery = ratio * np.maximum(1.0 - loss, 1e-12)
    return replace(
        tr,
        usable_fraction=usable,
        cost_eur_per_unit=cost,
        co2_kg_per_unit=co2,
        fixed_cost_eur_per_yr=fixed,
        loss_fraction=loss,
        delivery_factor=delivery,
    )


def _peak_per_h(t: DeclTable, rows: np.ndarray) -> FloatArray:
    """Declared peak MW where stated (heat), else the busiest month's mean flow per hour."""
    busiest = t.monthly[rows].max(axis=1) / HOURS_PER_MONTH
    if len(t.peak_mw) == 0:
        return busiest
    return np.where(np.isnan(t.peak_mw[rows]), busiest, t.peak_mw[rows])


def _usable_fraction(
    tables: Tables,
    p: EnergyParameters,
    oi: np.ndarray,
    ii: np.ndarray,
    t_flow: FloatArray,
    t_return: FloatArray,
) -> FloatArray:
    """Share of the output's heat a heat exchanger can pass, from the return side.

    The declared MWh are what cooling the stream from its flow to its return temperature gives;
    the receiver's water comes back at T_rr, so the stream can be cooled only to T_rr + approach:
    share = (T_flow − (T_rr + approach)) / (T_flow − T_return), clipped to [0, 1]. Only when the
    receiver states its return temperature.
    """
    t_rr = tables.inputs.return_temperature_c[ii] if len(tables.inputs.return_temperature_c) else None
    if t_rr is None:
        return np.ones(len(oi))
    coldest = t_rr + p.heat_exchanger_approach_k
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (t_flow - coldest) / (t_flow - t_return)
    return np.where(np.isnan(share), 1.0, np.clip(share, 0.0, 1.0))


def direct_exchange_approach_k(kb: KnowledgeBase, group: Group) -> float:
    """Kelvin a heat or steam source must exceed the input's declared minimum temperature by, when
    the heat passes a heat exchanger (not a heat pump): the exchanger's approach ΔT."""
    e = kb.energy
    if e is None or group.family not in (ResourceFamily.HEAT, ResourceFamily.STEAM):
        return 0.0
    if group.rule is not None and group.rule.id in e.parameters.heat_pump_rules:
        return 0.0
    return e.parameters.heat_exchanger_approach_k


def _sized_pipe(
    pipe: PipelineParameters,
    p: EnergyParameters,
    family: ResourceFamily,
    tr: Transport,
    peak_units_per_h: FloatArray,
    mean_units_per_h: FloatArray,
    t_flow: FloatArray,
    t_return: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """(fixed €/yr, loss fraction) of a pipe sized for the peak flow; a heat pipe loses a constant
    power all year, so its loss is a fraction of the mean flow."""
    assert pipe.density_kg_per_m3 is not None and pipe.design_velocity_m_per_s is not None  # sized_by_flow
    kg_per_unit: FloatArray | float = (
        pipe_sizing.hot_water_kg_per_mwh(t_flow - t_return, p)
        if family is ResourceFamily.HEAT
        else (pipe.kg_per_unit or 1000.0)
    )
    q = pipe_sizing.volume_flow_m3_per_s(peak_units_per_h, kg_per_unit, pipe.density_kg_per_m3)
    d = pipe_sizing.inner_diameter_m(q, pipe.design_velocity_m_per_s)
    capex = pipe_sizing.capex_eur_per_m(d, pipe) * 1000.0 * tr.route_km
    fixed = capex * (pipe.capital_recovery_factor + pipe.opex_fraction_per_yr)
    loss = tr.loss_fraction
    if family is ResourceFamily.HEAT:
        w_per_m = pipe_sizing.heat_loss_w_per_m(d, t_flow, t_return, p)
        mean_mw = np.maximum(mean_units_per_h, 1e-12)
        loss = np.minimum(w_per_m * 1000.0 * tr.route_km / 1e6 / mean_mw, MAX_LOSS_FRACTION)
    return fixed, loss
