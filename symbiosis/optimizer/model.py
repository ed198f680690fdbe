r"""Step 2: the Pyomo model of the exchange network, built from `ProblemData`.

Notation (sets UPPERCASE, parameters ``p_*``, variables ``v_*``):

* :math:`l \in LINKS` candidate links from output :math:`o(l)` to input :math:`i(l)`;
  :math:`t \in PERIODS` (12 months, or 1 year when every profile is flat);
  :math:`BUILD \subseteq LINKS` links with a fixed cost :math:`F_l > 0`.
* :math:`x_{l,t} \ge 0` flow in output units (``v_flow``), bounded by :math:`M_{l,t}`;
  :math:`y_l \in \{0,1\}` build decision (``v_build``); :math:`s_{o,t} \ge 0` disposal as today
  (``v_disposal``); :math:`v_{i,t} \ge 0` virgin supply as today (``v_virgin``).
* :math:`M_{l,t} = \min(U_{l,t},\ S_{o,t},\ \sigma_l D_{i,t} / \delta_l)` — the tightest big-M:
  link bound, supply, and demand (times the share cap :math:`\sigma_l`) over the delivery factor.

Cost (€/yr) and CO2 (t/yr) are two named expressions, ``e_cost_eur`` and ``e_co2_t``:

.. math::
    C = \sum_{l,t} c_l x_{l,t} + \sum_{l\in BUILD} F_l y_l + \sum_{o,t} d_o s_{o,t} + \sum_{i,t} p_i v_{i,t}
    \qquad
    E = 10^{-3}\Big(\sum_{l,t} e_l x_{l,t} + \sum_{o,t} e^d_o s_{o,t} + \sum_{i,t} e^v_i v_{i,t}\Big)

and the objective is :math:`\min C + \pi E` (carbon price :math:`\pi`, €/t), optionally with
:math:`E \le \varepsilon` (a CO2 cap; :math:`\pi = 0` gives the ε-constraint method).

Why the parameters are numpy arrays attached to the model and not Pyomo ``Param`` components: a
100,000-link problem would need hundreds of thousands of Param entries, whose construction alone
costs more than HiGHS's whole solve. Constraints are built as ``LinearExpression`` objects from
those arrays, which `symbiosis.optimizer.compile` turns into a sparse matrix in one pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from symbiosis.optimizer.data import IntArray, ProblemData
from symbiosis.optimizer.gcpause import without_gc

_KG_PER_T = 1000.0


def _group(keys: IntArray, n: int) -> list[list[int]]:
    """Positions of ``keys`` grouped by value 0..n-1 (links per output, per input)."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(n + 1))
    ordl = order.tolist()
    return [ordl[bounds[k] : bounds[k + 1]] for k in range(n)]


def _lin(coefs: list[float], variables: list[Any]) -> LinearExpression:
    return LinearExpression(constant=0.0, linear_coefs=coefs, linear_vars=variables)


def supply_balance_rule(m: pyo.ConcreteModel, o: int, t: int) -> Any:
    r"""Every unit of an output goes somewhere: :math:`\sum_{l: o(l)=o} x_{l,t} + s_{o,t} = S_{o,t}`."""
    links = m.links_of_output[o]
    # unit coefficients: plain variables are valid LinearExpression terms and skip a monomial each
    fl = m.flow_by_period[t]
    return LinearExpression([fl[ln] for ln in links] + [m.v_disposal[o, t]]) == m.p_supply[t, o]


def demand_balance_rule(m: pyo.ConcreteModel, i: int, t: int) -> Any:
    r"""Demand is met by substitutes or virgin supply:
    :math:`\sum_{l: i(l)=i} \delta_l x_{l,t} + v_{i,t} = D_{i,t}`."""
    links = m.links_of_input[i]
    coefs = [float(m.p_delivery_factor[ln]) for ln in links] + [1.0]
    fl = m.flow_by_period[t]
    return _lin(coefs, [fl[ln] for ln in links] + [m.v_virgin[i, t]]) == m.p_demand[t, i]


