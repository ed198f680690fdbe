"""Optimisation runs: background jobs (202 + run id), status, progress, result, cancel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from symbiosis.api.deps import Ctx, CurrentUser, Jobs, roles
from symbiosis.api.schemas.other import RunCreate, RunPublic, RunsPublic
from symbiosis.services import runs
from symbiosis.services.principal import Role

router = APIRouter(prefix="/runs", tags=["runs"], dependencies=[roles(Role.ADMIN, Role.AGENCY)])


@router.post(
    "", response_model=RunPublic, status_code=status.HTTP_202_ACCEPTED, summary="Start an optimisation"
)
def create_run(ctx: Ctx, jobs: Jobs, p: CurrentUser, body: RunCreate) -> Any:
    return runs.create_run(ctx, jobs, p, body.model_dump())


@router.get("", response_model=RunsPublic, summary="Runs, newest first (without results)")
def list_runs(ctx: Ctx, p: CurrentUser, territory_id: str | None = None) -> Any:
    data = runs.list_runs(ctx, p, territory_id)
    return {"data": data, "count": len(data)}


@router.get("/{run_id}", response_model=RunPublic, summary="Status, progress and, when done, plan and KPIs")
def get_run(ctx: Ctx, p: CurrentUser, run_id: str) -> Any:
    return runs.get_run(ctx, p, run_id)


@router.post("/{run_id}/cancel", response_model=RunPublic, summary="Stop a queued or running run")
def cancel_run(ctx: Ctx, jobs: Jobs, p: CurrentUser, run_id: str) -> Any:
    return runs.cancel_run(ctx, jobs, p, run_id)
