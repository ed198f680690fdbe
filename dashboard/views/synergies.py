"""Synergy pipeline: synergies by status with their history; a facilitator promotes a candidate or
a planned link of a finished optimisation run, and moves a synergy on. Every read and write goes
through `symbiosis.services` (synergies, matches, runs) with the signed-in principal (admin or
agency), so the API's role and territory rules apply unchanged. The territory's operating (known)
exchanges follow, read-only, as far as the visitor may see the territory (`Context.dataset`).
"""

import pandas as pd
import streamlit as st

from dashboard import pipeline
from dashboard.auth import require_role, service_context
from dashboard.formats import fmt_number
from dashboard.frame import context
from dashboard.i18n import localised
from dashboard.names import Labels
from dashboard.scope import Reach
from symbiosis.errors import SymbiosisError
from symbiosis.services import synergies
from symbiosis.services.errors import Conflict, NotFound
from symbiosis.services.principal import Role

ctx = context()
t = ctx.t
st.title(t("synergies.title", territory=ctx.territory_name))
whole = ctx.whole_dataset  # labels only: the services decide which synergies and runs are shown
who = require_role(ctx.source, ctx.lang, Role.ADMIN, Role.AGENCY)

if who is not None:
    svc = service_context()
    st.caption(t("synergies.scope"))
    for message in st.session_state.pop("sy_flash", []):
        st.success(message)
    groups = pipeline.by_status(svc, who, ctx.territory_id)
    labels = Labels.of(whole, ctx.kb, ctx.lang)
    gains = pipeline.gains_by_pair(ctx.matching) if ctx.reach is Reach.FULL else {}
    if not any(groups.values()):
        st.info(t("synergies.none"))
    for status, records in groups.items():
        if not records:
            continue
        st.subheader(t("synergies.count", status=t(f"status.{status}"), n=len(records)))
        for rec in records:
            label = (
                pipeline.pool_card_label(rec, labels, t(f"status.{status}"))
                if rec.get("kind") == "pool"
                else t(
                    "synergies.item",
                    giver=labels.site(rec["giver_site_id"]),
                    receiver=labels.site(rec["receiver_site_id"]),
                    resource=pipeline.resource_of(rec, whole, labels),
                    status=t(f"status.{status}"),
                    value=fmt_number(gains.get((rec["output_id"], rec["input_id"])), ctx.lang),
                )
            )
            with st.expander(label):
                st.caption(
                    t(
                        "synergies.card",
                        owner=rec["created_by"],
                        created=str(rec["created_at"])[:10],
                        updated=str(rec.get("updated_at") or rec["created_at"])[:10],
                        source=pipeline.source_label(rec, ctx.t),
                        id=rec["id"],
                    )
                )
                st.markdown(f"**{t('synergies.history')}**")
                hist = pipeline.history_frame(rec, lambda s: t(f"status.{s}"))
                st.dataframe(
                    hist.rename(columns=localised(list(hist.columns), ctx.lang)),
                    hide_index=True,
                    key=f"sy_hist_{rec['id']}",
                )
                options = pipeline.next_statuses(rec)
                if not options:
                    st.caption(t("synergies.final"))
                    continue
                c = st.columns([1, 2, 1], vertical_alignment="bottom")
                new = c[0].selectbox(
                    t("synergies.next"),
                    options,
                    key=f"sy_next_{rec['id']}",
                    format_func=lambda s: t(f"status.{s}"),
                )
                note = c[1].text_input(t("synergies.note"), key=f"sy_note_{rec['id']}")
                if c[2].button(t("synergies.move"), key=f"sy_move_{rec['id']}"):
                    try:
                        moved = synergies.update_synergy(svc, who, rec["id"], new, note or None, None)
                    except SymbiosisError as exc:
                        st.error(t("synergies.refused", reason=str(exc)))
                    else:
                        st.session_state["sy_flash"] = [
                            t("synergies.moved", id=moved["id"], status=t(f"status.{moved['status']}"))
                        ]
                        st.rerun()

    st.subheader(t("synergies.promote"))
    try:
        rows = pipeline.promotable(svc, who, ctx.territory_id)
    except NotFound:
        rows = None
        st.info(t("synergies.out_of_scope"))
    if rows is not None and not rows:
        st.info(t("synergies.no_candidate"))
    if rows:
        by_link = {r["link_id"]: r for r in rows}
        links = list(by_link)
        wanted = st.session_state.get(pipeline.SELECTED_CANDIDATE)
        if wanted in by_link:
            st.caption(t("synergies.from_explorer"))
        with st.form("sy_promote_form"):
            link = st.selectbox(
                t("synergies.candidate"),
                links,
                index=pipeline.preselected(links, wanted),
                key="sy_candidate",
                format_func=lambda k: pipeline.candidate_label(by_link[k], labels),
            )
            note = st.text_input(t("synergies.note"), key="sy_promote_note")
            promote = st.form_submit_button(t("synergies.promote_button"), key="sy_promote")
        if promote:
            row = by_link[link]
            try:
                made = synergies.create_synergy(svc, who, row["output_id"], row["input_id"], None, None, note)
            except Conflict:
                st.error(t("synergies.duplicate"))
            except SymbiosisError as exc:
                st.error(t("synergies.refused", reason=str(exc)))
            else:
                st.session_state["sy_flash"] = [t("synergies.created", id=made["id"])]
                st.rerun()

    st.subheader(t("synergies.promote_run"))
    finished = {r["id"]: r for r in pipeline.finished_runs(svc, who, ctx.territory_id)}
    if not finished:
        st.info(t("synergies.no_run"))
    else:
        run_id = st.selectbox(
            t("synergies.run"),
            list(finished),
            key="sy_run",
            format_func=lambda r: pipeline.run_label(finished[r]),
        )
        planned = {lk["link_id"]: lk for lk in pipeline.planned_links(svc, who, run_id)}
        if not planned:
            st.info(t("synergies.run_empty"))
        else:
            with st.form("sy_run_form"):
                link_id = st.selectbox(
                    t("synergies.planned_link"),
                    list(planned),
                    key="sy_run_link",
                    format_func=lambda k: pipeline.link_label(planned[k], labels),
                )
                run_note = st.text_input(t("synergies.note"), key="sy_run_note")
                promote_link = st.form_submit_button(t("synergies.promote_button"), key="sy_promote_run")
            if promote_link:
                try:
                    made = synergies.create_synergy(svc, who, None, None, run_id, link_id, run_note)
                except Conflict:
                    st.error(t("synergies.duplicate"))
                except SymbiosisError as exc:
                    st.error(t("synergies.refused", reason=str(exc)))
                else:
                    st.session_state["sy_flash"] = [t("synergies.created", id=made["id"])]
                    st.rerun()

ds = ctx.dataset
st.subheader(t("synergies.known"))
known_labels = Labels.of(ds, ctx.kb, ctx.lang)
known = pd.DataFrame(
    {
        t("col.giver"): [known_labels.site(x.from_site_id) for x in ds.exchanges],
        t("col.receiver"): [known_labels.site(x.to_site_id) for x in ds.exchanges],
        t("col.resource"): [known_labels.resource(x.resource_code) for x in ds.exchanges],
        t("col.since"): [str(x.since_year) if x.since_year else "—" for x in ds.exchanges],
    }
)
st.metric(t("synergies.n_operating"), f"{len(known):,}")
st.dataframe(known, hide_index=True, key="sy_known")
