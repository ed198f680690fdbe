"""Candidate matches of a territory, as each role may see them.

Matching runs once per territory and is cached (`symbiosis.services.cache`); queries filter the
cached result. Admins and agencies see full candidates with explanations. A company sees only the
candidates touching its own sites; what it sees of the partner follows the partner-side
declaration's confidentiality (`symbiosis.services.confidentiality`): a public one in full, else —
until both firms have consented — the partner as an opaque reference, with quantities, money and
distance as 1-2-5 ranges and no explanation text (it quotes the partner's figures).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from symbiosis.domain.candidate import Candidate
from symbiosis.errors import GraphStoreUnavailable, InvalidInput, SymbiosisError, issues_from_validation_error
from symbiosis.matching.service import CandidateQuery
from symbiosis.services.access import may_see_territory
from symbiosis.services.cache import TerritoryMatch
from symbiosis.services.confidentiality import Disclosure, company_disclosure
from symbiosis.services.consents import disclosed_partners, partner_ref
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import NotFound, SharedDataFault
from symbiosis.services.principal import Principal, Role
from symbiosis.services.ranges import band


def territory_match(ctx: ServiceContext, p: Principal, territory_id: str) -> TerritoryMatch:
    if territory_id not in ctx.tree().territories:
        raise NotFound("territory", territory_id)
    if p.role is Role.AGENCY and not may_see_territory(ctx, p, territory_id):
        raise NotFound("territory", territory_id)
    return shared_match(ctx, p, territory_id)


log = logging.getLogger("symbiosis.services")


def shared_match(ctx: ServiceContext, p: Principal, territory_id: str) -> TerritoryMatch:
    """The territory's (cached) matching, whoever asks — no access check here, callers do it.

    It is computed once for many principals from everybody's data, so a failure is reported to
    ``p`` without any of that data (`SharedDataFault`) unless ``p`` is an admin; the details are
    logged. What the domain models accept cannot break it (`symbiosis.domain.bounds` keeps every
    figure finite); what could is a row written around them (by hand, or before the bounds).
    """
    try:
        return ctx.cache.territory_match(
            territory_id, lambda: ctx.repo().export_dataset(territory_id), reader=p.user_id
        )
    except GraphStoreUnavailable:
        raise
    except (SymbiosisError, ValidationError) as exc:
        log.error("matching of territory %s failed on stored data: %s", territory_id, exc)
        if not p.is_admin:
            raise SharedDataFault(territory_id) from None
        if isinstance(exc, ValidationError):
            raise InvalidInput(
                issues_from_validation_error(exc, f"a stored {exc.title}"), "stored data"
            ) from None
        raise


def find_matches(
    ctx: ServiceContext, p: Principal, territory_id: str, query: CandidateQuery, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of candidates (best first) and how many there are in all."""
    p.require(Role.ADMIN, Role.AGENCY, Role.COMPANY)
    tm = territory_match(ctx, p, territory_id)
    if p.role is not Role.COMPANY:
        return tm.page(("full", query, offset, limit), lambda t: _full_page(t, query, offset, limit))
    own = p.firm_id or ""
    page, count = tm.page(
        ("firm", own, query, offset, limit), lambda t: _firm_page(t, own, query, offset, limit)
    )
    disclosed = disclosed_partners(ctx, own) if page else set()
    return [_for_company(ctx, tm, own, c, disclosed) for c in page], count


def _full_page(
    tm: TerritoryMatch, query: CandidateQuery, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    cands = tm.service.candidates(query, explain=False)
    return [_full(tm, _explained(tm, c)) for c in cands[offset : offset + limit]], len(cands)


def _firm_page(
    tm: TerritoryMatch, own: str, query: CandidateQuery, offset: int, limit: int
) -> tuple[list[Candidate], int]:
    """Candidates touching the firm's sites, best first (consent is applied afterwards, per call)."""
    own_sites = sorted(s for s, f in tm.site_firm.items() if f == own)
    if query.site_id is not None and query.site_id not in own_sites:
        raise NotFound("site", query.site_id)
    picked: dict[str, Candidate] = {}
    for site in [query.site_id] if query.site_id else own_sites:
        for c in tm.service.candidates(replace(query, site_id=site), explain=False):
            picked.setdefault(c.id, c)
    ordered = sorted(picked.values(), key=lambda c: (-c.net_gain_eur_per_yr, c.output_id, c.input_id))
    return [_explained(tm, c) for c in ordered[offset : offset + limit]], len(ordered)


def _explained(tm: TerritoryMatch, c: Candidate) -> Candidate:
    """Checks and explanation for one page's rows only (materialising texts for all is wasted work)."""
    return tm.service.explain(c.output_id, c.input_id)


def explain(
    ctx: ServiceContext, p: Principal, territory_id: str, output_id: str, input_id: str
) -> dict[str, Any]:
    p.require(Role.ADMIN, Role.AGENCY)
    tm = territory_match(ctx, p, territory_id)
    t = tm.service.result.tables
    if output_id not in t.outputs.index:
        raise NotFound("output", output_id)
    if input_id not in t.inputs.index:
        raise NotFound("input", input_id)
    return _full(tm, tm.service.explain(output_id, input_id))


def _full(tm: TerritoryMatch, c: Candidate) -> dict[str, Any]:
    giver, receiver = tm.site_firm.get(c.giver_site_id, ""), tm.site_firm.get(c.receiver_site_id, "")
    return c.model_dump(mode="json") | {
        "link_id": c.id,
        "giver_firm_id": giver,
        "giver_firm_name": tm.firm_names.get(giver),
        "receiver_firm_id": receiver,
        "receiver_firm_name": tm.firm_names.get(receiver),
    }


def _for_company(
    ctx: ServiceContext, tm: TerritoryMatch, own: str, c: Candidate, disclosed: set[str]
) -> dict[str, Any]:
    giving = tm.site_firm.get(c.giver_site_id) == own
    partner = tm.site_firm[c.receiver_site_id if giving else c.giver_site_id]
    side = "giver" if giving else "receiver"
    why = company_disclosure(tm, c, own, disclosed)
    if why is Disclosure.PUBLIC:
        # no partner_ref: it would tie this published row to the firm's non-public (redacted) rows
        return _full(tm, c) | {
            "partner_ref": None,
            "disclosed": True,
            "disclosed_by": why.value,
            "own_side": side,
        }
    ref = partner_ref(ctx, own, partner)
    if why is not Disclosure.NONE:
        return _full(tm, c) | {
            "partner_ref": ref,
            "disclosed": True,
            "disclosed_by": why.value,
            "own_side": side,
        }
    return {
        "id": ctx.tokens.pseudonym("candidate", own, c.id),
        "disclosed": False,
        "disclosed_by": why.value,
        "partner_ref": ref,
        "own_side": side,
        "own_site_id": c.giver_site_id if giving else c.receiver_site_id,
        "own_declaration_id": c.output_id if giving else c.input_id,
        "output_resource": c.output_resource,
        "input_resource": c.input_resource,
        "family": c.family.value,
        "transport_mode": c.transport_mode.value,
        "unit_out": c.unit_out.value,
        "unit_in": c.unit_in.value,
        "distance_km_range": band(c.distance_km),
        "exchangeable_qty_per_yr_range": band(c.exchangeable_qty_per_yr),
        "net_gain_eur_per_yr_range": band(c.net_gain_eur_per_yr),
        "co2_avoided_t_per_yr_range": band(c.co2_avoided_t_per_yr),
        "conditions": [{"name": ch.name.split(":")[0], "held": ch.held} for ch in c.checks],
    }
