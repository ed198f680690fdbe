"""The pools page's data: a territory's proposed pools as the signed-in user may see them, as
tables with names and units in the user's language, and the tour as map layers.

On the graph store every read goes through `symbiosis.services.pools` with the principal, so the
API's rules apply unchanged (a company sees its own share, partners masked until consent). With
local files (folder or synthetic source, no accounts) the pools are proposed from the dataset
itself (`symbiosis.pooling.service.propose_pools`) and shown in full, like every other page there.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pydeck as pdk

from dashboard.charts import country_outlines, map_style, view_of
from dashboard.formats import fmt_number
from dashboard.i18n import tr
from dashboard.names import Labels, _letters
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.pooling.service import propose_pools
from symbiosis.services import pools as pool_service

HUB_COLOUR = [200, 60, 40]
MEMBER_COLOUR = [30, 110, 200]
ROUTE_COLOURS = ([30, 110, 200], [240, 150, 20], [40, 160, 90], [150, 70, 180])


def local_pools(
    ds: Dataset, kb: KnowledgeBase, territory_id: str, carbon_price: float
) -> list[dict[str, Any]]:
    """Full pools of a local-files territory (the same records `GET /pools` gives an admin)."""
    result = propose_pools(ds, kb, carbon_price, time_limit_s=pool_service.POOL_TIME_LIMIT_S)
    return [pool_service.full_pool(ds, p, territory_id) for p in result.pools]


def _col(lang: str, key: str) -> str:
    """A table header (with its unit) from the catalogue."""
    return tr(f"pools.col.{key}", lang)


def _eur(value: float | None, lang: str) -> str:
    return fmt_number(value, lang)


def _range(lo_hi: tuple[float, float] | list[float], lang: str, decimals: int = 0) -> str:
    lo, hi = lo_hi
    return f"{fmt_number(lo, lang, decimals)} – {fmt_number(hi, lang, decimals)}"


def pool_label(pool: dict[str, Any], labels: Labels) -> str:
    """ "Plastiques — collecte, 5 membres → Centre de tri …, 3 318 €/an" (or the range a company sees)."""
    t = labels.lang
    side = tr(f"pools.side.{pool['side']}", t)
    n = pool.get("n_members", len(pool.get("members") or []))
    if "saving_eur_per_yr" in pool:
        value = _eur(pool["saving_eur_per_yr"], t)
        hub = pool["hub"]["site_name"]
    else:
        value = _range(pool["saving_eur_per_yr_range"], t)
        hub = pool["hub"].get("site_name") or tr("pools.hidden_hub", t)
    return tr(
        "pools.label",
        t,
        resource=labels.resource(pool["resource_code"]),
        side=side,
        n=n,
        hub=hub,
        value=value,
    )


def pools_table(pools: list[dict[str, Any]], labels: Labels) -> pd.DataFrame:
    """One row per pool (full view), figures formatted, headers with units."""
    lang = labels.lang

    return pd.DataFrame(
        {
            _col(lang, "resource"): [labels.resource(p["resource_code"]) for p in pools],
            _col(lang, "side"): [tr(f"pools.side.{p['side']}", lang) for p in pools],
            _col(lang, "hub"): [p["hub"]["site_name"] for p in pools],
            _col(lang, "members"): [len(p["members"]) for p in pools],
            _col(lang, "today"): [_eur(p["today_eur_per_yr"], lang) for p in pools],
            _col(lang, "pooled"): [_eur(p["pool_eur_per_yr"], lang) for p in pools],
            _col(lang, "saving"): [_eur(p["saving_eur_per_yr"], lang) for p in pools],
            _col(lang, "km_saved"): [fmt_number(p["truck_km_saved_per_yr"], lang) for p in pools],
            _col(lang, "co2_saved"): [fmt_number(p["co2_avoided_t_per_yr"], lang, 2) for p in pools],
        }
    )


def split_table(pool: dict[str, Any], lang: str) -> pd.DataFrame:
    """Who pays what: each member's contract today, its fair (Shapley) share beside pro rata."""

    members = pool["members"]
    return pd.DataFrame(
        {
            _col(lang, "member"): [m["site_name"] for m in members],
            _col(lang, "firm"): [m["firm_name"] for m in members],
            _col(lang, "volume"): [fmt_number(m["t_per_yr"], lang, 1) for m in members],
            _col(lang, "today"): [_eur(m["today_eur_per_yr"], lang) for m in members],
            _col(lang, "shapley"): [_share(m, lang) for m in members],
            _col(lang, "pro_rata"): [_eur(m["pro_rata_eur_per_yr"], lang) for m in members],
            _col(lang, "member_saving"): [_eur(m["saving_eur_per_yr"], lang) for m in members],
        }
    )


def _share(member: dict[str, Any], lang: str) -> str:
    half = member.get("shapley_half_width_eur") or 0.0
    share = _eur(member["shapley_eur_per_yr"], lang)
    return f"{share} ± {_eur(half, lang)}" if half > 0 else share


