"""A company never sees another firm's name, ids, exact quantities or money before BOTH firms
consent — and does see them once they have."""

from __future__ import annotations

import json
from typing import Any

import pytest

from api.helpers import COMPANY_FIRM, COMPANY_SITE, PASSWORD, TERRITORY, login
from symbiosis.services.ranges import band

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API


def _numbers(node: Any) -> set[float]:
    if isinstance(node, bool):
        return set()
    if isinstance(node, int | float):
        return {float(node)}
    if isinstance(node, dict):
        return set().union(*(_numbers(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_numbers(v) for v in node)) if node else set()
    return set()


def _secrets_of(as_role, cand: dict[str, Any]) -> tuple[str, list[str], list[float]]:
    """Partner firm, the strings that identify it, and the exact figures a company must not see."""
    giving = cand["giver_firm_id"] == COMPANY_FIRM
    side = "receiver" if giving else "giver"
    firm_id = cand[f"{side}_firm_id"]
    decl_kind, decl_id = ("inputs", cand["input_id"]) if giving else ("outputs", cand["output_id"])
    decl = as_role("admin", "GET", f"/{decl_kind}/{decl_id}").json()
    names = [firm_id, cand[f"{side}_firm_name"], cand[f"{side}_site_id"], decl_id]
    figures = [cand["exchangeable_qty_per_yr"], cand["net_gain_eur_per_yr"], decl["quantity_per_yr"]]
    price = decl.get("supply_price_eur_per_unit") or decl.get("disposal_cost_eur_per_unit")
    if price:
        figures.append(price)
    return firm_id, names, figures


def test_company_sees_ranges_and_no_partner_until_mutual_consent(app_client, as_role, headers) -> None:
    full = as_role(
        "admin", "GET", f"/matches?territory_id={TERRITORY}&site_id={COMPANY_SITE}&limit=100"
    ).json()
    cands = [c for c in full["data"] if {c["giver_firm_id"], c["receiver_firm_id"]} != {COMPANY_FIRM}]
    assert cands, "Kalundborg should give Novo Nordisk at least one partner"
    cand = cands[0]
    partner_firm, names, figures = _secrets_of(as_role, cand)
    for value in figures:  # precondition: a figure on a 1-2-5 band edge would show up as a bound
        assert band(value)[0] != value

    def company_view() -> tuple[str, dict[str, Any]]:
        r = as_role("company", "GET", f"/matches?territory_id={TERRITORY}&limit=100")
        assert r.status_code == 200, r.text
        return r.text, r.json()

    text, body = company_view()
    assert body["count"] == full["count"]
    for name in names:
        assert name not in text, f"{name!r} leaked before consent"
    leaked = _numbers(body) & {float(v) for v in figures}
    assert not leaked, f"exact figures leaked before consent: {leaked}"
    redacted = [c for c in body["data"] if not c["disclosed"]]
    assert redacted and all(
        c["net_gain_eur_per_yr_range"][0] < c["net_gain_eur_per_yr_range"][1] for c in redacted
    )
    own_ids = {c["own_declaration_id"] for c in redacted}
    ref = next(
        c["partner_ref"]
        for c in redacted
        if c["own_declaration_id"] in (cand["output_id"], cand["input_id"])
        and c["own_declaration_id"] in own_ids
    )

    # one side consenting is not enough
    r = as_role("company", "PUT", f"/consents/{ref}")
    assert r.status_code == 200 and r.json() == {
        "partner_ref": ref,
        "given": True,
        "received": False,
        "disclosed": False,
    }
    text, _ = company_view()
    assert all(name not in text for name in names)

    # the partner firm consents too (its own account, its own handle for Novo Nordisk)
    as_role(
        "admin",
        "POST",
        "/users",
        json={
            "email": "partner@example.org",
            "password": PASSWORD,
            "role": "company",
            "firm_id": partner_firm,
        },
    )
    partner_headers = login(app_client, "partner@example.org")
    theirs = app_client.get(f"/matches?territory_id={TERRITORY}&limit=100", headers=partner_headers).json()
    novo_names = ["Novo Nordisk", COMPANY_SITE]
    assert all(n not in json.dumps(theirs) for n in novo_names)
    # public partners are named outright and have no reference to consent to
    refs = sorted({c["partner_ref"] for c in theirs["data"] if c["partner_ref"]})
    statuses = [app_client.get(f"/consents/{r}", headers=partner_headers).json() for r in refs]
    novo_ref = next(s["partner_ref"] for s in statuses if s["received"])
    r = app_client.put(f"/consents/{novo_ref}", headers=partner_headers)
    assert r.json()["disclosed"] is True

    text, body = company_view()
    shown = next(c for c in body["data"] if c.get("link_id") == f"{cand['output_id']}->{cand['input_id']}")
    assert shown["disclosed"] is True
    assert cand["giver_firm_name"] in text and cand["receiver_firm_name"] in text
    assert shown["exchangeable_qty_per_yr"] == cand["exchangeable_qty_per_yr"]

    # withdrawing consent hides the partner again
    assert as_role("company", "DELETE", f"/consents/{ref}").status_code == 204
    text, _ = company_view()
    assert all(name not in text for name in names)


def test_consent_refs_do_not_reveal_firms(as_role) -> None:
    assert as_role("company", "PUT", "/consents/p_000000000000000000000000").status_code == 404
    assert as_role("company", "PUT", "/consents/orsted").status_code == 404
