"""Declaration confidentiality levels, end to end over HTTP on a small park built for the purpose.

One giver (FGD gypsum) and four plasterboard makers wanting natural gypsum, each input at one
level: public, agency, private, agency. The giver's company account must see the public partner
in full before any consent, the agency and private ones only as ranges; the park's facilitator sees
all four exactly; the published aggregates leave the private input out entirely.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.helpers import PASSWORD, login, numbers
from symbiosis.services import consents, registry, users
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal, Role

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API

PARK = "conf_levels_park"
GIVER = "conf_giver"
# firm → (input level, natural gypsum wanted in t/yr); no quantity sits on a 1-2-5 band edge
RECEIVERS: dict[str, tuple[str, float]] = {
    "conf_public": ("public", 41_000.0),
    "conf_agency": ("agency", 43_000.0),
    "conf_private": ("private", 47_000.0),
    "conf_agency2": ("agency", 53_000.0),
}
PRIVATE_FLY_ASH_T = 9_000.0


def _name(firm_id: str) -> str:
    return f"Plaster {firm_id.title()} Works"


@pytest.fixture(scope="module")
def park(ctx: ServiceContext, app_client: TestClient) -> dict[str, dict[str, str]]:
    """The park in the shared store, its facilitator and the giver's company account (headers)."""
    admin = Principal("test", "admin@example.org", Role.ADMIN)
    registry.create_territory(
        ctx, admin, {"id": PARK, "name": "Confidentiality park", "level": "industrial_park"}
    )
    for k, firm_id in enumerate([GIVER, *RECEIVERS]):
        registry.create_firm(ctx, admin, {"id": firm_id, "name": _name(firm_id), "nace_code": "23.62"})
        registry.create_site(
            ctx,
            admin,
            {
                "id": f"{firm_id}_site",
                "firm_id": firm_id,
                "name": f"{_name(firm_id)} site",
                "latitude_deg": 55.40 + 0.004 * k,
                "longitude_deg": 11.50,
                "territory_id": PARK,
            },
        )
    registry.create_declaration(
        ctx,
        admin,
        "output",
        {
            "id": "o_conf_gypsum",
            "site_id": f"{GIVER}_site",
            "resource_code": "fgd_gypsum",
            "quantity": 150_000,
            "quantity_unit": "t/yr",
            "quality": {"purity_pct": 96, "moisture_pct": 8},
            "confidentiality": "agency",
        },
    )
    for firm_id, (level, qty) in RECEIVERS.items():
        registry.create_declaration(
            ctx,
            admin,
            "input",
            {
                "id": f"i_{firm_id}_gypsum",
                "site_id": f"{firm_id}_site",
                "resource_code": "natural_gypsum",
                "quantity": qty,
                "quantity_unit": "t/yr",
                "requirement": {"min_purity_pct": 95, "max_moisture_pct": 10},
                "confidentiality": level,
            },
        )
    registry.create_declaration(
        ctx,
        admin,
        "output",
        {
            "id": "o_conf_private_ash",
            "site_id": "conf_private_site",
            "resource_code": "fly_ash",
            "quantity": PRIVATE_FLY_ASH_T,
            "quantity_unit": "t/yr",
            "confidentiality": "private",
        },
    )
    accounts = {
        "giver": (Role.COMPANY, [], GIVER),
        "public": (Role.COMPANY, [], "conf_public"),
        "private": (Role.COMPANY, [], "conf_private"),
        "facilitator": (Role.AGENCY, [PARK], None),
    }
    for name, (role, territories, firm) in accounts.items():
        users.create_user_record(ctx, f"conf-{name}@example.org", PASSWORD, role, territories, firm)
    return {name: login(app_client, f"conf-{name}@example.org") for name in accounts}


