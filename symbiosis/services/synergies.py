"""The synergy pipeline: a candidate (or a planned link of a run) promoted to a tracked synergy.

Status moves one step forward — identified → contacted → under study → (signed →) implemented —
or to abandoned from any open status; every change is kept in the history with who, when and a
note. "Signed" (the contract is signed, the works not yet done) may be skipped. A candidate is
promoted once: while a synergy for the same output and input is open, promoting it again is a
`Conflict` naming that synergy (after it was abandoned, it may be promoted afresh).

A proposed pool (`symbiosis.services.pools`) is promoted the same way (`create_pool_synergy`):
its card has ``kind`` "pool", the pool's members, hub and saving instead of one output and input.
"""

from __future__ import annotations

import json
import uuid
from enum import StrEnum
from typing import Any

from symbiosis.errors import InvalidInput, Issue
from symbiosis.services.access import may_see_territory
from symbiosis.services.context import ServiceContext, utc_now
from symbiosis.services.errors import Conflict, NotFound
from symbiosis.services.principal import Principal, Role
from symbiosis.services.runs import RUN

SYNERGY = "Synergy"


class SynergyStatus(StrEnum):
    IDENTIFIED = "identified"
    CONTACTED = "contacted"
    UNDER_STUDY = "under_study"
    SIGNED = "signed"
    IMPLEMENTED = "implemented"
    ABANDONED = "abandoned"


NEXT: dict[SynergyStatus, set[SynergyStatus]] = {
    SynergyStatus.IDENTIFIED: {SynergyStatus.CONTACTED, SynergyStatus.ABANDONED},
    SynergyStatus.CONTACTED: {SynergyStatus.UNDER_STUDY, SynergyStatus.ABANDONED},
    SynergyStatus.UNDER_STUDY: {SynergyStatus.SIGNED, SynergyStatus.IMPLEMENTED, SynergyStatus.ABANDONED},
    SynergyStatus.SIGNED: {SynergyStatus.IMPLEMENTED, SynergyStatus.ABANDONED},
    SynergyStatus.IMPLEMENTED: set(),
    SynergyStatus.ABANDONED: set(),
}


def public(record: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k != "history_json"}
    out["history"] = json.loads(record.get("history_json") or "[]")
    return out


def _visible(ctx: ServiceContext, p: Principal, record: dict[str, Any] | None, sid: str) -> dict[str, Any]:
    if record is None or not _in_scope(ctx, p, record):
        raise NotFound("synergy", sid)
    return record


def _in_scope(ctx: ServiceContext, p: Principal, record: dict[str, Any]) -> bool:
    return p.role is Role.ADMIN or any(
        may_see_territory(ctx, p, t) for t in record.get("territory_ids") or []
    )


def _new_card(p: Principal, note: str, source: str, **fields: Any) -> dict[str, Any]:
    """A new synergy record at "identified", its history started by ``p``."""
    now = utc_now()
    return {
        "id": f"syn_{uuid.uuid4().hex[:16]}",
        **fields,
        "source": source,
        "status": SynergyStatus.IDENTIFIED.value,
        "notes": note,
        "created_at": now,
        "updated_at": now,
        "created_by": p.email,
        "history_json": json.dumps(
            [{"at": now, "by": p.email, "from": None, "to": "identified", "note": note, "date": None}]
        ),
    }


def create_synergy(
    ctx: ServiceContext, p: Principal, output_id: str | None, input_id: str | None, run_id: str | None,
    link_id: str | None, note: str,
) -> dict[str, Any]:  # fmt: skip
    """From a candidate (``output_id`` + ``input_id``) or a run's planned link (``run_id`` + ``link_id``)."""
    p.require(Role.ADMIN, Role.AGENCY)
    source = "candidate"
    if run_id is not None:
        run = ctx.repo().get_record(RUN, run_id)
        if run is None or not may_see_territory(ctx, p, run.get("territory_id")):
            raise NotFound("run", run_id)
        plan = (json.loads(run.get("result_json") or "{}") or {}).get("plan") or {}
        link = next((lk for lk in plan.get("links", []) if lk["link_id"] == link_id), None)
        if link is None:
            raise InvalidInput(
                [Issue("synergy", "link_id", link_id, f"a link of run {run_id}'s plan")], "synergy"
            )
        output_id, input_id, source = link["output_id"], link["input_id"], f"run {run_id}"
    if output_id is None or input_id is None:
        raise InvalidInput(
            [Issue("synergy", "output_id/input_id", None, "both ids, or run_id and link_id")], "synergy"
        )
    out = ctx.repo().get_declaration("output", output_id)
    inp = ctx.repo().get_declaration("input", input_id)
    issues = []
    if out is None or not may_see_territory(ctx, p, out.territory_id):
        issues.append(Issue("synergy", "output_id", output_id, "the id of an output you may see"))
    if inp is None or not may_see_territory(ctx, p, inp.territory_id):
        issues.append(Issue("synergy", "input_id", input_id, "the id of an input you may see"))
    if issues or out is None or inp is None:
        raise InvalidInput(issues, "synergy")
    for other in ctx.repo().list_records(SYNERGY):
        if (other.get("output_id"), other.get("input_id")) == (output_id, input_id) and other[
            "status"
        ] != SynergyStatus.ABANDONED.value:
            raise Conflict(
                f"{output_id} -> {input_id} is already synergy {other['id']} ({other['status']}): "
                "move that one on, or abandon it first"
            )
    record = _new_card(
        p,
        note,
        source,
        kind="exchange",
        output_id=output_id,
        input_id=input_id,
        giver_site_id=out.declaration.site_id,
        receiver_site_id=inp.declaration.site_id,
        giver_firm_id=out.firm_id,
        receiver_firm_id=inp.firm_id,
        territory_ids=sorted({t for t in (out.territory_id, inp.territory_id) if t}),
    )
    ctx.repo().save_record(SYNERGY, record)
    return public(record)


