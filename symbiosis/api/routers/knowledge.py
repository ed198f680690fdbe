"""Resources and substitution rules of the knowledge base (read-only, every role)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from symbiosis.api.deps import CurrentUser
from symbiosis.domain import Resource, SubstitutionRule
from symbiosis.services.cache import knowledge_base
from symbiosis.services.errors import NotFound

router = APIRouter(tags=["knowledge"])


class ResourcesPublic(BaseModel):
    data: list[Resource]
    count: int


class RulesPublic(BaseModel):
    data: list[SubstitutionRule]
    count: int


@router.get("/resources", response_model=ResourcesPublic)
def list_resources(p: CurrentUser, family: str | None = None) -> ResourcesPublic:
    data = [r for r in knowledge_base().resources.values() if family in (None, r.family.value)]
    return ResourcesPublic(data=data, count=len(data))


@router.get("/resources/{code}", response_model=Resource)
def get_resource(p: CurrentUser, code: str) -> Resource:
    found = knowledge_base().resources.get(code)
    if found is None:
        raise NotFound("resource", code)
    return found


@router.get("/substitution-rules", response_model=RulesPublic)
def list_rules(
    p: CurrentUser, from_resource: str | None = None, to_resource: str | None = None
) -> RulesPublic:
    data = [
        r
        for r in knowledge_base().rules
        if from_resource in (None, r.from_resource) and to_resource in (None, r.to_resource)
    ]
    return RulesPublic(data=data, count=len(data))
