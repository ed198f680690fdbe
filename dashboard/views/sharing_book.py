"""Mutualisation — offers and needs on a map, the week's bookings, and a form to declare an offer
or a need (docs/SHARING.md). Everything goes through `symbiosis.services.sharing` with the signed-in
principal, so the page shows what the API would: a company its own records and others' ``public``
ones, its bookings and those of its offers; facilitators their territories; analysts aggregates.
Objects are named (offer, site, firm), never shown by id alone. Graph store only: a dataset folder
has no bookings and cannot be written to.
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st

from dashboard.auth import service_context
from dashboard.frame import allowed, context
from dashboard.sources import SourceKind
from symbiosis.errors import InvalidInput
from symbiosis.services import sharing as svc
from symbiosis.services.access import may_see_site
from symbiosis.services.errors import Conflict, NotFound
from symbiosis.sharing.categories import load_categories
from symbiosis.sharing.slots import DAYS_EN, DAYS_FR

ctx = context()
t = ctx.t
st.title(t("shbook.title"))
if not allowed(ctx, company=True):
    st.stop()
if ctx.source.kind is not SourceKind.GRAPH or ctx.principal is None:
    st.info(t("shbook.graph_only"))
    st.stop()
sc, who = service_context(), ctx.principal
offers = svc.list_records(sc, who, "offer", ctx.territory_id)
needs = svc.list_records(sc, who, "need", ctx.territory_id)
territory = sc.repo().export_dataset(ctx.territory_id)
sites = {s.id: s for s in territory.sites}
categories = load_categories()

# --- map: offers green, needs orange, one point per record at its site --------------------------
st.subheader(t("shbook.map"))


def _label(r: dict) -> str:
    """An offer or need by its names: what (offer name or category), site, firm, capacity."""
    what = r.get("name") or categories[r["category"]].name(ctx.lang)
    return f"{t('shbook.' + r['kind'])} : {what} — {r['site_name']} ({r['firm_name']}), {r['capacity']:g}"


points = [
    {
        "lat": sites[r["site_id"]].latitude_deg,
        "lon": sites[r["site_id"]].longitude_deg,
        "label": _label(r),
        "colour": [30, 140, 60] if r["kind"] == "offer" else [230, 120, 20],
    }
    for r in [*offers, *needs]
    if r["site_id"] in sites
]
if points:
    frame = pd.DataFrame(points)
    st.pydeck_chart(
        pdk.Deck(
            layers=[
                pdk.Layer(
                    "ScatterplotLayer",
                    data=frame,
                    get_position=["lon", "lat"],
                    get_fill_color="colour",
                    get_radius=120,
                    radius_min_pixels=5,
                    pickable=True,
                )
            ],
            initial_view_state=pdk.ViewState(
                latitude=float(frame["lat"].mean()), longitude=float(frame["lon"].mean()), zoom=11
            ),
            tooltip={"text": "{label}"},
            map_style=None,
        )  # fmt: skip
    )
    st.dataframe(pd.DataFrame({t("shbook.what"): [p["label"] for p in points]}), hide_index=True)
else:
    st.info(t("shbook.none", territory=ctx.territory_name))

# --- booking calendar: the chosen week, day × hour, each cell naming the bookings -----------------
st.subheader(t("shbook.calendar"))
monday = st.date_input(t("shbook.week"), date(2026, 1, 5), key="shb_week")
monday = monday - timedelta(days=monday.weekday())
names = {
    o["id"]: f"{o.get('name') or o['category']} ({o['site_name']})"
    for o in svc.list_records(sc, who, "offer", None)
}
cells: list[list[list[str]]] = [[[] for _ in range(24)] for _ in range(7)]
for b in svc.list_bookings(sc, who, None):
    for h in b["hours"]:
        day = monday + timedelta(days=h // 24)
        if b["first_day"] <= day.isoformat() <= b["last_day"] and day.month in b["months"]:
            shown_as = names.get(b["offer_id"], t("shbook.offer"))  # an offer it may not see: unnamed
            cells[h // 24][h % 24].append(f"{shown_as} ×{b['capacity']:g}")
days = DAYS_FR if ctx.lang == "fr" else DAYS_EN
count = np.array([[len(c) for c in row] for row in cells])
if count.any():
    st.plotly_chart(
        go.Figure(go.Heatmap(z=count, x=[f"{h:02d}:00" for h in range(24)], y=list(days),
                             text=[["<br>".join(c) for c in row] for row in cells],
                             hovertemplate="%{y} %{x}<br>%{text}<extra></extra>", colorscale="Blues",
                             showscale=False)).update_yaxes(autorange="reversed"),
        use_container_width=True,
    )  # fmt: skip
    st.caption(t("shbook.booked_hours", n=int((count > 0).sum()), week=monday.isoformat()))
else:
    st.info(t("shbook.no_bookings", week=monday.isoformat()))

# --- declare an offer or a need ------------------------------------------------------------------
st.subheader(t("shbook.declare"))
mine = {sid: s for sid, s in sites.items() if may_see_site(sc, who, s)}
FIELDS = ("id", "site_id", "category", "capacity", "slots", "months", "name", "confidentiality",
          "price_eur_per_unit_h", "budget_eur_per_unit_h", "max_distance_km")  # fmt: skip
with st.form("shb_form"):
    kind = st.radio(
        t("shbook.kind"), ["offer", "need"], format_func=lambda k: t(f"shbook.{k}"), key="shb_kind"
    )
    rid = st.text_input(t("shbook.f.id"), key="shb_id")
    site = st.selectbox(
        t("shbook.f.site_id"),
        list(mine),
        format_func=lambda s: mine[s].name,
        key="shb_site",
    )
    cat = st.selectbox(t("shbook.f.category"), list(categories),
                       format_func=lambda c: categories[c].name(ctx.lang), key="shb_category")  # fmt: skip
    capacity = st.number_input(t("shbook.f.capacity"), value=1.0, key="shb_capacity")
    slots = st.text_input(t("shbook.f.slots"), "lun-ven 18:00-22:00", key="shb_slots")
    months = st.text_input(t("shbook.f.months"), "", key="shb_months")
    name = st.text_input(t("shbook.f.name"), key="shb_name")
    conf = st.selectbox(t("shbook.f.confidentiality"), ["agency", "public", "private"], key="shb_conf")
    price = st.number_input(t("shbook.f.price"), value=0.0, min_value=0.0, key="shb_price")
    distance = st.number_input(t("shbook.f.max_distance_km"), value=15.0, min_value=0.0, key="shb_dist")
    sent = st.form_submit_button(t("shbook.submit"))
if sent:
    body = {"id": rid.strip(), "site_id": site or "", "category": cat, "capacity": capacity, "slots": slots,
            "months": months, "confidentiality": conf, "max_distance_km": distance}  # fmt: skip
    if kind == "offer":
        body |= {"name": name, "price_eur_per_unit_h": price}
    else:
        body |= {"budget_eur_per_unit_h": price or None}
    try:
        made = svc.declare(sc, who, kind, body)
    except InvalidInput as exc:
        st.error(t("shbook.errors", n=len(exc.issues)))
        for issue in exc.issues:
            label = t(f"shbook.f.{issue.field}") if issue.field in FIELDS else issue.field
            expected = (
                t(f"shbook.x.{issue.field}") if issue.field in ("capacity", "slots", "id") else issue.expected
            )
            st.error(t("shbook.error", field=label, value=issue.value, expected=expected))
    except Conflict:
        st.error(t("shbook.error", field=t("shbook.f.id"), value=rid, expected=t("shbook.x.id_free")))
    except NotFound:
        st.error(t("shbook.error", field=t("shbook.f.site_id"), value=site, expected=t("shbook.x.site")))
    else:
        slots_text = made["slots_text_fr" if ctx.lang == "fr" else "slots_text_en"]
        what, shown_name = t(f"shbook.{kind}"), made.get("name") or made["category"]
        st.success(t("shbook.made", what=what, name=shown_name, site=made["site_name"], slots=slots_text))