def build_link_rule(m: pyo.ConcreteModel, ln: int, t: int) -> Any:
    r"""No flow on an unbuilt link, with the tightest M: :math:`x_{l,t} \le M_{l,t}\, y_l`."""
    return _lin([1.0, -float(m.p_big_m[t, ln])], [m.v_flow[ln, t], m.v_build[ln]]) <= 0.0


def share_cap_rule(m: pyo.ConcreteModel, g: int, t: int) -> Any:
    r"""A substitute covers at most its share of an input:
    :math:`\sum_{l\in g} \delta_l x_{l,t} \le \sigma_g D_{i(g),t}`."""
    grp = m.p_share_groups[g]
    links = grp.link_pos.tolist()
    coefs = [float(m.p_delivery_factor[ln]) for ln in links]
    fl = m.flow_by_period[t]
    return _lin(coefs, [fl[ln] for ln in links]) <= grp.share * float(m.p_demand[t, grp.input_pos])


def water_quality_rule(m: pyo.ConcreteModel, q: int, t: int) -> Any:
    r"""Linear mixing at the inlet stays under its limit:
    :math:`\sum_{l: i(l)=i} c_{o(l),k}\,\delta_l x_{l,t} + c^v_{i,k} v_{i,t} \le c^{max}_{i,k} D_{i,t}`.

    Because demand is met exactly, this is the flow-weighted mean concentration ≤ the limit; a dirty
    stream (``needs_dilution``) can only enter blended with cleaner water.
    """
    lim = m.p_quality[q]
    i = lim.input_pos
    conc = m.p_output_conc[lim.contaminant]
    links = m.links_of_input[i]
    coefs = [float(conc[m.p_link_out[ln]] * m.p_delivery_factor[ln]) for ln in links]
    coefs.append(float(m.p_virgin_conc[lim.contaminant][i]))
    fl = m.flow_by_period[t]
    return _lin(coefs, [fl[ln] for ln in links] + [m.v_virgin[i, t]]) <= lim.max_mg_per_l * float(
        m.p_demand[t, i]
    )


def co2_cap_rule(m: pyo.ConcreteModel) -> Any:
    r"""The ε-constraint: :math:`E \le \varepsilon`."""
    return m.e_co2_t.expr <= m.p_co2_cap_t


def _cost_expression(m: pyo.ConcreteModel, d: ProblemData) -> LinearExpression:
    coefs: list[float] = []
    variables: list[Any] = []
    for t in range(d.n_periods):
        coefs += d.var_cost_eur_per_unit.tolist()
        variables += m.flow_by_period[t]
        coefs += d.disposal_cost_eur_per_unit.tolist()
        variables += [m.v_disposal[o, t] for o in m.OUTPUTS]
        coefs += d.virgin_price_eur_per_unit.tolist()
        variables += [m.v_virgin[i, t] for i in m.INPUTS]
    coefs += [float(d.fixed_cost_eur_per_yr[ln]) for ln in m.BUILD]
    variables += [m.v_build[ln] for ln in m.BUILD]
    return _lin(coefs, variables)


def _co2_expression(m: pyo.ConcreteModel, d: ProblemData) -> LinearExpression:
    coefs: list[float] = []
    variables: list[Any] = []
    for t in range(d.n_periods):
        coefs += (d.var_co2_kg_per_unit / _KG_PER_T).tolist()
        variables += m.flow_by_period[t]
        coefs += (d.disposal_co2_kg_per_unit / _KG_PER_T).tolist()
        variables += [m.v_disposal[o, t] for o in m.OUTPUTS]
        coefs += (d.virgin_co2_kg_per_unit / _KG_PER_T).tolist()
        variables += [m.v_virgin[i, t] for i in m.INPUTS]
    return _lin(coefs, variables)


