"""Territories, firms, sites and declarations: create, read, update, delete, list — with the role
rules of `symbiosis.services.access` applied to every call.

Writes drop the cached matching of the territories they touch. Company accounts never choose ids
(the service assigns them): a chosen id that clashed with another firm's object would tell them
it exists.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from symbiosis.domain import Firm, InputDeclaration, OutputDeclaration, Site, Territory
from symbiosis.domain.enums import TerritoryLevel
from symbiosis.errors import DuplicateKey, InvalidInput, Issue, issues_from_validation_error
from symbiosis.graph.app_state import Located, Scope
from symbiosis.services.access import (
    may_see_firm,
    may_see_place,
    may_see_site,
    may_see_territory,
    territory_scope,
    visible_site,
)
from symbiosis.services.cache import knowledge_base
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import Conflict, NotFound
from symbiosis.services.principal import Principal, Role

M = TypeVar("M", bound=BaseModel)
Declaration = OutputDeclaration | InputDeclaration
MODELS: dict[str, type[OutputDeclaration] | type[InputDeclaration]] = {
    "output": OutputDeclaration,
    "input": InputDeclaration,
}
WRITERS = (Role.ADMIN, Role.AGENCY, Role.COMPANY)


def _validated(model: type[M], data: dict[str, Any], what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise InvalidInput(issues_from_validation_error(err, what), what) from None


def _assign_id(p: Principal, given: str | None, prefix: str) -> str:
    if p.role is Role.COMPANY:
        if given is not None:
            raise InvalidInput(
                [Issue(prefix, "id", given, "no id: the service assigns ids for company accounts")], prefix
            )
        return f"{prefix}_{uuid.uuid4().hex[:16]}"
    if given is None:
        return f"{prefix}_{uuid.uuid4().hex[:16]}"
    return given


def _invalidate_site(ctx: ServiceContext, *territory_ids: str | None, by: Principal | None = None) -> None:
    """Mark the territories' matches out of date; ``by`` (the writer) reads its write at once."""
    tree = ctx.tree()
    touched: list[str] = []
    for tid in territory_ids:
        touched += tree.ancestors(tid)
    ctx.cache.invalidate_territories(touched, by=by.user_id if by else None)


# --- territories (reference data every role may read; admins write) --------------------------


def list_territories(
    ctx: ServiceContext,
    p: Principal,
    *,
    within: str | None = None,
    parent_id: str | None = None,
    level: TerritoryLevel | None = None,
) -> list[Territory]:
    """Territories sorted by id: all, or ``within`` one (itself and everything below), or the
    direct children of ``parent_id``, optionally of one ``level`` — so a client can walk a tree of
    36,145 French territories instead of reading it whole. Unknown ids → `InvalidInput`."""
    tree = ctx.tree()
    issues = [
        Issue("query", name, tid, "the id of an existing territory")
        for name, tid in (("within", within), ("parent_id", parent_id))
        if tid is not None and tid not in tree.territories
    ]
    if issues:
        raise InvalidInput(issues, "territory list")
    items = list(tree.territories.values())
    if within is not None:
        below = tree.descendants([within])
        items = [t for t in items if t.id in below]
    if parent_id is not None:
        items = [t for t in items if t.parent_id == parent_id]
    if level is not None:
        items = [t for t in items if t.level is level]
    return sorted(items, key=lambda t: t.id)


def get_territory(ctx: ServiceContext, p: Principal, territory_id: str) -> Territory:
    t = ctx.tree().territories.get(territory_id)
    if t is None:
        raise NotFound("territory", territory_id)
    return t


def create_territory(ctx: ServiceContext, p: Principal, data: dict[str, Any]) -> Territory:
    p.require(Role.ADMIN)
    return save_territory(ctx, p, _validated(Territory, data, "territory"), create=True)


def update_territory(
    ctx: ServiceContext, p: Principal, territory_id: str, changes: dict[str, Any]
) -> Territory:
    p.require(Role.ADMIN)
    old = get_territory(ctx, p, territory_id)
    new = _validated(
        Territory, {**old.model_dump(), **changes, "id": territory_id}, f"territory {territory_id}"
    )
    return save_territory(ctx, p, new, create=False)


def save_territory(ctx: ServiceContext, p: Principal, territory: Territory, create: bool) -> Territory:
    p.require(Role.ADMIN)
    repo = ctx.repo()
    exists = repo.get_territory(territory.id) is not None
    if create and exists:
        raise Conflict(f"territory {territory.id!r} exists already: update it instead")
    if not create and not exists:
        raise NotFound("territory", territory.id)
    repo.upsert_territories([territory])
    ctx.cache.invalidate_all()
    return territory


def delete_territory(ctx: ServiceContext, p: Principal, territory_id: str) -> None:
    p.require(Role.ADMIN)
    get_territory(ctx, p, territory_id)
    children, sites = ctx.repo().territory_usage(territory_id)
    if children or sites:
        raise Conflict(
            f"territory {territory_id!r} still holds {children} sub-territories and {sites} sites: "
            "move or delete them first"
        )
    ctx.repo().delete_territory(territory_id)
    ctx.cache.invalidate_all()


