"""What every page shares: the sidebar (language, data source, territory, sign-in) and cached loaders.

`app.py` calls `sidebar()` once per run, before the page; pages call `context()` to get it back.
Loaders are cached per server (`st.cache_resource`): datasets and matching results are large
and read-only, so no copy is made per session. They are keyed on the source stamped with the
data's version (`versioned`): any write to the store, by anyone, is seen on the next page run.
What a page shows of them depends on who is signed
in (`Context.reach`, decided by `dashboard.scope` with the API's access rules): ``ctx.dataset`` and
``ctx.sites`` are already cut to it, and the whole-territory loaders refuse any other reach.
On the graph store (the default) the sidebar stops every page until someone signs in, as the API
answers nothing without a token; only the local-files mode (`local_files_mode`) shows data signed
out. ``SYMBIOSIS_DASHBOARD_REQUIRE_SIGN_IN`` also refuses that mode.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from dashboard import data, scope, sources
from dashboard.auth import JUST_SIGNED_IN_KEY, service_context, sidebar_sign_in
from dashboard.failures import explain
from dashboard.formats import fmt_number, unit_label
from dashboard.i18n import LANGUAGES, tr
from dashboard.jobs import JobBoard
from dashboard.names import resource_name
from dashboard.scenario import Scenario, run_pareto, run_scenario
from dashboard.scope import Reach
from dashboard.sources import DataSource, SourceKind
from symbiosis.domain import Territory
from symbiosis.domain.dataset import Dataset
from symbiosis.errors import SymbiosisError
from symbiosis.knowledge import load_knowledge_base
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.service import MatchingService
from symbiosis.optimizer import ExchangePlan, ParetoPoint
from symbiosis.services import aggregates
from symbiosis.services.cache import AppCache
from symbiosis.services.principal import Principal, Role
from symbiosis.settings import Settings


@dataclass
class Context:
    lang: str
    source: DataSource
    territory_id: str
    territory_name: str
    kb: KnowledgeBase
    principal: Principal | None = None
    """The signed-in user (`dashboard.auth`), or None."""
    reach: Reach = Reach.FULL
    """How much of the territory the user may see (`dashboard.scope.reach`)."""

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.lang, **values)

    @property
    def whole_dataset(self) -> Dataset:
        """Every site of the territory, whoever is signed in: only for labelling objects the
        services already returned to this user (e.g. firm names of its synergies)."""
        return dataset(self.source, self.territory_id)

    @property
    def _no_firm_level(self) -> bool:
        """Outside the user's scope, an analyst's aggregates-only view, or no principal to filter by."""
        return self.reach in (Reach.OUTSIDE, Reach.AGGREGATES) or self.principal is None

    @property
    def dataset(self) -> Dataset:
        """The territory as far as the user may see it (everything for `Reach.FULL`)."""
        ds = self.whole_dataset
        if self.reach is Reach.FULL:
            return ds
        if self._no_firm_level:
            return scope.empty_dataset(ds)
        return scope.visible_dataset(service_context(), self.principal, ds)

    @property
    def sites(self) -> pd.DataFrame:
        """`data.sites_frame` of what the user may see (read-only: the full frame is shared)."""
        frame = sites_table(self.source, self.territory_id)
        if self.reach is Reach.FULL:
            return frame
        if self._no_firm_level:
            return frame.iloc[0:0]
        return scope.visible_sites(service_context(), self.principal, frame)

    def _whole(self) -> None:
        if self.reach is not Reach.FULL:
            raise PermissionError(f"the whole territory's matches are not for a {self.reach} view")

    @property
    def matching(self) -> MatchingService:
        """Every candidate of the territory: `Reach.FULL` only (companies read `dashboard.company`)."""
        self._whole()
        return matching(self.source, self.territory_id)

    def plan(self, scenario: Scenario) -> ExchangePlan:
        self._whole()
        return plan(self.source, self.territory_id, scenario)


@st.cache_resource(show_spinner=False)
def knowledge() -> KnowledgeBase:
    return load_knowledge_base()


def territories(source: DataSource) -> list[Territory]:
    """From the graph store, the service layer's territory tree (cached there, and read anyway for
    every access decision): one read of the store's territories instead of two — 36,145 with all
    of France loaded take 1–2 s each."""
    if source.kind is SourceKind.GRAPH:
        return sources.sorted_territories(service_context().tree().territories.values())
    return _file_territories(source)


@st.cache_resource(show_spinner=False)
def _file_territories(source: DataSource) -> list[Territory]:
    return sources.list_territories(source, knowledge())


@st.cache_resource(show_spinner=False)
def populated(source: DataSource) -> set[str]:
    return sources.territories_with_sites(source, knowledge())


@st.cache_resource(show_spinner=False, max_entries=8)
def dataset(source: DataSource, territory_id: str) -> Dataset:
    return sources.load_territory(source, territory_id, knowledge())


@st.cache_resource(show_spinner=False, max_entries=8)
def sites_table(source: DataSource, territory_id: str) -> pd.DataFrame:
    return data.sites_frame(dataset(source, territory_id), knowledge())


@st.cache_resource(show_spinner=False, max_entries=8)
def matching(source: DataSource, territory_id: str) -> MatchingService:
    return MatchingService(dataset(source, territory_id), knowledge())


@st.cache_resource(show_spinner=False, max_entries=64)
def plan(source: DataSource, territory_id: str, scenario: Scenario) -> ExchangePlan:
    return run_scenario(matching(source, territory_id), scenario)


@st.cache_resource(show_spinner=False, max_entries=16)
def pareto(source: DataSource, territory_id: str, scenario: Scenario, n_points: int) -> list[ParetoPoint]:
    return run_pareto(matching(source, territory_id), scenario, n_points)


@st.cache_resource(show_spinner=False)
def job_board() -> JobBoard:
    return JobBoard()


def _source_widgets(lang: str, kinds: list[SourceKind], default: DataSource) -> DataSource:
    """The data-source switch: an admin's (graph store, folder, synthetic), or the local-files
    operator's (folder, synthetic: reading the store needs an account)."""
    kind = st.sidebar.selectbox(
        tr("sidebar.source", lang),
        kinds,
        index=kinds.index(default.kind) if default.kind in kinds else 0,
        key="source_kind",
        format_func=lambda k: tr(f"source.{k}", lang),
    )
    if kind is SourceKind.FOLDER:
        path = st.sidebar.text_input(
            tr("sidebar.folder", lang), value=default.path or "datasets/kalundborg", key="source_path"
        )
        return DataSource(SourceKind.FOLDER, path.strip())
    if kind is SourceKind.SYNTHETIC:
        n = st.sidebar.number_input(tr("sidebar.n_sites", lang), 10, 200_000, 1000, step=1000, key="source_n")
        seed = st.sidebar.number_input(tr("sidebar.seed", lang), 0, 10_000, 1, key="source_seed")
        return DataSource(SourceKind.SYNTHETIC, n_sites=int(n), seed=int(seed))
    return DataSource(SourceKind.GRAPH)


