"""Is the service able to do its job — not only "does the store answer", but "can it write"?

A store that answers reads while every write fails (disk full, read-only volume) used to report
``ok`` while users got 500s. `report` therefore checks three things and is ok only if all hold:

* ``store``: one round trip (`ping`);
* ``store_writes``: a probe record written and deleted again (the write path, end to end);
* ``disk``: free space under ``home_dir`` (the embedded store's data, run files) is at least
  ``min_free_disk_mb`` — "nearly full" is reported before it is full.

`/health` needs no login (load balancers, compose healthchecks): it says *what* is degraded, never
the underlying error text (that is logged).
"""

from __future__ import annotations

import logging
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from symbiosis.errors import GraphStoreUnavailable
from symbiosis.services.context import ServiceContext, utc_now

PROBE = "HealthProbe"
log = logging.getLogger("symbiosis.services")


@dataclass
class HealthReport:
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(v == "ok" for v in self.checks.values())

    def as_dict(self) -> dict[str, object]:
        return {"status": "ok" if self.ok else "degraded", "checks": self.checks}


def free_disk_mb(path: Path) -> float:
    """Free space (MB) on the file system holding ``path`` (its nearest existing parent)."""
    path = Path(path).resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free / 2**20


def report(ctx: ServiceContext) -> HealthReport:
    out = HealthReport()
    try:
        ctx.repo().ping()
        out.checks["store"] = "ok"
    except GraphStoreUnavailable as exc:
        ctx.graph.reset()
        log.warning("health: graph store unavailable: %s", exc)
        out.checks["store"] = "unreachable"
    if out.checks["store"] == "ok":
        out.checks["store_writes"] = _write_probe(ctx)
    free, floor = free_disk_mb(ctx.settings.home_dir), ctx.settings.min_free_disk_mb
    out.checks["disk"] = "ok" if free >= floor else f"nearly full: {free:,.0f} MB free, below {floor:,} MB"
    return out


def _write_probe(ctx: ServiceContext) -> str:
    probe = f"probe_{uuid.uuid4().hex[:16]}"
    try:
        ctx.repo().save_record(PROBE, {"id": probe, "at": utc_now()})
        ctx.repo().delete_record(PROBE, probe)
    except Exception as exc:  # whatever the store raises for a failed write, it means "degraded"
        log.error("health: writing to the graph store failed: %r", exc)
        return "failing"
    return "ok"
