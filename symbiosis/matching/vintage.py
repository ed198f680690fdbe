"""Vintage check: figures of different years compared as if they described one moment.

A dataset mixing, say, a coal-era fly-ash tonnage with today's biomass plant credits an exchange
that never coexisted with the others. Declarations carry their reference ``year``; when the
declarations a run compares state more than one year, matching and the plan built on it say so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from symbiosis.domain.declarations import InputDeclaration, OutputDeclaration


def vintage_warning(declarations: Iterable[OutputDeclaration | InputDeclaration]) -> str | None:
    """A one-line warning when the declarations state several years; None when they agree."""
    years: Counter[int] = Counter()
    undated = 0
    for d in declarations:
        if d.year is None:
            undated += 1
        else:
            years[d.year] += 1
    if len(years) <= 1:
        return None
    listed = ", ".join(f"{y} ({n})" for y, n in sorted(years.items()))
    tail = f"; {undated} declaration(s) state no year" if undated else ""
    return (
        f"mixed vintages: the declarations describe {len(years)} different years — {listed}{tail}. "
        "Figures of different years are compared as if they coexisted; check they describe one situation "
        "(or match one year at a time)."
    )
