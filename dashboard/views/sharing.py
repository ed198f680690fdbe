"""Mutualisation: shared spaces, equipment, services and skills of an example territory — KPIs, the
allocated pairs explained, near-misses, and a week × hour occupancy heat map per asset, before and
after sharing (docs/SHARING.md). On the graph store: the chosen territory's offers and needs; on a
dataset folder: its sharing files, or the example territories in datasets/. Facilitators' view:
company accounts are refused, as the API's allocation is."""

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.auth import service_context
from dashboard.formats import fmt_number
from dashboard.frame import allowed, context
from dashboard.sources import DataSource, SourceKind
from symbiosis import DATASETS_DIR
from symbiosis.knowledge import load_knowledge_base
from symbiosis.services import sharing as sharing_service
from symbiosis.sharing.matching import explain
from symbiosis.sharing.occupancy import week_grid
from symbiosis.sharing.records import OFFERS_FILE, read_sharing
from symbiosis.sharing.service import run_sharing
from symbiosis.sharing.slots import DAYS_EN, DAYS_FR

ctx = context()
t = ctx.t
st.title(t("sharing.title"))
if not allowed(ctx, company=False):  # facilitators' view, as the API's allocation
    st.stop()
year = int(st.number_input(t("sharing.year"), 1900, 2200, 2026, key="sh_year"))
carbon = float(st.number_input(t("sharing.carbon"), 0.0, 1000.0, 100.0, step=10.0, key="sh_carbon"))


@st.cache_data(show_spinner=False)
def _from_folder(path: str, year: int, carbon: float):  # noqa: ANN202
    data = read_sharing(Path(path), load_knowledge_base())
    return data, run_sharing(data, year, carbon)


@st.cache_data(show_spinner=False)
def _from_store(source: DataSource, territory_id: str, year: int, carbon: float):  # noqa: ANN202
    """The store's offers and needs of the territory (the user sees all of it: `allowed` above)."""
    data, _ = sharing_service.territory_data(service_context(), territory_id)
    return data, run_sharing(data, year, carbon)


if ctx.source.kind is SourceKind.GRAPH:
    data, result = _from_store(ctx.source, ctx.territory_id, year, carbon)
else:  # a dataset folder: its own sharing files, or the example territories shipped in datasets/
    folders = sorted(p.parent for p in DATASETS_DIR.glob(f"*/{OFFERS_FILE}"))
    own = Path(ctx.source.path) if ctx.source.kind is SourceKind.FOLDER else None
    if own is not None and (own / OFFERS_FILE).is_file():
        folders = [own, *[f for f in folders if f != own]]
    if not folders:
        st.info(t("sharing.none"))
        st.stop()
    folder = st.selectbox(t("sharing.dataset"), folders, format_func=lambda p: p.name, key="sh_dataset")
    data, result = _from_folder(str(folder), year, carbon)
if not data.offers:
    st.info(t("sharing.empty", territory=ctx.territory_name))
    st.stop()
lang = ctx.lang
chosen = result.allocated()
names = data.site_names()
before = np.mean([o.share_before for o in result.occupancy]) if result.occupancy else 0.0
after = np.mean([o.share_after for o in result.occupancy]) if result.occupancy else 0.0
cols = st.columns(4)
cols[0].metric(t("sharing.served"), f"{len(chosen.need)} / {len(data.needs)}")
cols[1].metric(t("sharing.cost"), f"{fmt_number(float(chosen.cost_avoided_eur.sum()), lang)} €")
cols[2].metric(t("sharing.co2"), f"{fmt_number(float(chosen.co2_avoided_t.sum()), lang, 1)} t")
cols[3].metric(t("sharing.occupancy"), f"{before:.0%} → {after:.0%}")

st.subheader(t("sharing.pairs"))
st.dataframe(
    pd.DataFrame(
        {
            t("sharing.need"): [
                f"{data.needs[int(i)].id} ({names[data.needs[int(i)].site_id]})" for i in chosen.need
            ],
            t("sharing.offer"): [data.offers[int(j)].name for j in chosen.offer],
            "km": [fmt_number(float(d), lang, 1) for d in chosen.distance_km],
            t("sharing.eur"): [fmt_number(float(v), lang) for v in chosen.cost_avoided_eur],
            t("sharing.why"): [explain(data, chosen, k, lang) for k in range(len(chosen.need))],
        }
    ),
    hide_index=True,
    key="sh_pairs",
)
misses = result.matches.take(np.flatnonzero(~result.matches.fits))
if len(misses.need):
    st.subheader(t("sharing.near"))
    st.dataframe(
        pd.DataFrame(
            {
                t("sharing.need"): [data.needs[int(i)].id for i in misses.need],
                t("sharing.offer"): [data.offers[int(j)].name for j in misses.offer],
                t("sharing.why"): [explain(data, misses, k, lang) for k in range(len(misses.need))],
            }
        ),
        hide_index=True,
        key="sh_near",
    )

st.subheader(t("sharing.heatmap"))
by_name = {o.offer_index: data.offers[o.offer_index].name for o in result.occupancy}
index = st.selectbox(t("sharing.asset"), list(by_name), format_func=lambda i: by_name[i], key="sh_asset")
occ = result.occupancy[index]
days = list(DAYS_FR if lang == "fr" else DAYS_EN)
# 0 free, 1 the owner's own use, 2 a sharer's use (allocated need)
state = week_grid(np.where(occ.before, 1, np.where(occ.after, 2, 0)))
labels = [t("sharing.free"), t("sharing.owner"), t("sharing.shared")]
fig = go.Figure(
    go.Heatmap(
        z=state,
        x=[f"{h:02d}:00" for h in range(24)],
        y=days,
        zmin=0,
        zmax=2,
        colorscale=[
            [0, "#f2f2f2"],
            [0.33, "#f2f2f2"],
            [0.34, "#7f8c8d"],
            [0.66, "#7f8c8d"],
            [0.67, "#27ae60"],
            [1, "#27ae60"],
        ],
        colorbar={"tickvals": [0, 1, 2], "ticktext": labels},
        hovertemplate="%{y} %{x}<extra></extra>",
    )
)
fig.update_yaxes(autorange="reversed")
fig.update_layout(height=320, margin={"l": 40, "r": 10, "t": 30, "b": 30})
st.plotly_chart(fig, key="sh_heatmap")
st.caption(
    t(
        "sharing.hours",
        before=occ.hours_before,
        after=occ.hours_after,
        share_before=f"{occ.share_before:.0%}",
        share_after=f"{occ.share_after:.0%}",
    )  # fmt: skip
)