def partner_names(pools: list[dict[str, Any]], lang: str) -> dict[str, str]:
    """Opaque partner reference → "Partenaire A" (letters by sorted reference: stable between runs)."""
    refs = sorted(
        {p["partner_ref"] for pool in pools for p in (*pool["partners"], pool["hub"]) if p["partner_ref"]}
    )
    return {
        ref: tr("pools.partner", lang, letter=letter)
        for letter, ref in zip(_letters(len(refs)), refs, strict=True)
    }


def company_table(pools: list[dict[str, Any]], labels: Labels) -> pd.DataFrame:
    """A company's pools: its own figures exact, the pool's saving as a range."""
    lang = labels.lang

    return pd.DataFrame(
        {
            _col(lang, "resource"): [labels.resource(p["resource_code"]) for p in pools],
            _col(lang, "side"): [tr(f"pools.side.{p['side']}", lang) for p in pools],
            _col(lang, "members"): [p["n_members"] for p in pools],
            _col(lang, "own_today"): [_eur(p["own_today_eur_per_yr"], lang) for p in pools],
            _col(lang, "own_share"): [_eur(p["own_shapley_eur_per_yr"], lang) for p in pools],
            _col(lang, "own_pro_rata"): [_eur(p["own_pro_rata_eur_per_yr"], lang) for p in pools],
            _col(lang, "own_saving"): [_eur(p["own_saving_eur_per_yr"], lang) for p in pools],
            _col(lang, "saving_range"): [_range(p["saving_eur_per_yr_range"], lang) for p in pools],
        }
    )


def partners_table(pool: dict[str, Any], names: dict[str, str], lang: str) -> pd.DataFrame:
    """The other members as the company may see them: named when disclosed, else a label and a
    volume range."""

    rows = pool["partners"]
    return pd.DataFrame(
        {
            _col(lang, "member"): [p.get("site_name") or names.get(p["partner_ref"], "—") for p in rows],
            _col(lang, "volume"): [
                fmt_number(p["t_per_yr"], lang, 1)
                if p.get("t_per_yr") is not None
                else _range(p["t_per_yr_range"], lang)
                for p in rows
            ],
            _col(lang, "shown"): [tr(f"disclosed.{p['disclosed_by']}", lang) for p in rows],
        }
    )


def tour_frames(pool: dict[str, Any], lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(paths, points) of the tour: one path per route hub → stops → hub; the hub and each stop."""
    hub = pool["hub"]
    routes = pool.get("routes") or []
    paths = pd.DataFrame(
        {
            "path": [
                [[s["longitude_deg"], s["latitude_deg"]] for s in (hub, *route, hub)] for route in routes
            ],
            "colour": [ROUTE_COLOURS[k % len(ROUTE_COLOURS)] for k in range(len(routes))],
            "name": [tr("pools.route", lang, k=k + 1, n=len(r)) for k, r in enumerate(routes)],
            "firm": ["" for _ in routes],
            "role": ["" for _ in routes],
        }
    )
    stops = [s for r in routes for s in r]
    points = pd.DataFrame(
        {
            "lon": [hub["longitude_deg"], *(s["longitude_deg"] for s in stops)],
            "lat": [hub["latitude_deg"], *(s["latitude_deg"] for s in stops)],
            "name": [hub["site_name"], *(s["site_name"] for s in stops)],
            "firm": [hub["firm_name"], *(s["firm_name"] for s in stops)],
            "role": [tr("pools.hub", lang), *(tr("pools.stop", lang) for _ in stops)],
            "colour": [HUB_COLOUR, *(MEMBER_COLOUR for _ in stops)],
        }
    )
    return paths, points


def tour_map(pool: dict[str, Any], lang: str) -> pdk.Deck:
    """The bundled outlines, the routes as paths, the hub and the members as named dots."""
    paths, points = tour_frames(pool, lang)
    layers = [
        pdk.Layer(
            "GeoJsonLayer", data=country_outlines(), stroked=True, filled=False,
            get_line_color=[110, 110, 110, 200], line_width_min_pixels=1, pickable=False,
        ),
        pdk.Layer(
            "PathLayer", data=paths, get_path="path", get_color="colour", get_width=4,
            width_min_pixels=3, pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer", data=points, get_position=["lon", "lat"], get_fill_color="colour",
            get_radius=60, radius_min_pixels=6, radius_max_pixels=14, pickable=True, stroked=True,
            get_line_color=[30, 30, 30], line_width_min_pixels=1,
        ),
    ]  # fmt: skip
    view = view_of(points)
    view.zoom, view.pitch = max(1.0, view.zoom - 1.0), 0  # room around the tour, seen from above
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        map_style=map_style(),
        tooltip={"html": "<b>{name}</b><br/>{firm}<br/>{role}"},
    )
