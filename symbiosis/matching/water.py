"""Water accounting: how an exchange changes what is abstracted, and from which kind of source.

"Water saved" is only fresh water (ground, surface, mains) that is no longer abstracted. Reusing a
used stream (cooling return, treated effluent) saves the receiver's fresh supply; piping raw lake
water to a firm that bought mains water only moves the abstraction (a change of source); warm
water to a fish farm that would otherwise pump sea water saves no fresh water at all.
"""

from __future__ import annotations

from symbiosis.domain.resource import WaterSource
from symbiosis.matching.groups import Group


def abstraction_change_m3_per_unit(g: Group, delivery_factor: float) -> dict[str, float]:
    """Change in water abstracted, by source type, per m³ of output sent (negative = less taken).

    The receiver no longer buys ``delivery_factor`` m³ from its usual source; when the output is
    itself raw water from a lake or well, that much more is abstracted there — a change of source,
    not a saving. A used stream (cooling return, effluent) adds no abstraction: true reuse.
    """
    change: dict[str, float] = {}
    if g.receiver_water_source is not None:
        src = g.receiver_water_source.value
        change[src] = change.get(src, 0.0) - delivery_factor
    if g.giver_abstracts_from is not None:
        src = g.giver_abstracts_from.value
        change[src] = change.get(src, 0.0) + 1.0
    return change


def fresh_water_saved_m3(change: dict[str, float]) -> float:
    """Fresh (ground, surface, mains) water no longer abstracted, from an abstraction change."""
    return -sum(v for src, v in change.items() if WaterSource(src).is_fresh)
