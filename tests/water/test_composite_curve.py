"""The limiting composite curve and the supply line against Wang & Smith's (1994) Example 1 drawn
by hand from the paper's Table 1: the curve's corners, the pinch the 90 t/h line touches, and a
line below the minimum crossing the curve."""

from __future__ import annotations

import pytest

from symbiosis import DATASETS_DIR
from symbiosis.water.dataset_files import read_water_problem
from symbiosis.water.targets import limiting_composite_curve, supply_line

# Table 1: op (load kg/h, Cin max, Cout max ppm): 1 (2, 0, 100), 2 (5, 50, 100), 3 (30, 50, 800),
# 4 (4, 400, 800). Limiting flows 20, 100, 40, 10 t/h. By interval: 0–50 op1 → 20 × 50 = 1 kg/h;
# 50–100 ops 1, 2, 3 → 160 × 50 = 8; 100–400 op3 → 40 × 300 = 12; 400–800 ops 3, 4 → 50 × 400 = 20.
HAND_DRAWN = [(0.0, 0.0), (1.0, 50.0), (9.0, 100.0), (21.0, 400.0), (41.0, 800.0)]


def _curve() -> list[tuple[float, float]]:
    return limiting_composite_curve(read_water_problem(DATASETS_DIR / "wang_smith_1994"), "c")


def test_limiting_composite_curve_is_the_hand_drawn_one() -> None:
    assert _curve() == [pytest.approx(p) for p in HAND_DRAWN]


def _line_at(line: list[tuple[float, float]], mass_kg_per_h: float) -> float:
    (m0, c0), (m1, c1) = line
    return c0 + (c1 - c0) * (mass_kg_per_h - m0) / (m1 - m0)


def test_the_90_t_per_h_supply_line_touches_the_curve_at_the_100_ppm_pinch() -> None:
    curve = _curve()
    line = supply_line(curve, 90.0)
    assert line == [pytest.approx((0.0, 0.0)), pytest.approx((41.0, 41_000 / 90))]
    gaps = {c: _line_at(line, m) - c for m, c in curve}
    assert gaps[100.0] == pytest.approx(0.0, abs=1e-9)  # the pinch: 9 kg/h at 90 t/h is 100 ppm
    assert all(g <= 1e-9 for g in gaps.values())  # never above the curve: a feasible supply
    # one t/h less and the line rises above the curve at the pinch: infeasible
    below = supply_line(curve, 89.0)
    assert _line_at(below, 9.0) > 100.0


def test_fresh_water_with_contaminant_starts_the_line_higher_and_no_flow_draws_none() -> None:
    curve = _curve()
    assert supply_line(curve, 90.0, 5.0)[0] == (0.0, 5.0)
    assert supply_line(curve, 0.0) == [] and supply_line([], 90.0) == []
