"""Steam taken from a CHP turbine is not free: the power it would have made is lost.

Per tonne of steam extracted the plant generates `chp_lost_power_mwh_e_per_t_steam` less
electricity (the inverse of a Z-factor, from steam-table enthalpies in energy_parameters.csv); the
grid makes it up at the country's price and CO2 factor. Matching books it as a negative avoided
disposal at the giver: sending steam costs that electricity, keeping it (the baseline) does not.
"""

from __future__ import annotations

from symbiosis.energy.parameters import CountryFactors, EnergyParameters


def lost_power_cost_eur_per_t(p: EnergyParameters, country: CountryFactors) -> float:
    return p.chp_lost_power_mwh_e_per_t_steam * country.electricity_price_eur_per_mwh


def lost_power_co2_kg_per_t(p: EnergyParameters, country: CountryFactors) -> float:
    return p.chp_lost_power_mwh_e_per_t_steam * country.grid_co2_kg_per_mwh
