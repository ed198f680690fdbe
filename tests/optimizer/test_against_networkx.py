"""Independent cross-check: on pure transport instances (no fixed costs, δ = 1, integer data) our
LP must reach exactly networkx's min-cost-flow optimum.

Flow network: output o supplies S_o, input i demands D_i; arcs o→i (link cost, capacity), o→X
(disposal) and X→i (virgin supply), where X balances ΣS − ΣD.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from symbiosis.optimizer import optimize

from .builders import cset, input_, link, output


@pytest.mark.parametrize("seed", range(6))
def test_lp_matches_networkx_min_cost_flow(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_o, n_i = int(rng.integers(3, 9)), int(rng.integers(3, 9))
    supply = rng.integers(12, 120, n_o) * 12  # multiples of 12: flat months stay integral
    demand = rng.integers(12, 120, n_i) * 12
    disposal = rng.integers(5, 60, n_o)
    virgin = rng.integers(5, 60, n_i)
    outs = [output(f"o{k}", float(supply[k]), float(disposal[k])) for k in range(n_o)]
    ins = [input_(f"i{k}", float(demand[k]), float(virgin[k])) for k in range(n_i)]
    g = nx.DiGraph()
    for k in range(n_o):
        g.add_node(f"o{k}", demand=-int(supply[k]))
        g.add_edge(f"o{k}", "X", weight=int(disposal[k]))
    for k in range(n_i):
        g.add_node(f"i{k}", demand=int(demand[k]))
        g.add_edge("X", f"i{k}", weight=int(virgin[k]))
    g.add_node("X", demand=int(supply.sum() - demand.sum()))
    links = []
    for a in range(n_o):
        for b in range(n_i):
            if rng.random() < 0.5:
                cost = int(rng.integers(1, 50))
                cap = int(rng.integers(1, 80)) * 12
                qty = (cap / 12.0,) * 12
                links.append(link(outs[a], ins[b], float(cost), qty=qty))
                g.add_edge(f"o{a}", f"i{b}", weight=cost, capacity=cap)
    if not links:
        pytest.skip("random draw produced no link")
    expected = nx.cost_of_flow(g, nx.min_cost_flow(g))
    plan = optimize(cset(outs, ins, links))
    assert plan.solver.objective == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert plan.totals.cost_eur_per_yr == pytest.approx(expected, rel=1e-9, abs=1e-6)
