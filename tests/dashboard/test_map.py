"""The map works offline: bundled Natural Earth outlines under the sites, no tile fetched unless a
style URL is configured, tooltips with names and figures."""

from __future__ import annotations

import json

import pytest

from dashboard import charts, data
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase


def test_the_outlines_are_bundled() -> None:
    outlines = charts.country_outlines()
    names = {f["properties"]["name"] for f in outlines["features"]}
    assert len(outlines["features"]) == 177 and {"France", "Denmark", "Finland"} <= names
    france = next(f for f in outlines["features"] if f["properties"]["iso_a3"] == "FRA")
    europe = [p for line in france["geometry"]["coordinates"] for p in line if p[1] > 40]  # not Guiana
    lons, lats = [p[0] for p in europe], [p[1] for p in europe]
    assert -5.5 < min(lons) < -4 and 8 < max(lons) < 10  # Brittany to Alsace (and Corsica)
    assert 41 < min(lats) < 43.5 and 50.5 < max(lats) < 51.5  # Corsica / Pyrenees to Dunkirk
    assert (charts.COUNTRIES.parent / "README.md").read_text().count("public domain") >= 1


def test_the_map_draws_outlines_and_fetches_no_tile(
    kalundborg: Dataset, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(charts.MAP_STYLE_ENV, raising=False)
    sites = data.sites_frame(kalundborg, kb)
    empty = data.arcs_frame(data.candidates_frame([]), sites)
    built = charts.site_map(sites, empty, empty)
    deck = json.loads(built.to_json())
    kinds = [layer["@@type"] for layer in deck["layers"]]
    assert kinds[0] == "GeoJsonLayer" and "ScatterplotLayer" in kinds
    assert deck.get("mapStyle") in (None, "")
    assert "{site}" in built._tooltip["html"] and "{tip}" in built._tooltip["html"]
    dots = next(layer for layer in deck["layers"] if layer["@@type"] == "ScatterplotLayer")["data"]
    assert {"site", "firm", "tip"} <= set(dots[0]) and "↑" in dots[0]["tip"]

    monkeypatch.setenv(charts.MAP_STYLE_ENV, "https://tiles.example.org/style.json")
    deck = json.loads(charts.site_map(sites, empty, empty).to_json())
    assert deck["mapStyle"] == "https://tiles.example.org/style.json"
