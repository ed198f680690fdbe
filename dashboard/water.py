"""The water page's data: which water tables to read, the territory's part of them, the targets and
plans computed on them (`symbiosis.water`), and the tables and figure a user reads — names, not ids.

Water tables are files of a dataset folder (docs/DATA_FORMAT.md, "Water networks"); the graph
store does not hold them. The page offers the sidebar's folder when it has them (cut to the chosen
territory's sites) and the examples shipped in ``datasets/`` (Wang & Smith 1994, Kalundborg), so a
user on the graph store can still see what the model does. No Streamlit here: tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard.formats import fmt_number
from dashboard.i18n import tr
from dashboard.sources import DataSource, SourceKind
from symbiosis import DATASETS_DIR
from symbiosis.water.balance import site_balances
from symbiosis.water.dataset_files import HOURS_PER_YEAR, has_water_tables
from symbiosis.water.network_model import WaterNetwork
from symbiosis.water.problem import DISCHARGE, Mode, Node, WaterProblem
from symbiosis.water.report import by_source_type_m3_per_h, plan_networks
from symbiosis.water.targets import Target, limiting_composite_curve, supply_line, water_targets

SOURCE_TYPES = ("ground", "surface", "mains", "sea")  # `WaterSource` values, in the order shown


@dataclass(frozen=True)
class WaterTables:
    """One choice of the page: a folder of water tables, and whether to cut it to the territory."""

    folder: str
    title: str
    """The dataset's name (its README's heading), or the folder's when it has none."""
    territory: bool
    """The sidebar's own folder: only the chosen territory's sites are kept."""


def _title(folder: Path) -> str:
    readme = folder / "README.md"
    if readme.is_file():
        first = readme.read_text(encoding="utf-8").splitlines()[:1]
        if first and first[0].startswith("#"):
            return first[0].lstrip("# ").strip()
    return folder.name


def water_tables_choices(source: DataSource, examples_dir: Path = DATASETS_DIR) -> list[WaterTables]:
    """The sidebar's folder first (when it has water tables), then every shipped example with them."""
    out: list[WaterTables] = []
    own = Path(source.path).resolve() if source.kind is SourceKind.FOLDER and source.path else None
    if own is not None and own.is_dir() and has_water_tables(own):
        out.append(WaterTables(str(own), _title(own), True))
    if examples_dir.is_dir():
        for folder in sorted(examples_dir.iterdir()):
            if folder.is_dir() and has_water_tables(folder) and folder.resolve() != own:
                out.append(WaterTables(str(folder.resolve()), _title(folder), False))
    return out


def restricted(p: WaterProblem, site_ids: set[str]) -> WaterProblem | None:
    """The operations and treatment units of ``site_ids``, with the sources they may draw from (a
    source without a site serves any site); None when no operation is left."""
    ops = tuple(o for o in p.operations if o.site_id in site_ids)
    if not ops:
        return None
    supplies = tuple(s for s in p.supplies if s.site_id is None or s.site_id in site_ids)
    treatments = tuple(t for t in p.treatments if t.site_id in site_ids)
    return WaterProblem(ops, supplies, treatments)


@dataclass
class WaterResults:
    """Everything the page shows, computed once per problem and carbon price."""

    problem: WaterProblem
    targets: list[Target]
    before: WaterNetwork
    """The cheapest network without reuse (the baseline)."""
    after: WaterNetwork
    """The cheapest network with reuse (and regeneration when treatment units are declared)."""


def compute(p: WaterProblem, carbon_price_eur_per_t: float) -> WaterResults:
    before, after = plan_networks(p, carbon_price_eur_per_t)
    return WaterResults(p, water_targets(p), before, after)


def case_name(t: Target, lang: str) -> str:
    if t.mode is Mode.NO_REUSE:
        return tr("water.case_no_reuse", lang)
    if t.mode is Mode.REGENERATION:
        return tr("water.case_regeneration", lang)
    return tr("water.case_reuse_across" if t.across_sites else "water.case_reuse_site", lang)


def guarantee(t: Target, lang: str) -> str:
    if t.exact:
        return tr("water.exact", lang)
    if t.lower_bound_m3_per_h is None:
        return tr("water.no_bound", lang)
    return tr("water.bound", lang, bound=fmt_number(t.lower_bound_m3_per_h, lang, 2))


def kinds_text(by_kind: dict[str, float], lang: str) -> str:
    parts = [
        f"{tr(f'water.type_{k}', lang)} {fmt_number(by_kind[k], lang, 2)}"
        for k in SOURCE_TYPES
        if by_kind.get(k, 0.0) > 1e-9
    ]
    return ", ".join(parts) or "—"


def targets_frame(results: WaterResults, lang: str) -> pd.DataFrame:
    """One row per case: fresh water and wastewater (m³/h and m³/yr), by source type, guarantee."""
    rows = []
    for t in results.targets:
        rows.append(
            {
                tr("water.col_case", lang): case_name(t, lang),
                tr("water.col_fresh_h", lang): fmt_number(t.fresh_m3_per_h, lang, 2),
                tr("water.col_fresh_yr", lang): fmt_number(t.fresh_m3_per_h * HOURS_PER_YEAR, lang),
                tr("water.col_waste_h", lang): fmt_number(t.wastewater_m3_per_h, lang, 2),
                tr("water.col_treated_h", lang): fmt_number(
                    sum(t.network.treated_m3_per_h().values()), lang, 2
                ),
                tr("water.col_by_type", lang): kinds_text(t.by_kind_m3_per_h, lang),
                tr("water.col_guarantee", lang): guarantee(t, lang),
            }
        )
    return pd.DataFrame(rows)


