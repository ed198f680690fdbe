"""Figures: the pydeck map, the plotly Sankey, Pareto front and firm network.

Large territories stay usable: above `AGGREGATE_ABOVE_SITES` the map shows a hexagon density of
sites instead of one dot each, and at most `MAX_ARCS` arcs (the best ones) are drawn.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from dashboard.data import FAMILY_COLOURS, binned_sites
from symbiosis.optimizer import ParetoPoint

AGGREGATE_ABOVE_SITES = 5_000
MAX_ARCS = 2_000
MAP_STYLE_ENV = "SYMBIOSIS_DASHBOARD_MAP_STYLE"
"""Optional base-map style URL (e.g. a MapLibre style of your tile server) for deployments with
internet access; unset (the default), no tile is fetched and the bundled outlines are the map."""
COUNTRIES = Path(__file__).with_name("geodata") / "countries_110m.geojson"
"""Natural Earth 1:110m country outlines (public domain), bundled: see dashboard/geodata/README.md."""


@lru_cache(maxsize=1)
def country_outlines() -> dict:
    """The bundled outlines, read once per process (177 countries, ~180 kB)."""
    return json.loads(COUNTRIES.read_text(encoding="utf-8"))


def map_style() -> str | None:
    return os.environ.get(MAP_STYLE_ENV, "").strip() or None


def view_of(sites: pd.DataFrame) -> pdk.ViewState:
    """Centre and zoom that frame every site."""
    if sites.empty:
        return pdk.ViewState(latitude=46.5, longitude=2.5, zoom=4)
    lat_span = float(sites["lat"].max() - sites["lat"].min())
    lon_span = float(sites["lon"].max() - sites["lon"].min())
    span = max(lat_span, lon_span, 0.005)
    zoom = max(1.0, min(15.0, 8.5 - 1.44 * math.log2(span)))
    return pdk.ViewState(
        latitude=float(sites["lat"].mean()), longitude=float(sites["lon"].mean()), zoom=zoom, pitch=30
    )


def _site_points(sites: pd.DataFrame) -> pd.DataFrame:
    """What a site's dot carries to its tooltip: names and figures (``sector_label``/``tip`` when
    the page filled them in the user's language, else the raw sector and declaration counts)."""
    cols = ["lon", "lat", "colour", "site", "firm", "sector"]
    out = sites[cols].copy()
    out["sector_label"] = sites["sector_label"] if "sector_label" in sites else sites["sector"]
    if "tip" in sites:
        out["tip"] = sites["tip"]
    elif {"n_outputs", "n_inputs"} <= set(sites.columns):
        out["tip"] = [f"{a} ↑ / {b} ↓" for a, b in zip(sites["n_outputs"], sites["n_inputs"], strict=True)]
    else:
        out["tip"] = ""
    return out


def site_map(
    sites: pd.DataFrame,
    candidate_arcs: pd.DataFrame,
    chosen_arcs: pd.DataFrame,
    aggregate: bool | None = None,
) -> pdk.Deck:
    """Sites coloured by sector (or aggregated), candidate exchanges as thin arcs, chosen ones thick."""
    aggregate = len(sites) > AGGREGATE_ABOVE_SITES if aggregate is None else aggregate
    layers: list[pdk.Layer] = [
        pdk.Layer(
            "GeoJsonLayer",
            data=country_outlines(),
            stroked=True,
            filled=False,
            get_line_color=[110, 110, 110, 200],
            line_width_min_pixels=1,
            pickable=False,
        )
    ]
    if aggregate:
        layers.append(
            pdk.Layer(
                "HexagonLayer",
                data=binned_sites(sites),
                get_position=["lon", "lat"],
                get_elevation_weight="n",
                get_color_weight="n",
                elevation_aggregation="SUM",
                color_aggregation="SUM",
                radius=5000,
                elevation_scale=50,
                extruded=True,
                pickable=True,
                coverage=0.9,
            )
        )
    else:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=_site_points(sites),
                get_position=["lon", "lat"],
                get_fill_color="colour",
                get_radius=60,
                radius_min_pixels=5,
                radius_max_pixels=14,
                pickable=True,
                stroked=True,
                get_line_color=[30, 30, 30],
                line_width_min_pixels=1,
            )
        )
    for arcs, width, alpha in ((candidate_arcs, 1, 90), (chosen_arcs, 4, 230)):
        if arcs.empty:
            continue
        data = arcs.head(MAX_ARCS).copy()
        data["colour"] = [[*c[:3], alpha] for c in data["colour"]]
        layers.append(
            pdk.Layer(
                "ArcLayer",
                data=data,
                get_source_position=["from_lon", "from_lat"],
                get_target_position=["to_lon", "to_lat"],
                get_source_color="colour",
                get_target_color="colour",
                get_width=width,
                pickable=True,
            )
        )
    tooltip = (
        {"html": "<b>{site}</b><br/>{firm}<br/>{sector_label}<br/>{tip}"}
        if not aggregate
        else {"text": "{elevationValue} sites"}
    )
    return pdk.Deck(layers=layers, initial_view_state=view_of(sites), map_style=map_style(), tooltip=tooltip)


