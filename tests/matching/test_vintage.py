"""Declarations of several years are flagged in matching and in what the optimiser receives."""

from __future__ import annotations

from symbiosis.matching import MatchingService
from symbiosis.matching.vintage import vintage_warning

from .kb_builder import Builder, make_kb


def _pair(out_year: int | None, in_year: int | None) -> Builder:
    b = Builder()
    ko = {"year": out_year} if out_year else {}
    ki = {"year": in_year} if in_year else {}
    b.out("o", b.site("power"), "fgd_gypsum", 1000, "t/yr", purity_pct=96.0, moisture_pct=5.0, **ko)
    b.inp("i", b.site("board", km_north=5.0), "natural_gypsum", 1000, "t/yr", **ki)
    return b


def test_two_years_are_flagged_in_matching_and_in_the_candidate_set() -> None:
    svc = MatchingService(_pair(2010, 2018).dataset(), make_kb())
    (w,) = svc.warnings
    assert "mixed vintages" in w and "2010 (1), 2018 (1)" in w
    assert svc.candidate_set().warnings == [w]


def test_one_year_or_undated_is_not_flagged() -> None:
    assert MatchingService(_pair(2018, 2018).dataset(), make_kb()).warnings == []
    assert MatchingService(_pair(2018, None).dataset(), make_kb()).warnings == []
    b = _pair(2010, 2018)
    assert vintage_warning(b.outputs) is None  # one declaration: one year


def test_candidate_set_warns_only_about_declarations_its_links_touch() -> None:
    b = _pair(2018, 2018)
    b.out("o-far", b.site("far", km_north=900.0), "fgd_gypsum", 10, "t/yr", purity_pct=96.0, moisture_pct=5.0,
          year=2005)  # fmt: skip
    svc = MatchingService(b.dataset(), make_kb())
    assert len(svc.warnings) == 1  # the dataset mixes years
    assert svc.candidate_set().warnings == []  # but the only link is 2018 with 2018
