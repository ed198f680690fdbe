"""Pooled collection and purchasing: the territory's proposed pools, the tour on a map, who pays
what (the Shapley share beside a pro-rata split) and, for a facilitator, a button that puts a pool
in the synergy pipeline. A company sees the pools its sites belong to, its own share exactly and
its partners masked until consent — the `GET /pools` rules, through `dashboard.pools`.
"""

import streamlit as st

from dashboard import pools
from dashboard.auth import service_context
from dashboard.formats import fmt_number
from dashboard.frame import allowed, context
from dashboard.names import Labels
from dashboard.scope import Reach
from dashboard.sources import SourceKind
from symbiosis.errors import SymbiosisError
from symbiosis.services import pools as pool_service
from symbiosis.services import synergies
from symbiosis.services.errors import Conflict
from symbiosis.services.principal import Role

ctx = context()
t = ctx.t
st.title(t("pools.title", territory=ctx.territory_name))
if not allowed(ctx, company=True):
    st.stop()
st.caption(t("pools.intro"))
carbon = st.number_input(
    t("pools.carbon_price"),
    min_value=0.0,
    max_value=pool_service.MAX_CARBON_PRICE_EUR_PER_T,
    value=0.0,
    step=10.0,
    format="%.0f",
    key="po_carbon",
)
who = ctx.principal
on_store = ctx.source.kind is SourceKind.GRAPH and who is not None
labels = Labels.of(ctx.dataset, ctx.kb, ctx.lang)
with st.spinner(t("pools.computing")):
    if on_store:
        rows = pool_service.list_pools(service_context(), who, ctx.territory_id, carbon)
    else:
        rows = pools.local_pools(ctx.dataset, ctx.kb, ctx.territory_id, carbon)
if not rows:
    st.info(t("pools.none"))
    st.stop()

if ctx.reach is Reach.COMPANY:
    st.caption(t("pools.company_scope"))
    names = pools.partner_names(rows, ctx.lang)
    st.dataframe(pools.company_table(rows, labels), hide_index=True, key="po_company")
    by_id = {p["id"]: p for p in rows}
    pid = st.selectbox(
        t("pools.pick"),
        list(by_id),
        key="po_pick_company",
        format_func=lambda k: pools.pool_label(by_id[k], labels),
    )
    pool = by_id[pid]
    st.subheader(t("pools.partners"))
    st.dataframe(pools.partners_table(pool, names, ctx.lang), hide_index=True, key="po_partners")
    if pool["routes"] is None:
        st.caption(t("pools.tour_hidden"))
    else:
        st.pydeck_chart(pools.tour_map(pool, ctx.lang), key="po_map_company")
    st.stop()

c = st.columns(4)
c[0].metric(t("pools.n"), fmt_number(len(rows), ctx.lang))
c[1].metric(t("pools.total_saving"), fmt_number(sum(p["saving_eur_per_yr"] for p in rows), ctx.lang))
c[2].metric(t("pools.total_km"), fmt_number(sum(p["truck_km_saved_per_yr"] for p in rows), ctx.lang))
c[3].metric(t("pools.total_co2"), fmt_number(sum(p["co2_avoided_t_per_yr"] for p in rows), ctx.lang, 2))
st.dataframe(pools.pools_table(rows, labels), hide_index=True, key="po_table")
by_id = {p["id"]: p for p in rows}
pid = st.selectbox(
    t("pools.pick"), list(by_id), key="po_pick", format_func=lambda k: pools.pool_label(by_id[k], labels)
)
pool = by_id[pid]
st.subheader(t("pools.tour", km=fmt_number(pool["tour_km"], ctx.lang, 1), k=pool["pickups_per_month"]))
st.pydeck_chart(pools.tour_map(pool, ctx.lang), key="po_map")
st.subheader(t("pools.split"))
st.dataframe(pools.split_table(pool, ctx.lang), hide_index=True, key="po_split")
if pool["core_checked"]:
    st.caption(
        t("pools.core_ok") if pool["core_violations"] == 0 else t("pools.core_bad", n=pool["core_violations"])
    )
    if pool["pro_rata_core_violations"]:
        st.caption(t("pools.pro_rata_bad", n=pool["pro_rata_core_violations"]))
else:
    st.caption(t("pools.sampled"))

if on_store and who.role in (Role.ADMIN, Role.AGENCY):
    for message in st.session_state.pop("po_flash", []):
        st.success(message)
    with st.form("po_promote_form"):
        note = st.text_input(t("synergies.note"), key="po_note")
        promote = st.form_submit_button(t("pools.promote"), key="po_promote")
    if promote:
        try:
            made = synergies.create_pool_synergy(service_context(), who, ctx.territory_id, pid, note)
        except Conflict:
            st.error(t("pools.duplicate"))
        except SymbiosisError as exc:
            st.error(t("synergies.refused", reason=str(exc)))
        else:
            st.session_state["po_flash"] = [t("synergies.created", id=made["id"])]
            st.rerun()
