"""Scenarios: carbon price, CO2 cap, distance and time limits → optimised plan, Sankey, Pareto, compare.

The plan is computed in the page for quick what-ifs. An admin or agency signed in on the graph
store can instead start the scenario as a *stored run* (`dashboard.stored_runs`, the calls behind
``POST /runs``): the API's worker process computes it, the page follows its progress, and its
planned links are then offered for promotion on the Synergy pipeline page.
"""

import time

import streamlit as st

from dashboard import charts, data, display, stored_runs
from dashboard.auth import job_runner, service_context
from dashboard.failures import explain, guarded
from dashboard.formats import unit_label
from dashboard.frame import allowed, context, fmt_eur, fmt_qty, job_board
from dashboard.i18n import localised
from dashboard.names import Labels
from dashboard.scenario import JOB_MIN_CANDIDATES, Scenario, run_scenario
from dashboard.sources import SourceKind
from symbiosis.errors import SymbiosisError
from symbiosis.services import runs
from symbiosis.spreadsheet_safety import neutralise_frame

# how far a background optimisation is at each stage (matching is quick, the solver is most of it)
STAGE_SHARE = {"queued": 0, "candidates": 10, "optimise": 40, "done": 100}

ctx = context()
t = ctx.t
st.title(t("scenarios.title", territory=ctx.territory_name))
if not allowed(ctx, company=False):  # company accounts get no plan, as /runs refuses them
    st.stop()
service = ctx.matching

with st.form("scenario_form"):
    c = st.columns(4)
    price = c[0].number_input(t("scenarios.carbon_price"), 0.0, 2000.0, 0.0, step=10.0, key="sc_price")
    cap = c[1].number_input(
        t("scenarios.co2_cap"), 0.0, value=0.0, step=1000.0, key="sc_cap", help=t("scenarios.zero_none")
    )
    km = c[2].number_input(
        t("scenarios.max_distance"), 0.0, value=0.0, step=1.0, key="sc_km", help=t("scenarios.zero_none")
    )
    limit = c[3].number_input(t("scenarios.time_limit"), 1.0, 3600.0, 60.0, step=10.0, key="sc_limit")
    name = st.text_input(t("scenarios.name"), value="", key="sc_name", placeholder=t("scenarios.name_hint"))
    b = st.columns([1, 3])
    run = b[0].form_submit_button(t("scenarios.run"), type="primary")
    can_store = ctx.source.kind is SourceKind.GRAPH and stored_runs.may_start(ctx.principal)
    store = can_store and b[1].form_submit_button(
        t("scenarios.store"), key="sc_store", help=t("scenarios.store_help")
    )

scenario = Scenario(float(price), float(cap) or None, float(km) or None, float(limit))
saved: dict[str, Scenario] = st.session_state.setdefault("saved_scenarios", {})
if run:
    st.session_state["scenario"] = scenario
current: Scenario | None = st.session_state.get("scenario")

if not can_store:
    st.caption(t("scenarios.store_needs", roles=", ".join(t(f"role.{r}") for r in stored_runs.ROLES)))
