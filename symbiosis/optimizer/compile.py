"""Step 2b: compile the Pyomo model to sparse arrays (CSC) in one pass, for `highspy.passModel`.

Pyomo's solver interfaces hand a model over one component at a time, which on a 100,000-link
problem costs an order of magnitude more than HiGHS's own solve (see docs/OPTIMIZER.md). Our
constraints are all ``LinearExpression`` objects built by `symbiosis.optimizer.model`, so reading
their coefficient/variable pairs directly is exact and fast; anything else falls back to Pyomo's
general `generate_standard_repn`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn import generate_standard_repn
from scipy import sparse

from symbiosis.optimizer.data import FloatArray, IntArray
from symbiosis.optimizer.gcpause import without_gc
from symbiosis.optimizer.results import PlanArrays

INF = float("inf")


@dataclass
class CompiledModel:
    """min (cost + carbon_price·co2)·x s.t. row_lower ≤ A x ≤ row_upper, col_lower ≤ x ≤ col_upper."""

    cost: FloatArray  # € per unit of each column
    co2_t: FloatArray  # t CO2e per unit of each column
    carbon_price_eur_per_t: float
    col_lower: FloatArray
    col_upper: FloatArray
    integer: np.ndarray  # bool per column
    row_lower: FloatArray
    row_upper: FloatArray
    matrix: sparse.csc_array
    flow_cols: IntArray  # (T, L)
    build_cols: IntArray  # (B,) in order of model.BUILD
    build_links: IntArray  # (B,) link position of each build column
    disposal_cols: IntArray  # (T, O)
    virgin_cols: IntArray  # (T, I)
    co2_cap_row: int | None

    @property
    def objective(self) -> FloatArray:
        return self.cost + self.carbon_price_eur_per_t * self.co2_t

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    @property
    def n_rows(self) -> int:
        return len(self.row_lower)


def _terms(expr: Any) -> tuple[list[float], list[Any], float]:
    """(coefficients, variables, constant) of a linear expression."""
    if hasattr(expr, "expr") and not isinstance(expr, LinearExpression):  # a named Expression
        expr = expr.expr
    if isinstance(expr, LinearExpression):
        coefs: list[float] = []
        variables: list[Any] = []
        const = 0.0
        for a in expr.args:
            cls = a.__class__
            if cls is MonomialTermExpression:
                c, v = a._args_
                coefs.append(c if c.__class__ is float else float(pyo.value(c)))
                variables.append(v)
            elif a.is_variable_type():
                coefs.append(1.0)
                variables.append(a)
            else:
                const += float(pyo.value(a))
        return coefs, variables, const
    repn = generate_standard_repn(expr, compute_values=True, quadratic=False)
    if repn.nonlinear_expr is not None:
        raise ValueError(f"non-linear expression in the exchange model: {expr}")
    return [float(c) for c in repn.linear_coefs], list(repn.linear_vars), float(repn.constant or 0.0)


def _cols(colid: dict[int, int], component: Any) -> IntArray:
    return np.fromiter((colid[id(v)] for v in component.values()), dtype=np.int64, count=len(component))


@without_gc
def compile_model(m: pyo.ConcreteModel) -> CompiledModel:
    """One pass over the model's variables and active constraints."""
    variables = list(m.component_data_objects(pyo.Var, active=True, descend_into=True, sort=False))
    colid = {id(v): j for j, v in enumerate(variables)}
    n = len(variables)
    bounds = np.array([v.bounds for v in variables], dtype=np.float64).reshape(n, 2)  # None → nan
    col_lower = np.where(np.isnan(bounds[:, 0]), -INF, bounds[:, 0])
    col_upper = np.where(np.isnan(bounds[:, 1]), INF, bounds[:, 1])
    integer = np.array([v.is_integer() for v in variables], dtype=bool)
    for j, v in enumerate(variables):
        if v.fixed:
            col_lower[j] = col_upper[j] = float(v.value)

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    row_lower: list[float] = []
    row_upper: list[float] = []
    co2_cap_row: int | None = None
    cap = getattr(m, "c_co2_cap", None)
    for k, con in enumerate(
        m.component_data_objects(pyo.Constraint, active=True, descend_into=True, sort=False)
    ):
        coefs, cvars, const = _terms(con.body)
        rows.extend([k] * len(coefs))
        cols.extend(colid[id(v)] for v in cvars)
        vals.extend(coefs)
        lb, ub = con.lb, con.ub
        row_lower.append(-INF if lb is None else float(lb) - const)
        row_upper.append(INF if ub is None else float(ub) - const)
        if cap is not None and con is cap:
            co2_cap_row = k

    def vector(expr: Any) -> FloatArray:
        coefs, cvars, _ = _terms(expr)
        out = np.zeros(n)
        np.add.at(out, np.fromiter((colid[id(v)] for v in cvars), dtype=np.int64, count=len(cvars)), coefs)
        return out

    matrix = sparse.csc_array(
        (
            np.asarray(vals, dtype=np.float64),
            (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
        ),
        shape=(len(row_lower), n),
    )
    T = len(m.PERIODS)
    build_cols = _cols(colid, m.v_build)
    return CompiledModel(
        cost=vector(m.e_cost_eur),
        co2_t=vector(m.e_co2_t),
        carbon_price_eur_per_t=float(pyo.value(m.p_carbon_price_eur_per_t)),
        col_lower=col_lower,
        col_upper=col_upper,
        integer=integer,
        row_lower=np.asarray(row_lower, dtype=np.float64),
        row_upper=np.asarray(row_upper, dtype=np.float64),
        matrix=matrix,
        flow_cols=_cols(colid, m.v_flow).reshape(-1, T).T.copy(),
        build_cols=build_cols,
        build_links=np.asarray(list(m.BUILD), dtype=np.int64),
        disposal_cols=_cols(colid, m.v_disposal).reshape(-1, T).T.copy(),
        virgin_cols=_cols(colid, m.v_virgin).reshape(-1, T).T.copy(),
        co2_cap_row=co2_cap_row,
    )


def load_solution(m: pyo.ConcreteModel, compiled: CompiledModel, x: FloatArray) -> None:
    """Write a solution vector back into the Pyomo variables (for inspection of small models)."""
    variables = list(m.component_data_objects(pyo.Var, active=True, descend_into=True, sort=False))
    for v, val in zip(variables, x.tolist(), strict=True):
        v.set_value(val, skip_validation=True)


def full_vector(c: CompiledModel, p: PlanArrays, x: FloatArray) -> FloatArray:
    """A complete column vector for a plan: flows as given, build = flow > 0, slacks balanced."""
    v = x.copy()
    v[c.flow_cols] = p.flow
    v[c.disposal_cols] = p.disposal
    v[c.virgin_cols] = p.virgin
    v[c.build_cols] = p.built[c.build_links].astype(np.float64)
    return v
