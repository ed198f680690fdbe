"""Health: the API, its graph store (reads and writes) and free disk (no login: for load balancers
and compose healthchecks)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from symbiosis.api.deps import Ctx
from symbiosis.services import health as health_service

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    status: str = Field(description="ok | degraded")
    checks: dict[str, str] = Field(description="store, store_writes, disk: 'ok' or what is wrong")


@router.get(
    "/health",
    summary="200 when the store answers, accepts writes and the disk has room; 503 (degraded) otherwise",
    response_model=HealthPublic,
    responses={503: {"model": HealthPublic, "description": "degraded: which check failed, in `checks`"}},
)
def health(ctx: Ctx) -> JSONResponse:
    report = health_service.report(ctx)
    return JSONResponse(report.as_dict(), status_code=200 if report.ok else 503)
