"""Names instead of ids, numbers in the user's format: the look-ups the tables use."""

from __future__ import annotations

from dashboard.formats import fmt_number, fmt_quantity
from dashboard.names import RESOURCE_FR, Labels, partner_labels, resource_name
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase


def test_every_resource_has_a_french_name(kb: KnowledgeBase) -> None:
    assert sorted(set(kb.resources) - set(RESOURCE_FR)) == []
    assert resource_name("fly_ash", kb, "fr") == "Cendres volantes de charbon"
    assert resource_name("fly_ash", kb, "en") == kb.resources["fly_ash"].name
    assert resource_name("moon_dust", kb, "fr") == "moon_dust"  # unknown: the code, not a crash


def test_sites_read_as_site_and_firm(kalundborg: Dataset, kb: KnowledgeBase) -> None:
    labels = Labels.of(kalundborg, kb, "fr")
    assert labels.site("novo_nordisk_kal") == "Novo Nordisk Kalundborg"  # one name holds the other
    assert labels.site("asnaes") == "Ørsted (Asnæs power station)"
    gyproc = labels.site("gyproc_kal")
    assert "(" in gyproc and "gyproc_kal" not in gyproc  # "site (firm)"
    assert labels.site("nowhere") == "nowhere"


def _row(ref: str, family: str, lo: float, hi: float) -> dict[str, object]:
    return {"partner_ref": ref, "family": family, "distance_km_range": (lo, hi)}


def test_partner_labels_are_stable_and_tell_partners_apart() -> None:
    rows = [_row("p_b", "steam", 1, 2), _row("p_a", "water", 0.5, 1), _row("p_a", "heat", 1, 2)]
    labels = partner_labels(rows, "fr")
    assert labels == {
        "p_a": "Partenaire A — chaleur, eau, 0,5–2 km",
        "p_b": "Partenaire B — vapeur, 1–2 km",
    }
    assert partner_labels(list(reversed(rows)), "fr") == labels  # row order does not matter
    assert partner_labels(rows, "en")["p_b"] == "Partner B — steam, 1–2 km"
    many = partner_labels([_row(f"p_{i:02d}", "gas", 1, 2) for i in range(28)], "en")
    assert many["p_26"].startswith("Partner AA ") and many["p_27"].startswith("Partner AB ")


def test_numbers_follow_the_language() -> None:
    assert fmt_number(42420163.4861, "fr") == "42\u202f420\u202f163"
    assert fmt_number(42420163.4861, "en") == "42,420,163"
    assert fmt_number(1234.56, "fr", 1) == "1\u202f234,6"
    assert fmt_number(0.5, "en", 1) == "0.5"
    assert fmt_number(None, "fr") == "—" and fmt_number(float("nan"), "fr") == "—"
    assert fmt_quantity(3650, "t", "fr") == "3\u202f650\u00a0t"
