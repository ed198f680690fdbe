"""Reading offers and needs: the bad-input corpus, every problem reported at once, nothing returned."""

from __future__ import annotations

import pytest

from symbiosis.errors import InvalidInput
from symbiosis.sharing.records import ALL_MONTHS, parse_months, read_sharing

from .conftest import need, offer


def _issues(make_dataset, kb, offers, needs) -> list[tuple[str, str, object]]:  # noqa: ANN001
    with pytest.raises(InvalidInput) as err:
        read_sharing(make_dataset(offers, needs), kb)
    return [(i.location, i.field, i.value) for i in err.value.issues]


def test_a_valid_pair_reads(make_dataset, kb) -> None:  # noqa: ANN001
    data = read_sharing(make_dataset([offer()], [need()]), kb)
    assert [o.id for o in data.offers] == ["o1"] and [n.id for n in data.needs] == ["n1"]
    o = data.offers[0]
    assert o.free.sum() == 25 and (o.used == ~o.free).all()  # used defaults to the hours not offered
    assert o.price_eur_per_unit_h == data.categories["hall"].price_eur_per_unit_h  # category default
    assert data.needs[0].max_distance_km == 15.0 and data.needs[0].budget_eur_per_unit_h == float("inf")


@pytest.mark.parametrize(
    ("row", "field", "value"),
    [
        (need(slots="168"), "slots", "168"),
        (need(slots="170-172"), "slots", "170-172"),
        (need(slots="22-19"), "slots", "22-19"),
        (need(capacity="0"), "capacity", "0"),
        (need(capacity="-5"), "capacity", "-5"),
        (need(capacity="beaucoup"), "capacity", "beaucoup"),
        (need(capacity=""), "capacity", ""),
        (need(category="piscine"), "category", "piscine"),
        (need(site_id="s_z"), "site_id", "s_z"),
        (need(valid_from="2026-05-01", valid_to="2026-04-30"), "valid_to", "2026-04-30"),
        (need(valid_from="2026-13-01"), "valid_from", "2026-13-01"),
        (need(recurring="false"), "recurring", "false"),
        (need(months="13"), "months", "13"),
        (need(confidentiality="secret"), "confidentiality", "secret"),
        (need(max_distance_km="0"), "max_distance_km", "0"),
        (need(budget_eur_per_unit_h="-1"), "budget_eur_per_unit_h", "-1"),
    ],
)
def test_bad_need_rows_name_field_and_value(make_dataset, kb, row, field, value) -> None:  # noqa: ANN001
    assert _issues(make_dataset, kb, [offer()], [row]) == [("sharing_needs.csv row 2", field, value)]


def test_boundaries_that_are_valid(make_dataset, kb) -> None:  # noqa: ANN001
    rows = [
        need(id="a", slots="167", capacity="0.001"),
        need(id="b", slots="0-168", valid_from="2026-05-01", valid_to="2026-05-01", recurring="false"),
        need(id="c", months="9-6"),
    ]
    data = read_sharing(make_dataset([offer()], rows), kb)
    assert data.needs[0].hours.sum() == 1 and data.needs[0].capacity == 0.001
    assert data.needs[1].hours.all()
    assert data.needs[2].months == parse_months("9;10;11;12;1;2;3;4;5;6")


def test_every_problem_of_both_files_at_once(make_dataset, kb) -> None:  # noqa: ANN001
    offers = [offer(capacity="0"), offer(id="o1", slots="-3")]  # capacity; duplicate id and slot
    needs = [need(category="piscine", slots="lun 25:00-26:00")]
    found = _issues(make_dataset, kb, offers, needs)
    fields = sorted((loc, f) for loc, f, _ in found)
    assert fields == [
        ("sharing_needs.csv row 2", "category"),
        ("sharing_needs.csv row 2", "slots"),
        ("sharing_offers.csv row 2", "capacity"),
        ("sharing_offers.csv row 3", "id"),
        ("sharing_offers.csv row 3", "slots"),
    ]


def test_unknown_column_is_reported(make_dataset, kb) -> None:  # noqa: ANN001
    folder = make_dataset([offer()], [need()])
    text = (folder / "sharing_needs.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",couleur"
    text[1] += ",bleu"
    (folder / "sharing_needs.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="couleur"):
        read_sharing(folder, kb)


def test_months() -> None:
    assert parse_months("") == ALL_MONTHS
    assert parse_months("1") == 1 and parse_months("12") == 1 << 11
    assert parse_months("11-2") == (1 << 10) | (1 << 11) | 1 | 2
    for bad in ("0", "13", "1-2-3", "jan"):
        with pytest.raises(ValueError):
            parse_months(bad)
