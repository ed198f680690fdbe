"""Data shaping for the pages: domain objects in, small pandas frames and KPI records out.

Nothing here imports Streamlit, so every function is tested on its own (tests/dashboard).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from symbiosis.domain.candidate import Candidate
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.optimizer import ExchangePlan

UNKNOWN_SECTOR = "?"
_PALETTE: tuple[tuple[int, int, int], ...] = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
    (57, 59, 121),
    (173, 73, 74),
)
"""Tableau-10 and two more: distinct colours for NACE sections on the map."""

FAMILY_COLOURS: dict[str, tuple[int, int, int]] = {
    "steam": (214, 39, 40),
    "heat": (255, 127, 14),
    "water": (31, 119, 180),
    "gas": (148, 103, 189),
    "co2": (127, 127, 127),
    "mineral": (140, 86, 75),
    "chemical": (188, 189, 34),
    "organic": (44, 160, 44),
    "material": (23, 190, 207),
}


def sector_of(nace_code: str | None, kb: KnowledgeBase) -> tuple[str, str]:
    """(NACE section letter, section name) of a firm's NACE code; ("?", "") when unknown."""
    if not nace_code:
        return UNKNOWN_SECTOR, ""
    code = nace_code.strip()
    if code[:1].isalpha():
        entry = kb.nace.get(code[:1])
        return code[:1], entry.name if entry else ""
    entry = kb.nace.get(code[:2])
    while entry is not None and entry.parent_code:
        entry = kb.nace.get(entry.parent_code)
    return (entry.code, entry.name) if entry is not None else (UNKNOWN_SECTOR, "")


def sector_colour(section: str) -> tuple[int, int, int]:
    if section == UNKNOWN_SECTOR:
        return (90, 90, 90)
    return _PALETTE[(ord(section[0].upper()) - ord("A")) % len(_PALETTE)]


def sites_frame(ds: Dataset, kb: KnowledgeBase) -> pd.DataFrame:
    """One row per site: position, firm, sector (NACE section) and its map colour."""
    firms = {f.id: f for f in ds.firms}
    n_out = Counter(d.site_id for d in ds.outputs)
    n_in = Counter(d.site_id for d in ds.inputs)
    sectors: dict[str | None, tuple[str, str]] = {}
    rows = []
    for s in ds.sites:
        firm = firms.get(s.firm_id)
        nace = firm.nace_code if firm else None
        if nace not in sectors:
            sectors[nace] = sector_of(nace, kb)
        section, section_name = sectors[nace]
        rows.append(
            (
                s.id,
                s.name,
                s.firm_id,
                firm.name if firm else s.firm_id,
                s.territory_id,
                s.latitude_deg,
                s.longitude_deg,
                section,
                section_name,
                list(sector_colour(section)),
                n_out[s.id],
                n_in[s.id],
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "site_id",
            "site",
            "firm_id",
            "firm",
            "territory_id",
            "lat",
            "lon",
            "sector",
            "sector_name",
            "colour",
            "n_outputs",
            "n_inputs",
        ],
    )


@dataclass
class TerritoryKpis:
    n_sites: int = 0
    n_firms: int = 0
    n_outputs: int = 0
    n_inputs: int = 0
    n_known_exchanges: int = 0
    outputs_per_yr: dict[str, float] = field(default_factory=dict)  # declared, by canonical unit
    inputs_per_yr: dict[str, float] = field(default_factory=dict)
    n_candidates: int | None = None
    savings_eur_per_yr: float | None = None
    co2_avoided_t_per_yr: float | None = None
    n_chosen: int | None = None


def territory_kpis(
    ds: Dataset, n_candidates: int | None = None, plan: ExchangePlan | None = None
) -> TerritoryKpis:
    out: Counter[str] = Counter()
    inp: Counter[str] = Counter()
    for d in ds.outputs:
        out[d.unit.value] += d.quantity_per_yr
    for i in ds.inputs:
        inp[i.unit.value] += i.quantity_per_yr
    k = TerritoryKpis(
        n_sites=len(ds.sites),
        n_firms=len(ds.firms),
        n_outputs=len(ds.outputs),
        n_inputs=len(ds.inputs),
        n_known_exchanges=len(ds.exchanges),
        outputs_per_yr=dict(out),
        inputs_per_yr=dict(inp),
        n_candidates=n_candidates,
    )
    if plan is not None:
        k.savings_eur_per_yr = plan.totals.savings_eur_per_yr
        k.co2_avoided_t_per_yr = plan.totals.co2_avoided_t_per_yr
        k.n_chosen = len(plan.links)
    return k


CANDIDATE_COLUMNS = [
    "output_id",
    "input_id",
    "giver_site_id",
    "receiver_site_id",
    "output_resource",
    "input_resource",
    "family",
    "transport_mode",
    "distance_km",
    "exchangeable_qty_per_yr",
    "unit_out",
    "net_gain_eur_per_yr",
    "co2_avoided_t_per_yr",
]


def candidates_frame(cands: list[Candidate]) -> pd.DataFrame:
    """The sortable match table (one row per candidate, plain values only)."""
    rows = [
        [
            str(getattr(c, col).value) if col in {"family", "transport_mode", "unit_out"} else getattr(c, col)
            for col in CANDIDATE_COLUMNS
        ]
        for c in cands
    ]
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


