"""Sign-in: the same user store and password check as the API, no second auth scheme.

The sidebar form calls `symbiosis.services.users.login` (argon2 check against the graph store's
user records) and keeps the resulting `Principal` in the session state; pages then call the
service layer with it, so what a signed-in user sees and may change on the dashboard is what the
same user would over HTTP. Accounts live in the graph store: with a dataset-folder or synthetic
source nobody can sign in, and pages that need a role say so.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import tr
from dashboard.sources import DataSource, SourceKind
from symbiosis.errors import SymbiosisError
from symbiosis.services import users
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import Unauthenticated
from symbiosis.services.principal import Principal, Role
from symbiosis.services.runs import JobRunner
from symbiosis.settings import Settings

PRINCIPAL_KEY = "principal"
TOKEN_KEY = "auth_token"
JUST_SIGNED_IN_KEY = "auth_just_signed_in"  # the sidebar then moves to the user's own territory


@st.cache_resource(show_spinner=False)
def _context(settings_json: str) -> ServiceContext:
    return ServiceContext.create(Settings.model_validate_json(settings_json))


def service_context() -> ServiceContext:
    """One `ServiceContext` (driver, caches, token secret) per server and per store settings."""
    return _context(Settings().model_dump_json())


@st.cache_resource(show_spinner=False)
def _runner(settings_json: str) -> JobRunner:
    return JobRunner(_context(settings_json))


def job_runner() -> JobRunner:
    """The API's own runner of stored optimisation runs (one worker process at a time), one per
    dashboard server: runs started here are watched by this process, as ``POST /runs`` runs are by
    the API's."""
    return _runner(Settings().model_dump_json())


def principal() -> Principal | None:
    return st.session_state.get(PRINCIPAL_KEY)


def sign_in(email: str, password: str) -> None:
    """`Unauthenticated` for a wrong e-mail or password, exactly as ``POST /auth/token``."""
    ctx = service_context()
    token = users.login(ctx, email, password)
    st.session_state[PRINCIPAL_KEY] = users.principal_from_token(ctx, token)
    st.session_state[TOKEN_KEY] = token
    st.session_state[JUST_SIGNED_IN_KEY] = True


def refresh() -> Principal | None:
    """The session's principal, re-read from its token on every run: an expired token or a deleted
    account signs the session out, as the API would refuse the next request."""
    token = st.session_state.get(TOKEN_KEY)
    if token is None:
        sign_out()
        return None
    try:
        st.session_state[PRINCIPAL_KEY] = users.principal_from_token(service_context(), token)
    except Unauthenticated:
        sign_out()
        return None
    return principal()


def sign_out() -> None:
    st.session_state.pop(PRINCIPAL_KEY, None)
    st.session_state.pop(TOKEN_KEY, None)


def sidebar_sign_in(lang: str) -> Principal | None:
    """The sidebar block: who is signed in and a sign-out button, or the sign-in form."""
    box = st.sidebar.container(border=True)
    who = refresh()
    if who is not None:
        box.caption(tr("auth.signed_in", lang, email=who.email, role=tr(f"role.{who.role}", lang)))
        if box.button(tr("auth.sign_out", lang), key="auth_sign_out"):
            sign_out()
            st.rerun()
        return who
    with box.form("auth_form", clear_on_submit=False, border=False):
        email = st.text_input(tr("auth.email", lang), key="auth_email")
        password = st.text_input(tr("auth.password", lang), type="password", key="auth_password")
        submitted = st.form_submit_button(tr("auth.sign_in", lang), key="auth_submit")
    if submitted:
        try:
            sign_in(email, password)
        except Unauthenticated:
            box.error(tr("auth.wrong", lang))
            return None
        except SymbiosisError as exc:
            box.error(tr("auth.unavailable", lang, reason=str(exc)))
            return None
        st.rerun()
    return None


def require_role(source: DataSource, lang: str, *roles: Role) -> Principal | None:
    """The signed-in principal if it holds one of ``roles``; else says why on the page (→ None)."""
    allowed = ", ".join(tr(f"role.{r}", lang) for r in roles)
    if source.kind is not SourceKind.GRAPH:
        st.info(tr("auth.needs_graph", lang))
        return None
    who = principal()
    if who is None:
        st.info(tr("auth.needs_sign_in", lang, roles=allowed))
        return None
    if who.role not in roles:
        st.warning(tr("auth.wrong_role", lang, role=tr(f"role.{who.role}", lang), roles=allowed))
        return None
    return who
