"""Output and input declarations: the same routes for both kinds, built by one factory."""

from typing import Any, cast

from fastapi import APIRouter, status
from pydantic import BaseModel

from symbiosis.api.deps import Ctx, CurrentUser, Limit, Offset, roles
from symbiosis.api.schemas import registry as schemas
from symbiosis.api.schemas.common import changes
from symbiosis.graph.app_state import Located
from symbiosis.services import registry
from symbiosis.services.principal import Role


def _public(found: Located) -> dict[str, Any]:
    return found.declaration.model_dump() | {"firm_id": found.firm_id, "territory_id": found.territory_id}


def declaration_router(
    kind: str, create: type[BaseModel], update: type[BaseModel], one: type[BaseModel], many: type[BaseModel]
) -> APIRouter:
    router = APIRouter(
        prefix=f"/{kind}s", tags=[f"{kind}s"], dependencies=[roles(Role.ADMIN, Role.AGENCY, Role.COMPANY)]
    )

    @router.get("", response_model=many, name=f"list_{kind}s")
    def list_(
        ctx: Ctx, p: CurrentUser, offset: Offset = 0, limit: Limit = 100, site_id: str | None = None,
        firm_id: str | None = None, territory_id: str | None = None, resource_code: str | None = None,
    ) -> Any:  # fmt: skip
        data, count = registry.list_declarations(
            ctx, p, kind, offset, limit, site_id=site_id, firm_id=firm_id, territory_id=territory_id,
            resource_code=resource_code,
        )  # fmt: skip
        return {"data": [_public(d) for d in data], "count": count}

    @router.get("/{declaration_id}", response_model=one, name=f"get_{kind}")
    def get(ctx: Ctx, p: CurrentUser, declaration_id: str) -> Any:
        return _public(registry.get_declaration(ctx, p, kind, declaration_id))

    @router.post("", response_model=one, status_code=status.HTTP_201_CREATED, name=f"create_{kind}")
    def create_(ctx: Ctx, p: CurrentUser, body: create) -> Any:  # type: ignore[valid-type]
        return _public(
            registry.create_declaration(ctx, p, kind, cast(BaseModel, body).model_dump(exclude_none=True))
        )

    @router.patch("/{declaration_id}", response_model=one, name=f"update_{kind}")
    def update_(ctx: Ctx, p: CurrentUser, declaration_id: str, body: update) -> Any:  # type: ignore[valid-type]
        return _public(
            registry.update_declaration(ctx, p, kind, declaration_id, changes(cast(BaseModel, body)))
        )

    @router.delete("/{declaration_id}", status_code=status.HTTP_204_NO_CONTENT, name=f"delete_{kind}")
    def delete(ctx: Ctx, p: CurrentUser, declaration_id: str) -> None:
        registry.delete_declaration(ctx, p, kind, declaration_id)

    return router


outputs = declaration_router(
    "output", schemas.OutputCreate, schemas.OutputUpdate, schemas.OutputPublic, schemas.OutputsPublic
)
inputs = declaration_router(
    "input", schemas.InputCreate, schemas.InputUpdate, schemas.InputPublic, schemas.InputsPublic
)
