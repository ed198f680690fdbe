"""Who sees what: the role rules, in one place.

* admin sees everything;
* agency sees what lies in its territories or any territory nested in them;
* company sees its own firm, its sites and their declarations;
* analyst sees no firm-level object at all (aggregates only).

An object outside the caller's scope is reported exactly like a missing one (`NotFound`), so
nobody can probe for another firm's ids.
"""

from __future__ import annotations

from symbiosis.domain import Site
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import NotFound
from symbiosis.services.principal import Principal, Role


def territory_scope(ctx: ServiceContext, p: Principal) -> list[str] | None:
    """Territory ids the caller may see objects in; ``None`` = no restriction (admin)."""
    if p.role is Role.ADMIN:
        return None
    if p.role in (Role.AGENCY, Role.ANALYST) and p.territory_ids:
        return sorted(ctx.tree().descendants(p.territory_ids))
    if p.role is Role.ANALYST:
        return None
    return []


def may_see_territory(ctx: ServiceContext, p: Principal, territory_id: str | None) -> bool:
    scope = territory_scope(ctx, p)
    return scope is None or (territory_id is not None and territory_id in scope)


def may_see_place(ctx: ServiceContext, p: Principal, firm_id: str, territory_id: str | None) -> bool:
    """Whether the caller may see what a firm holds in a territory (a site, its declarations)."""
    if p.role is Role.ADMIN:
        return True
    if p.role is Role.COMPANY:
        return firm_id == p.firm_id
    if p.role is Role.AGENCY:
        return may_see_territory(ctx, p, territory_id)
    return False


def may_see_site(ctx: ServiceContext, p: Principal, site: Site) -> bool:
    return may_see_place(ctx, p, site.firm_id, site.territory_id)


def visible_site(ctx: ServiceContext, p: Principal, site_id: str) -> Site:
    site = ctx.repo().get_site(site_id)
    if site is None or not may_see_site(ctx, p, site):
        raise NotFound("site", site_id)
    return site


def may_see_firm(ctx: ServiceContext, p: Principal, firm_id: str) -> bool:
    if p.role is Role.ADMIN:
        return True
    if p.role is Role.COMPANY:
        return firm_id == p.firm_id
    if p.role is Role.AGENCY:
        scope = territory_scope(ctx, p) or []
        return firm_id in ctx.repo().firm_ids_in_territories(scope)
    return False
