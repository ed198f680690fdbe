"""Declare: a company user declares an output or an input; errors are shown field by field.

With the graph store as source the declaration is written by `services.registry` with the
signed-in principal — the API's validation and access rules (a company declares on its own sites
only, and never chooses ids). With a file source the form is only checked.
"""

import streamlit as st

from dashboard.auth import require_role, service_context
from dashboard.declare import (
    INPUT_REQUIREMENT_FIELDS,
    OUTPUT_QUALITY_FIELDS,
    PRICE_FIELD,
    issue_messages,
    payload_from_form,
    validate_declaration,
)
from dashboard.failures import explain
from dashboard.formats import fmt_quantity, unit_label
from dashboard.frame import context, forget_loaded_data
from dashboard.names import Labels, resource_name
from dashboard.sources import SourceKind
from symbiosis.domain.enums import Confidentiality
from symbiosis.errors import InvalidInput, SymbiosisError
from symbiosis.services import registry
from symbiosis.services.errors import Conflict
from symbiosis.services.principal import Role

ctx = context()
t = ctx.t
st.title(t("declare.title"))
ds = ctx.dataset
writes = ctx.source.kind is SourceKind.GRAPH
who = require_role(ctx.source, ctx.lang, *registry.WRITERS) if writes else None
if writes and who is None:
    st.stop()
if who is not None:
    mine, _ = registry.list_sites(service_context(), who, 0, 100_000, territory_id=ctx.territory_id)
    site_ids = sorted(s.id for s in mine)
    if not site_ids:
        st.info(t("declare.no_site"))
        st.stop()
else:
    site_ids = sorted(s.id for s in ds.sites)

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


site_labels = Labels.of(ds, ctx.kb, ctx.lang)
codes = sorted(ctx.kb.resources, key=lambda c: resource_name(c, ctx.kb, ctx.lang))
with st.form("declare_form"):
    form: dict[str, object] = {}
    if who is None or who.role is not Role.COMPANY:
        form["id"] = st.text_input(t("declare.id"), key="d_id", help=t("declare.id_help") if writes else None)
    field_error("id")
    form["site_id"] = st.selectbox(t("declare.site"), site_ids, key="d_site", format_func=site_labels.site)
    field_error("site_id")
    form["resource_code"] = st.selectbox(
        t("declare.resource"),
        codes,
        key="d_resource",
        format_func=lambda c: (
            f"{resource_name(c, ctx.kb, ctx.lang)} ({unit_label(ctx.kb.resources[c].canonical_unit.value)})"
        ),
    )
    field_error("resource_code")
    c = st.columns(2)
    form["quantity"] = c[0].text_input(t("declare.quantity"), key="d_qty")
    form["quantity_unit"] = c[1].text_input(
        t("declare.unit"), key="d_unit", placeholder=t("declare.unit_hint")
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
    st.session_state.pop("d_saved", None)
    st.session_state.pop("d_refused", None)
    checked = validate_declaration(
        kind, form, ctx.kb, set(site_ids), ctx.lang, id_required=not (writes and not form.get("id"))
    )
    st.session_state["d_errors"] = checked.errors
    if checked.errors:
        pass  # shown under each field; nothing written
    elif who is not None:
        try:
            saved = registry.create_declaration(service_context(), who, kind, payload_from_form(kind, form))
        except InvalidInput as exc:
            st.session_state["d_errors"] = issue_messages(exc.issues, ctx.lang)
        except Conflict:
            st.session_state["d_errors"] = {"id": t("formerr.id_taken", value=form.get("id", ""))}
        except SymbiosisError as exc:  # a role the service refuses, the store gone…
            st.session_state["d_refused"] = explain(exc, ctx.lang, t("declare.title"))
        else:
            decl = saved.declaration
            forget_loaded_data()
            qty = fmt_quantity(decl.quantity_per_yr, unit_label(decl.unit.value), ctx.lang, 1)
            st.session_state["d_saved"] = t("declare.saved", id=decl.id, qty=qty)
    elif checked.declaration is not None:
        decl = checked.declaration
        qty = fmt_quantity(decl.quantity_per_yr, unit_label(decl.unit.value), ctx.lang, 1)
        st.session_state["d_saved"] = t("declare.valid_only", id=decl.id, qty=qty)
    st.rerun()

if errors:
    st.error(t("declare.errors", n=len(errors)))
    if "form" in errors:
        st.error(errors["form"])
elif "d_refused" in st.session_state:
    st.error(st.session_state["d_refused"])
elif "d_saved" in st.session_state:
    st.success(st.session_state["d_saved"])