@without_gc
def build_model(
    d: ProblemData,
    carbon_price_eur_per_t: float = 0.0,
    co2_cap_t: float | None = None,
    relax_build: bool = False,
) -> pyo.ConcreteModel:
    """The model: sets → variables → constraints → cost/CO2 expressions → objective.

    ``relax_build`` makes ``v_build`` continuous in [0, 1] (the LP relaxation, a valid lower bound).
    """
    m = pyo.ConcreteModel(name="exchange_network")
    # sets
    m.LINKS = pyo.RangeSet(0, d.n_links - 1)
    m.PERIODS = pyo.RangeSet(0, d.n_periods - 1)
    m.OUTPUTS = pyo.RangeSet(0, len(d.output_ids) - 1)
    m.INPUTS = pyo.RangeSet(0, len(d.input_ids) - 1)
    m.BUILD = pyo.Set(initialize=np.flatnonzero(d.fixed_cost_eur_per_yr > 0).tolist(), ordered=True)
    m.SHARE_GROUPS = pyo.RangeSet(0, len(d.shares) - 1)
    m.QUALITY_LIMITS = pyo.RangeSet(0, len(d.quality) - 1)
    # parameters (arrays, see module docstring)
    big_m = d.big_m()
    m.p_supply = d.supply
    m.p_demand = d.demand
    m.p_delivery_factor = d.delivery_factor
    m.p_link_out = d.link_out
    m.p_big_m = big_m
    m.p_share_groups = d.shares
    m.p_quality = d.quality
    m.p_output_conc = d.output_conc_mg_per_l
    m.p_virgin_conc = d.virgin_conc_mg_per_l
    m.links_of_output = _group(d.link_out, len(d.output_ids))
    m.links_of_input = _group(d.link_in, len(d.input_ids))
    m.p_carbon_price_eur_per_t = pyo.Param(initialize=carbon_price_eur_per_t, mutable=True)
    m.p_co2_cap_t = pyo.Param(initialize=co2_cap_t if co2_cap_t is not None else 0.0, mutable=True)
    # variables

    m.v_flow = pyo.Var(m.LINKS, m.PERIODS, domain=pyo.NonNegativeReals)
    flows = list(m.v_flow.values())  # (l, t) order
    for v, ub in zip(flows, big_m.T.ravel().tolist(), strict=True):
        v.setub(ub)
    # per-period lists: rules index these instead of the (slow) IndexedVar lookup
    m.flow_by_period = [flows[t :: d.n_periods] for t in range(d.n_periods)]
    m.v_build = pyo.Var(m.BUILD, domain=pyo.UnitInterval if relax_build else pyo.Binary)
    m.v_disposal = pyo.Var(m.OUTPUTS, m.PERIODS, domain=pyo.NonNegativeReals)
    m.v_virgin = pyo.Var(m.INPUTS, m.PERIODS, domain=pyo.NonNegativeReals)
    # constraints
    m.c_supply = pyo.Constraint(m.OUTPUTS, m.PERIODS, rule=supply_balance_rule)
    m.c_demand = pyo.Constraint(m.INPUTS, m.PERIODS, rule=demand_balance_rule)
    m.c_build = pyo.Constraint(m.BUILD, m.PERIODS, rule=build_link_rule)
    m.c_share = pyo.Constraint(m.SHARE_GROUPS, m.PERIODS, rule=share_cap_rule)
    m.c_quality = pyo.Constraint(m.QUALITY_LIMITS, m.PERIODS, rule=water_quality_rule)
    # the two named expressions and the objective
    m.e_cost_eur = pyo.Expression(expr=_cost_expression(m, d))
    m.e_co2_t = pyo.Expression(expr=_co2_expression(m, d))
    if co2_cap_t is not None:
        m.c_co2_cap = pyo.Constraint(rule=co2_cap_rule)
    m.objective = pyo.Objective(
        expr=m.e_cost_eur + m.p_carbon_price_eur_per_t * m.e_co2_t, sense=pyo.minimize
    )
    return m
