"""Sites."""

from __future__ import annotations

from fastapi import APIRouter, status

from symbiosis.api.deps import Ctx, CurrentUser, Limit, Offset, roles
from symbiosis.api.schemas.common import changes
from symbiosis.api.schemas.registry import SiteCreate, SitesPublic, SiteUpdate
from symbiosis.domain import Site
from symbiosis.services import registry
from symbiosis.services.principal import Role

router = APIRouter(
    prefix="/sites", tags=["sites"], dependencies=[roles(Role.ADMIN, Role.AGENCY, Role.COMPANY)]
)


@router.get("", response_model=SitesPublic)
def list_sites(
    ctx: Ctx, p: CurrentUser, offset: Offset = 0, limit: Limit = 100, firm_id: str | None = None,
    territory_id: str | None = None,
) -> SitesPublic:  # fmt: skip
    data, count = registry.list_sites(ctx, p, offset, limit, firm_id=firm_id, territory_id=territory_id)
    return SitesPublic(data=data, count=count)


@router.get("/{site_id}", response_model=Site)
def get_site(ctx: Ctx, p: CurrentUser, site_id: str) -> Site:
    return registry.get_site(ctx, p, site_id)


@router.post("", response_model=Site, status_code=status.HTTP_201_CREATED)
def create_site(ctx: Ctx, p: CurrentUser, body: SiteCreate) -> Site:
    return registry.create_site(ctx, p, body.model_dump(exclude_none=True))


@router.patch("/{site_id}", response_model=Site)
def update_site(ctx: Ctx, p: CurrentUser, site_id: str, body: SiteUpdate) -> Site:
    return registry.update_site(ctx, p, site_id, changes(body))


@router.delete("/{site_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_site(ctx: Ctx, p: CurrentUser, site_id: str) -> None:
    registry.delete_site(ctx, p, site_id)
