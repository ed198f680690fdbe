"""CRUD with paging and filters, field-level 422s, company-assigned ids, synergy pipeline, OpenAPI."""

from __future__ import annotations

import pytest

from api.helpers import COMPANY_FIRM, COMPANY_SITE, TERRITORY

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API


def test_company_declares_and_manages_its_own_output(as_role) -> None:
    r = as_role(
        "company",
        "POST",
        "/sites",
        json={
            "name": "Novo Nordisk pilot plant",
            "latitude_deg": 55.67,
            "longitude_deg": 11.11,
            "territory_id": TERRITORY,
        },
    )
    assert r.status_code == 201, r.text
    site = r.json()
    assert site["firm_id"] == COMPANY_FIRM and site["id"].startswith("site_")
    body = {"site_id": site["id"], "resource_code": "yeast_slurry", "quantity": 20, "quantity_unit": "t/day"}
    r = as_role("company", "POST", "/outputs", json=body)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["unit"] == "t" and abs(out["quantity_per_yr"] - 20 * 365) < 1e-6
    r = as_role("company", "PATCH", f"/outputs/{out['id']}", json={"quantity": 30})
    assert r.status_code == 200 and abs(r.json()["quantity_per_yr"] - 30 * 365) < 1e-6
    listed = as_role("company", "GET", f"/outputs?site_id={site['id']}").json()
    assert [d["id"] for d in listed["data"]] == [out["id"]] and listed["count"] == 1
    assert as_role("agency_out", "GET", f"/outputs/{out['id']}").status_code == 404
    assert as_role("company", "DELETE", f"/sites/{site['id']}").status_code == 204
    assert as_role("company", "GET", f"/outputs/{out['id']}").status_code == 404
    assert as_role("admin", "GET", f"/sites/{site['id']}").status_code == 404