def local_files_mode() -> bool:
    """The server was started on the operator's own dataset folder (``symbiosis dashboard
    --dataset``, bound to 127.0.0.1) and sign-in is not required: there are no accounts to sign in
    with, and whoever runs it already holds every file — the one firm-level view without sign-in."""
    return sources.default_source().kind is not SourceKind.GRAPH and not sign_in_required()


@st.cache_resource(show_spinner=False)
def _seen_versions() -> dict[str, int]:
    return {}


def versioned(source: DataSource) -> DataSource:
    """``source`` stamped with the data's current version (one small read per page run), so the
    caches above, keyed on it, never serve data older than the last write — whoever made it. A new
    store version also drops the service layer's caches of this server (territory tree, matches,
    consents) instead of waiting for their time-to-live."""
    if source.kind is SourceKind.FOLDER:
        return replace(source, version=sources.folder_version(source.path))
    if source.kind is not SourceKind.GRAPH:
        return source
    svc = service_context()
    version = svc.repo().data_version()
    seen = _seen_versions()
    if seen.get(svc.settings.model_dump_json(), version) != version:
        svc.cache = AppCache()
    seen[svc.settings.model_dump_json()] = version
    return replace(source, version=version)


def sign_in_required() -> bool:
    """``SYMBIOSIS_DASHBOARD_REQUIRE_SIGN_IN``: true refuses even the local-files mode (the graph
    store always needs a sign-in)."""
    return Settings().dashboard_require_sign_in


