"""Viability and economics of many (output, input) pairs at once, one group at a time.

Every condition is a numpy mask; a failed condition sets one bit in ``fail`` so that near-misses
and unmatched declarations can later say which condition stopped them. Money and emissions follow
the `symbiosis.domain.candidate` conventions: flows in output units, per-unit costs per unit of
output sent, avoided supply per unit of input delivered (``delivery_factor`` per output unit).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntFlag

import numpy as np
from numpy.typing import NDArray

from symbiosis.domain.enums import ResourceFamily, TransportMode
from symbiosis.energy.links import link_terms
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.groups import Group
from symbiosis.matching.tables import FloatArray, IntArray, Tables
from symbiosis.units import CanonicalUnit


class Fail(IntFlag):
    TEMPERATURE_LOW = 1
    TEMPERATURE_HIGH = 2
    CONTAMINANT = 4
    PURITY = 8
    MOISTURE = 16
    TIMING = 32
    LOSS = 64
    NOT_TRUCKABLE = 128
    DISTANCE = 256
    SAME_SITE = 512
    LOT_TOO_SMALL = 1024


FAIL_WORDS: dict[Fail, str] = {
    Fail.TEMPERATURE_LOW: "too cold",
    Fail.TEMPERATURE_HIGH: "too hot",
    Fail.CONTAMINANT: "contaminants above the limit",
    Fail.PURITY: "purity too low",
    Fail.MOISTURE: "too wet",
    Fail.TIMING: "no month in common",
    Fail.LOSS: "transport losses eat the whole flow",
    Fail.NOT_TRUCKABLE: "cannot be carried by truck",
    Fail.DISTANCE: "too far",
    Fail.SAME_SITE: "same site",
    Fail.LOT_TOO_SMALL: "less than one truck lot a year",
}


@dataclass
class PairBlock:
    """Compact columns for a set of pairs (~55 bytes a pair): what filtering and ranking need.

    ``group`` indexes the run's list of `Group`s. Transport terms (route km, per-unit cost and
    CO2, fixed cost, delivery factor) are a function of group and distance, so they are
    recomputed by `transport_terms` for the rows shown rather than stored for millions.
    """

    group: NDArray[np.int32]
    oi: NDArray[np.int32]
    ii: NDArray[np.int32]
    fail: NDArray[np.int16]
    needs_dilution: NDArray[np.bool_]
    distance_km: FloatArray
    share: FloatArray  # max share of the input this link may cover (rule cap, dilution cap)
    exchangeable_qty_per_yr: FloatArray
    net_gain_eur_per_yr: FloatArray
    co2_avoided_t_per_yr: FloatArray

    def __len__(self) -> int:
        return len(self.oi)

    def take(self, idx: np.ndarray) -> PairBlock:
        return PairBlock(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    @staticmethod
    def concat(blocks: list[PairBlock]) -> PairBlock:
        """Concatenate column by column, releasing each source column as it goes (halves the peak)."""
        if not blocks:
            return PairBlock.empty()
        out = {}
        for f in fields(PairBlock):
            out[f.name] = np.concatenate([getattr(b, f.name) for b in blocks])
            for b in blocks:
                setattr(b, f.name, None)
        return PairBlock(**out)

    @staticmethod
    def empty() -> PairBlock:
        return PairBlock(
            **{f.name: np.zeros(0, dtype=_DTYPES.get(f.name, np.float64)) for f in fields(PairBlock)}
        )


_DTYPES = {"group": np.int32, "oi": np.int32, "ii": np.int32, "fail": np.int16, "needs_dilution": np.bool_}


@dataclass(frozen=True)
class Transport:
    """Per-pair transport terms: route km, per unit of output sent, and the fixed yearly cost."""

    route_km: FloatArray
    cost_eur_per_unit: FloatArray
    co2_kg_per_unit: FloatArray
    fixed_cost_eur_per_yr: FloatArray
    loss_fraction: FloatArray
    delivery_factor: FloatArray  # ratio × (1 − loss)
    truckable: bool
    usable_fraction: FloatArray | float = 1.0  # of the output a heat exchanger can pass (return side)


def transport_terms(kb: KnowledgeBase, group: Group, distance_km: FloatArray) -> Transport:
    """Truck: €/t·km on road km + handling €/t, liquids weighed with their density. Pipeline:
    capex €/m × route m × (CRF + upkeep) per year, plus pumping per unit·km and a loss per km."""
    n = len(distance_km)
    if group.mode is TransportMode.TRUCK:
        truck = kb.truck
        route_km = distance_km * truck.road_detour_factor
        tpu = tonnes_per_unit(kb, group.output_resource)
        truckable = not np.isnan(tpu)
        tpu = tpu if truckable else 0.0
        cost = tpu * (truck.cost_eur_per_t_km * route_km + truck.handling_cost_eur_per_t)
        co2 = tpu * truck.co2_kg_per_t_km * route_km
        fixed = np.full(n, truck.deal_cost_eur_per_yr)
        loss = np.zeros(n)
    else:
        pipe = kb.pipelines[group.family]
        route_km = distance_km * pipe.detour_factor
        fixed = (
            pipe.capex_eur_per_m
            * 1000.0
            * route_km
            * (pipe.capital_recovery_factor + pipe.opex_fraction_per_yr)
        )
        cost = pipe.operating_cost_eur_per_unit_km * route_km
        co2 = pipe.operating_co2_kg_per_unit_km * route_km
        loss = pipe.loss_fraction_per_km * route_km
        truckable = True
    delivery = group.ratio * np.maximum(1.0 - loss, 1e-12)
    return Transport(route_km, cost, co2, fixed, loss, delivery, truckable)


Num = FloatArray | float


@dataclass(frozen=True)
class Totals:
    """Per-year figures of pairs at their exchangeable quantity (arrays, or floats for one pair)."""

    transport_cost_eur_per_yr: Num
    pretreatment_cost_eur_per_yr: Num
    avoided_disposal_eur_per_yr: Num
    avoided_supply_eur_per_yr: Num
    net_gain_eur_per_yr: Num
    transport_co2_t_per_yr: Num
    pretreatment_co2_t_per_yr: Num
    avoided_disposal_co2_t_per_yr: Num
    avoided_supply_co2_t_per_yr: Num
    co2_avoided_t_per_yr: Num
    combustion_co2_t_per_yr: Num


def totals(
    tables: Tables, group: Group, oi: np.ndarray, ii: np.ndarray, qty: FloatArray, tr: Transport
) -> Totals:
    """Gain = avoided disposal + avoided supply − transport (variable + fixed) − pre-treatment.

    CO2 avoided is the same balance in tonnes (kg per unit × units / 1000), less the combustion
    CO2 of a by-product the receiver burns in place of its fuel; a pipeline's build emissions are
    not counted (the knowledge base gives none).
    """
    rule = group.rule
    pre_cost = rule.pretreatment_cost_eur_per_unit if rule else 0.0
    pre_co2 = rule.pretreatment_co2_kg_per_unit if rule else 0.0
    q_in = qty * tr.delivery_factor
    o, i = tables.outputs, tables.inputs
    transport = tr.cost_eur_per_unit * qty + tr.fixed_cost_eur_per_yr
    pre = pre_cost * qty
    disp = o.cost_eur_per_unit[oi] * qty
    supply = i.cost_eur_per_unit[ii] * q_in
    t_co2 = tr.co2_kg_per_unit * qty / 1000.0
    p_co2 = pre_co2 * qty / 1000.0
    d_co2 = o.co2_kg_per_unit[oi] * qty / 1000.0
    s_co2 = i.co2_kg_per_unit[ii] * q_in / 1000.0
    c_co2 = group.burnt_co2_kg_per_unit * qty / 1000.0
    return Totals(
        transport,
        pre,
        disp,
        supply,
        disp + supply - transport - pre,
        t_co2,
        p_co2,
        d_co2,
        s_co2,
        d_co2 + s_co2 - t_co2 - p_co2 - c_co2,
        c_co2,
    )


def tonnes_per_unit(kb: KnowledgeBase, resource: str) -> float:
    """What one canonical unit weighs on a truck; NaN for energy (MWh cannot be trucked)."""
    res = kb.resources[resource]
    if res.canonical_unit is CanonicalUnit.TONNE:
        return 1.0
    if res.canonical_unit is CanonicalUnit.CUBIC_METRE:
        return res.density_t_per_m3
    return float("nan")


def evaluate(
    tables: Tables,
    kb: KnowledgeBase,
    group_index: int,
    group: Group,
    oi: IntArray,
    ii: IntArray,
    distance_km: FloatArray,
) -> PairBlock:
    """Check every condition and cost every pair of one group (vectorised)."""
    o, i = tables.outputs, tables.inputs
    n = len(oi)
    fail = np.zeros(n, dtype=np.int64)
    rule = group.rule

    # temperature: the stricter of the input's minimum and the rule's; the input's maximum
    t_out = o.temperature_c[oi]
    t_min = i.temperature_c[ii] + group.approach_k  # heat exchanger approach (0 without energy tables)
    if rule is not None and rule.min_temperature_c is not None:
        t_min = np.fmax(t_min, rule.min_temperature_c)
    fail |= np.where(~np.isnan(t_min) & ~(t_out >= t_min), int(Fail.TEMPERATURE_LOW), 0)
    t_max = i.max_temperature_c[ii]
    fail |= np.where(~np.isnan(t_max) & ~(t_out <= t_max), int(Fail.TEMPERATURE_HIGH), 0)

    # purity and moisture, the stricter of declaration and rule
    p_min = i.purity_pct[ii]
    if rule is not None and rule.min_purity_pct is not None:
        p_min = np.fmax(p_min, rule.min_purity_pct)
    fail |= np.where(~np.isnan(p_min) & ~(o.purity_pct[oi] >= p_min), int(Fail.PURITY), 0)
    m_max = i.moisture_pct[ii]
    if rule is not None and rule.max_moisture_pct is not None:
        m_max = np.fmin(m_max, rule.max_moisture_pct)
    fail |= np.where(~np.isnan(m_max) & ~(o.moisture_pct[oi] <= m_max), int(Fail.MOISTURE), 0)

    # contaminants: undeclared concentration = absent; water may be blended down with clean supply
    share = np.full(n, group.max_share_of_input)
    needs_dilution: np.ndarray = np.zeros(n, dtype=bool)
    if tables.contaminant_names:
        conc = np.nan_to_num(o.contaminants[oi], nan=0.0)
        limit = np.nan_to_num(i.contaminants[ii], nan=np.inf)
        over = conc > limit
        any_over = over.any(axis=1)
        if group.family is ResourceFamily.WATER:
            with np.errstate(divide="ignore", invalid="ignore"):
                blend = np.where(over, limit / conc, np.inf).min(axis=1)
            needs_dilution = np.asarray(any_over, dtype=bool)
            share = np.where(any_over, np.minimum(share, blend), share)
            fail |= np.where(any_over & ~(blend > 0), int(Fail.CONTAMINANT), 0)
        else:
            fail |= np.where(any_over, int(Fail.CONTAMINANT), 0)

    # transport
    tr = link_terms(tables, kb, group, oi, ii, transport_terms(kb, group, distance_km))
    if not tr.truckable:
        fail |= int(Fail.NOT_TRUCKABLE)
    fail |= np.where(tr.loss_fraction >= 1.0, int(Fail.LOSS), 0)
    fail |= np.where(~(np.asarray(tr.usable_fraction) > 0), int(Fail.TEMPERATURE_LOW), 0)
    delivery = tr.delivery_factor

    # timing: month by month, what the giver has and what the receiver may take (in output units)
    cap_in = i.monthly[ii] * (share / delivery)[:, None]
    monthly = np.minimum(o.monthly[oi] * np.asarray(tr.usable_fraction).reshape(-1, 1), cap_in)
    qty = monthly.sum(axis=1)
    fail |= np.where(~(qty > 0), int(Fail.TIMING), 0)
    if group.mode is TransportMode.TRUCK and tr.truckable:  # micro-deals: not worth a truck
        lot_t = kb.truck.min_lot_t_per_yr * (1.0 - 1e-9)  # twelve monthly shares may sum a hair short
        fail |= np.where(
            (qty > 0) & (qty * tonnes_per_unit(kb, group.output_resource) < lot_t), int(Fail.LOT_TOO_SMALL), 0
        )

    t = totals(tables, group, oi, ii, qty, tr)
    return PairBlock(
        group=np.full(n, group_index, dtype=np.int32),
        oi=oi.astype(np.int32),
        ii=ii.astype(np.int32),
        fail=fail.astype(np.int16),
        needs_dilution=needs_dilution,
        distance_km=distance_km,
        share=share,
        exchangeable_qty_per_yr=qty,
        net_gain_eur_per_yr=np.asarray(t.net_gain_eur_per_yr),
        co2_avoided_t_per_yr=np.asarray(t.co2_avoided_t_per_yr),
    )


def monthly_exchange(
    tables: Tables, block: PairBlock, delivery_factor: FloatArray, usable_fraction: FloatArray | float = 1.0
) -> np.ndarray:
    """(pairs, 12) exchangeable flow in output units — recomputed for the few pairs shown."""
    cap_in = tables.inputs.monthly[block.ii] * (block.share / delivery_factor)[:, None]
    usable = np.broadcast_to(np.asarray(usable_fraction, dtype=float), (len(block),)).reshape(-1, 1)
    return np.minimum(tables.outputs.monthly[block.oi] * usable, cap_in)