# --- firms ---------------------------------------------------------------------------------


def list_firms(ctx: ServiceContext, p: Principal, skip: int, limit: int) -> tuple[list[Firm], int]:
    p.require(*WRITERS)
    repo = ctx.repo()
    if p.role is Role.COMPANY:
        ids: list[str] | None = [p.firm_id or ""]
    elif p.role is Role.AGENCY:
        ids = repo.firm_ids_in_territories(territory_scope(ctx, p) or [])
    else:
        ids = None
    return repo.list_firms(ids, skip, limit)


def get_firm(ctx: ServiceContext, p: Principal, firm_id: str) -> Firm:
    p.require(*WRITERS)
    firm = ctx.repo().get_firm(firm_id)
    if firm is None or not may_see_firm(ctx, p, firm_id):
        raise NotFound("firm", firm_id)
    return firm


def create_firm(ctx: ServiceContext, p: Principal, data: dict[str, Any]) -> Firm:
    p.require(Role.ADMIN, Role.AGENCY)
    firm = _validated(Firm, {**data, "id": _assign_id(p, data.get("id"), "firm")}, "firm")
    if ctx.repo().get_firm(firm.id) is not None:
        raise Conflict(f"firm {firm.id!r} exists already: update it instead")
    try:  # a concurrent create of the same id loses on the uniqueness constraint
        ctx.repo().create_firm(firm)
    except DuplicateKey as exc:
        raise Conflict(f"firm {exc.field} {exc.value!r} exists already: update it instead") from None
    return firm


def update_firm(ctx: ServiceContext, p: Principal, firm_id: str, changes: dict[str, Any]) -> Firm:
    old = get_firm(ctx, p, firm_id)
    firm = _validated(Firm, {**old.model_dump(), **changes, "id": firm_id}, f"firm {firm_id}")
    ctx.repo().upsert_firms([firm])
    ctx.cache.invalidate_all()  # firm names appear in every territory's matches
    return firm


def delete_firm(ctx: ServiceContext, p: Principal, firm_id: str) -> None:
    p.require(Role.ADMIN)
    get_firm(ctx, p, firm_id)
    n = ctx.repo().count_sites_of_firm(firm_id)
    if n:
        raise Conflict(f"firm {firm_id!r} still operates {n} sites: delete them first")
    ctx.repo().delete_firm(firm_id)


# --- sites ---------------------------------------------------------------------------------


def _scope(ctx: ServiceContext, p: Principal, **filters: str | None) -> Scope:
    firm = p.firm_id if p.role is Role.COMPANY else filters.get("firm_id")
    territories = territory_scope(ctx, p) if p.role is not Role.COMPANY else None
    wanted = filters.get("territory_id")
    if wanted is not None:
        inside = sorted(ctx.tree().descendants([wanted]))
        territories = inside if territories is None else sorted(set(inside) & set(territories))
    return Scope(firm, territories, filters.get("site_id"), filters.get("resource_code"))


def list_sites(
    ctx: ServiceContext, p: Principal, skip: int, limit: int, firm_id: str | None = None,
    territory_id: str | None = None,
) -> tuple[list[Site], int]:  # fmt: skip
    p.require(*WRITERS)
    return ctx.repo().list_sites(_scope(ctx, p, firm_id=firm_id, territory_id=territory_id), skip, limit)


def get_site(ctx: ServiceContext, p: Principal, site_id: str) -> Site:
    p.require(*WRITERS)
    return visible_site(ctx, p, site_id)


def _check_site_target(ctx: ServiceContext, p: Principal, site: Site) -> None:
    """The site as it would be after the write must be the caller's to hold, and its refs real."""
    if p.role is Role.COMPANY and site.firm_id != p.firm_id:
        raise InvalidInput([Issue("site", "firm_id", site.firm_id, "your own firm's id")], "site")
    if p.role is Role.AGENCY and not may_see_territory(ctx, p, site.territory_id):
        raise InvalidInput(
            [
                Issue(
                    "site", "territory_id", site.territory_id, "a territory you facilitate (or one inside it)"
                )
            ],
            "site",
        )
    if p.role is Role.AGENCY and ctx.repo().get_firm(site.firm_id) is None:
        raise InvalidInput([Issue("site", "firm_id", site.firm_id, "the id of an existing firm")], "site")


def create_site(ctx: ServiceContext, p: Principal, data: dict[str, Any]) -> Site:
    p.require(*WRITERS)
    if p.role is Role.COMPANY:
        data = {**data, "firm_id": data.get("firm_id", p.firm_id)}
    site = _validated(Site, {**data, "id": _assign_id(p, data.get("id"), "site")}, "site")
    _check_site_target(ctx, p, site)
    if ctx.repo().get_site(site.id) is not None:
        raise Conflict(f"site {site.id!r} exists already: update it instead")
    ctx.repo().upsert_sites([site])
    _invalidate_site(ctx, site.territory_id, by=p)
    return site