def sidebar() -> Context:
    """Render the shared sidebar and remember the context for the page about to run.

    On the graph store nothing past the sign-in form renders until someone signs in, and only an
    admin sees the data-source switch; in the local-files mode there is no sign-in (no accounts).
    """
    lang = st.sidebar.radio(
        "Langue / Language",
        LANGUAGES,
        key="lang",
        horizontal=True,
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
    )
    who: Principal | None = None
    if local_files_mode():
        source = _source_widgets(lang, [SourceKind.FOLDER, SourceKind.SYNTHETIC], sources.default_source())
        st.sidebar.caption(tr("auth.local_files", lang))
    else:
        # the graph store holds firm-level data and the accounts: as the API, nothing without a
        # sign-in; only an admin may switch the data source
        who = sidebar_sign_in(lang)
        if who is None:
            st.info(tr("auth.required", lang))
            st.stop()
        graph = DataSource(SourceKind.GRAPH)
        source = _source_widgets(lang, list(SourceKind), graph) if who.role is Role.ADMIN else graph
    kb = knowledge()
    try:
        with st.spinner(tr("sidebar.loading", lang)):
            source = versioned(source)
            terrs = territories(source)
            with_sites = populated(source)
    except SymbiosisError as exc:
        st.error(explain(exc, lang, tr("sidebar.source", lang)))
        st.stop()
    if not terrs:
        st.warning(tr("error.no_territory", lang, source=source.describe()))
        st.stop()
    # an agency (or a scoped analyst) lands on its own territory when it signs in, not on the
    # country it may not see; afterwards the choice is the user's
    own_ids = set(who.territory_ids) if who else set()
    # territories without any site have nothing to show (all 34,871 French communes may be loaded)
    listed = [t for t in terrs if t.id in with_sites or t.id in own_ids] or terrs
    names = {t.id: t.name for t in listed}
    ids = list(names)
    own = [t for t in (who.territory_ids if who else ()) if t in names]
    if st.session_state.pop(JUST_SIGNED_IN_KEY, False) and own:
        st.session_state["territory"] = own[0]
    if st.session_state.get("territory") not in names:  # chosen before its last site went, or a source change
        st.session_state.pop("territory", None)
    default = own[0] if own else sources.default_territory(listed)
    territory_id = st.sidebar.selectbox(
        tr("sidebar.territory", lang),
        ids,
        index=ids.index(default) if default in ids else 0,
        key="territory",
        format_func=lambda i: f"{names[i]} ({i})",
    )
    if len(listed) < len(terrs):
        st.sidebar.caption(tr("sidebar.hidden_empty", lang, n=f"{len(terrs) - len(listed):,}"))
    reach = scope.reach(service_context, who, territory_id)
    ctx = Context(lang, source, territory_id, names[territory_id], kb, who, reach)
    st.session_state["_context"] = ctx
    return ctx


def allowed(ctx: Context, company: bool) -> bool:
    """Whether a read-only page may render for this user; when not, the page is told why.

    ``company``: the page has a company view (own sites, masked candidates). Pages without one
    (scenarios, network: optimised plans, which the API gives admins and agencies only) refuse
    company accounts, as ``/runs`` does.
    """
    if ctx.reach is Reach.OUTSIDE:
        st.info(tr("scope.outside", ctx.lang, territory=ctx.territory_name))
        return False
    if ctx.reach is Reach.AGGREGATES and ctx.principal is not None:
        show_aggregates(ctx, ctx.principal)
        return False
    if ctx.reach is Reach.COMPANY and not company:
        role = tr("role.company", ctx.lang)
        st.warning(tr("scope.no_company_view", ctx.lang, role=role))
        return False
    return True


def show_aggregates(ctx: Context, who: Principal) -> None:
    """What an analyst may read of the territory: `services.aggregates`, as `GET /aggregates`."""
    agg = aggregates.territory_aggregates(service_context(), who, ctx.territory_id)
    st.info(tr("scope.aggregates", ctx.lang, min_firms=agg["min_firms_per_total"]))
    counts = agg["counts"]
    cols = st.columns(len(counts))
    labels = {"outputs": "col.n_outputs", "inputs": "col.n_inputs"}
    for col, (name, value) in zip(cols, counts.items(), strict=True):
        col.metric(tr(labels.get(name, f"kpi.{name}"), ctx.lang), fmt_number(value, ctx.lang))
    pot = agg["potential"]
    st.caption(
        tr(
            "scope.aggregates_potential",
            ctx.lang,
            eur=fmt_number(pot["net_gain_eur_per_yr"], ctx.lang),
            co2=fmt_number(pot["co2_avoided_t_per_yr"], ctx.lang),
        )
    )
    st.dataframe(aggregates_table(agg["resources"], ctx.kb, ctx.lang), hide_index=True)


def aggregates_table(rows: list[dict], kb: KnowledgeBase, lang: str) -> pd.DataFrame:
    """`GET /aggregates`' per-resource rows as a user reads them: names, units, suppressed totals."""
    return pd.DataFrame(
        {
            tr("col.kind", lang): [tr(f"declare.{r['kind']}", lang) for r in rows],
            tr("col.resource_code", lang): [resource_name(r["resource_code"], kb, lang) for r in rows],
            tr("col.firms", lang): [r["firms"] for r in rows],
            tr("col.quantity_per_yr", lang): [
                tr("scope.suppressed", lang)
                if r["suppressed"]
                else f"{fmt_number(r['quantity_per_yr'], lang)} {unit_label(r['unit'])}"
                for r in rows
            ],
        }
    )


def context() -> Context:
    ctx = st.session_state.get("_context")
    if ctx is None:  # a page run on its own (not through app.py)
        ctx = sidebar()
    return ctx


def forget_loaded_data() -> None:
    """After a write to the graph store: the next page run reads the territory afresh."""
    for cached in (_file_territories, populated, dataset, sites_table, matching, plan, pareto):
        cached.clear()


def fmt_eur(value: float) -> str:
    return f"{value:,.0f} €".replace(",", "\u202f")


def fmt_qty(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}".replace(",", "\u202f")
