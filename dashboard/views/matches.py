"""Match explorer: filter candidate exchanges, sort them, read why a match holds, export CSV.

A company account gets the rows `services.matches` gives it over the API — its own sites'
candidates, partners and figures masked until consent (`dashboard.company`); an agency outside the
territory gets nothing; everyone else the whole territory. Below its table, a company gives or
withdraws consent per partner reference (`dashboard.consent`: the calls behind ``/consents``); once
both firms have consented, the partner's name and exact figures appear in the table.
"""

import streamlit as st

from dashboard import company, consent, data, display, explain_i18n
from dashboard.auth import service_context
from dashboard.formats import fmt_number
from dashboard.frame import allowed, context
from dashboard.i18n import localised
from dashboard.names import Labels, partner_labels
from dashboard.pipeline import SELECTED_CANDIDATE
from dashboard.scope import Reach
from dashboard.widgets import paged_table
from symbiosis.domain.enums import ResourceFamily
from symbiosis.errors import SymbiosisError
from symbiosis.matching.service import CandidateQuery, SortKey
from symbiosis.spreadsheet_safety import neutralise_frame

ctx = context()
t = ctx.t
st.title(t("matches.title", territory=ctx.territory_name))
if not allowed(ctx, company=True):
    st.stop()
ds = ctx.dataset
own_view = ctx.reach is Reach.COMPANY

c = st.columns(5)
family = c[0].selectbox(
    t("matches.family"),
    [None, *ResourceFamily],
    key="m_family",
    format_func=lambda f: t("common.all") if f is None else t(f"family.{f}"),
)
min_gain = c[1].number_input(t("matches.min_gain"), value=0.0, step=10_000.0, key="m_min_gain")
max_km = c[2].number_input(
    t("matches.max_distance"),
    min_value=0.0,
    value=0.0,
    step=1.0,
    key="m_max_km",
    help=t("matches.max_distance_help"),
)
labels = Labels.of(ctx.whole_dataset if ctx.reach is Reach.FULL else ds, ctx.kb, ctx.lang)
site_ids = sorted((s.id for s in ds.sites), key=labels.site)
site = c[3].selectbox(
    t("matches.site"),
    [None, *site_ids],
    key="m_site",
    format_func=lambda s: t("common.all") if s is None else labels.site(s),
)
sort = c[4].selectbox(t("matches.sort"), list(SortKey), key="m_sort", format_func=lambda k: t(f"sort.{k}"))

query = CandidateQuery(
    site_id=site, family=family, min_gain_eur_per_yr=min_gain, max_distance_km=max_km or None, sort=sort
)

if own_view and ctx.principal is not None:
    st.caption(t("matches.company_scope"))
    with st.spinner(t("overview.matching")):
        rows, total = company.company_matches(service_context(), ctx.principal, ctx.territory_id, query)
    frame = company.matches_frame(rows)
    partner_names = partner_labels(rows, ctx.lang)
    st.metric(t("matches.count"), fmt_number(total, ctx.lang))
    paged_table(frame, "m", ctx.lang, shape=lambda part: display.company_table(part, labels, partner_names))
else:
    with st.spinner(t("overview.matching")):
        service = ctx.matching
    cands = service.candidates(query, explain=False)
    frame = data.candidates_frame(cands)
    st.metric(t("matches.count"), fmt_number(len(frame), ctx.lang))
    paged_table(frame, "m", ctx.lang, shape=lambda part: display.candidates_table(part, labels))
st.download_button(
    t("matches.export"),
    neutralise_frame(frame).to_csv(index=False).encode("utf-8"),  # no formula in a name
    file_name=f"matches_{ctx.territory_id}.csv",
    mime="text/csv",
    key="m_export",
)

st.subheader(t("matches.explain"))
if frame.empty:
    st.info(t("matches.none"))
elif own_view:
    by_key = {company.row_key(r): r for r in rows}
    keyed = company.matches_frame(rows).set_index("match")
    chosen = st.selectbox(
        t("matches.pick"),
        list(by_key)[:500],
        key="m_pick",
        format_func=lambda k: display.candidate_label_company(keyed.loc[k], labels, partner_names),
    )
    row = by_key[chosen]
    if not row["disclosed"]:
        st.caption(t("matches.masked", ref=partner_names.get(row["partner_ref"], row["partner_ref"])))
    st.code(company.explanation(row, ctx.lang, labels), language=None)
else:
    ids = [cd.id for cd in cands[:500]]
    by_id = frame.head(500).assign(id=ids).set_index("id")
    chosen = st.selectbox(
        t("matches.pick"),
        ids,
        key="m_pick",
        format_func=lambda i: display.candidate_label(by_id.loc[i], labels),
    )
    st.session_state[SELECTED_CANDIDATE] = chosen  # plain key: outlives this page's widgets
    st.caption(t("matches.promote_hint"))
    out_id, in_id = chosen.split("->", 1)
    st.code(explain_i18n.explanation(service.explain(out_id, in_id), labels), language=None)

if own_view and ctx.principal is not None:
    who, svc = ctx.principal, service_context()
    st.subheader(t("consent.title"))
    st.caption(t("consent.explain"))
    for message in st.session_state.pop("m_consent_flash", []):
        st.success(message)
    partners = {p.ref: p for p in consent.partners(svc, who, ctx.territory_id)}
    if not partners:
        st.info(t("consent.none"))
        st.stop()
    table = consent.frame(list(partners.values()), lambda s: t(f"consent_state.{s}"))
    st.dataframe(table.rename(columns=localised(list(table.columns), ctx.lang)), hide_index=True)
    refs = list(partners)
    if st.session_state.get("m_consent_ref") not in refs:
        st.session_state["m_consent_ref"] = refs[0]
    ref = st.selectbox(
        t("consent.partner"), refs, key="m_consent_ref", format_func=lambda r: consent.label(partners[r])
    )
    mate = partners[ref]
    st.caption(t("consent.status", partner=consent.label(mate), state=t(f"consent_state.{mate.state}")))
    b = st.columns(2)
    give = b[0].button(t("consent.give"), key="m_consent_give", disabled=mate.given, type="primary")
    withdraw = b[1].button(t("consent.withdraw"), key="m_consent_withdraw", disabled=not mate.given)
    if give or withdraw:
        try:
            state = consent.give(svc, who, ref) if give else consent.withdraw(svc, who, ref)
        except SymbiosisError as exc:
            st.error(t("consent.refused", reason=str(exc)))
        else:
            done = "consent.given" if give else "consent.withdrawn"
            st.session_state["m_consent_flash"] = [t(done, ref=ref, state=t(f"consent_state.{state}"))]
            st.rerun()  # the table above now shows what the service discloses after the change
