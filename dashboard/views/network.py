"""Network view: firms and chosen exchanges as a graph, keystone firms, and "what if this firm leaves?"."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, display, network
from dashboard.failures import guarded
from dashboard.formats import fmt_number
from dashboard.frame import allowed, context, fmt_eur
from dashboard.names import Labels
from dashboard.scenario import Scenario

ctx = context()
t = ctx.t
st.title(t("network.title", territory=ctx.territory_name))
if not allowed(ctx, company=False):  # company accounts get no plan, as /runs refuses them
    st.stop()
ds = ctx.dataset
service = ctx.matching
scenario = st.session_state.get("scenario_ok", Scenario())
st.caption(t("network.scenario", label=scenario.label()))
plan = None
with guarded(ctx.lang, t("failure.network_plan")), st.spinner(t("overview.optimising")):
    plan = ctx.plan(scenario)
if plan is None:  # said above; the rest of the dashboard is unaffected
    st.stop()
links = data.link_savings_frame(plan, service.candidates(explain=False))
keys = network.keystones(links, ds)
if keys.empty:
    st.info(t("network.empty"))
    st.stop()

top = set(keys["firm_id"].head(3))
st.plotly_chart(charts.network_figure(network.firm_graph(links, ds), top), key="nw_graph")
st.subheader(t("network.keystones"))
shown = pd.DataFrame(
    {
        t("col.firm"): keys["firm"],
        t("network.partners"): keys["partners"],
        t("network.betweenness"): [fmt_number(v, ctx.lang, 3) for v in keys["betweenness"]],
        t("kpi.chosen"): keys["n_links"],
        t("network.dependent"): [fmt_number(v, ctx.lang) for v in keys["dependent_savings_eur_per_yr"]],
    }
)
st.dataframe(shown, hide_index=True, key="nw_keys")

st.subheader(t("network.whatif"))
names = dict(zip(keys["firm_id"], keys["firm"], strict=True))
firm = st.selectbox(t("network.leaving"), list(names), format_func=lambda f: names[f], key="nw_firm")
if st.button(t("network.simulate"), key="nw_run"):
    st.session_state["nw_exit_for"] = (firm, scenario)
ex = None
if st.session_state.get("nw_exit_for") == (firm, scenario):
    with guarded(ctx.lang, t("network.whatif")), st.spinner(t("overview.optimising")):
        ex = network.firm_exit(ds, ctx.kb, service, links, firm, scenario)
if ex is not None:
    m = st.columns(4)
    m[0].metric(t("network.links_lost"), f"{len(ex.lost_links):,}")
    m[1].metric(t("network.savings_lost"), fmt_eur(ex.savings_lost_eur_per_yr))
    m[2].metric(
        t("network.savings_after"),
        fmt_eur(ex.savings_after_eur_per_yr),
        delta=fmt_eur(ex.savings_after_eur_per_yr - ex.savings_before_eur_per_yr),
    )
    m[3].metric(t("network.recovered"), fmt_eur(ex.recovered_eur_per_yr))
    st.dataframe(
        display.links_table(ex.lost_links, Labels.of(ds, ctx.kb, ctx.lang)), hide_index=True, key="nw_lost"
    )