def create_pool_synergy(
    ctx: ServiceContext, p: Principal, territory_id: str | None, pool_id: str | None, note: str,
    also: dict[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Promote a proposed pool of ``territory_id`` (its id from ``GET /pools``); refused while a
    synergy for the same pool (same stream, hub and member declarations) is open. ``also``: other
    fields of the request, which a pool's promotion does not take."""
    from symbiosis.services import pools  # pools reads matches, which needs nothing of this module

    p.require(Role.ADMIN, Role.AGENCY)
    issues = [
        Issue("synergy", k, v, "nothing beside pool_id and territory_id") for k, v in (also or {}).items()
    ]
    issues += [
        Issue("synergy", name, None, "the pool's id and its territory, both (from GET /pools)")
        for name, value in (("pool_id", pool_id), ("territory_id", territory_id))
        if not value
    ]
    if issues or not pool_id or not territory_id:
        raise InvalidInput(issues, "synergy")
    ds, pool = pools.find_pool(ctx, p, territory_id, pool_id)
    for other in ctx.repo().list_records(SYNERGY):
        if other.get("pool_id") == pool_id and other["status"] != SynergyStatus.ABANDONED.value:
            raise Conflict(
                f"pool {pool_id} is already synergy {other['id']} ({other['status']}): "
                "move that one on, or abandon it first"
            )
    site_territory = {s.id: s.territory_id for s in ds.sites}
    site_firm = {s.id: s.firm_id for s in ds.sites}
    member_sites = [m.site_id for m in pool.members]
    record = _new_card(
        p,
        note,
        f"pool {pool_id}",
        kind="pool",
        pool_id=pool_id,
        resource_code=pool.resource_code,
        side=pool.side,
        hub_site_id=pool.hub_site_id,
        member_site_ids=member_sites,
        member_firm_ids=sorted({site_firm[s] for s in member_sites}),
        member_declaration_ids=[m.declaration_id for m in pool.members],
        value_eur_per_yr=pool.saving_eur,
        territory_ids=sorted({t for s in (*member_sites, pool.hub_site_id) if (t := site_territory.get(s))}),
    )
    ctx.repo().save_record(SYNERGY, record)
    return public(record)


def update_synergy(
    ctx: ServiceContext, p: Principal, sid: str, status: SynergyStatus | None, note: str | None,
    date: str | None,
) -> dict[str, Any]:  # fmt: skip
    """Change status and/or add a note; ``date`` is when it happened (defaults to now)."""
    p.require(Role.ADMIN, Role.AGENCY)
    record = _visible(ctx, p, ctx.repo().get_record(SYNERGY, sid), sid)
    current = SynergyStatus(record["status"])
    if status is not None and status != current and status not in NEXT[current]:
        allowed = ", ".join(sorted(s.value for s in NEXT[current])) or "none (final status)"
        raise Conflict(f"synergy {sid} is {current.value}: it may move to {allowed}, not to {status.value}")
    now = utc_now()
    history = json.loads(record.get("history_json") or "[]")
    history.append(
        {
            "at": now,
            "by": p.email,
            "from": current.value,
            "to": (status or current).value,
            "note": note,
            "date": date,
        }
    )
    notes = record.get("notes") or ""
    if note:
        notes = f"{notes}\n{date or now[:10]} {p.email}: {note}".strip()
    patched = ctx.repo().patch_record(
        SYNERGY,
        sid,
        {
            "status": (status or current).value,
            "notes": notes,
            "updated_at": now,
            "history_json": json.dumps(history),
        },
    )
    return public(patched or record)


def get_synergy(ctx: ServiceContext, p: Principal, sid: str) -> dict[str, Any]:
    p.require(Role.ADMIN, Role.AGENCY)
    return public(_visible(ctx, p, ctx.repo().get_record(SYNERGY, sid), sid))


def list_synergies(ctx: ServiceContext, p: Principal, status: SynergyStatus | None) -> list[dict[str, Any]]:
    p.require(Role.ADMIN, Role.AGENCY)
    out = []
    for rec in ctx.repo().list_records(SYNERGY):
        if _in_scope(ctx, p, rec) and (status is None or rec["status"] == status.value):
            out.append(public(rec))
    return out