elif ctx.principal is not None:
    who, svc = ctx.principal, service_context()
    if store:
        try:
            made = stored_runs.start(svc, job_runner(), who, ctx.territory_id, scenario)
        except SymbiosisError as exc:
            st.error(t("scenarios.stored_refused", reason=str(exc)))
        else:
            st.session_state.setdefault("sc_runs", []).insert(0, made["id"])
            st.success(t("scenarios.stored_started", id=made["id"]))
    followed_ids: list[str] = st.session_state.get("sc_runs", [])
    if followed_ids:
        polling = any(stored_runs.is_active(r) for r in stored_runs.follow(svc, who, followed_ids))

        @st.fragment(run_every=1.0 if polling else None)
        def stored_panel() -> None:
            """Polled every second while a run is queued or running (only this panel reruns)."""
            followed = stored_runs.follow(svc, who, followed_ids)
            if polling and not any(stored_runs.is_active(r) for r in followed):
                st.rerun()  # the whole page: stop polling, show the finished runs
            st.subheader(t("scenarios.stored"))
            for r in followed:
                status = t(f"runstatus.{r['status']}")
                st.markdown(t("scenarios.stored_item", id=r["id"], label=stored_runs.label(r), status=status))
                if stored_runs.is_active(r):
                    c = st.columns([4, 1], vertical_alignment="center")
                    c[0].progress(
                        float(r.get("progress") or 0.0), text=stored_runs.progress_text(r, ctx.lang)
                    )
                    if c[1].button(t("scenarios.stored_cancel"), key=f"sc_cancel_{r['id']}"):
                        runs.cancel_run(svc, job_runner(), who, r["id"])
                        st.rerun()
                elif r["status"] == "done" and (k := stored_runs.kpis(r)) is not None:
                    m = st.columns(3)
                    m[0].metric(t("kpi.savings"), fmt_eur(float(k["savings_eur_per_yr"])))
                    m[1].metric(t("kpi.co2_avoided"), fmt_qty(float(k["co2_avoided_t_per_yr"]), "t"))
                    m[2].metric(t("kpi.chosen"), f"{stored_runs.n_links(r):,}")
                    st.success(t("scenarios.stored_done", links=stored_runs.n_links(r)))
                else:
                    reason = r.get("error") or r.get("message") or r["status"]
                    st.warning(t("scenarios.stored_failed", reason=reason))

        stored_panel()

plan = None
failed = False
if current is not None:
    key = f"{ctx.source}|{ctx.territory_id}|{current}"
    status = st.status(t("scenarios.running"), expanded=False)
    try:
        if service.count() >= JOB_MIN_CANDIDATES:
            job = job_board().submit(key, lambda progress: run_scenario(service, current, progress))
            if not job.done:
                pct = STAGE_SHARE.get(job.step, 0)
                stage = t(f"stage.{job.step}") if job.step in STAGE_SHARE else job.step
                status.update(label=t("scenarios.job_running", step=stage, pct=pct, s=f"{job.elapsed_s:.0f}"))
                status.progress(pct / 100, text=f"{stage} — {pct} %")
                status.write(t("scenarios.job_note"))
                time.sleep(1.0)
                st.rerun()
            plan = job.future.result()
        else:
            status.write(t("scenarios.step_candidates", n=service.count()))
            plan = ctx.plan(current)
    except Exception as exc:  # noqa: BLE001 - one failed scenario says so here, and only here
        failed = True
        status.update(label=t("scenarios.failed"), state="error", expanded=True)
        status.error(explain(exc, ctx.lang, t("failure.plan")))
        if st.session_state.get("scenario_ok") == current:
            st.session_state.pop("scenario_ok")
    else:
        status.update(label=t("scenarios.finished", s=f"{plan.solver.time_s:.1f}"), state="complete")
        st.session_state["scenario_ok"] = current  # what the overview and network pages show
        if run:  # only a scenario that gave a plan is kept for comparison
            saved[name.strip() or current.label()] = current

if plan is None:
    if not failed:
        st.info(t("scenarios.hint"))
    st.stop()

s = data.plan_summary(plan)
st.subheader(t("scenarios.results", label=current.label()))
m = st.columns(4)
m[0].metric(t("kpi.savings"), fmt_eur(s.savings_eur_per_yr))
m[1].metric(t("kpi.co2_avoided"), fmt_qty(s.co2_avoided_t_per_yr, "t"))
m[2].metric(t("kpi.diverted"), fmt_qty(s.diverted_t_per_yr, "t"))
m[3].metric(t("kpi.virgin_avoided"), fmt_qty(s.virgin_avoided_t_per_yr, "t"))
other = ", ".join(fmt_qty(v, u) for u, v in {**s.diverted_other}.items())
st.caption(
    t(
        "scenarios.other_units",
        diverted=other or "—",
        virgin=", ".join(fmt_qty(v, u) for u, v in s.virgin_other.items()) or "—",
        links=s.n_links,
        status=s.status,
        gap=f"{s.gap:.2%}",
        time=f"{s.solve_time_s:.1f}",
    )
)