def node_name(p: WaterProblem, node: Node, sites: dict[str, str], lang: str) -> str:
    """What a user reads for a network node: the operation's name and site, the source's or
    treatment unit's name, or "discharge"."""
    kind, ident = node
    if node == DISCHARGE:
        return tr("water.discharge", lang)
    if kind == "operation":
        op = p.operation(ident)
        return f"{op.name} — {sites.get(op.site_id, op.site_id)}"
    if kind == "treatment":
        return p.treatment(ident).name
    s = p.supply(ident)
    return f"{s.name} ({tr(f'water.type_{s.kind.value}', lang)})"


def flows_frame(
    net: WaterNetwork, sites: dict[str, str], lang: str, min_m3_per_h: float = 1e-6
) -> pd.DataFrame:
    """Which part feeds which, largest flow first (flows below ``min_m3_per_h`` are LP round-off)."""
    p = net.problem
    arcs = sorted(
        ((a, b, v) for (a, b), v in net.flows_m3_per_h.items() if v > min_m3_per_h), key=lambda r: -r[2]
    )
    return pd.DataFrame(
        {
            tr("water.col_from", lang): [node_name(p, a, sites, lang) for a, _, _ in arcs],
            tr("water.col_to", lang): [node_name(p, b, sites, lang) for _, b, _ in arcs],
            tr("water.col_flow_h", lang): [fmt_number(v, lang, 2) for _, _, v in arcs],
            tr("water.col_flow_yr", lang): [fmt_number(v * HOURS_PER_YEAR, lang) for _, _, v in arcs],
        }
    )


def balance_rows(before: WaterNetwork, after: WaterNetwork) -> list[tuple[str, str, float, float]]:
    """(site id, line, before m³/h, after m³/h): water from each source type, then received, sent,
    released, discharged, lost and reused on site. Lines that are zero on both sides are left out."""
    b, a = site_balances(before), site_balances(after)
    out: list[tuple[str, str, float, float]] = []
    for site in sorted(set(b) | set(a)):
        sb, sa = b.get(site), a.get(site)

        def pair(get, sb=sb, sa=sa) -> tuple[float, float]:  # noqa: ANN001
            return (get(sb) if sb else 0.0, get(sa) if sa else 0.0)

        lines = [
            (f"type_{k}", pair(lambda s, k=k: s.from_sources_m3_per_h.get(k, 0.0))) for k in SOURCE_TYPES
        ]
        lines += [
            ("received", pair(lambda s: s.received_m3_per_h)),
            ("sent", pair(lambda s: s.sent_m3_per_h)),
            ("released", pair(lambda s: s.released_m3_per_h)),
            ("discharged", pair(lambda s: s.discharged_m3_per_h)),
            ("losses", pair(lambda s: s.losses_m3_per_h)),
            ("reused", pair(lambda s: s.reused_on_site_m3_per_h)),
        ]
        out += [(site, line, v0, v1) for line, (v0, v1) in lines if abs(v0) > 1e-9 or abs(v1) > 1e-9]
    return out


def balance_frame(results: WaterResults, sites: dict[str, str], lang: str) -> pd.DataFrame:
    rows = balance_rows(results.before, results.after)
    return pd.DataFrame(
        {
            tr("water.col_site", lang): [sites.get(s, s) for s, _, _, _ in rows],
            tr("water.col_line", lang): [tr(f"water.{line}", lang) for _, line, _, _ in rows],
            tr("water.col_before", lang): [fmt_number(v, lang, 2) for _, _, v, _ in rows],
            tr("water.col_after", lang): [fmt_number(v, lang, 2) for _, _, _, v in rows],
            tr("water.col_change", lang): [fmt_number(v1 - v0, lang, 2) for _, _, v0, v1 in rows],
        }
    )


def fresh_m3_per_h(net: WaterNetwork) -> float:
    """Fresh water (ground, surface, mains: not the sea) the network abstracts."""
    return sum(v for k, v in by_source_type_m3_per_h(net).items() if k != "sea")


def curve_contaminants(p: WaterProblem) -> list[str]:
    """The contaminants that have a limiting composite curve (a fixed-load operation picks them up)."""
    return [k for k in sorted(p.contaminants) if limiting_composite_curve(p, k)]


def reuse_target(results: WaterResults) -> Target:
    """The reuse target across sites: the one whose supply line touches the composite curve."""
    return next(t for t in results.targets if t.mode is Mode.REUSE and t.across_sites)


def curve_figure(results: WaterResults, contaminant: str, lang: str) -> go.Figure:
    """The limiting composite curve (mass load picked up against concentration) and the water
    supply line at the minimum fresh water with reuse (Wang & Smith 1994): the line pivots on the
    fresh water's concentration and touches the curve at the pinch."""
    curve = limiting_composite_curve(results.problem, contaminant)
    target = reuse_target(results)
    line = supply_line(curve, target.fresh_m3_per_h)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[m for m, _ in curve],
            y=[c for _, c in curve],
            mode="lines+markers",
            name=tr("water.curve_limiting", lang),
        )
    )
    if line:
        fig.add_trace(
            go.Scatter(
                x=[m for m, _ in line],
                y=[c for _, c in line],
                mode="lines",
                line={"dash": "dash"},
                name=tr("water.curve_supply", lang, fresh=fmt_number(target.fresh_m3_per_h, lang, 2)),
            )
        )
    fig.update_layout(
        xaxis_title=tr("water.axis_load", lang),
        yaxis_title=tr("water.axis_conc", lang, contaminant=contaminant),
        legend={"orientation": "h"},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    return fig
