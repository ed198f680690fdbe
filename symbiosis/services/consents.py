"""Consent to disclose, per pair of firms: a company sees a partner's identity and exact figures
only once BOTH firms have consented to disclose to each other.

Before that, the partner is known only by an opaque reference (`partner_ref`, an HMAC of the pair
under the API secret): stable, usable to give consent, and useless to guess another firm's id.
"""

from __future__ import annotations

from typing import Any

from symbiosis.services.context import ServiceContext, utc_now
from symbiosis.services.errors import NotFound
from symbiosis.services.principal import Principal, Role

CONSENT = "Consent"


def partner_ref(ctx: ServiceContext, own_firm_id: str, partner_firm_id: str) -> str:
    return ctx.tokens.pseudonym("partner", own_firm_id, partner_firm_id)


def _consent_id(from_firm: str, to_firm: str) -> str:
    return f"{from_firm}=>{to_firm}"


def disclosed_partners(ctx: ServiceContext, firm_id: str) -> set[str]:
    """Firms that ``firm_id`` and that have both consented to disclose to each other."""
    return ctx.cache.disclosed(firm_id, lambda: _load_disclosed(ctx, firm_id))


def _load_disclosed(ctx: ServiceContext, firm_id: str) -> set[str]:
    given: set[str] = set()
    received: set[str] = set()
    for rec in ctx.repo().consents_of_firm(firm_id):
        if rec["from_firm_id"] == firm_id:
            given.add(rec["to_firm_id"])
        else:
            received.add(rec["from_firm_id"])
    return given & received


def _resolve(ctx: ServiceContext, own: str, ref: str) -> str:
    firms, _ = ctx.repo().list_firms(None, 0, 10_000_000)
    for f in firms:
        if f.id != own and partner_ref(ctx, own, f.id) == ref:
            return f.id
    raise NotFound("partner", ref)


def _own_firm(p: Principal) -> str:
    p.require(Role.COMPANY)
    assert p.firm_id is not None  # company accounts are created bound to a firm
    return p.firm_id


def give_consent(ctx: ServiceContext, p: Principal, ref: str) -> dict[str, Any]:
    own = _own_firm(p)
    partner = _resolve(ctx, own, ref)
    ctx.repo().save_record(
        CONSENT,
        {
            "id": _consent_id(own, partner),
            "from_firm_id": own,
            "to_firm_id": partner,
            "given_by": p.user_id,
            "given_at": utc_now(),
        },
    )
    ctx.cache.forget_consents(own, partner)
    return consent_status(ctx, p, ref)


def withdraw_consent(ctx: ServiceContext, p: Principal, ref: str) -> None:
    own = _own_firm(p)
    partner = _resolve(ctx, own, ref)
    ctx.repo().delete_record(CONSENT, _consent_id(own, partner))
    ctx.cache.forget_consents(own, partner)


def consent_status(ctx: ServiceContext, p: Principal, ref: str) -> dict[str, Any]:
    own = _own_firm(p)
    partner = _resolve(ctx, own, ref)
    mine = ctx.repo().get_record(CONSENT, _consent_id(own, partner)) is not None
    theirs = ctx.repo().get_record(CONSENT, _consent_id(partner, own)) is not None
    return {"partner_ref": ref, "given": mine, "received": theirs, "disclosed": mine and theirs}


def list_consents(ctx: ServiceContext, p: Principal) -> list[dict[str, Any]]:
    """Consents this firm gave or received (a received one shows the ref only, not the firm)."""
    own = _own_firm(p)
    out: dict[str, dict[str, Any]] = {}
    for rec in ctx.repo().consents_of_firm(own):
        other = rec["to_firm_id"] if rec["from_firm_id"] == own else rec["from_firm_id"]
        ref = partner_ref(ctx, own, other)
        entry = out.setdefault(ref, {"partner_ref": ref, "given": False, "received": False})
        entry["given" if rec["from_firm_id"] == own else "received"] = True
    for entry in out.values():
        entry["disclosed"] = entry["given"] and entry["received"]
    return sorted(out.values(), key=lambda e: e["partner_ref"])
