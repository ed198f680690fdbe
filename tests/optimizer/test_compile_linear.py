"""Any linear Pyomo model through `compile_linear` and the optimiser's `HighsSession`, by hand."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from symbiosis.optimizer.compile_linear import compile_linear
from symbiosis.optimizer.solve import HighsSession


def _solve(carbon_price: float) -> tuple[float, float, float]:
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.NonNegativeReals)
    m.y = pyo.Var(domain=pyo.NonNegativeReals, bounds=(0, 10))
    m.need = pyo.Constraint(expr=m.x + m.y + 3 >= 5)  # constants in the body: x + y ≥ 2
    m.cap = pyo.Constraint(expr=m.x - 1 <= 0)  # x ≤ 1
    compiled, variables = compile_linear(m, 2 * m.x + 3 * m.y, m.y, carbon_price)
    out = HighsSession(compiled).run()
    assert out.optimal and out.x is not None and out.objective is not None
    value = {v.name: out.x[j] for j, v in enumerate(variables)}
    return value["x"], value["y"], out.objective


def test_hand_solved_lp_with_constants_and_a_carbon_price() -> None:
    # x is the cheaper one but capped at 1, y makes up the rest: 2·1 + 3·1 = 5 € and 1 t CO2
    assert _solve(0.0) == pytest.approx((1.0, 1.0, 5.0))
    assert _solve(10.0) == pytest.approx((1.0, 1.0, 15.0))