def test_company_cannot_choose_ids_or_write_for_another_firm(as_role) -> None:
    r = as_role(
        "company",
        "POST",
        "/sites",
        json={
            "id": "asnaes",
            "name": "x",
            "latitude_deg": 55.6,
            "longitude_deg": 11.0,
            "territory_id": TERRITORY,
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id"
    r = as_role(
        "company",
        "POST",
        "/outputs",
        json={
            "site_id": "asnaes",
            "resource_code": "fly_ash",
            "quantity": 1,
            "quantity_unit": "t/yr",
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "site_id"
    r = as_role("company", "PATCH", f"/sites/{COMPANY_SITE}", json={"firm_id": "orsted"})
    assert r.status_code == 422


def test_invalid_input_names_every_field(as_role) -> None:
    r = as_role(
        "admin",
        "POST",
        "/outputs",
        json={
            "site_id": COMPANY_SITE,
            "resource_code": "yeast_slurry",
            "quantity": -3,
            "quantity_unit": "t/day",
            "monthly_profile": [1, 2],
        },
    )
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"body.quantity", "body.monthly_profile"} <= fields
    r = as_role(
        "admin",
        "POST",
        "/outputs",
        json={
            "site_id": COMPANY_SITE,
            "resource_code": "yeast_slurry",
            "quantity": 3,
            "quantity_unit": "parsecs",
        },
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.quantity_unit" and "Traceback" not in r.text


def test_lists_page_and_filter(as_role) -> None:
    first = as_role("agency", "GET", "/sites?limit=2").json()
    second = as_role("agency", "GET", "/sites?limit=2&offset=2").json()
    assert first["count"] == second["count"] >= 4
    assert len(first["data"]) == 2 and {s["id"] for s in first["data"]}.isdisjoint(
        s["id"] for s in second["data"]
    )
    inside = as_role("admin", "GET", f"/sites?territory_id={TERRITORY}&limit=1000").json()
    assert all(s["territory_id"] == TERRITORY for s in inside["data"])
    everything = as_role("admin", "GET", "/sites?limit=1000").json()
    assert everything["count"] > inside["count"]
    mine = as_role("company", "GET", "/sites").json()
    assert mine["data"] and all(s["firm_id"] == COMPANY_FIRM for s in mine["data"])
    fly = as_role("admin", "GET", "/outputs?resource_code=fly_ash").json()
    assert fly["count"] >= 1 and all(d["resource_code"] == "fly_ash" for d in fly["data"])


def test_synergy_pipeline_keeps_history(as_role) -> None:
    r = as_role(
        "agency",
        "POST",
        "/synergies",
        json={
            "output_id": "o_asnaes_fgd_gypsum",
            "input_id": "i_gyproc_gypsum",
            "note": "seen in matches",
        },
    )
    assert r.status_code == 201, r.text
    syn = r.json()
    assert syn["status"] == "identified" and syn["giver_firm_id"] == "orsted"
    for status in ("contacted", "under_study"):
        r = as_role(
            "agency", "PATCH", f"/synergies/{syn['id']}", json={"status": status, "note": f"now {status}"}
        )
        assert r.status_code == 200 and r.json()["status"] == status
    r = as_role("agency", "PATCH", f"/synergies/{syn['id']}", json={"status": "identified"})
    assert r.status_code == 409
    r = as_role(
        "admin", "PATCH", f"/synergies/{syn['id']}", json={"status": "implemented", "date": "2026-10-01"}
    )
    assert r.status_code == 200
    history = r.json()["history"]
    assert [h["to"] for h in history] == ["identified", "contacted", "under_study", "implemented"]
    assert history[1]["by"] == "agency@example.org" and history[-1]["date"] == "2026-10-01"
    assert as_role("agency_out", "GET", f"/synergies/{syn['id']}").status_code == 404
    assert syn["id"] not in {s["id"] for s in as_role("agency_out", "GET", "/synergies").json()["data"]}


def test_matches_filters_and_explanations(as_role) -> None:
    r = as_role("agency", "GET", f"/matches?territory_id={TERRITORY}&family=mineral&limit=5")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data and all(c["family"] == "mineral" for c in data) and all(c["explanation"] for c in data)
    r = as_role("agency", "GET", f"/matches?territory_id={TERRITORY}&max_distance_km=0.001")
    assert r.json()["count"] == 0


def test_openapi_documents_every_route_with_examples(app_client) -> None:
    spec = app_client.get("/openapi.json").json()
    assert {"/runs", "/matches", "/imports", "/exports", "/consents/{partner_ref}"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    for name in ("OutputCreate", "SiteCreate", "RunCreate", "SynergyCreate", "UserCreate"):
        assert schemas[name].get("examples"), name
    assert "OAuth2PasswordBearer" in spec["components"]["securitySchemes"]


def test_territory_list_walks_the_tree(as_role) -> None:
    """A client walks a large tree (all French communes: 36,145) by subtree, children, level, page."""
    every = as_role("analyst", "GET", "/territories").json()
    assert every["count"] == len(every["data"]) >= 8
    below = as_role("agency", "GET", "/territories?within=dk_region_zealand").json()["data"]
    assert {t["id"] for t in below} >= {"dk_region_zealand", "dk_kalundborg", "kalundborg_symbiosis"}
    assert "dk" not in {t["id"] for t in below}
    children = as_role("agency", "GET", "/territories?parent_id=dk_kalundborg").json()["data"]
    assert [t["id"] for t in children] == ["kalundborg_symbiosis"]
    towns = as_role("agency", "GET", "/territories?level=municipality").json()
    assert towns["count"] >= 1 and {t["level"] for t in towns["data"]} == {"municipality"}
    page = as_role("agency", "GET", "/territories?limit=2&offset=2").json()
    assert page["count"] == every["count"] and [t["id"] for t in page["data"]] == [
        t["id"] for t in every["data"][2:4]
    ]
    r = as_role("agency", "GET", "/territories?within=nowhere&parent_id=nor_here")
    assert r.status_code == 422
    text = r.text
    assert "within" in text and "nowhere" in text and "parent_id" in text and "an existing territory" in text
    assert as_role("agency", "GET", "/territories?level=canton").status_code == 422
