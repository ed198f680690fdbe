"""Pipes sized by the flow they carry: diameter, capex per metre, heat lost per metre.

A flat €/m makes a 2 t/yr link cost as much as a 3 Mm³/yr main. Here the inner diameter follows
from the peak volume flow and a design velocity (d = √(4Q / πv)), the cost per metre from a linear
cost curve in the diameter (Persson & Werner 2011 for district heating), and a buried
pre-insulated pipe's heat loss from the insulation and soil thermal resistances (EN 13941 style).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from symbiosis.domain.resource import PipelineParameters
from symbiosis.energy.parameters import EnergyParameters

FloatArray = NDArray[np.float64]
SECONDS_PER_HOUR = 3600.0


def inner_diameter_m(volume_flow_m3_per_s: FloatArray | float, velocity_m_per_s: float) -> FloatArray:
    """d = √(4 Q / (π v)): the pipe that carries Q at the design velocity."""
    q = np.maximum(np.asarray(volume_flow_m3_per_s, dtype=float), 0.0)
    return np.sqrt(4.0 * q / (math.pi * velocity_m_per_s))


def capex_eur_per_m(diameter_m: FloatArray, pipe: PipelineParameters) -> FloatArray:
    """Construction cost per trench metre = C1 + C2 × d (the cost curve of pipelines.csv)."""
    assert pipe.capex_base_eur_per_m is not None and pipe.capex_eur_per_m_per_m_diameter is not None
    return pipe.capex_base_eur_per_m + pipe.capex_eur_per_m_per_m_diameter * np.asarray(
        diameter_m, dtype=float
    )


def volume_flow_m3_per_s(
    peak_units_per_h: FloatArray, kg_per_unit: FloatArray | float, density_kg_per_m3: float
) -> FloatArray:
    """Peak flow in canonical units per hour → m³/s of the fluid in the pipe."""
    return np.asarray(peak_units_per_h, dtype=float) * kg_per_unit / density_kg_per_m3 / SECONDS_PER_HOUR


def hot_water_kg_per_mwh(delta_t_k: FloatArray | float, p: EnergyParameters) -> FloatArray:
    """Water that carries one MWh between flow and return: 3.6e6 kJ / (cp × ΔT)."""
    return 3.6e6 / (p.water_heat_capacity_kj_per_kg_k * np.asarray(delta_t_k, dtype=float))


def heat_loss_w_per_m(
    diameter_m: FloatArray, t_supply_c: FloatArray, t_return_c: FloatArray, p: EnergyParameters
) -> FloatArray:
    """Loss of a buried supply + return pair: Σ (T − T_ground) / (R_insulation + R_soil) per pipe.

    R_insulation = ln(D_casing / d) / (2π λ_PUR), R_soil = ln(4 H / D_casing) / (2π λ_soil), H the
    depth of the pipe axis; mutual heating of the two pipes is neglected (a slight overestimate).
    """
    d = np.maximum(np.asarray(diameter_m, dtype=float), 1e-3)
    casing = d * p.pipe_casing_to_steel_ratio
    depth = p.pipe_cover_depth_m + casing / 2.0
    r_ins = math.log(p.pipe_casing_to_steel_ratio) / (2 * math.pi * p.pipe_insulation_conductivity_w_per_m_k)
    r_soil = np.log(4.0 * depth / casing) / (2 * math.pi * p.soil_conductivity_w_per_m_k)
    dt = (np.asarray(t_supply_c) - p.ground_temperature_c) + (np.asarray(t_return_c) - p.ground_temperature_c)
    return np.maximum(dt, 0.0) / (r_ins + r_soil)
