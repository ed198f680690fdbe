"""Mutualisation II: pooled collection and purchasing (issue 20).

Sites of one activity zone that each hand the same waste to a collector, or each buy the same
supply, can sign one contract together: one truck tour instead of many, and a volume price break.
This package finds such groups (`detect`), costs a pool's tour and price (`vrp`, `costing`),
chooses which sites join which pool with Pyomo/HiGHS (`choose`) and splits each pool's cost
fairly (`fair_split`).
"""
