"""Candidate matches of a territory, with the matching filters; explanations included."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from symbiosis.api.deps import MAX_LIMIT, Ctx, CurrentUser, Limit, Offset, roles
from symbiosis.api.schemas.other import CandidatePublic, MatchesPublic
from symbiosis.domain.bounds import FiniteFloat
from symbiosis.domain.enums import ResourceFamily
from symbiosis.matching.service import CandidateQuery, SortKey
from symbiosis.services import matches
from symbiosis.services.principal import Role

router = APIRouter(
    prefix="/matches", tags=["matches"], dependencies=[roles(Role.ADMIN, Role.AGENCY, Role.COMPANY)]
)


@router.get("", response_model=MatchesPublic, summary="Candidate exchanges of a territory, best first")
def find_matches(
    ctx: Ctx, p: CurrentUser,
    territory_id: Annotated[str, Query(description="territory (its sub-territories included)")],
    offset: Offset = 0, limit: Limit = 50,
    site_id: Annotated[str | None, Query(description="as giver or receiver")] = None,
    resource: Annotated[str | None, Query(description="resource code, as output or input")] = None,
    family: ResourceFamily | None = None,
    min_gain_eur_per_yr: FiniteFloat | None = None,
    max_distance_km: Annotated[FiniteFloat | None, Query(ge=0)] = None,
    top_k_per_site: Annotated[int | None, Query(ge=1, le=MAX_LIMIT)] = None,
    sort: SortKey = SortKey.GAIN,
) -> Any:  # fmt: skip
    query = CandidateQuery(
        site_id=site_id, resource=resource, family=family, min_gain_eur_per_yr=min_gain_eur_per_yr,
        max_distance_km=max_distance_km, top_k_per_site=top_k_per_site, sort=sort,
    )  # fmt: skip
    data, count = matches.find_matches(ctx, p, territory_id, query, offset, limit)
    return {"data": data, "count": count}


@router.get("/explain", response_model=CandidatePublic, summary="Why a pair matches or not")
def explain(ctx: Ctx, p: CurrentUser, territory_id: str, output_id: str, input_id: str) -> Any:
    return matches.explain(ctx, p, territory_id, output_id, input_id)
