"""Ranges instead of figures: how a company sees a partner's quantities and money before consent.

Bands follow the 1-2-5 series (…, 10, 20, 50, 100, …): narrow enough to judge whether an exchange
is worth a call, wide enough not to give the partner's figure away.
"""

from __future__ import annotations

import math

_STEPS = (1.0, 2.0, 5.0)


def band(value: float) -> tuple[float, float]:
    """The 1-2-5 band holding ``value``: ``band(37_000) == (20_000, 50_000)``; zero → (0, 0)."""
    if value == 0 or not math.isfinite(value):
        return (0.0, 0.0)
    if value < 0:
        lo, hi = band(-value)
        return (-hi, -lo)
    exp = math.floor(math.log10(value))
    base = 10.0**exp
    for k, step in enumerate(_STEPS):
        nxt = _STEPS[k + 1] * base if k + 1 < len(_STEPS) else 10.0 * base
        if value < nxt:
            return (_clean(step * base), _clean(nxt))
    return (_clean(10.0 * base), _clean(20.0 * base))  # pragma: no cover - log10 rounding edge


def _clean(x: float) -> float:
    return float(f"{x:.12g}")
