"""Decomposition by connected components is exact; the territory split is a heuristic that must
stay above a valid lower bound; parallel workers give the same answer as one process."""

from __future__ import annotations

from dataclasses import replace

import pytest

from symbiosis.domain.candidate import CandidateSet
from symbiosis.optimizer import OptimizeOptions, optimize
from symbiosis.optimizer.data import build_problem_data
from symbiosis.optimizer.decompose import components
from symbiosis.optimizer.piece import solve_piece
from symbiosis.optimizer.synthetic import synthetic_candidate_set


def _disjoint_union(sets: list[CandidateSet]) -> CandidateSet:
    """Several synthetic sets with ids prefixed so they form separate components."""
    out = CandidateSet()
    for k, s in enumerate(sets):
        p = f"c{k}-"
        for c in s.candidates:
            out.candidates.append(
                c.model_copy(update={"output_id": p + c.output_id, "input_id": p + c.input_id})
            )
        out.outputs.update({p + key: v for key, v in s.outputs.items()})
        out.inputs.update({p + key: v for key, v in s.inputs.items()})
    return out


@pytest.mark.parametrize("fixed_share", [0.0, 0.4])
def test_components_give_the_monolithic_optimum(fixed_share: float) -> None:
    """Also the regression for a hang: with highspy 1.16 a *forked* pool worker spun for ever once
    this process had run HiGHS (``solve_piece`` below); the pool now spawns its workers."""
    cs = _disjoint_union(
        [synthetic_candidate_set(6, 6, 18, seed=s, fixed_cost_share=fixed_share) for s in range(3)]
    )
    d = build_problem_data(cs)
    assert len(components(d)) == 3
    opts = OptimizeOptions(carbon_price_eur_per_t=40.0, heuristic=False, mip_rel_gap=1e-9)
    whole = solve_piece(d, opts)
    assert whole.status == "Optimal"
    plan = optimize(cs, opts)
    assert plan.solver.n_components == 3
    assert plan.solver.objective == pytest.approx(whole.objective, rel=1e-7)
    assert plan.solver.lower_bound <= plan.solver.objective + 1e-6
    parallel = optimize(cs, replace(opts, parallel_min_links=0, workers=2))
    assert parallel.solver.objective == pytest.approx(whole.objective, rel=1e-7)


def test_heuristic_path_reaches_the_exact_milp_optimum_on_small_cases() -> None:
    cs = synthetic_candidate_set(12, 12, 60, seed=3, fixed_cost_share=0.5)
    exact = optimize(cs, OptimizeOptions(heuristic=False, mip_rel_gap=1e-9))
    ours = optimize(cs, OptimizeOptions(mip_rel_gap=1e-9))
    assert ours.solver.objective == pytest.approx(exact.solver.objective, rel=1e-7)


def test_declarations_without_links_keep_todays_cost() -> None:
    cs = synthetic_candidate_set(5, 5, 10, seed=2)
    extra_o = next(iter(cs.outputs.values())).model_copy(update={"declaration_id": "lonely-o"})
    cs.outputs["lonely-o"] = extra_o
    plan = optimize(cs)
    base = optimize(synthetic_candidate_set(5, 5, 10, seed=2))
    lonely = extra_o.quantity_per_yr * extra_o.cost_eur_per_unit
    assert plan.solver.objective == pytest.approx(base.solver.objective + lonely)


def test_territory_split_stays_above_the_lp_bound() -> None:
    cs = synthetic_candidate_set(50, 50, 500, seed=1, fixed_cost_share=0.3, grid=2)
    exact = optimize(cs, OptimizeOptions(heuristic=False, mip_rel_gap=1e-9))
    split = optimize(cs, OptimizeOptions(max_component_links=10, accept_gap=True))
    assert split.solver.lower_bound <= exact.solver.objective + 1e-6
    assert split.solver.objective >= exact.solver.objective - 1e-6
    assert split.solver.gap == pytest.approx(
        (split.solver.objective - split.solver.lower_bound) / split.solver.objective
    )
