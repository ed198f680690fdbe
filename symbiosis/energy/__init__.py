"""Energy engineering for heat, steam and electricity: country factors, heat pumps, pipes sized by
flow, steam taken from a CHP turbine. Matching calls `symbiosis.energy.links` for heat links."""
