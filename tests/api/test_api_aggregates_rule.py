"""The ≥ 3 firms rule on every figure the aggregates publish (issue 14, item 6).

Three small parks, each with one FGD-gypsum giver and plasterboard makers wanting gypsum, built so
that the candidates involve exactly 1, 2 and 3 firms. The potential (€ and CO2 summed over the
candidates) must be withheld with 1 and 2 firms and published with 3 — equal then to the sum of the
candidates an admin sees in `/matches` (the oracle) — while per-resource totals follow the same rule
on their own firm counts.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from symbiosis.services import registry
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal, Role

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API

ADMIN = Principal("test", "admin@example.org", Role.ADMIN)


def _park(ctx: ServiceContext, n_firms: int) -> str:
    """Park ``agg_park_<n>``: firm 0 gives gypsum; with one firm it also needs it at a second site."""
    park = f"agg_park_{n_firms}"
    registry.create_territory(ctx, ADMIN, {"id": park, "name": f"Park {n_firms}", "level": "industrial_park"})
    firms = [f"{park}_f{k}" for k in range(n_firms)]
    for firm in firms:
        registry.create_firm(ctx, ADMIN, {"id": firm, "name": f"Firm {firm}", "nace_code": "23.62"})
    sites = [(firms[0], f"{firms[0]}_s0")] + [(f, f"{f}_s1") for f in (firms[1:] or firms)]
    for k, (firm, site) in enumerate(sites):
        registry.create_site(ctx, ADMIN, {"id": site, "firm_id": firm, "name": site,
                                          "latitude_deg": 45.0 + 0.004 * k, "longitude_deg": 4.0,
                                          "territory_id": park})  # fmt: skip
    registry.create_declaration(ctx, ADMIN, "output", {
        "id": f"o_{park}", "site_id": sites[0][1], "resource_code": "fgd_gypsum", "quantity": 200_000,
        "quantity_unit": "t/yr", "quality": {"purity_pct": 96, "moisture_pct": 8},
    })  # fmt: skip
    for k, (_, site) in enumerate(sites[1:]):
        registry.create_declaration(ctx, ADMIN, "input", {
            "id": f"i_{park}_{k}", "site_id": site, "resource_code": "natural_gypsum",
            "quantity": 30_000 + 7_000 * k, "quantity_unit": "t/yr",
            "requirement": {"min_purity_pct": 95, "max_moisture_pct": 10},
        })  # fmt: skip
    return park


@pytest.fixture(scope="module")
def parks(ctx: ServiceContext) -> dict[int, str]:
    return {n: _park(ctx, n) for n in (1, 2, 3)}


@pytest.mark.parametrize(("n_firms", "published"), [(1, False), (2, False), (3, True)])
def test_potential_is_published_only_with_three_firms(
    app_client: TestClient, headers, parks: dict[int, str], n_firms: int, published: bool
) -> None:
    park = parks[n_firms]
    full = app_client.get(f"/matches?territory_id={park}&limit=1000", headers=headers["admin"]).json()["data"]
    assert len(full) == max(n_firms - 1, 1)  # one candidate per receiving site
    firms = {c["giver_firm_id"] for c in full} | {c["receiver_firm_id"] for c in full}
    assert len(firms) == n_firms
    for role in ("analyst", "admin"):  # a publication: the same figures for every reader
        body = app_client.get(f"/aggregates/{park}", headers=headers[role]).json()
        potential = body["potential"]
        assert (potential["firms"], potential["suppressed"]) == (n_firms, not published)
        if published:
            assert potential["net_gain_eur_per_yr"] == pytest.approx(
                sum(c["net_gain_eur_per_yr"] for c in full)
            )
            assert potential["co2_avoided_t_per_yr"] == pytest.approx(
                sum(c["co2_avoided_t_per_yr"] for c in full)
            )
        else:
            assert potential["net_gain_eur_per_yr"] is None and potential["co2_avoided_t_per_yr"] is None
            text = str(body)
            for c in full:  # not a single exact € or CO2 figure of the exchange anywhere
                assert (
                    repr(c["net_gain_eur_per_yr"]) not in text and repr(c["co2_avoided_t_per_yr"]) not in text
                )
        rows = {(r["kind"], r["resource_code"]): r for r in body["resources"]}
        gypsum_in = rows[("input", "natural_gypsum")]
        # per-resource totals: the 3-firm park's input total has only 2 firms, so stays withheld
        assert gypsum_in["suppressed"] is True and gypsum_in["quantity_per_yr"] is None
        assert rows[("output", "fgd_gypsum")]["suppressed"] is True
