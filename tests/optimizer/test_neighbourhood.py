"""Large-neighbourhood search and the whole-model bound process.

The search must reach the exact optimum when one neighbourhood is the whole problem (so the
sub-problem it builds — residual supply, fixed flows outside — is the right one), never make a
plan worse, keep it feasible, and leave every link outside the neighbourhood untouched. The bound
process must return a valid bound (never above the optimum), and `solve_piece` must fall back to
the LP bound when it has no time to answer.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from symbiosis.optimizer import OptimizeOptions
from symbiosis.optimizer.bound_process import WholeModelBound
from symbiosis.optimizer.compile import compile_model
from symbiosis.optimizer.data import ProblemData, ShareGroup, build_problem_data
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.neighbourhood import NeighbourhoodSearch
from symbiosis.optimizer.piece import objective_of, solve_piece
from symbiosis.optimizer.results import plan_arrays_from_flows
from symbiosis.optimizer.solve import HighsSession
from symbiosis.optimizer.synthetic import synthetic_candidate_set
from symbiosis.spawning import SPAWN, start_without_main

PRICE = 50.0


@pytest.fixture(scope="module")
def d() -> ProblemData:
    """Every link a pipeline: the LP relaxation is far from integral, so heuristics have work."""
    return build_problem_data(synthetic_candidate_set(25, 25, 250, seed=3, fixed_cost_share=1.0))


@pytest.fixture(scope="module")
def optimum(d: ProblemData) -> float:
    opts = OptimizeOptions(carbon_price_eur_per_t=PRICE, heuristic=False, mip_rel_gap=1e-9)
    r = solve_piece(d, opts)
    assert r.status == "Optimal"
    return r.objective


def _feasible(d: ProblemData, flow: np.ndarray) -> None:
    assert (flow >= -1e-9).all()
    assert (flow <= d.big_m() + 1e-6).all()
    out = np.bincount(d.link_out, weights=flow[0], minlength=len(d.output_ids))
    inn = np.bincount(d.link_in, weights=flow[0] * d.delivery_factor, minlength=len(d.input_ids))
    assert (out <= d.supply[0] + 1e-6).all()
    assert (inn <= d.demand[0] + 1e-6).all()


def test_one_neighbourhood_covering_everything_finds_the_optimum(d: ProblemData, optimum: float) -> None:
    opts = OptimizeOptions(carbon_price_eur_per_t=PRICE, lns_group_size=len(d.input_ids), mip_rel_gap=1e-9)
    search = NeighbourhoodSearch(d, opts)
    start = np.zeros((d.n_periods, d.n_links))  # today's situation: nothing exchanged
    new = search.resolve(start, search.links_into(np.arange(len(d.input_ids))), time_limit_s=60.0)
    assert new is not None
    _feasible(d, new)
    assert search.objective(new) == pytest.approx(optimum, rel=1e-6)


def test_search_never_worsens_and_keeps_the_plan_feasible(d: ProblemData, optimum: float) -> None:
    """A round limit and sub-MILPs HiGHS finishes (no time limit reached): the same rounds on any
    machine, however loaded (it used to run for 3 s of wall-clock time)."""
    opts = OptimizeOptions(carbon_price_eur_per_t=PRICE, lns_group_size=4, lns_sub_time_s=600.0)
    search = NeighbourhoodSearch(d, opts, seed=1)
    start = np.zeros((d.n_periods, d.n_links))
    start_obj = search.objective(start)
    flow, obj = search.run(start, start_obj, time.perf_counter() + 1e6, max_rounds=20)
    _feasible(d, flow)
    assert search.rounds == 20 and search.improvements > 0
    assert optimum - 1e-6 * abs(optimum) <= obj < start_obj
    assert obj == pytest.approx(objective_of(d, plan_arrays_from_flows(d, flow), PRICE), rel=1e-12)


@pytest.mark.parametrize("side", ["inputs", "outputs"])
def test_links_outside_the_neighbourhood_keep_their_flows(d: ProblemData, side: str) -> None:
    opts = OptimizeOptions(carbon_price_eur_per_t=PRICE, lns_group_size=3)
    search = NeighbourhoodSearch(d, opts)
    plan = solve_piece(d, replace(opts, heuristic=False, mip_rel_gap=0.2)).plan
    if side == "inputs":
        group = search.input_group(0)
        free = search.links_into(group)
        inside = np.isin(d.link_in, group)
    else:
        group = search.output_group(0)
        free = search.links_out_of(group)
        inside = np.isin(d.link_out, group)
    assert 0 in group and len(group) == 3
    new = search.resolve(plan.flow, free, time_limit_s=10.0)
    assert new is not None
    assert np.array_equal(new[:, ~inside], plan.flow[:, ~inside])
    _feasible(d, new)
    assert search.objective(new) <= search.objective(plan.flow) * (1 + 1e-9)


def test_an_input_with_a_share_cap_keeps_its_links_unless_all_are_free(d: ProblemData) -> None:
    """Its cap involves every link into it: a neighbourhood holding only some of them must not move them."""
    into0 = np.flatnonzero(d.link_in == 0)
    capped = replace(d, shares=[ShareGroup(0, into0, 0.5)])
    opts = OptimizeOptions(carbon_price_eur_per_t=PRICE, lns_group_size=2)
    search = NeighbourhoodSearch(capped, opts)
    plan = solve_piece(capped, replace(opts, heuristic=False, mip_rel_gap=0.2)).plan
    outputs = np.unique(capped.link_out[into0])[:2]  # two of input 0's givers, not all of them
    assert len(np.unique(capped.link_out[into0])) > 2
    new = search.resolve(plan.flow, search.links_out_of(outputs), time_limit_s=10.0)
    assert new is not None
    assert np.array_equal(new[:, into0], plan.flow[:, into0])
    delivered = (new[:, into0] * capped.delivery_factor[into0]).sum()
    assert delivered <= 0.5 * capped.demand[0, 0] + 1e-6
    # with every link into input 0 free, the search may move them again
    both = np.union1d(search.links_into(np.array([0])), search.links_out_of(outputs))
    assert search.resolve(plan.flow, both, time_limit_s=10.0) is not None


def test_whole_model_bound_is_valid(d: ProblemData, optimum: float) -> None:
    helper = WholeModelBound(d, PRICE, None, 1e-9, time_limit_s=600.0)  # a limit no load reaches
    whole = helper.result()
    assert whole.bound is not None and whole.flow is not None, whole.status
    assert whole.bound <= optimum * (1 + 1e-9)
    assert whole.bound == pytest.approx(optimum, rel=1e-6)  # small enough for HiGHS to prove


def test_a_bound_process_stopped_mid_root_reports_the_bound_it_streamed() -> None:
    """HiGHS checks its time limit only between root cut rounds (up to 30 s apart on 100,000
    links), so the child may not answer by the caller's deadline; it streams each round's dual
    bound, and a child stopped before answering still gives a valid bound above the LP's."""
    big = build_problem_data(
        synthetic_candidate_set(200, 200, 5_000, seed=7, grid=4, fixed_cost_share=1.0)
    )
    lp = HighsSession(compile_model(build_model(big, PRICE)), integer=False).run().bound
    assert lp is not None
    feasible = solve_piece(
        big, OptimizeOptions(carbon_price_eur_per_t=PRICE, accept_gap=True, bound_process=False), 5.0
    ).objective
    helper = WholeModelBound(big, PRICE, None, 1e-9, time_limit_s=600.0)
    try:
        give_up = time.time() + 120.0
        while (helper.streamed_bound() or -np.inf) <= lp * (1 + 1e-6):
            assert time.time() < give_up, "no cut round's bound streamed in 120 s"
            time.sleep(0.05)
        helper.deadline_wall_s = time.time()  # the caller's time is up
        whole = helper.result()
    finally:
        helper.stop()
    assert whole.status.startswith("stopped at the time limit"), whole.status
    assert whole.flow is None and whole.bound is not None
    assert lp * (1 + 1e-6) < whole.bound <= feasible


