"""Bulk import (CSV files, a .zip of them, or an .xlsx workbook) and export (CSV, Excel, GeoJSON)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import Response

from symbiosis.api.deps import Ctx, CurrentUser, roles
from symbiosis.api.schemas.other import ImportResult
from symbiosis.services import bulk
from symbiosis.services.principal import Role

router = APIRouter(tags=["import/export"], dependencies=[roles(Role.ADMIN, Role.AGENCY)])


@router.post("/imports", response_model=ImportResult, summary="Validate a whole dataset, then write it")
def import_dataset(
    ctx: Ctx, p: CurrentUser,
    files: Annotated[list[UploadFile], File(description="<table>.csv files, a .zip of them, or one .xlsx")],
) -> Any:  # fmt: skip
    return bulk.import_files(ctx, p, [(f.filename or "", f.file.read()) for f in files])


@router.get("/exports", summary="A territory's dataset as CSV (zip), Excel or GeoJSON")
def export_dataset(
    ctx: Ctx,
    p: CurrentUser,
    territory_id: str | None = None,
    format: Literal["csv", "xlsx", "geojson"] = "csv",
) -> Response:
    content, media_type, name = bulk.export(ctx, p, territory_id, format)
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