links = data.link_savings_frame(plan, service.candidates(explain=False))
labels = Labels.of(ctx.dataset, ctx.kb, ctx.lang)
units = sorted(set(links["unit_out"])) if len(links) else []
if units:
    unit = st.radio(t("scenarios.sankey_unit"), units, horizontal=True, key="sc_unit", format_func=unit_label)
    st.plotly_chart(
        charts.sankey(
            links,
            unit,
            t("scenarios.sankey"),
            resource=labels.resource,
            family=labels.family,
            per_year=t("unit.per_year"),
            separators=",\u202f" if ctx.lang == "fr" else ".,",
        ),
        key="sc_sankey",
    )
st.dataframe(display.links_table(links, labels), hide_index=True, key="sc_links")

st.subheader(t("scenarios.pareto"))
if st.button(t("scenarios.pareto_run"), key="sc_pareto"):
    st.session_state["pareto_for"] = current
if st.session_state.get("pareto_for") == current:
    points = []
    with guarded(ctx.lang, t("failure.pareto")), st.spinner(t("scenarios.running")):
        from dashboard.frame import pareto

        points = pareto(ctx.source, ctx.territory_id, current, 6)
if st.session_state.get("pareto_for") == current and points:
    here = (s.co2_t_per_yr, s.cost_eur_per_yr)
    st.plotly_chart(
        charts.pareto_chart(
            points,
            t("scenarios.axis_co2"),
            t("scenarios.axis_cost"),
            here,
            front_name=t("scenarios.pareto_front"),
            current_name=t("scenarios.pareto_current", label=current.label()),
            separators=",\u202f" if ctx.lang == "fr" else ".,",
        ),
        key="sc_pareto_chart",
    )
    export = charts.pareto_frame(points, here)
    export["status"] = [t(f"pareto_status.{v}") if v == "current" else v for v in export["status"]]
    st.download_button(
        t("scenarios.pareto_export"),
        neutralise_frame(export.rename(columns=localised(list(export.columns), ctx.lang)))
        .to_csv(index=False)
        .encode("utf-8"),
        file_name=f"pareto_{ctx.territory_id}.csv",
        mime="text/csv",
        key="sc_pareto_export",
    )

st.subheader(t("scenarios.compare"))
if len(saved) < 2:
    st.info(t("scenarios.compare_hint"))
else:
    names = list(saved)
    cols = st.columns(2)
    picks = [
        cols[i].selectbox(
            t("scenarios.compare_pick", n=i + 1), names, index=min(i, len(names) - 1), key=f"sc_cmp{i}"
        )
        for i in range(2)
    ]
    sums = []
    with guarded(ctx.lang, t("scenarios.compare")):
        sums = [data.plan_summary(ctx.plan(saved[p])) for p in picks]
    for i, col in enumerate(cols if len(sums) == 2 else []):
        other_s = sums[1 - i]
        col.metric(
            t("kpi.savings"),
            fmt_eur(sums[i].savings_eur_per_yr),
            delta=fmt_eur(sums[i].savings_eur_per_yr - other_s.savings_eur_per_yr),
        )
        col.metric(
            t("kpi.co2_avoided"),
            fmt_qty(sums[i].co2_avoided_t_per_yr, "t"),
            delta=fmt_qty(sums[i].co2_avoided_t_per_yr - other_s.co2_avoided_t_per_yr, "t"),
        )
        col.metric(t("kpi.diverted"), fmt_qty(sums[i].diverted_t_per_yr, "t"))
        col.metric(t("kpi.virgin_avoided"), fmt_qty(sums[i].virgin_avoided_t_per_yr, "t"))
        col.metric(t("kpi.chosen"), f"{sums[i].n_links:,}")
