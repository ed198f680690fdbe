"""Physical and practical bounds on every number and text a declaration can carry — the one place
where "too big to be true" is defined.

Why: a single absurd figure (``Infinity``, ``NaN``, ``1e308 t/day``) accepted from one firm used to
break matching for a whole territory tree, because sums and products over it overflow. Every model
of `symbiosis.domain` refuses non-finite numbers (``allow_inf_nan=False`` in `Frozen`) and texts
longer than `MAX_TEXT_CHARS`; quantities are bounded *after* conversion to the canonical unit per
year, so "1e6 t/h" and "8.76e9 t/yr" are judged alike. The API, the dataset import (CSV, Excel) and
the dashboard form validate through these models, so they refuse the same values with the same
words. With every factor bounded, every product matching computes stays far inside float range
(1e10 units × 1e6 €/unit = 1e16 €), so nothing that was accepted can overflow later.

The bounds are deliberately generous — an order of magnitude above the largest real single-site
flows — so they only refuse typing errors and attacks, never a real plant (docs/SECURITY.md):

* mass: 1e9 t/yr. The largest single industrial sites move ~3e8 t/yr (Carajás iron-ore mine,
  the largest steelworks ~2e7 t/yr of steel).
* volume: 1e11 m3/yr. A large coastal nuclear plant pumps ~200 m3/s of cooling water, ~6e9 m3/yr.
* energy: 1e9 MWh/yr. The largest power station (Three Gorges, 22.5 GW) yields ~1e8 MWh/yr.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AllowInfNan, ConfigDict, Field

from symbiosis.units import CanonicalUnit, to_canonical_per_year

MAX_QUANTITY_PER_YR: dict[CanonicalUnit, float] = {
    CanonicalUnit.TONNE: 1e9,
    CanonicalUnit.CUBIC_METRE: 1e11,
    CanonicalUnit.MWH: 1e9,
}
"""Largest declared flow accepted, per canonical unit per year (see the module docstring)."""

MAX_EUR_PER_UNIT = 1e6
"""|€| per t, m³ or MWh: a thousand times the price of any bulk resource of the knowledge base."""
MAX_CO2_KG_PER_UNIT = 1e5
"""kg CO2e per t, m³ or MWh: 100 t CO2e per unit, far above any bulk process (clinker ~0.9 t/t)."""
MAX_CONCENTRATION_MG_PER_L = 1e6
"""mg/l: one kilogram per litre, denser than any aqueous effluent carries dissolved."""
MAX_TEXT_CHARS = 10_000
"""Longest accepted text field (a name, a note, a source): a long paragraph, not a payload."""

EDGE_CONFIG = ConfigDict(allow_inf_nan=False, str_max_length=MAX_TEXT_CHARS)
"""The pydantic configuration every model that reads outside input merges in: the domain models
(`symbiosis.domain.base.Frozen`) and the API's own request bodies."""

FiniteFloat = Annotated[float, AllowInfNan(False)]
"""A float that refuses Infinity and NaN (JSON's ``Infinity`` parses in Python): for request
fields and query parameters outside the domain models, which refuse them by configuration."""

EurPerUnit = Annotated[float, Field(ge=-MAX_EUR_PER_UNIT, le=MAX_EUR_PER_UNIT)]
NonNegativeEurPerUnit = Annotated[float, Field(ge=0.0, le=MAX_EUR_PER_UNIT)]
Co2KgPerUnit = Annotated[float, Field(ge=0.0, le=MAX_CO2_KG_PER_UNIT)]
ConcentrationMgPerL = Annotated[float, Field(ge=0.0, le=MAX_CONCENTRATION_MG_PER_L)]


def checked_quantity_per_yr(quantity: float, quantity_unit: str, unit: CanonicalUnit | str) -> float:
    """``quantity`` in ``quantity_unit`` converted to ``unit`` per year, or `ValueError` saying
    what the amount comes to and the largest accepted (raised inside validators: pydantic names
    the field). Units are checked by the caller (`symbiosis.units` raises `UnitError`)."""
    canonical = CanonicalUnit(unit)
    limit = MAX_QUANTITY_PER_YR[canonical]
    per_yr = to_canonical_per_year(quantity, quantity_unit, canonical)
    if not math.isfinite(per_yr) or per_yr > limit:
        raise ValueError(
            f"a quantity of at most {limit:,.0f} {canonical.value}/yr once converted "
            f"({quantity:.6g} {quantity_unit} is {per_yr:.6g} {canonical.value}/yr)"
        )
    return per_yr

