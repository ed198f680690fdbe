"""Liveness and graph-store reachability (no login: for load balancers and compose healthchecks)."""

from __future__ import annotations

from fastapi import APIRouter

from symbiosis.api.deps import Ctx

router = APIRouter(tags=["health"])


@router.get("/health", summary="200 when the API and its graph store answer; 503 otherwise")
def health(ctx: Ctx) -> dict[str, str]:
    ctx.repo().ping()
    return {"status": "ok"}
