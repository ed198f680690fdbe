"""The sharing categories cite a publication for every number they do not flag as an estimate
(issue 19 item 1), and the figures match the published ones after the conversion their basis
states, recomputed here by hand."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from symbiosis.sharing.categories import load_categories

CSV_PATH = Path(__file__).resolve().parents[2] / "datasets" / "knowledge" / "sharing_categories.csv"
URL = re.compile(r"https?://\S+")
OFFICIAL_JOURNAL = re.compile(r"JORF|arrêté du|circulaire du")


def _rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def cites_a_publication(cell: str) -> bool:
    """A source cell that is not an estimate and names where to read it (URL or official journal)."""
    text = cell.strip()
    if text.lower().startswith("estimate"):
        return False
    return bool(URL.search(text) or OFFICIAL_JOURNAL.search(text) or text.startswith("none by definition"))


def test_the_publication_check_tells_estimates_from_citations() -> None:
    assert cites_a_publication("CBRE France, loyers T1 2024, https://immobilier.cbre.fr/blog/?p=197386")
    assert cites_a_publication("12 m² (circulaire du Premier ministre du 16 janvier 2009)")
    assert not cites_a_publication("estimate: order of magnitude (https://example.org)")
    assert not cites_a_publication("brokers' market reports")


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["code"])
def test_a_row_is_flagged_sourced_only_when_price_and_co2_cite_a_publication(row: dict[str, str]) -> None:
    both_cited = cites_a_publication(row["price_source"]) and cites_a_publication(row["co2_source"])
    if row["is_estimate"] == "false":
        assert both_cited, (row["price_source"][:80], row["co2_source"][:80])
    if not both_cited:
        assert row["is_estimate"] == "true"


def test_the_sourced_rows_are_the_expected_ones() -> None:
    cats = load_categories()
    assert sorted(code for code, c in cats.items() if not c.is_estimate) == ["security_guarding", "warehouse"]


def test_warehouse_figures_are_the_published_ones_converted() -> None:
    row = next(r for r in _rows() if r["code"] == "warehouse")
    assert "67 €/m²/an" in row["price_source"] and "450 kg" in row["co2_source"]
    cat = load_categories()["warehouse"]
    assert cat.price_eur_per_unit_h == pytest.approx(67 / 8760, abs=5e-6)  # 0.0076484 → 0.00765
    assert cat.embodied_kg_co2e_per_unit == 450


def test_security_and_office_desk_figures_are_the_published_ones_converted() -> None:
    rows = {r["code"]: r for r in _rows()}
    assert "18,919 €/h" in rows["security_guarding"]["price_source"]
    assert "1,965.78 €/month ÷ 151.67 h = 12.96 €/h" in rows["security_guarding"]["price_source"]
    assert 1965.78 / 151.67 == pytest.approx(12.96, abs=0.005)
    cats = load_categories()
    assert cats["security_guarding"].price_eur_per_unit_h == pytest.approx(18.919, abs=0.005)
    assert cats["security_guarding"].embodied_kg_co2e_per_unit == 0
    assert "12 m²" in rows["office_desk"]["co2_source"] and "980 kg" in rows["office_desk"]["co2_source"]
    assert cats["office_desk"].embodied_kg_co2e_per_unit == 12 * 980
    assert cats["office_desk"].is_estimate  # its coworking price is not from a publication