def link_savings_frame(plan: ExchangePlan, cands: list[Candidate]) -> pd.DataFrame:
    """Chosen links with their family and the € and CO2 each saves per year.

    A link saves the disposal its giver avoids and the virgin supply its receiver avoids, less its
    own cost; summed over links this is exactly the plan's savings (baseline − plan cost).
    """
    by_pair = {(c.output_id, c.input_id): c for c in cands}
    rows = []
    for lf in plan.links:
        c = by_pair.get((lf.output_id, lf.input_id))
        if c is None:
            continue
        saved = (
            lf.qty_per_yr * c.avoided_disposal_eur_per_unit
            + lf.delivered_per_yr * c.avoided_supply_eur_per_unit
            - lf.cost_eur_per_yr
        )
        co2 = (
            lf.qty_per_yr * c.avoided_disposal_co2_kg_per_unit
            + lf.delivered_per_yr * c.avoided_supply_co2_kg_per_unit
        ) / 1000.0 - lf.co2_t_per_yr
        rows.append(
            [
                lf.link_id,
                lf.output_id,
                lf.input_id,
                lf.giver_site_id,
                lf.receiver_site_id,
                c.output_resource,
                c.input_resource,
                c.family.value,
                lf.qty_per_yr,
                lf.unit_out,
                lf.delivered_per_yr,
                lf.unit_in,
                saved,
                co2,
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            "link_id",
            "output_id",
            "input_id",
            "giver_site_id",
            "receiver_site_id",
            "output_resource",
            "input_resource",
            "family",
            "qty_per_yr",
            "unit_out",
            "delivered_per_yr",
            "unit_in",
            "savings_eur_per_yr",
            "co2_avoided_t_per_yr",
        ],
    )


def arcs_frame(pairs: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Giver → receiver coordinates for a frame holding ``giver_site_id``/``receiver_site_id``/``family``."""
    if pairs.empty:
        return pd.DataFrame(columns=["from_lon", "from_lat", "to_lon", "to_lat", "family", "colour"])
    pos = sites.set_index("site_id")[["lon", "lat"]]
    a = pairs.join(pos.add_suffix("_from"), on="giver_site_id").join(
        pos.add_suffix("_to"), on="receiver_site_id"
    )
    out = pd.DataFrame(
        {
            "from_lon": a["lon_from"],
            "from_lat": a["lat_from"],
            "to_lon": a["lon_to"],
            "to_lat": a["lat_to"],
            "family": a["family"],
            "giver": a["giver_site_id"],
            "receiver": a["receiver_site_id"],
        }
    )
    out["colour"] = [list(FAMILY_COLOURS.get(f, (120, 120, 120))) for f in out["family"]]
    return out.dropna(subset=["from_lon", "to_lon"]).reset_index(drop=True)


@dataclass(frozen=True)
class PlanSummary:
    """The four headline results of a scenario, per year."""

    savings_eur_per_yr: float
    co2_avoided_t_per_yr: float
    diverted_t_per_yr: float
    virgin_avoided_t_per_yr: float
    diverted_other: dict[str, float]  # m3 and MWh
    virgin_other: dict[str, float]
    n_links: int
    cost_eur_per_yr: float
    co2_t_per_yr: float
    status: str
    gap: float
    solve_time_s: float


def plan_summary(plan: ExchangePlan) -> PlanSummary:
    t = plan.totals
    return PlanSummary(
        savings_eur_per_yr=t.savings_eur_per_yr,
        co2_avoided_t_per_yr=t.co2_avoided_t_per_yr,
        diverted_t_per_yr=t.diverted_from_disposal_per_yr.get("t", 0.0),
        virgin_avoided_t_per_yr=t.virgin_avoided_per_yr.get("t", 0.0),
        diverted_other={u: v for u, v in t.diverted_from_disposal_per_yr.items() if u != "t"},
        virgin_other={u: v for u, v in t.virgin_avoided_per_yr.items() if u != "t"},
        n_links=len(plan.links),
        cost_eur_per_yr=t.cost_eur_per_yr,
        co2_t_per_yr=t.co2_t_per_yr,
        status=plan.solver.status,
        gap=plan.solver.gap,
        solve_time_s=plan.solver.time_s,
    )


def n_pages(n_rows: int, page_size: int) -> int:
    return max(1, math.ceil(n_rows / page_size))


def page_of(frame: pd.DataFrame, page: int, page_size: int) -> pd.DataFrame:
    """Rows of a 1-based page (clamped to the last page), so huge tables never reach the browser whole."""
    page = min(max(1, page), n_pages(len(frame), page_size))
    return frame.iloc[(page - 1) * page_size : page * page_size]


def binned_sites(sites: pd.DataFrame, cell_deg: float = 0.02) -> pd.DataFrame:
    """Sites counted per cell of ``cell_deg`` degrees (lon, lat at the cell's mean position, n).

    What a large map sends to the browser: the hexagon layer re-aggregates these weighted points,
    so 100,000 sites travel as a few thousand rows.
    """
    if sites.empty:
        return pd.DataFrame(columns=["lon", "lat", "n"])
    cell = (sites["lon"] // cell_deg).astype("int64") * 100_000 + (sites["lat"] // cell_deg).astype("int64")
    g = sites.groupby(cell.to_numpy())
    return pd.DataFrame({"lon": g["lon"].mean(), "lat": g["lat"].mean(), "n": g.size()}).reset_index(
        drop=True
    )