def sankey(
    links: pd.DataFrame,
    unit: str,
    title: str = "",
    resource: Callable[[str], str] = str,
    family: Callable[[str], str] = str,
    per_year: str = "/yr",
    separators: str = ".,",
) -> go.Figure:
    """Output resource → family → input resource, flows in ``unit`` per year (one unit per chart).

    Nodes are named (``resource``, ``family``: the user's language), coloured by family, in a
    large dark font on white; hovering a flow gives its quantity with its unit. ``separators`` is
    plotly's decimal and thousands pair (", " in French)."""
    part = links[links["unit_out"] == unit]
    labels: list[str] = []
    colours: list[str] = []
    index: dict[str, int] = {}

    def node(key: str, label: str, fam: str) -> int:
        if key not in index:
            index[key] = len(labels)
            labels.append(label)
            r, g, b = FAMILY_COLOURS.get(fam, (120, 120, 120))
            colours.append(f"rgb({r},{g},{b})")
        return index[key]

    src, dst, val, link_colours = [], [], [], []
    for (out_res, fam), qty in part.groupby(["output_resource", "family"])["qty_per_yr"].sum().items():
        src.append(node(f"out:{out_res}", resource(out_res), fam))
        dst.append(node(f"fam:{fam}", family(fam), fam))
        val.append(float(qty))
    for (fam, in_res), qty in part.groupby(["family", "input_resource"])["qty_per_yr"].sum().items():
        src.append(node(f"fam:{fam}", family(fam), fam))
        dst.append(node(f"in:{in_res}", resource(in_res), fam))
        val.append(float(qty))
    for s_i in src:
        link_colours.append(colours[s_i].replace("rgb(", "rgba(").replace(")", ",0.35)"))
    fig = go.Figure(
        go.Sankey(
            node={"label": labels, "pad": 18, "thickness": 18, "color": colours, "line": {"width": 0}},
            link={"source": src, "target": dst, "value": val, "color": link_colours},
            valueformat=",.0f",
            valuesuffix=f" {unit}{per_year}",
            textfont={"size": 14, "color": "#111111"},
        )
    )
    fig.update_layout(
        title=title,
        height=460,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        paper_bgcolor="white",
        font={"size": 14, "color": "#111111"},
        separators=separators,
    )
    return fig


def pareto_chart(
    points: list[ParetoPoint],
    x_title: str,
    y_title: str,
    current: tuple[float, float] | None = None,
    front_name: str = "Pareto front",
    current_name: str = "Current plan",
    separators: str = ".,",
) -> go.Figure:
    """Cost against CO2: each point is the cheapest plan under a CO2 cap; the current plan starred.

    The current plan is itself on the front (the cheapest plan at its carbon price), so the line
    runs through it: drawn only between the sampled caps, a convex front's chords would pass above
    the plan and the star would seem to sit below the front."""
    line = sorted([(p.co2_t_per_yr, p.cost_eur_per_yr) for p in points] + ([current] if current else []))
    fig = go.Figure(
        go.Scatter(
            x=[x for x, _ in line],
            y=[y for _, y in line],
            mode="lines+markers",
            name=front_name,
            marker={"size": 8},
            hovertemplate="%{x:,.0f} t CO2e · %{y:,.0f} €<extra></extra>",
        )
    )
    if current is not None:
        fig.add_trace(
            go.Scatter(
                x=[current[0]],
                y=[current[1]],
                mode="markers",
                marker={
                    "size": 18,
                    "symbol": "star",
                    "color": "#d62728",
                    "line": {"width": 1, "color": "#111"},
                },
                name=current_name,
                hovertemplate="%{x:,.0f} t CO2e · %{y:,.0f} €<extra></extra>",
            )
        )
    fig.update_layout(
        xaxis_title=x_title,
        yaxis_title=y_title,
        height=400,
        showlegend=True,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        separators=separators,
    )
    return fig


def pareto_frame(points: list[ParetoPoint], current: tuple[float, float] | None) -> pd.DataFrame:
    """The front's points (and the current plan) for export: CO2 cap, CO2, cost, solver status."""
    rows = [(p.co2_t_per_yr, p.cost_eur_per_yr, p.co2_cap_t, p.status, False) for p in points]
    if current is not None:
        rows.append((current[0], current[1], None, "current", True))
    return pd.DataFrame(
        sorted(rows), columns=["co2_t_per_yr", "cost_eur_per_yr", "co2_cap_t", "status", "current_plan"]
    )


def network_figure(g: nx.Graph, highlighted: set[str]) -> go.Figure:
    """Firms as circles (keystones larger and red), exchanges as lines thickened by savings."""
    pos = nx.spring_layout(g, seed=7, weight=None) if g.number_of_nodes() else {}
    fig = go.Figure()
    top = max((d["savings_eur_per_yr"] for _, _, d in g.edges(data=True)), default=1.0) or 1.0
    for a, b, d in g.edges(data=True):
        fig.add_trace(
            go.Scatter(
                x=[pos[a][0], pos[b][0]],
                y=[pos[a][1], pos[b][1]],
                mode="lines",
                hoverinfo="skip",
                line={"width": 1 + 6 * max(d["savings_eur_per_yr"], 0.0) / top, "color": "#7f8c8d"},
            )
        )
    nodes = [n for n in g.nodes if g.degree(n) > 0]
    fig.add_trace(
        go.Scatter(
            x=[pos[n][0] for n in nodes],
            y=[pos[n][1] for n in nodes],
            mode="markers+text",
            text=[g.nodes[n]["name"] for n in nodes],
            textposition="top center",
            marker={
                "size": [26 if n in highlighted else 14 for n in nodes],
                "color": ["#d62728" if n in highlighted else "#1f77b4" for n in nodes],
            },
            hovertext=[f"{g.nodes[n]['name']} ({g.degree(n)})" for n in nodes],
            hoverinfo="text",
        )
    )
    fig.update_layout(
        showlegend=False,
        height=480,
        xaxis={"visible": False},
        yaxis={"visible": False},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return fig
