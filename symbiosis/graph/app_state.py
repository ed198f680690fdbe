"""Repository methods the API and its services need beyond bulk import: single-object reads,
paged and scoped lists, deletes, and the application's own records (users, optimisation runs,
synergies, consents).

`AppStateRepository` extends `GraphRepository`, so the API holds one object for everything;
`open_app_graph` opens it the way `open_graph` opens the plain repository. App records are nodes
keyed by ``id`` holding scalar properties (nested values are JSON text, encoded by the services).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from neo4j.exceptions import ConstraintError

from symbiosis.domain import Firm, InputDeclaration, OutputDeclaration, Site, Territory
from symbiosis.graph import queries as q
from symbiosis.graph import rows as r
from symbiosis.graph.connection import open_graph
from symbiosis.graph.repository import GraphRepository
from symbiosis.settings import Settings

Props = dict[str, Any]
Declaration = OutputDeclaration | InputDeclaration
_LABEL = {"output": "Output", "input": "Input"}


@dataclass(frozen=True)
class Scope:
    """Optional filters of a paged list; ``None`` means "no filter" (every role's scope fits)."""

    firm_id: str | None = None
    territory_ids: list[str] | None = None
    site_id: str | None = None
    resource_code: str | None = None


@dataclass(frozen=True)
class Located:
    """A declaration with where it sits: its site's firm and territory (for access checks)."""

    declaration: Declaration
    firm_id: str
    territory_id: str | None


class AppStateRepository(GraphRepository):
    def ping(self) -> None:
        """One round trip: raises `GraphStoreUnavailable` when the store does not answer."""
        self.read(q.PING)

    # --- single objects ----------------------------------------------------------------------

    def get_territory(self, territory_id: str) -> Territory | None:
        recs = self.read(q.TERRITORY_BY_ID, id=territory_id)
        return r.territory_from(recs[0]["props"], recs[0]["parent_id"]) if recs else None

    def all_territories(self) -> list[Territory]:
        return [r.territory_from(rec["props"], rec["parent_id"]) for rec in self.read(q.ALL_TERRITORIES)]

    def get_firm(self, firm_id: str) -> Firm | None:
        recs = self.read(q.FIRMS_BY_ID, ids=[firm_id])
        return r.firm_from(recs[0]["props"]) if recs else None

    def get_site(self, site_id: str) -> Site | None:
        recs = self.read(q.SITE_BY_ID, id=site_id)
        return r.site_from(recs[0]["props"], recs[0]["firm_id"], recs[0]["territory_id"]) if recs else None

    def get_declaration(self, kind: str, declaration_id: str) -> Located | None:
        recs = self.read(q.DECLARATION_BY_ID[_LABEL[kind]], id=declaration_id)
        if not recs:
            return None
        rec = recs[0]
        build = r.output_from if kind == "output" else r.input_from
        return Located(build(rec["props"], rec["site_id"]), rec["firm_id"], rec["territory_id"])

    # --- paged, scoped lists -----------------------------------------------------------------

    def list_firms(self, ids: list[str] | None, skip: int, limit: int) -> tuple[list[Firm], int]:
        recs = self.read(q.FIRMS_PAGE, ids=ids, skip=skip, limit=limit)
        total = self.read(q.FIRMS_COUNT, ids=ids)[0]["n"]
        return [r.firm_from(rec["props"]) for rec in recs], total

    def firm_ids_in_territories(self, territory_ids: list[str]) -> list[str]:
        return sorted(rec["id"] for rec in self.read(q.FIRM_IDS_IN_TERRITORIES, territory_ids=territory_ids))

    def list_sites(self, scope: Scope, skip: int, limit: int) -> tuple[list[Site], int]:
        params = {"firm_id": scope.firm_id, "territory_ids": scope.territory_ids}
        recs = self.read(q.SITES_PAGE, skip=skip, limit=limit, **params)
        total = self.read(q.SITES_COUNT, **params)[0]["n"]
        return [r.site_from(rec["props"], rec["firm_id"], rec["territory_id"]) for rec in recs], total

    def list_declarations(self, kind: str, scope: Scope, skip: int, limit: int) -> tuple[list[Located], int]:
        label = _LABEL[kind]
        params = {
            "firm_id": scope.firm_id,
            "territory_ids": scope.territory_ids,
            "site_id": scope.site_id,
            "resource_code": scope.resource_code,
        }
        recs = self.read(q.DECLARATION_PAGE[label], skip=skip, limit=limit, **params)
        total = self.read(q.DECLARATION_COUNT[label], **params)[0]["n"]
        build = r.output_from if kind == "output" else r.input_from
        items = [
            Located(build(rec["props"], rec["site_id"]), rec["firm_id"], rec["territory_id"]) for rec in recs
        ]
        return items, total

    # --- deletes -----------------------------------------------------------------------------

    def delete_declaration(self, kind: str, declaration_id: str) -> None:
        self.write(q.DELETE_DECLARATION[_LABEL[kind]], id=declaration_id, stamped=True)

    def delete_site(self, site_id: str) -> None:
        """The site, its declarations and the known exchanges it takes part in."""
        self.write_all(q.DELETE_SITE, id=site_id, stamped=True)

    def count_sites_of_firm(self, firm_id: str) -> int:
        return int(self.read(q.SITES_OF_FIRM_COUNT, id=firm_id)[0]["n"])

    def delete_firm(self, firm_id: str) -> None:
        self.write(q.DELETE_FIRM, id=firm_id, stamped=True)

    def territory_usage(self, territory_id: str) -> tuple[int, int]:
        """(sub-territories, sites) directly attached: a territory in use is not deleted."""
        rec = self.read(q.TERRITORY_USAGE, id=territory_id)[0]
        return int(rec["children"]), int(rec["sites"])

    def delete_territory(self, territory_id: str) -> None:
        self.write(q.DELETE_TERRITORY, id=territory_id, stamped=True)

    # --- app records: users, runs, synergies, consents ---------------------------------------

    def save_record(self, label: str, props: Props) -> None:
        """Create or replace a whole record (``props["id"]`` is the key)."""
        checked = r.check_props(props, f"{label} {props['id']}")
        self.write(q.APP_UPSERT[label], id=props["id"], props=checked, stamped=_visible(label))

    def create_record(self, label: str, props: Props) -> None:
        """Create a NEW record: `DuplicateKey` naming the field when its id (or a user's e-mail) is
        taken — also by a concurrent create, which the uniqueness constraint catches."""
        checked = r.check_props(props, f"{label} {props['id']}")
        try:
            self.write(q.APP_CREATE[label], props=checked, stamped=_visible(label))
        except ConstraintError:
            self.raise_duplicate(label, checked)

    def patch_record(self, label: str, record_id: str, props: Props) -> Props | None:
        """Set some properties of an existing record; the record after the change, None if missing."""
        clean = {k: v for k, v in props.items() if v is not None}
        checked = r.check_props(clean, f"{label} {record_id}")
        recs = self.write(q.APP_PATCH[label], id=record_id, props=checked)
        return dict(recs[0]["props"]) if recs else None

    def patch_run_unless_ended(self, run_id: str, props: Props, ended: tuple[str, ...]) -> Props | None:
        """`patch_record` of a run, in one statement that leaves it alone once its status is one of
        ``ended``; the run after the change, None if missing or ended."""
        clean = {k: v for k, v in props.items() if v is not None}
        checked = r.check_props(clean, f"Run {run_id}")
        recs = self.write(q.RUN_PATCH_UNLESS_ENDED, id=run_id, props=checked, ended=list(ended))
        return dict(recs[0]["props"]) if recs else None

    def get_record(self, label: str, record_id: str) -> Props | None:
        recs = self.read(q.APP_GET[label], id=record_id)
        return dict(recs[0]["props"]) if recs else None

    def list_records(self, label: str) -> list[Props]:
        return [dict(rec["props"]) for rec in self.read(q.APP_LIST[label])]

    def delete_record(self, label: str, record_id: str) -> None:
        self.write(q.APP_DELETE[label], id=record_id, stamped=_visible(label))

    def purge_revoked(self, before_s: float, chunk: int = 10_000) -> int:
        """Delete the revocations of tokens that expired before ``before_s`` (epoch seconds); how many."""
        deleted = 0
        while n := int(self.write(q.PURGE_REVOKED, before=before_s, limit=chunk)[0]["deleted"]):
            deleted += n
        return deleted

    def token_holder(self, jti: str, user_id: str) -> tuple[bool, Props | None]:
        """(whether the token ``jti`` was revoked, the record of ``user_id`` or None): one round trip."""
        rec = self.read(q.TOKEN_HOLDER, jti=jti, user_id=user_id)[0]
        return bool(rec["revoked"]), dict(rec["props"]) if rec["props"] is not None else None

    def user_by_email(self, email: str) -> Props | None:
        recs = self.read(q.USER_BY_EMAIL, email=email)
        return dict(recs[0]["props"]) if recs else None

    def runs_with_status(self, statuses: list[str]) -> list[Props]:
        return [dict(rec["props"]) for rec in self.read(q.RUNS_WITH_STATUS, statuses=statuses)]

    def consents_of_firm(self, firm_id: str) -> list[Props]:
        return [dict(rec["props"]) for rec in self.read(q.CONSENTS_OF_FIRM, firm_id=firm_id)]


def _visible(label: str) -> bool:
    """Whether writing a record of ``label`` bumps the data version (in the write's own transaction):
    app records change what users see (consents, synergies), the security labels do not — a failed
    login or a /health probe must not throw away every reader's cache."""
    return label not in q.SECURITY_LABELS


@contextmanager
def open_app_graph(settings: Settings | None = None) -> Iterator[AppStateRepository]:
    """`open_graph`, returning the repository with the app-state methods (same driver, same checks)."""
    with open_graph(settings) as repo:
        yield AppStateRepository(repo.driver, repo.uri, repo.database, batch_size=repo.batch_size)
