"""Weekly hour slots: parsing both text forms, packing against plain boolean arithmetic, wording."""

from __future__ import annotations

import numpy as np
import pytest

from symbiosis.sharing.slots import (
    HOURS_PER_WEEK,
    SlotError,
    describe,
    pack,
    parse_slots,
    popcount,
    runs,
    unpack,
)


def _hours(*slots: int) -> set[int]:
    return set(slots)


def test_day_form_runs_past_midnight() -> None:
    mask = parse_slots("lun-ven 18:00-08:00")
    # Monday 18:00 = slot 18 … Tuesday 08:00 = slot 32 (exclusive); Friday night ends Saturday 08:00
    expected = {d * 24 + h for d in range(5) for h in range(18, 24)} | {
        (d + 1) * 24 + h for d in range(5) for h in range(8)
    }
    assert set(np.flatnonzero(mask)) == expected
    assert mask.sum() == 70


def test_sunday_night_wraps_to_monday() -> None:
    assert set(np.flatnonzero(parse_slots("dim 22:00-06:00"))) == {166, 167, 0, 1, 2, 3, 4, 5}


def test_slot_ranges_are_half_open_and_bounded() -> None:
    assert set(np.flatnonzero(parse_slots("18-32"))) == set(range(18, 32))
    assert np.flatnonzero(parse_slots("167")).tolist() == [167]  # last slot accepted
    assert parse_slots("0-168").all()
    with pytest.raises(SlotError, match="outside 0–167"):
        parse_slots("168")
    with pytest.raises(SlotError, match="at most at 168"):
        parse_slots("160-169")
    with pytest.raises(SlotError, match="before"):
        parse_slots("20-19")
    with pytest.raises(SlotError, match="before"):
        parse_slots("20-20")  # empty range: end not after start
    assert parse_slots("20-21").sum() == 1


@pytest.mark.parametrize("text", ["", "lundi", "lun 9:30-12:00", "xyz 09-12", "lun 25-26"])
def test_unreadable_patterns(text: str) -> None:
    with pytest.raises(SlotError):
        parse_slots(text)


def test_english_days_and_lists() -> None:
    assert set(np.flatnonzero(parse_slots("Mon,wed 9-12"))) == {9, 10, 11, 57, 58, 59}
    assert parse_slots("sam 00:00-24:00").sum() == 24
    assert parse_slots("sam 08:00-08:00").sum() == 24  # equal ends: a whole day


def test_pack_popcount_and_and_not_match_boolean_arithmetic() -> None:
    rng = np.random.default_rng(7)
    a = rng.random((200, HOURS_PER_WEEK)) < 0.3
    b = rng.random((200, HOURS_PER_WEEK)) < 0.6
    pa, pb = pack(a), pack(b)
    assert (unpack(pa) == a).all()
    assert popcount(pa).tolist() == a.sum(axis=1).tolist()
    assert popcount(pa & ~pb).tolist() == (a & ~b).sum(axis=1).tolist()
    assert popcount(pa & pb).tolist() == (a & b).sum(axis=1).tolist()


def test_runs_on_the_circular_week() -> None:
    mask = np.zeros(HOURS_PER_WEEK, dtype=bool)
    mask[[166, 167, 0, 1, 10]] = True
    assert sorted(runs(mask)) == [(10, 1), (166, 4)]
    assert runs(np.ones(HOURS_PER_WEEK, dtype=bool)) == [(0, 168)]
    assert runs(np.zeros(HOURS_PER_WEEK, dtype=bool)) == []


def test_describe_groups_identical_days() -> None:
    assert describe(parse_slots("lun-ven 18:00-08:00")) == "lun–ven 18:00–08:00"
    assert describe(parse_slots("mar 19:00-22:00"), "en") == "Tue 19:00–22:00"
    assert describe(parse_slots("lun-ven 12-14;lun-ven 17-20")) == "lun–ven 12:00–14:00 ; lun–ven 17:00–20:00"
    assert describe(parse_slots("sam 00:00-24:00;dim 00:00-24:00")) == "sam 00:00–dim 24:00"
    assert describe(parse_slots("lun 18:00-24:00")) == "lun 18:00–24:00"
    assert describe(parse_slots("lun 09:00-12:00;mer 09:00-12:00")) == "lun 09:00–12:00 ; mer 09:00–12:00"


def test_describe_reads_back_to_the_same_pattern() -> None:
    """The French wording, parsed again, gives the same hours (runs shorter than a day)."""
    rng = np.random.default_rng(3)
    for _ in range(200):
        mask = np.zeros(HOURS_PER_WEEK, dtype=bool)
        for _ in range(rng.integers(1, 6)):
            start, length = int(rng.integers(0, HOURS_PER_WEEK)), int(rng.integers(1, 20))
            mask[(start + np.arange(length)) % HOURS_PER_WEEK] = True
        if any(length > 24 for _, length in runs(mask)):
            continue
        assert (parse_slots(describe(mask).replace(" ; ", ";")) == mask).all(), describe(mask)