def _matches(client: TestClient, headers: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    r = client.get(f"/matches?territory_id={PARK}&limit=100", headers=headers)
    assert r.status_code == 200, r.text
    return r.text, r.json()["data"]


def test_public_partner_shown_in_full_before_consent(app_client: TestClient, park) -> None:
    text, rows = _matches(app_client, park["giver"])
    assert len(rows) == len(RECEIVERS)
    public = [c for c in rows if c["disclosed"]]
    assert len(public) == 1
    shown = public[0]
    assert shown["disclosed_by"] == "public"
    assert (shown["receiver_firm_id"], shown["receiver_firm_name"]) == ("conf_public", _name("conf_public"))
    assert shown["exchangeable_qty_per_yr"] == pytest.approx(RECEIVERS["conf_public"][1])
    assert shown["partner_ref"] is None  # would tie the published row to the firm's hidden ones


@pytest.mark.parametrize("firm_id", ["conf_agency", "conf_private", "conf_agency2"])
def test_agency_and_private_partners_stay_hidden_before_consent(
    app_client: TestClient, park, firm_id: str
) -> None:
    text, rows = _matches(app_client, park["giver"])
    assert firm_id not in text and _name(firm_id) not in text and f"i_{firm_id}_gypsum" not in text
    qty = RECEIVERS[firm_id][1]
    assert not [v for v in numbers(json.loads(text)) if v == pytest.approx(qty)]
    hidden = [c for c in rows if not c["disclosed"]]
    assert len(hidden) == 3 and all(c["disclosed_by"] == "none" for c in hidden)
    assert any(
        c["exchangeable_qty_per_yr_range"][0] < qty < c["exchangeable_qty_per_yr_range"][1] for c in hidden
    )


def test_the_partner_side_level_decides(app_client: TestClient, park) -> None:
    """The public receiver's own choice does not publish the giver's (agency) output to it."""
    text, rows = _matches(app_client, park["public"])
    assert len(rows) == 1 and rows[0]["disclosed"] is False
    assert GIVER not in text and _name(GIVER) not in text
    assert not [v for v in numbers(rows) if v == pytest.approx(150_000.0)]


def test_private_behaves_as_agency_for_companies_once_both_consent(
    ctx: ServiceContext, app_client: TestClient, park
) -> None:
    giver = users.principal_from_token(ctx, park["giver"]["Authorization"].removeprefix("Bearer "))
    private = users.principal_from_token(ctx, park["private"]["Authorization"].removeprefix("Bearer "))
    consents.give_consent(ctx, giver, consents.partner_ref(ctx, GIVER, "conf_private"))
    consents.give_consent(ctx, private, consents.partner_ref(ctx, "conf_private", GIVER))
    try:
        _, rows = _matches(app_client, park["giver"])
        shown = next(c for c in rows if c["disclosed"] and c["receiver_firm_id"] == "conf_private")
        assert shown["disclosed_by"] == "consent"
        assert shown["exchangeable_qty_per_yr"] == pytest.approx(RECEIVERS["conf_private"][1])
    finally:
        consents.withdraw_consent(ctx, giver, consents.partner_ref(ctx, GIVER, "conf_private"))


def test_facilitator_sees_every_level_exactly(app_client: TestClient, park) -> None:
    text, rows = _matches(app_client, park["facilitator"])
    assert {c["receiver_firm_id"]: c["exchangeable_qty_per_yr"] for c in rows} == pytest.approx(
        {firm_id: qty for firm_id, (_, qty) in RECEIVERS.items()}
    )
    assert _name("conf_private") in text


def test_private_never_counts_in_aggregates(app_client: TestClient, park, headers) -> None:
    r = app_client.get(f"/aggregates/{PARK}", headers=headers["analyst"])
    assert r.status_code == 200, r.text
    body = r.json()
    by_resource = {(row["kind"], row["resource_code"]): row for row in body["resources"]}
    gypsum_in = by_resource[("input", "natural_gypsum")]
    public_and_agency = [qty for level, qty in RECEIVERS.values() if level != "private"]
    assert (gypsum_in["firms"], gypsum_in["suppressed"]) == (3, False)
    assert gypsum_in["quantity_per_yr"] == pytest.approx(sum(public_and_agency))
    assert ("output", "fly_ash") not in by_resource  # only ever declared privately
    assert by_resource[("output", "fgd_gypsum")]["suppressed"] is True  # one firm
    assert (body["counts"]["outputs"], body["counts"]["inputs"]) == (1, 3)
    assert body["counts"]["candidates"] == 3
    full = app_client.get(f"/matches?territory_id={PARK}&limit=100", headers=headers["admin"]).json()["data"]
    kept = [c for c in full if c["input_id"] != "i_conf_private_gypsum"]
    assert len(full) == 4
    assert body["potential"]["net_gain_eur_per_yr"] == pytest.approx(
        sum(c["net_gain_eur_per_yr"] for c in kept)
    )
    assert not [v for v in numbers(body) if v == pytest.approx(RECEIVERS["conf_private"][1])]
