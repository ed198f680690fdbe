"""Water networks as a process engineer builds them (issue 17).

Water-using operations (fixed contaminant load, or fixed flow), water sources by type, treatment
and regeneration units, and the network linear programme that allocates water between them:
minimum fresh water and wastewater targets with and without reuse and with regeneration, the
site water balance, and the limiting composite curve. See docs/WATER.md.
"""
