"""The kernel MILP (the problem restricted to the LP support + the best design's links) returns a
feasible plan for the whole problem, never worse than its starting design, never better than the
exact optimum, and using only kernel links."""

from __future__ import annotations

import numpy as np
import pytest

from symbiosis.optimizer.compile import compile_model
from symbiosis.optimizer.data import build_problem_data
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.options import OptimizeOptions
from symbiosis.optimizer.piece import kernel_milp, objective_of, slope_scaling, solve_piece
from symbiosis.optimizer.solve import HighsSession
from symbiosis.optimizer.synthetic import synthetic_candidate_set


@pytest.mark.parametrize(("seed", "monthly"), [(1, False), (4, True)])
def test_kernel_plan_is_feasible_and_between_the_optimum_and_its_start(seed: int, monthly: bool) -> None:
    d = build_problem_data(
        synthetic_candidate_set(12, 12, 60, seed=seed, fixed_cost_share=1.0, monthly=monthly)
    )
    opts = OptimizeOptions(carbon_price_eur_per_t=50.0, mip_rel_gap=1e-9)
    c = compile_model(build_model(d, opts.carbon_price_eur_per_t))
    s = HighsSession(c, integer=False)
    lp = s.run()
    assert lp.x is not None
    start, _, start_obj = slope_scaling(s, d, c, lp.x, opts, None)
    res = kernel_milp(d, opts, c, lp.x, start, None)
    assert res is not None
    plan, obj = res
    exact = solve_piece(d, OptimizeOptions(carbon_price_eur_per_t=50.0, heuristic=False, mip_rel_gap=1e-9))
    assert exact.status == "Optimal"
    assert exact.objective - 1e-6 * abs(exact.objective) <= obj <= start_obj + 1e-6 * abs(start_obj)
    assert obj == pytest.approx(objective_of(d, plan, opts.carbon_price_eur_per_t))
    # feasible for the whole problem: balances hold, flows within bounds, only kernel links used
    delivered = np.zeros_like(d.demand)
    for t in range(d.n_periods):
        delivered[t] = np.bincount(
            d.link_in, weights=d.delivery_factor * plan.flow[t], minlength=len(d.input_ids)
        )
    sent = np.stack(
        [
            np.bincount(d.link_out, weights=plan.flow[t], minlength=len(d.output_ids))
            for t in range(d.n_periods)
        ]
    )
    assert np.allclose(sent + plan.disposal, d.supply)
    assert np.allclose(delivered + plan.virgin, d.demand)
    assert (plan.flow <= d.big_m() + 1e-6).all() and (plan.flow >= -1e-9).all()
    kernel = (lp.x[c.flow_cols] > 1e-7).any(axis=0) | (start.flow > 1e-7).any(axis=0)
    assert not (plan.flow[:, ~kernel] > 1e-7).any()
