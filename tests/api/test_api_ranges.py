"""The 1-2-5 bands a company sees instead of a partner's figures."""

from __future__ import annotations

import pytest

from symbiosis.services.ranges import band


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (37_000, (20_000, 50_000)), (1, (1, 2)), (0.3, (0.2, 0.5)), (9.99, (5, 10)), (10, (10, 20)),
        (-12, (-20, -10)), (0, (0, 0)),
    ],
)  # fmt: skip
def test_band(value: float, expected: tuple[float, float]) -> None:
    assert band(value) == expected
    lo, hi = band(value)
    assert lo <= value <= hi
