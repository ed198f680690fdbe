"""Territory overview: sites by sector on a map, candidate and chosen exchanges as arcs, KPIs.

A company account sees its own sites and its candidates as `services.matches` gives them (arcs
only where both ends are its own sites); an agency outside the territory sees nothing.
"""

import streamlit as st

from dashboard import charts, company, data, display
from dashboard.auth import service_context
from dashboard.failures import guarded
from dashboard.formats import fmt_number
from dashboard.frame import allowed, context, fmt_eur, fmt_qty
from dashboard.names import sector_name
from dashboard.scenario import Scenario
from dashboard.scope import Reach
from dashboard.widgets import paged_table
from symbiosis.matching.service import CandidateQuery

ctx = context()
t = ctx.t
st.title(t("overview.title", territory=ctx.territory_name))
if not allowed(ctx, company=True):
    st.stop()
ds = ctx.dataset
sites = ctx.sites
big = len(sites) > charts.AGGREGATE_ABOVE_SITES
own_view = ctx.reach is Reach.COMPANY
c1, c2 = st.columns(2)
show_candidates = c1.toggle(t("overview.show_candidates"), value=not big, key="ov_candidates")
show_plan = not own_view and c2.toggle(t("overview.show_plan"), value=not big, key="ov_plan")
if own_view:
    st.caption(t("overview.company_scope"))

cands, plan, cand_arcs, plan_arcs = [], None, data.arcs_frame(data.candidates_frame([]), sites), None
n_candidates: int | None = None
if own_view and show_candidates and ctx.principal is not None:
    with st.spinner(t("overview.matching")):
        rows, n_candidates = company.company_matches(
            service_context(), ctx.principal, ctx.territory_id, CandidateQuery()
        )
    cand_arcs = data.arcs_frame(company.arc_pairs(rows), sites)
elif show_candidates or show_plan:
    with st.spinner(t("overview.matching")):
        service = ctx.matching
        cands = service.candidates(explain=False)
    n_candidates = len(cands)
    if show_candidates:
        cand_arcs = data.arcs_frame(data.candidates_frame(cands[: charts.MAX_ARCS]), sites)
if show_plan and cands:
    scenario = st.session_state.get("scenario_ok", Scenario())
    with guarded(ctx.lang, t("failure.network_plan")), st.spinner(t("overview.optimising")):
        plan = ctx.plan(scenario)
        plan_arcs = data.arcs_frame(data.link_savings_frame(plan, cands), sites)
k = data.territory_kpis(ds, n_candidates, plan)

m = st.columns(4)
m[0].metric(t("kpi.sites"), fmt_number(k.n_sites, ctx.lang))
m[1].metric(t("kpi.firms"), fmt_number(k.n_firms, ctx.lang))
m[2].metric(
    t("kpi.declarations"),
    f"{fmt_number(k.n_outputs, ctx.lang)} / {fmt_number(k.n_inputs, ctx.lang)}",
    help=t("kpi.declarations_help"),
)
m[3].metric(t("kpi.known_exchanges"), fmt_number(k.n_known_exchanges, ctx.lang))
if k.n_candidates is not None:
    m = st.columns(4)
    m[0].metric(t("kpi.candidates"), fmt_number(k.n_candidates, ctx.lang))
    if k.savings_eur_per_yr is not None and k.co2_avoided_t_per_yr is not None:
        m[1].metric(t("kpi.chosen"), fmt_number(k.n_chosen, ctx.lang))
        m[2].metric(t("kpi.savings"), fmt_eur(k.savings_eur_per_yr))
        m[3].metric(t("kpi.co2_avoided"), fmt_qty(k.co2_avoided_t_per_yr, "t"))

if big:
    st.info(t("overview.aggregated", n=len(sites), limit=charts.AGGREGATE_ABOVE_SITES))
empty = data.arcs_frame(data.candidates_frame([]), sites)
shown_sites = sites.assign(
    sector_label=[
        sector_name(a, b, ctx.lang) for a, b in zip(sites["sector"], sites["sector_name"], strict=True)
    ],
    tip=[
        t("overview.tip", n_out=a, n_in=b) for a, b in zip(sites["n_outputs"], sites["n_inputs"], strict=True)
    ],
)
st.pydeck_chart(
    charts.site_map(shown_sites, cand_arcs, plan_arcs if plan_arcs is not None else empty), height=520
)
st.caption(t("overview.legend"))
legend = sorted(set(zip(sites["sector"], sites["sector_name"], sites["colour"].map(tuple), strict=True)))
st.markdown(
    " ".join(
        f'<span style="color:rgb{c[:3]}">●</span> {s} — {sector_name(s, n, ctx.lang)}' for s, n, c in legend
    )
    + "<br/>"
    + " ".join(
        f'<span style="color:rgb{tuple(rgb)}">━</span> {t(f"family.{f}")}'
        for f, rgb in data.FAMILY_COLOURS.items()
    )
    + f"<br/><small>{t('overview.map_source')}</small>",
    unsafe_allow_html=True,
)

st.subheader(t("overview.sectors"))
sectors = sites.groupby(["sector", "sector_name"]).size().reset_index(name="n_sites")
sectors["sector_name"] = [
    sector_name(a, b, ctx.lang) for a, b in zip(sectors["sector"], sectors["sector_name"], strict=True)
]
st.dataframe(
    sectors.rename(
        columns={"sector": t("col.sector"), "sector_name": t("col.sector_name"), "n_sites": t("kpi.sites")}
    ),
    hide_index=True,
)
st.subheader(t("overview.sites"))
paged_table(sites, "ov_sites", ctx.lang, shape=lambda part: display.sites_table(part, ctx.lang))