def test_solve_piece_with_a_bound_process_too_short_to_answer_falls_back_to_the_lp_bound(
    d: ProblemData, optimum: float
) -> None:
    opts = OptimizeOptions(carbon_price_eur_per_t=PRICE, parallel_min_links=0, accept_gap=True)
    r = solve_piece(d, opts, time_limit_s=0.5)  # the child needs > 1 s just to start
    assert np.isfinite(r.bound) and r.bound <= optimum * (1 + 1e-9)
    assert r.objective >= optimum * (1 - 1e-9)
    _feasible(d, r.plan.flow)


def test_solve_piece_with_a_bound_process(d: ProblemData, optimum: float) -> None:
    """Valid bound, plan no better than the optimum, feasible — whatever the machine's speed (no
    status or elapsed-time assertion: how far HiGHS gets in the limit depends on the load)."""
    opts = OptimizeOptions(carbon_price_eur_per_t=PRICE, parallel_min_links=0, accept_gap=True)
    r = solve_piece(d, opts, time_limit_s=30.0)
    assert r.bound <= optimum * (1 + 1e-9)
    assert r.objective >= optimum * (1 - 1e-9)
    assert (r.status == "Optimal") == (r.gap <= opts.mip_rel_gap)
    _feasible(d, r.plan.flow)


def test_the_search_stops_when_told(d: ProblemData) -> None:
    """The bound process's proof stops the search (``stop``), counted in rounds, not seconds."""
    search = NeighbourhoodSearch(d, OptimizeOptions(carbon_price_eur_per_t=PRICE, lns_sub_time_s=600.0))
    calls = iter(range(1_000))
    start = np.zeros((d.n_periods, d.n_links))
    search.run(start, search.objective(start), time.perf_counter() + 1e6, stop=lambda: next(calls) >= 3)
    assert search.rounds == 3


def _optimize_in_child(q: Any) -> None:
    """Runs in a daemonic process, as the API's optimisation runs do."""
    from symbiosis.optimizer import optimize

    try:
        d = build_problem_data(synthetic_candidate_set(25, 25, 250, seed=3, fixed_cost_share=1.0))
        opts = OptimizeOptions(
            carbon_price_eur_per_t=PRICE, parallel_min_links=0, time_limit_s=5.0, accept_gap=True
        )
        q.put(("ok", optimize(d, opts).solver.objective))
    except BaseException as exc:  # the parent reports what went wrong
        q.put(("error", f"{type(exc).__name__}: {exc}"))


def test_optimize_in_a_daemonic_process_does_not_start_children(optimum: float) -> None:
    q = SPAWN.Queue()
    proc = SPAWN.Process(target=_optimize_in_child, args=(q,), daemon=True)
    start_without_main(proc)  # Streamlit's AppTest may have left a page as __main__
    kind, value = q.get(timeout=120)
    proc.join(timeout=10)
    assert kind == "ok", value  # "daemonic processes are not allowed to have children" before
    assert value >= optimum * (1 - 1e-9)
