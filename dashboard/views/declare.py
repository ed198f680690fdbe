"""Declare: a company user declares an output or an input; errors are shown field by field."""

import streamlit as st

from dashboard.declare import (
    INPUT_REQUIREMENT_FIELDS,
    OUTPUT_QUALITY_FIELDS,
    PRICE_FIELD,
    validate_declaration,
)
from dashboard.frame import context, forget_loaded_data
from dashboard.sources import SourceKind
from symbiosis.domain.enums import Confidentiality

ctx = context()
t = ctx.t
st.title(t("declare.title"))
ds = ctx.dataset
kind = st.radio(
    t("declare.kind"),
    ["output", "input"],
    horizontal=True,
    key="d_kind",
    format_func=lambda k: t(f"declare.{k}"),
)
errors: dict[str, str] = st.session_state.get("d_errors", {})


def field_error(name: str) -> None:
    if name in errors:
        st.error(errors[name], icon="⚠️")


codes = sorted(ctx.kb.resources)
with st.form("declare_form"):
    form: dict[str, object] = {}
    form["id"] = st.text_input(t("declare.id"), key="d_id")
    field_error("id")
    form["site_id"] = st.selectbox(t("declare.site"), sorted(s.id for s in ds.sites), key="d_site")
    field_error("site_id")
    form["resource_code"] = st.selectbox(
        t("declare.resource"),
        codes,
        key="d_resource",
        format_func=lambda c: (
            f"{c} — {ctx.kb.resources[c].name} ({ctx.kb.resources[c].canonical_unit.value})"
        ),
    )
    field_error("resource_code")
    c = st.columns(2)
    form["quantity"] = c[0].text_input(t("declare.quantity"), key="d_qty")
    form["quantity_unit"] = c[1].text_input(
        t("declare.unit"), key="d_unit", placeholder="t/yr, m3/h, GWh/yr, MW"
    )
    field_error("quantity")
    field_error("quantity_unit")
    field_error("quantity_per_yr")
    for name in OUTPUT_QUALITY_FIELDS if kind == "output" else INPUT_REQUIREMENT_FIELDS:
        form[name] = st.text_input(t(f"declare.{name}"), key=f"d_{kind}_{name}")
        field_error(name)
    price = PRICE_FIELD[kind]
    form[price] = st.text_input(t(f"declare.{price}"), key=f"d_{price}")
    field_error(price)
    form["confidentiality"] = st.selectbox(
        t("declare.confidentiality"),
        list(Confidentiality),
        index=1,
        key="d_conf",
        format_func=lambda c: t(f"confidentiality.{c}"),
    )
    submitted = st.form_submit_button(t("declare.submit"), type="primary")

if submitted:
    checked = validate_declaration(kind, form, ctx.kb, {s.id for s in ds.sites})
    st.session_state["d_errors"] = checked.errors
    if checked.ok and checked.declaration is not None:
        decl = checked.declaration
        if ctx.source.kind is SourceKind.GRAPH:
            from symbiosis.graph import open_graph
            from symbiosis.settings import Settings

            with open_graph(Settings()) as repo:
                (repo.upsert_outputs if kind == "output" else repo.upsert_inputs)([decl])  # type: ignore[list-item]
            forget_loaded_data()
            st.session_state["d_saved"] = t(
                "declare.saved", id=decl.id, qty=f"{decl.quantity_per_yr:,.1f} {decl.unit.value}"
            )
        else:
            st.session_state["d_saved"] = t(
                "declare.valid_only", id=decl.id, qty=f"{decl.quantity_per_yr:,.1f} {decl.unit.value}"
            )
    else:
        st.session_state.pop("d_saved", None)
    st.rerun()

if errors:
    st.error(t("declare.errors", n=len(errors)))
elif "d_saved" in st.session_state:
    st.success(st.session_state["d_saved"])
