"""Water page (issue 17): for the chosen territory's water tables (or a shipped example), the
minimum fresh water and wastewater targets, the limiting composite curve with the supply line,
the network found (which part feeds which) and the site balances before and after."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import water
from dashboard.failures import guarded
from dashboard.formats import fmt_number
from dashboard.frame import allowed, context, knowledge
from dashboard.names import Labels
from dashboard.sources import folder_version
from symbiosis.dataset_io import read_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.water.dataset_files import HOURS_PER_YEAR, read_water_problem
from symbiosis.water.problem import WaterProblem


@st.cache_resource(show_spinner=False, max_entries=8)
def _tables(folder: str, version: int) -> tuple[WaterProblem, Dataset]:
    """The folder's dataset (for site names and checks) and its water problem; ``version`` (the
    newest file time) makes an edited file a new entry."""
    ds = read_dataset(Path(folder), knowledge())
    return read_water_problem(Path(folder), {s.id for s in ds.sites}), ds


@st.cache_resource(show_spinner=False, max_entries=16)
def _results(
    folder: str, version: int, sites: frozenset[str] | None, carbon_price: float
) -> water.WaterResults | None:
    whole, _ = _tables(folder, version)
    problem = whole if sites is None else water.restricted(whole, set(sites))
    return None if problem is None else water.compute(problem, carbon_price)


ctx = context()
t = ctx.t
st.title(t("water.title", territory=ctx.territory_name))
if not allowed(ctx, company=False):  # firm-level water data, as the network page: no company view
    st.stop()
st.caption(t("water.intro"))
choices = water.water_tables_choices(ctx.source)
if not choices:
    st.info(t("water.no_tables"))
    st.stop()
if not choices[0].territory:
    st.caption(t("water.source_note"))
labels = {
    c.folder: t("water.tables_territory" if c.territory else "water.tables_example", title=c.title)
    for c in choices
}
left, right = st.columns([3, 1])
folder = left.selectbox(t("water.tables"), list(labels), format_func=lambda f: labels[f], key="wa_tables")
carbon_price = right.number_input(t("water.carbon_price"), 0.0, 10_000.0, 100.0, step=10.0, key="wa_price")
chosen = next(c for c in choices if c.folder == folder)
folder = chosen.folder
if not chosen.territory:
    st.caption(t("water.example_note", territory=ctx.territory_name))
version = folder_version(folder)
results = None
with guarded(ctx.lang, t("water.failure")), st.spinner(t("water.computing")):
    _, whole = _tables(folder, version)
    shown = ctx.dataset if chosen.territory else whole  # the territory as far as the user may see it
    sites = frozenset(s.id for s in shown.sites) if chosen.territory else None
    results = _results(folder, version, sites, float(carbon_price))
    if results is None:
        st.info(t("water.empty_territory", territory=ctx.territory_name))
if results is None:
    st.stop()
names = Labels.of(shown, ctx.kb, ctx.lang).sites
lang = ctx.lang

before_fresh, after_fresh = water.fresh_m3_per_h(results.before), water.fresh_m3_per_h(results.after)
m = st.columns(4)
m[0].metric(t("water.fresh_before"), f"{fmt_number(before_fresh, lang, 2)} m³/h")
m[1].metric(
    t("water.fresh_after"),
    f"{fmt_number(after_fresh, lang, 2)} m³/h",
    delta=f"{fmt_number(after_fresh - before_fresh, lang, 2)} m³/h",
    delta_color="inverse",
)
m[2].metric(t("water.saved_yr"), fmt_number((before_fresh - after_fresh) * HOURS_PER_YEAR, lang))
m[3].metric(t("water.waste_after"), f"{fmt_number(results.after.wastewater_m3_per_h, lang, 2)} m³/h")

st.subheader(t("water.targets"))
st.dataframe(water.targets_frame(results, lang), hide_index=True, key="wa_targets")

st.subheader(t("water.curves"))
contaminants = water.curve_contaminants(results.problem)
if contaminants:
    k = st.selectbox(t("water.contaminant"), contaminants, key="wa_contaminant")
    st.plotly_chart(water.curve_figure(results, k, lang), key="wa_curve")
else:
    st.info(t("water.no_curve"))

st.subheader(t("water.network"))
cases = {f"t{i}": (water.case_name(x, lang), x.network) for i, x in enumerate(results.targets)}
cases["plan"] = (t("water.case_plan"), results.after)
case = st.selectbox(
    t("water.network_case"),
    list(cases),
    index=len(cases) - 1,
    format_func=lambda c: cases[c][0],
    key="wa_case",
)
st.dataframe(water.flows_frame(cases[case][1], names, lang), hide_index=True, key="wa_flows")

st.subheader(t("water.balance"))
st.dataframe(water.balance_frame(results, names, lang), hide_index=True, key="wa_balance")