def update_site(ctx: ServiceContext, p: Principal, site_id: str, changes: dict[str, Any]) -> Site:
    old = get_site(ctx, p, site_id)
    site = _validated(Site, {**old.model_dump(), **changes, "id": site_id}, f"site {site_id}")
    _check_site_target(ctx, p, site)
    ctx.repo().upsert_sites([site])
    _invalidate_site(ctx, old.territory_id, site.territory_id, by=p)
    return site


def delete_site(ctx: ServiceContext, p: Principal, site_id: str) -> None:
    site = get_site(ctx, p, site_id)
    ctx.repo().delete_site(site_id)
    _invalidate_site(ctx, site.territory_id, by=p)


# --- declarations (kind = "output" | "input") ------------------------------------------------


def list_declarations(
    ctx: ServiceContext, p: Principal, kind: str, skip: int, limit: int, *, site_id: str | None = None,
    firm_id: str | None = None, territory_id: str | None = None, resource_code: str | None = None,
) -> tuple[list[Located], int]:  # fmt: skip
    p.require(*WRITERS)
    scope = _scope(
        ctx, p, site_id=site_id, firm_id=firm_id, territory_id=territory_id, resource_code=resource_code
    )
    return ctx.repo().list_declarations(kind, scope, skip, limit)


def get_declaration(ctx: ServiceContext, p: Principal, kind: str, declaration_id: str) -> Located:
    p.require(*WRITERS)
    found = ctx.repo().get_declaration(kind, declaration_id)
    if found is None or not _may_see_located(ctx, p, found):
        raise NotFound(kind, declaration_id)
    return found


def _may_see_located(ctx: ServiceContext, p: Principal, found: Located) -> bool:
    return may_see_place(ctx, p, found.firm_id, found.territory_id)


def create_declaration(ctx: ServiceContext, p: Principal, kind: str, data: dict[str, Any]) -> Located:
    p.require(*WRITERS)
    site_id = str(data.get("site_id", ""))
    site = ctx.repo().get_site(site_id)
    if site is None or not may_see_site(ctx, p, site):
        raise InvalidInput([Issue(kind, "site_id", site_id, "the id of one of your sites")], kind)
    data = {k: v for k, v in data.items() if v is not None}
    if "unit" not in data and data.get("resource_code") in knowledge_base().resources:
        data["unit"] = knowledge_base().resources[data["resource_code"]].canonical_unit
    decl = _validated(MODELS[kind], {**data, "id": _assign_id(p, data.get("id"), kind[0])}, kind)
    # an id the service drew (64 random bits) is new: only an id the client chose may be taken
    if "id" in data and ctx.repo().get_declaration(kind, decl.id) is not None:
        raise Conflict(f"{kind} {decl.id!r} exists already: update it instead")
    _write_declaration(ctx, kind, decl)
    _invalidate_site(ctx, site.territory_id, by=p)
    return Located(decl, site.firm_id, site.territory_id)


def update_declaration(
    ctx: ServiceContext, p: Principal, kind: str, declaration_id: str, changes: dict[str, Any]
) -> Located:
    old = get_declaration(ctx, p, kind, declaration_id)
    data = {**old.declaration.model_dump(exclude={"quantity_per_yr"}), **changes, "id": declaration_id}
    decl = _validated(MODELS[kind], data, f"{kind} {declaration_id}")
    site = ctx.repo().get_site(decl.site_id)
    if site is None or not may_see_site(ctx, p, site):
        raise InvalidInput([Issue(kind, "site_id", decl.site_id, "the id of one of your sites")], kind)
    _write_declaration(ctx, kind, decl)
    _invalidate_site(ctx, old.territory_id, site.territory_id, by=p)
    return Located(decl, site.firm_id, site.territory_id)


def delete_declaration(ctx: ServiceContext, p: Principal, kind: str, declaration_id: str) -> None:
    old = get_declaration(ctx, p, kind, declaration_id)
    ctx.repo().delete_declaration(kind, declaration_id)
    _invalidate_site(ctx, old.territory_id, by=p)


def _write_declaration(ctx: ServiceContext, kind: str, decl: Declaration) -> None:
    resource = knowledge_base().resources.get(decl.resource_code)
    if resource is None:
        raise InvalidInput(
            [
                Issue(
                    f"{kind} {decl.id}",
                    "resource_code",
                    decl.resource_code,
                    "a resource code of GET /resources",
                )
            ],
            kind,
        )
    if resource.canonical_unit != decl.unit:
        expected = f"{resource.canonical_unit.value}, the canonical unit of {decl.resource_code}"
        raise InvalidInput([Issue(f"{kind} {decl.id}", "unit", decl.unit.value, expected)], kind)
    if isinstance(decl, OutputDeclaration):  # both callers have just read the site
        ctx.repo().upsert_outputs([decl], sites_checked=True)
    else:
        ctx.repo().upsert_inputs([decl], sites_checked=True)
