"""Compile any linear Pyomo model into the optimiser's `CompiledModel`, for its `HighsSession`.

`symbiosis.optimizer.compile.compile_model` reads the exchange model's own components (flows,
builds, periods); a pooling model has none of them, so this is the same one-pass compilation —
the same coefficient reader `_terms` — over whatever variables and constraints a model has, with
the exchange-specific column lists left empty. The solve then goes through the optimiser's
`HighsSession` unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
from scipy import sparse

from symbiosis.optimizer.compile import INF, CompiledModel, _terms


def compile_linear(
    m: pyo.ConcreteModel, cost: Any, co2_t: Any, carbon_price_eur_per_t: float
) -> tuple[CompiledModel, list[Any]]:
    """(compiled arrays, the variables in column order)."""
    variables = list(m.component_data_objects(pyo.Var, active=True, descend_into=True, sort=True))
    colid = {id(v): j for j, v in enumerate(variables)}
    n = len(variables)
    lower = np.array([-INF if v.lb is None else float(v.lb) for v in variables], dtype=np.float64)
    upper = np.array([INF if v.ub is None else float(v.ub) for v in variables], dtype=np.float64)
    integer = np.array([v.is_integer() or v.is_binary() for v in variables], dtype=bool)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    row_lower: list[float] = []
    row_upper: list[float] = []
    for k, con in enumerate(
        m.component_data_objects(pyo.Constraint, active=True, descend_into=True, sort=True)
    ):
        coefs, cvars, const = _terms(con.body)
        rows.extend([k] * len(coefs))
        cols.extend(colid[id(v)] for v in cvars)
        vals.extend(coefs)
        row_lower.append(-INF if con.lb is None else float(pyo.value(con.lb)) - const)
        row_upper.append(INF if con.ub is None else float(pyo.value(con.ub)) - const)

    def vector(expr: Any) -> np.ndarray:
        coefs, cvars, _ = _terms(expr)
        out = np.zeros(n)
        np.add.at(out, np.array([colid[id(v)] for v in cvars], dtype=np.int64), coefs)
        return out

    matrix = sparse.csc_array(
        (
            np.asarray(vals, dtype=np.float64),
            (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
        ),
        shape=(len(row_lower), n),
    )
    empty = np.zeros(0, dtype=np.int64)
    compiled = CompiledModel(
        cost=vector(cost), co2_t=vector(co2_t), carbon_price_eur_per_t=float(carbon_price_eur_per_t),
        col_lower=lower, col_upper=upper, integer=integer,
        row_lower=np.asarray(row_lower, dtype=np.float64), row_upper=np.asarray(row_upper, dtype=np.float64),
        matrix=matrix, flow_cols=empty.reshape(0, 0), build_cols=empty, build_links=empty,
        disposal_cols=empty.reshape(0, 0), virgin_cols=empty.reshape(0, 0), co2_cap_row=None,
    )  # fmt: skip
    return compiled, variables
