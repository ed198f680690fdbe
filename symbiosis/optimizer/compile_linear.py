"""Compile any linear Pyomo model into the optimiser's `CompiledModel`, for its `HighsSession`.

`symbiosis.optimizer.compile.compile_model` reads the exchange model's own components (flows,
builds, periods); the other models (pooling, water, sharing) have none of them, so this is the same
one-pass compilation — the same coefficient reader `_terms` — over whatever variables and
constraints a model has, with the exchange-specific column lists left empty. The solve then goes
through the optimiser's `HighsSession` unchanged (default threads: HiGHS keeps one scheduler per
process). This is the compile-to-arrays path every new model reuses: Pyomo's own HiGHS interfaces
hand a large model over many times slower.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn
from scipy import sparse

from symbiosis.optimizer.compile import INF, CompiledModel
from symbiosis.optimizer.compile import _terms as _fast_terms


def _terms(expr: Any) -> tuple[list[float], list[Any], float]:
    """The optimiser's fast reader; Pyomo's general one when a linear sum holds a bare number
    (``x + y + 3``), which the fast reader does not expect."""
    try:
        return _fast_terms(expr)
    except AttributeError:
        repn = generate_standard_repn(expr, compute_values=True, quadratic=False)
        if repn.nonlinear_expr is not None:
            raise ValueError(f"non-linear expression in a linear model: {expr}") from None
        return [float(c) for c in repn.linear_coefs], list(repn.linear_vars), float(repn.constant or 0.0)


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
    cons = list(m.component_data_objects(pyo.Constraint, active=True, descend_into=True, sort=True))
    parts = [_terms(con.body) for con in cons]  # (coefficients, variables, constant) per row
    per_row = np.array([len(coefs) for coefs, _, _ in parts], dtype=np.int64)
    nnz = int(per_row.sum())
    rows = np.repeat(np.arange(len(cons), dtype=np.int64), per_row)
    cols = np.fromiter((colid[id(v)] for _, vs, _ in parts for v in vs), dtype=np.int64, count=nnz)
    vals = np.fromiter((c for coefs, _, _ in parts for c in coefs), dtype=np.float64, count=nnz)
    const = np.array([k for _, _, k in parts], dtype=np.float64)
    row_lower = np.array([-INF if c.lb is None else float(pyo.value(c.lb)) for c in cons]) - const
    row_upper = np.array([INF if c.ub is None else float(pyo.value(c.ub)) for c in cons]) - const

    def vector(expr: Any) -> np.ndarray:
        coefs, cvars, _ = _terms(expr)
        out = np.zeros(n)
        np.add.at(out, np.array([colid[id(v)] for v in cvars], dtype=np.int64), coefs)
        return out

    matrix = sparse.csc_array((vals, (rows, cols)), shape=(len(cons), n))
    empty = np.zeros(0, dtype=np.int64)
    compiled = CompiledModel(
        cost=vector(cost), co2_t=vector(co2_t), carbon_price_eur_per_t=float(carbon_price_eur_per_t),
        col_lower=lower, col_upper=upper, integer=integer,
        row_lower=row_lower, row_upper=row_upper,
        matrix=matrix, flow_cols=empty.reshape(0, 0), build_cols=empty, build_links=empty,
        disposal_cols=empty.reshape(0, 0), virgin_cols=empty.reshape(0, 0), co2_cap_row=None,
    )  # fmt: skip
    return compiled, variables
