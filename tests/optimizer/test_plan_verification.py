"""Every returned plan is checked against every constraint it claims (verify.py), and a CO2-capped
run never returns a plan above its cap (the neighbourhood search once ignored it)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from symbiosis.optimizer import OptimizeOptions, optimize
from symbiosis.optimizer import service as service_mod
from symbiosis.optimizer.data import ProblemData, ShareGroup, build_problem_data
from symbiosis.optimizer.errors import PlanRejected
from symbiosis.optimizer.neighbourhood import NeighbourhoodSearch
from symbiosis.optimizer.piece import PieceResult
from symbiosis.optimizer.results import plan_arrays_from_flows, plan_cost
from symbiosis.optimizer.synthetic import synthetic_candidate_set
from symbiosis.optimizer.verify import check_plan, plan_co2_t
from symbiosis.units import CanonicalUnit

from .builders import cset, input_, link, output
from .oracle import lp_optimum

M3 = CanonicalUnit.CUBIC_METRE


@pytest.fixture(scope="module")
def water() -> ProblemData:
    """One 100 m³ input limited to 50 mg/l, rule-capped at 60 %, fed by streams at 20 and 100 mg/l."""
    a = output("a", 100.0, 2.0, 10.0, unit=M3, conc={"cod": 20.0})
    b = output("b", 100.0, 2.0, 10.0, unit=M3, conc={"cod": 100.0})
    i = input_("plant", 100.0, 1.0, 5.0, unit=M3, limits={"cod": 50.0})
    d = build_problem_data(cset([a, b], [i], [link(a, i, 0.1, 1.0), link(b, i, 0.1, 1.0, max_share=0.5)]))
    return replace(d, shares=[ShareGroup(0, np.array([0, 1]), 0.6)])


def _plan(d: ProblemData, a: float, b: float):  # noqa: ANN202
    return plan_arrays_from_flows(d, np.array([[a, b]]))


def _kinds(d: ProblemData, a: float, b: float, cap: float | None = None) -> set[str]:
    return {v.constraint for v in check_plan(d, _plan(d, a, b), cap)}


def test_a_feasible_plan_passes(water: ProblemData) -> None:
    assert check_plan(water, _plan(water, 50.0, 10.0)) == []


@pytest.mark.parametrize(
    ("a", "b", "broken"),
    [
        (55.0, 5.0, set()),  # on the group cap (60) and under the blend limit (1,600 ≤ 5,000)
        (55.0, 5.1, {"share"}),  # group cap 60 m³ exceeded by 0.1
        (0.0, 50.0, set()),  # exactly on b's own cap (½ × 100) and on the blend limit (5,000)
        (0.0, 50.1, {"share", "quality"}),  # b's own cap, and the blend: 5,010 > 5,000
        (100.0, 0.0, {"share"}),
        (101.0, 0.0, {"share", "link bound", "supply", "demand"}),
    ],
)
def test_each_constraint_on_both_sides_of_its_boundary(
    water: ProblemData, a: float, b: float, broken: set[str]
) -> None:
    assert _kinds(water, a, b) == broken


def test_quality_limit_on_both_sides() -> None:
    """Without share caps: a at 20 mg/l, b at 100 mg/l, 100 m³ at ≤ 50 mg/l: 20 a + 100 b ≤ 5,000."""
    a = output("a", 100.0, 2.0, unit=M3, conc={"cod": 20.0})
    b = output("b", 100.0, 2.0, unit=M3, conc={"cod": 100.0})
    i = input_("plant", 100.0, 1.0, unit=M3, limits={"cod": 50.0})
    d = build_problem_data(cset([a, b], [i], [link(a, i, 0.1), link(b, i, 0.1)]))
    assert _kinds(d, 50.0, 40.0) == set()  # 1,000 + 4,000 = 5,000
    assert _kinds(d, 50.0, 40.01) == {"quality"}


def test_co2_cap_on_both_sides(water: ProblemData) -> None:
    p = _plan(water, 50.0, 10.0)
    co2 = plan_co2_t(water, p)
    assert co2 == pytest.approx(plan_cost(water, p)[1], rel=1e-12)
    assert check_plan(water, p, co2) == []
    assert [v.constraint for v in check_plan(water, p, co2 * (1 - 1e-4))] == ["co2 cap"]


def test_demand_overshoot_is_caught(water: ProblemData) -> None:
    """Flows delivering more than the demand leave virgin supply clipped at 0: the balance breaks."""
    assert "demand" in _kinds(water, 60.0, 50.0)


def _capped_problem() -> tuple[ProblemData, float]:
    d = build_problem_data(synthetic_candidate_set(12, 12, 60, seed=5, fixed_cost_share=0.5))
    hi = plan_cost(d, plan_arrays_from_flows(d, lp_optimum(d)[1]))[1]  # type: ignore[index]
    lo_res = lp_optimum(d, minimise_co2=True)
    assert lo_res is not None
    lo = plan_co2_t(d, plan_arrays_from_flows(d, lo_res[1]))
    return d, lo + 0.3 * (hi - lo)  # a cap that binds


@pytest.mark.parametrize("share_free", [1.0, 0.5, 0.25])
def test_a_neighbourhood_sub_problem_keeps_the_co2_cap(share_free: float) -> None:
    """Links into a share of the inputs freed, the others fixed at a plan on the cap: the
    sub-MILP must get the cap left after the fixed part (it once got none and returned cheaper,
    dirtier flows)."""
    d, cap = _capped_problem()
    opts = OptimizeOptions(co2_cap_t=cap, lns_group_size=len(d.input_ids), mip_rel_gap=1e-9)
    search = NeighbourhoodSearch(d, opts)
    start = lp_optimum(d, co2_cap_t=cap)  # a feasible start, on the cap
    assert start is not None
    assert plan_co2_t(d, plan_arrays_from_flows(d, start[1])) == pytest.approx(cap, rel=1e-6)
    inputs = np.arange(int(len(d.input_ids) * share_free))
    new = search.resolve(start[1], search.links_into(inputs), 60.0)
    assert new is not None
    assert plan_co2_t(d, plan_arrays_from_flows(d, new)) <= cap * (1 + 1e-6)
    assert search.objective(new) <= search.objective(start[1]) * (1 + 1e-9)


def test_a_capped_run_meets_its_cap() -> None:
    d, cap = _capped_problem()
    plan = optimize(
        d,
        OptimizeOptions(
            co2_cap_t=cap, mip_rel_gap=1e-9, parallel_min_links=0, time_limit_s=20.0, accept_gap=True
        ),
    )
    assert plan.totals.co2_t_per_yr <= cap * (1 + 1e-6)
    assert plan.solver.verified


def test_a_plan_over_its_cap_is_rejected_not_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    d, cap = _capped_problem()
    cheapest = plan_arrays_from_flows(d, lp_optimum(d)[1])  # type: ignore[index]
    assert plan_co2_t(d, cheapest) > cap

    def over_cap(d_: ProblemData, opts: OptimizeOptions, time_limit_s: float | None) -> PieceResult:
        return PieceResult(
            cheapest, plan_cost(d_, cheapest)[0], plan_cost(d_, cheapest)[0], "Optimal", 0.0, 0.0
        )

    monkeypatch.setattr(service_mod, "solve_part", over_cap)
    with pytest.raises(PlanRejected, match="co2 cap"):
        optimize(d, OptimizeOptions(co2_cap_t=cap))


def test_the_territory_split_meets_the_co2_cap() -> None:
    """Its territories are solved without the cap (it couples them); their union must not be
    returned unless it meets the cap."""
    cs = synthetic_candidate_set(30, 30, 240, seed=1, fixed_cost_share=0.3, grid=2)
    d = build_problem_data(cs)
    free = optimize(d, OptimizeOptions(max_component_links=10, accept_gap=True))
    least = lp_optimum(d, minimise_co2=True)
    assert least is not None
    lo = plan_co2_t(d, plan_arrays_from_flows(d, least[1]))
    cap = lo + 0.2 * (free.totals.co2_t_per_yr - lo)
    plan = optimize(d, OptimizeOptions(max_component_links=10, co2_cap_t=cap, accept_gap=True))
    assert "CO2 cap" in plan.solver.method
    assert plan.totals.co2_t_per_yr <= cap * (1 + 1e-6) and plan.solver.verified


def test_a_territory_split_without_a_plan_under_the_cap_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stage 2 (the only stage with the cap) finds nothing, e.g. out of time: the union of the
    territories' uncapped plans (far above the cap) must not stand in for a plan."""
    from symbiosis.optimizer import decompose
    from symbiosis.optimizer.errors import InfeasibleProblem
    from symbiosis.optimizer.solve import HighsSession, SolveOutcome

    run = HighsSession.run

    def no_milp_plan(self: HighsSession, *args: object, **kwargs: object) -> SolveOutcome:
        if self.is_mip:
            return SolveOutcome("Time limit reached", None, None, None, None, 0.0)
        return run(self, *args, **kwargs)  # type: ignore[arg-type]

    d = build_problem_data(synthetic_candidate_set(30, 30, 240, seed=1, fixed_cost_share=0.3, grid=2))
    monkeypatch.setattr(decompose.HighsSession, "run", no_milp_plan)
    opts = OptimizeOptions(max_component_links=10, co2_cap_t=15_987.42, heuristic=False, accept_gap=True)
    with pytest.raises(InfeasibleProblem, match="territory split found no plan under the CO2 cap"):
        decompose.solve_by_territory(d, opts, None)
