"""How far a plan is proven from the best: gaps on the *saving*, not on the territory's whole cost.

Why: most of a territory's cost is purchases and disposal nobody can avoid. A gap of 10⁻⁴ on the
whole objective (455 M€ in Finland) allowed ≈ 45 k€ of slack — more than the steps between Pareto
points — while the exchanges themselves save ≈ 40 M€. The question a facilitator asks is "could
another plan save noticeably more?", so the stopping test and the reported gap are measured on the
saving against today's situation (no exchange, the baseline B):

    saving gap = (objective − bound) / |B − bound|

where B − bound is the most any plan could save. The objective gap (objective − bound) / |objective|
is still reported beside it. Under a CO2 cap the cheapest feasible plan may cost more than today
(B − bound < 0: meeting the cap costs money); the gap is then relative to that extra cost.
"""

from __future__ import annotations

import math

_TINY_REL = 1e-9


def saving_gap(baseline: float, objective: float, bound: float) -> float:
    """(objective − bound) / |baseline − bound|; infinite without a finite bound, 0 when no plan can
    change anything and this one matches the bound."""
    if not math.isfinite(bound):
        return math.inf
    excess = max(0.0, objective - bound)
    room = abs(baseline - bound)
    scale = _TINY_REL * max(1.0, abs(baseline))
    if room <= scale:
        return 0.0 if excess <= scale else math.inf
    return excess / room


def proven_within(baseline: float, objective: float, bound: float, tolerance: float) -> bool:
    """True when the plan's saving is proven within ``tolerance`` (relative) of the best possible."""
    return saving_gap(baseline, objective, bound) <= tolerance


def highs_abs_gap(baseline: float, incumbent: float, tolerance: float) -> float:
    """An absolute gap on the objective for HiGHS's ``mip_abs_gap`` that implies our saving test.

    HiGHS stops when ub − lb ≤ this. With ub ≤ ``incumbent`` (HiGHS starts from it or finds better)
    and lb ≤ optimum: |B − lb| ≥ B − ub ≥ B − incumbent, so ub − lb ≤ tolerance × (B − incumbent)
    gives saving gap ≤ tolerance. 0 (prove fully) when the incumbent saves nothing.
    """
    return max(0.0, tolerance * (baseline - incumbent))
