"""A heat pump between a source and a sink temperature: COP, electricity, and what it costs.

An engineer does not take a fixed COP: it falls with the lift. The model is the usual one for
screening studies: a sourced fraction of the Carnot COP between the temperatures of the two fluids.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from symbiosis.domain.resource import capital_recovery_factor
from symbiosis.energy.parameters import EnergyParameters

FloatArray = NDArray[np.float64]
KELVIN = 273.15
HOURS_PER_YEAR = 8760.0
MIN_LIFT_K = 1.0  # below this a heat exchanger does the job; COP is capped there


def cop(t_source_c: FloatArray | float, t_sink_c: FloatArray | float, p: EnergyParameters) -> FloatArray:
    """COP = η × T_sink / (T_sink − T_source) in kelvin, the lift taken between the sink's flow
    temperature and the source's inlet temperature — the definition under which the sourced η
    (share of Carnot reached by real machines, heat exchangers included) was measured.
    A lift under 1 K is floored there (a heat exchanger would do)."""
    t_sink = np.asarray(t_sink_c, dtype=float) + KELVIN
    t_src = np.asarray(t_source_c, dtype=float) + KELVIN
    lift = np.maximum(t_sink - t_src, MIN_LIFT_K)
    return np.maximum(p.heat_pump_carnot_fraction * t_sink / lift, 1.0 + 1e-9)


def sink_mwh_per_source_mwh(c: FloatArray) -> FloatArray:
    """Heat delivered per MWh drawn from the source: Q_sink = Q_source + W and Q_sink = COP × W."""
    return c / (c - 1.0)


def electricity_mwh_per_source_mwh(c: FloatArray) -> FloatArray:
    """W per MWh drawn from the source = 1 / (COP − 1)."""
    return 1.0 / (c - 1.0)


def fixed_cost_eur_per_yr(peak_heat_mw: FloatArray, p: EnergyParameters) -> FloatArray:
    """Capex per MW of heat delivered at peak, annualised (CRF) plus fixed upkeep."""
    crf = capital_recovery_factor(p.discount_rate, p.heat_pump_lifetime_yr)
    return p.heat_pump_capex_eur_per_mw_heat * peak_heat_mw * (crf + p.heat_pump_opex_fraction_per_yr)
