"""Bulk import and export in the `datasets/` format (docs/DATA_FORMAT.md), plus GeoJSON for QGIS.

Import validates the whole upload first — every row through `symbiosis.dataset_io`, the caller's
scope, then every reference against the store — and writes only if nothing is wrong; the error
lists every bad row with its field and reason. The write itself is all or nothing even if the store
or this process dies mid-way (staged, then published in one transaction: docs/GRAPH_MODEL.md).
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from symbiosis.dataset_io import TABLES, check_archive, read_bounded, read_dataset, write_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.errors import InvalidInput, Issue
from symbiosis.graph.staging import ImportConflict
from symbiosis.services.access import territory_scope
from symbiosis.services.cache import knowledge_base
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import Conflict, NotFound
from symbiosis.services.principal import Principal, Role

FORMATS = ("csv", "xlsx", "geojson")


def _unpack(ctx: ServiceContext, files: Sequence[tuple[str, bytes]], folder: Path) -> Path:
    """Where `read_dataset` should look: the workbook, or a folder of the uploaded/zipped CSVs.

    Sizes are bounded (settings ``max_upload_mb``, ``max_unpacked_mb``); a zip is judged from its
    declared sizes before anything is unpacked, then unpacked in bounded chunks; two files that
    would land on the same table are refused rather than one silently dropped."""
    names = [PurePosixPath(n or "").name for n, _ in files]
    max_upload = ctx.settings.max_upload_mb * 2**20
    max_unpacked = ctx.settings.max_unpacked_mb * 2**20
    if sum(len(b) for _, b in files) > max_upload:
        raise InvalidInput(
            [Issue("upload", "file", None, f"at most {ctx.settings.max_upload_mb} MB in all")], "upload"
        )
    if len(files) == 1 and names[0].lower().endswith(".xlsx"):
        # errors name the workbook as uploaded, unless its name cannot be a file name here
        safe = re.fullmatch(r"[\w .()\-]{1,120}\.xlsx", names[0], re.IGNORECASE)
        path = folder / (names[0] if safe else "upload.xlsx")
        path.write_bytes(files[0][1])
        return path
    if len(files) == 1 and names[0].lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(files[0][1])) as zf:
                check_archive(zf, names[0], max_unpacked)
                tables = [
                    (info, PurePosixPath(info.filename).name)
                    for info in zf.infolist()
                    if not info.is_dir() and _table_file(PurePosixPath(info.filename).name)
                ]
                _refuse_duplicates([base for _, base in tables], names[0])
                for info, base in tables:
                    (folder / base).write_bytes(read_bounded(zf, info, names[0], max_unpacked))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
            raise InvalidInput(
                [Issue("upload", "file", names[0], "a valid .zip of CSV files")], "upload"
            ) from None
        return folder
    issues = [
        Issue("upload", "file", n, f"an .xlsx workbook, a .zip, or CSV files named {', '.join(TABLES)}.csv")
        for n in names
        if not _table_file(n)
    ]
    if issues:
        raise InvalidInput(issues, "upload")
    _refuse_duplicates(names, "upload")
    for name, content in zip(names, (b for _, b in files), strict=True):
        (folder / name).write_bytes(content)
    return folder


def _table_file(name: str) -> bool:
    return name.endswith(".csv") and name.removesuffix(".csv") in TABLES


def _refuse_duplicates(names: list[str], label: str) -> None:
    seen: set[str] = set()
    twice = sorted({n for n in names if n in seen or seen.add(n)})  # type: ignore[func-returns-value]
    if twice:
        raise InvalidInput(
            [Issue(label, "file", n, "each table once: this file name appears twice") for n in twice], label
        )


def _scope_issues(ctx: ServiceContext, p: Principal, ds: Dataset) -> list[Issue]:
    """An agency imports only inside its territories (new sub-territories of them included);
    the enclosing territories an export carries may come back unchanged."""
    scope = territory_scope(ctx, p)
    if scope is None:
        return []
    inside = set(scope)
    parents = {t.id: t.parent_id for t in ds.territories}
    changed = True
    while changed:  # new territories nested (through the file) in one of ours
        changed = False
        for tid, parent in parents.items():
            if tid not in inside and parent in inside and tid not in ctx.tree().territories:
                inside.add(tid)
                changed = True
    known = ctx.tree().territories
    issues = [  # enclosing territories may come along (exports carry them) but only unchanged
        Issue(f"territory {t.id}", "parent_id", t.parent_id, "a territory you facilitate (or one inside it)")
        for t in ds.territories
        if t.id not in inside and known.get(t.id) != t
    ]
    issues += [
        Issue(f"site {s.id}", "territory_id", s.territory_id, "a territory you facilitate (or one inside it)")
        for s in ds.sites
        if s.territory_id not in inside
    ]
    operating = {site.firm_id for site in ds.sites}
    issues += [
        Issue(f"firm {f.id}", "id", f.id, "a firm operating one of the file's sites")
        for f in ds.firms
        if f.id not in operating
    ]
    return issues


def import_files(ctx: ServiceContext, p: Principal, files: Sequence[tuple[str, bytes]]) -> dict[str, Any]:
    p.require(Role.ADMIN, Role.AGENCY)
    with tempfile.TemporaryDirectory(prefix="symbiosis-upload-") as tmp:
        path = _unpack(ctx, files, Path(tmp))
        dataset = read_dataset(path, knowledge_base())
    issues = _scope_issues(ctx, p, dataset)
    if issues:
        raise InvalidInput(issues, "upload")
    repo = ctx.repo()
    repo.check_references(dataset)  # dangling references to the store, all at once, before writing
    try:
        written = repo.import_dataset(dataset)  # all or nothing, even if the store dies mid-way
    except ImportConflict as exc:
        raise Conflict(str(exc)) from None
    finally:
        ctx.cache.invalidate_all()
    return {"written": written}


def export(ctx: ServiceContext, p: Principal, territory_id: str | None, fmt: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of a territory's dataset (the whole store for an admin)."""
    p.require(Role.ADMIN, Role.AGENCY)
    if fmt not in FORMATS:
        raise InvalidInput([Issue("export", "format", fmt, f"one of {', '.join(FORMATS)}")], "export")
    scope = territory_scope(ctx, p)
    if territory_id is None and scope is not None:
        raise InvalidInput([Issue("export", "territory_id", None, "one of your territories")], "export")
    if territory_id is not None and (
        territory_id not in ctx.tree().territories or (scope is not None and territory_id not in scope)
    ):
        raise NotFound("territory", territory_id)
    dataset = ctx.repo().export_dataset(territory_id)
    stem = f"symbiosis-{territory_id or 'all'}"
    if fmt == "geojson":
        import json

        return json.dumps(geojson(dataset)).encode(), "application/geo+json", f"{stem}.geojson"
    with tempfile.TemporaryDirectory(prefix="symbiosis-export-") as tmp:
        if fmt == "xlsx":
            path = write_dataset(dataset, Path(tmp) / f"{stem}.xlsx", "xlsx")
            return path.read_bytes(), XLSX, f"{stem}.xlsx"
        folder = write_dataset(dataset, Path(tmp) / stem, "csv")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(folder.glob("*.csv")):
                zf.write(f, arcname=f"{stem}/{f.name}")
        return buf.getvalue(), "application/zip", f"{stem}.zip"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def geojson(dataset: Dataset) -> dict[str, Any]:
    """Sites as points (with their outputs and inputs summarised) and known exchanges as lines."""
    firms = {f.id: f.name for f in dataset.firms}
    where = {s.id: (s.longitude_deg, s.latitude_deg) for s in dataset.sites}
    gives: dict[str, list[str]] = {}
    needs: dict[str, list[str]] = {}
    for o in dataset.outputs:
        gives.setdefault(o.site_id, []).append(o.resource_code)
    for i in dataset.inputs:
        needs.setdefault(i.site_id, []).append(i.resource_code)
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [s.longitude_deg, s.latitude_deg]},
            "properties": {
                "kind": "site",
                "id": s.id,
                "name": s.name,
                "firm_id": s.firm_id,
                "firm_name": firms.get(s.firm_id),
                "territory_id": s.territory_id,
                "outputs": ";".join(sorted(gives.get(s.id, []))),
                "inputs": ";".join(sorted(needs.get(s.id, []))),
            },
        }
        for s in dataset.sites
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [list(where[x.from_site_id]), list(where[x.to_site_id])],
            },
            "properties": {
                "kind": "exchange",
                "id": x.id,
                "resource_code": x.resource_code,
                "from_site_id": x.from_site_id,
                "to_site_id": x.to_site_id,
                "quantity_per_yr": x.quantity_per_yr,
                "unit": x.unit.value,
            },
        }
        for x in dataset.exchanges
        if x.from_site_id in where and x.to_site_id in where
    ]
    return {"type": "FeatureCollection", "features": features}
