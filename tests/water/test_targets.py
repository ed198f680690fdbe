"""Water targets: published single-contaminant examples exactly, the LP's exactness proved
against the limiting-composite-curve target on random instances, the multi-contaminant
successive LP's guarantees, and the fixed-flow case against scipy's linprog."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from symbiosis.dataset_io import read_dataset
from symbiosis.domain.resource import WaterSource
from symbiosis.errors import SymbiosisError
from symbiosis.knowledge import load_knowledge_base
from symbiosis.water.dataset_files import read_water_problem
from symbiosis.water.network_model import solve_network
from symbiosis.water.operations import FixedFlowOperation, FixedLoadOperation
from symbiosis.water.problem import Mode, WaterProblem
from symbiosis.water.sources import WaterSupply
from symbiosis.water.targets import lp_is_exact, water_targets
from symbiosis.water.treatment import TreatmentUnit
from tests.water.oracle import check_network, composite_curve_target_m3_per_h, source_sink_target_m3_per_h

ROOT = Path(__file__).resolve().parents[2]
WANG_SMITH = ROOT / "datasets" / "wang_smith_1994"
FRESH = WaterSupply("fw", "fresh water", WaterSource.MAINS)


def _fl(i: int, load: dict, cin: dict, cout: dict, site: str = "s") -> FixedLoadOperation:
    return FixedLoadOperation(f"op{i}", site, f"op{i}", load, cin, cout)


def _wang_smith_problem() -> WaterProblem:
    ds = read_dataset(WANG_SMITH, load_knowledge_base())
    return read_water_problem(WANG_SMITH, {s.id for s in ds.sites})


def test_wang_smith_1994_example_1_targets_exactly() -> None:
    """Wang Y.P., Smith R. (1994), Wastewater minimisation, Chem. Eng. Sci. 49(7):981–1006,
    Example 1 (four operations, one contaminant): 112.5 t/h fresh water without reuse, 90 t/h
    with reuse (pinch at 100 ppm). With regeneration to 5 ppm and regeneration recycling
    allowed, the target is 20 t/h by hand: operation 1 alone needs contaminant-free water
    (2 kg/h ÷ 100 ppm = 20 t/h); every other inlet limit (≥ 50 ppm) is met by 5 ppm water."""
    by_label = {t.label: t for t in water_targets(_wang_smith_problem())}
    assert by_label["no reuse"].fresh_m3_per_h == pytest.approx(112.5, abs=1e-6)
    assert by_label["reuse across sites"].fresh_m3_per_h == pytest.approx(90.0, abs=1e-6)
    assert by_label["reuse within each site"].fresh_m3_per_h == pytest.approx(90.0, abs=1e-6)
    regen = by_label["reuse and regeneration across sites"]
    assert regen.fresh_m3_per_h == pytest.approx(20.0, abs=1e-6)
    for t in by_label.values():  # no losses: wastewater = fresh water
        assert t.wastewater_m3_per_h == pytest.approx(t.fresh_m3_per_h, abs=1e-6)
        assert t.exact and t.lower_bound_m3_per_h == pytest.approx(t.fresh_m3_per_h)


def test_wang_smith_oracle_agrees_by_hand() -> None:
    """The composite-curve oracle itself, on the paper's data: 90 t/h (9 kg/h at 100 ppm)."""
    ops = [(2, 0, 100), (5, 50, 100), (30, 50, 800), (4, 400, 800)]
    assert composite_curve_target_m3_per_h(ops) == pytest.approx(90.0)


def test_fresh_water_users_leave_at_their_maximum_outlet() -> None:
    """The optimality condition the LP relies on (Savelski & Bagajewicz 2000): in the reuse
    optimum, an operation fed fresh water leaves at its maximum outlet concentration."""
    p = _wang_smith_problem()
    net = solve_network(p, Mode.REUSE)
    fed_fresh = {b[1] for (a, b), v in net.flows_m3_per_h.items() if a[0] == "source" and v > 1e-9}
    assert fed_fresh
    for op in p.operations:
        if op.id in fed_fresh:
            assert net.outlet_mg_per_l[("operation", op.id)]["c"] == pytest.approx(
                op.max_outlet_mg_per_l["c"], rel=1e-6
            )


def _random_fixed_load(rng: random.Random, n: int, site_count: int = 1) -> list[tuple[float, float, float]]:
    out = []
    for _ in range(n):
        cin = rng.choice([0, 0, 10, 25, 50, 100, 200, 400])
        cout = cin + rng.choice([20, 50, 100, 150, 300, 500])
        out.append((round(rng.uniform(0.5, 30), 2), float(cin), float(cout)))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_single_contaminant_lp_is_the_composite_curve_target(seed: int) -> None:
    """Exactness proved by test: on random fixed-load problems, the LP's minimum equals the
    limiting-composite-curve target (a lower bound for any network) and its network is
    independently verified, so it is the true minimum."""
    rng = random.Random(seed)
    data = _random_fixed_load(rng, rng.randint(2, 7))
    ops = tuple(_fl(i, {"c": ld}, {"c": a}, {"c": b}) for i, (ld, a, b) in enumerate(data))
    net = solve_network(WaterProblem(ops, (FRESH,)), Mode.REUSE)
    assert net.fresh_m3_per_h == pytest.approx(composite_curve_target_m3_per_h(data), rel=1e-7, abs=1e-7)
    loads = {o.id: dict(o.load_kg_per_h) for o in ops}
    cin = {o.id: dict(o.max_inlet_mg_per_l) for o in ops}
    cout = {o.id: dict(o.max_outlet_mg_per_l) for o in ops}
    assert check_network(net.flows_m3_per_h, loads, cin, cout, {("source", "fw"): {}}) == []


def _random_flows(
    rng: random.Random, levels: tuple[int, ...], least: int, most: int
) -> list[tuple[float, float]]:
    """(flow m³/h, concentration mg/L) of a random number of fixed-flow sources or sinks."""
    return [
        (round(rng.uniform(5, 60), 1), float(rng.choice(levels))) for _ in range(rng.randint(least, most))
    ]


@pytest.mark.parametrize("seed", range(8))
def test_fixed_flow_targets_match_linprog(seed: int) -> None:
    """Fixed-flow sinks and sources (today's declarations) side by side: the minimum fresh water
    equals scipy's linprog on the source–sink formulation."""
    rng = random.Random(100 + seed)
    sources = _random_flows(rng, (20, 50, 100, 200, 400), 1, 4)
    sinks = _random_flows(rng, (0, 10, 50, 100, 250), 1, 4)
    ops = tuple(
        FixedFlowOperation(f"src{i}", "s", "", 0.0, f, {}, {"c": c}) for i, (f, c) in enumerate(sources)
    ) + tuple(FixedFlowOperation(f"snk{j}", "s", "", f, 0.0, {"c": c}, {}) for j, (f, c) in enumerate(sinks))
    net = solve_network(WaterProblem(ops, (FRESH,)), Mode.REUSE)
    assert net.fresh_m3_per_h == pytest.approx(
        source_sink_target_m3_per_h(sources, sinks), rel=1e-7, abs=1e-7
    )
    assert net.violations() == []


def test_sites_and_sources_restrict_the_pipes() -> None:
    """Two sites, each operation's effluent useful only to the other site: reuse within sites
    saves nothing, across sites it does (the symbiosis)."""
    a = _fl(1, {"c": 1}, {"c": 0}, {"c": 100}, site="a")  # 10 t/h fresh, effluent at 100
    b = _fl(2, {"c": 10}, {"c": 100}, {"c": 200}, site="b")  # can run on a's effluent
    p = WaterProblem((a, b), (FRESH,))
    # by hand: a needs 1 kg/h ÷ 100 ppm = 10 t/h; b alone 10 kg/h ÷ 200 ppm = 50 t/h; b on a's
    # 10 t/h at 100 ppm: (1 + 10) kg/h ÷ 200 ppm = 55 t/h in all, so 45 t/h fresh
    assert solve_network(p, Mode.REUSE, across_sites=False).fresh_m3_per_h == pytest.approx(60.0)
    assert solve_network(p, Mode.REUSE, across_sites=True).fresh_m3_per_h == pytest.approx(55.0)
    private = WaterSupply("well", "a's well", WaterSource.GROUND, site_id="a")
    with pytest.raises(SymbiosisError, match=r"op2 \(site b\) can reach no water source within its site"):
        solve_network(WaterProblem((a, b), (private,)), Mode.REUSE, across_sites=False)
    assert solve_network(
        WaterProblem((a, b), (private,)), Mode.REUSE, across_sites=True
    ).fresh_m3_per_h == pytest.approx(55.0)


def test_an_abstraction_limit_moves_water_to_the_next_source() -> None:
    cheap = WaterSupply("well", "well", WaterSource.GROUND, price_eur_per_m3=0.1, max_m3_per_h=30.0)
    mains = WaterSupply("mains", "mains", WaterSource.MAINS, price_eur_per_m3=1.5)
    p = WaterProblem(
        tuple(
            _fl(i, {"c": ld}, {"c": a}, {"c": b})
            for i, (ld, a, b) in enumerate([(2, 0, 100), (5, 50, 100), (30, 50, 800), (4, 400, 800)])
        ),
        (cheap, mains),
    )
    net = solve_network(p, Mode.REUSE, objective="cost")
    assert net.by_source_m3_per_h() == pytest.approx({"well": 30.0, "mains": 60.0})
    tight = WaterProblem(p.operations, (WaterSupply("well", "well", WaterSource.GROUND, max_m3_per_h=89.9),))
    with pytest.raises(SymbiosisError, match="no water network meets every limit"):
        solve_network(tight, Mode.REUSE)
    loose = WaterProblem(p.operations, (WaterSupply("well", "well", WaterSource.GROUND, max_m3_per_h=90.0),))
    assert solve_network(loose, Mode.REUSE).fresh_m3_per_h == pytest.approx(90.0)


def test_losses_make_wastewater_less_than_fresh_water() -> None:
    """A cooling tower evaporates 4 t/h: by hand, it needs 1 kg/h ÷ 100 ppm = 10 t/h out, so
    14 t/h in; wastewater 10 t/h."""
    tower = FixedLoadOperation(
        "tower", "s", "cooling tower", {"c": 1}, {"c": 0}, {"c": 100}, loss_m3_per_h=4.0
    )
    net = solve_network(WaterProblem((tower,), (FRESH,)), Mode.REUSE)
    assert net.fresh_m3_per_h == pytest.approx(14.0)
    assert net.wastewater_m3_per_h == pytest.approx(10.0)
    assert not lp_is_exact(WaterProblem((tower,), (FRESH,)), Mode.REUSE)
    assert lp_is_exact(WaterProblem((tower,), (FRESH,)), Mode.NO_REUSE)


@pytest.mark.parametrize("seed", range(10))
def test_fixed_load_and_fixed_flow_side_by_side_match_the_converted_problem(seed: int) -> None:
    """Fixed-load and fixed-flow operations together, one contaminant: the LP equals linprog on
    the source–sink problem in which each fixed-load operation becomes a sink at its limiting
    flow and maximum inlet and a source at that flow and maximum outlet (Prakash & Shenoy 2005,
    Chem. Eng. Sci. 60(1):255–268, show the two have the same minimum fresh water)."""
    rng = random.Random(1000 + seed)
    data = _random_fixed_load(rng, rng.randint(1, 4))
    sources = _random_flows(rng, (20, 50, 100, 200, 400), 0, 3)
    sinks = _random_flows(rng, (0, 10, 50, 100, 250), 1, 3)
    ops = (
        tuple(_fl(i, {"c": ld}, {"c": a}, {"c": b}) for i, (ld, a, b) in enumerate(data))
        + tuple(
            FixedFlowOperation(f"src{i}", "s", "", 0.0, f, {}, {"c": c}) for i, (f, c) in enumerate(sources)
        )
        + tuple(
            FixedFlowOperation(f"snk{j}", "s", "", f, 0.0, {"c": c}, {}) for j, (f, c) in enumerate(sinks)
        )
    )
    limiting = [(ld * 1000 / (b - a), a, b) for ld, a, b in data]
    oracle = source_sink_target_m3_per_h(
        sources + [(f, b) for f, _, b in limiting], sinks + [(f, a) for f, a, _ in limiting]
    )
    net = solve_network(WaterProblem(ops, (FRESH,)), Mode.REUSE)
    assert net.fresh_m3_per_h == pytest.approx(oracle, rel=1e-7, abs=1e-7)
    assert net.violations() == []


def _refinery_like() -> WaterProblem:
    """Three operations, three contaminants (hydrocarbons, H2S, suspended solids), limits in
    the style of a refinery's stripper, hydrotreater and desalter (illustrative figures)."""
    ops = (
        _fl(
            1,
            {"hc": 0.675, "h2s": 18, "ss": 1.575},
            {"hc": 0, "h2s": 0, "ss": 0},
            {"hc": 15, "h2s": 400, "ss": 35},
        ),
        _fl(
            2,
            {"hc": 3.4, "h2s": 414.8, "ss": 4.0},
            {"hc": 20, "h2s": 300, "ss": 45},
            {"hc": 120, "h2s": 12500, "ss": 180},
        ),
        _fl(
            3,
            {"hc": 5.6, "h2s": 1.4, "ss": 520.8},
            {"hc": 120, "h2s": 20, "ss": 200},
            {"hc": 220, "h2s": 45, "ss": 9500},
        ),
    )
    return WaterProblem(ops, (FRESH,))


def test_several_contaminants_give_a_verified_network_and_a_bound() -> None:
    """The stated guarantee: a network verified outside the LP (numpy re-solve of the mixing
    balances), successive LPs never worse, and a lower bound = the largest single-contaminant
    target, itself checked against the composite-curve oracle."""
    p = _refinery_like()
    by_label = {t.label: t for t in water_targets(p)}
    reuse = by_label["reuse across sites"]
    net = reuse.network
    assert all(b <= a + 1e-9 for a, b in zip(net.history, net.history[1:], strict=False))
    loads = {o.id: dict(o.load_kg_per_h) for o in p.operations}
    cin = {o.id: dict(o.max_inlet_mg_per_l) for o in p.operations}
    cout = {o.id: dict(o.max_outlet_mg_per_l) for o in p.operations}
    assert check_network(net.flows_m3_per_h, loads, cin, cout, {("source", "fw"): {}}) == []
    singles = [
        composite_curve_target_m3_per_h(
            [(o.load_kg_per_h[k], o.max_inlet_mg_per_l[k], o.max_outlet_mg_per_l[k]) for o in p.operations]
        )
        for k in ("hc", "h2s", "ss")
    ]
    assert not reuse.exact
    assert reuse.lower_bound_m3_per_h == pytest.approx(max(singles), rel=1e-7)
    assert reuse.lower_bound_m3_per_h <= reuse.fresh_m3_per_h <= by_label["no reuse"].fresh_m3_per_h
    # no reuse is exact with several contaminants: each operation on fresh water needs
    # max_k load ÷ C_out,max (by hand: 45 + 414.8/12.5 + 520.8/9.5 t/h)
    assert by_label["no reuse"].fresh_m3_per_h == pytest.approx(45 + 414.8 / 12.5 + 520.8 / 9.5, rel=1e-9)
    assert by_label["no reuse"].exact


def test_proportional_contaminants_reduce_to_one() -> None:
    """Two contaminants whose loads and limits are proportional behave as one: the successive
    LP reaches the single-contaminant target (the bound), gap 0."""
    data = [(2, 0, 100), (5, 50, 100), (30, 50, 800), (4, 400, 800)]
    ops = tuple(
        _fl(i, {"a": ld, "b": 3 * ld}, {"a": x, "b": 3 * x}, {"a": y, "b": 3 * y})
        for i, (ld, x, y) in enumerate(data)
    )
    t = {t.label: t for t in water_targets(WaterProblem(ops, (FRESH,)))}["reuse across sites"]
    assert t.fresh_m3_per_h == pytest.approx(90.0, rel=1e-7)
    assert t.lower_bound_m3_per_h == pytest.approx(90.0, rel=1e-7)


def test_regeneration_capacity_and_removal_ratio() -> None:
    """Wang & Smith's operations with regeneration limited or by removal ratio: never below the
    unlimited 20 t/h nor above the 90 t/h reuse target, and verified; a removal ratio makes the
    LP not provably exact (bilinear), an outlet concentration keeps it exact."""
    p = _wang_smith_problem()
    capped = WaterProblem(
        p.operations, p.supplies, (TreatmentUnit("r", "plant_site", "regen", {"c": 5}, max_m3_per_h=20.0),)
    )
    net = solve_network(capped, Mode.REGENERATION)
    assert 20.0 < net.fresh_m3_per_h < 90.0
    assert sum(net.treated_m3_per_h().values()) == pytest.approx(20.0, rel=1e-6)  # capacity binds
    assert net.violations() == []
    ratio = WaterProblem(
        p.operations, p.supplies, (TreatmentUnit("r", "plant_site", "regen", removal_ratio={"c": 0.95}),)
    )
    assert not lp_is_exact(ratio, Mode.REGENERATION) and lp_is_exact(capped, Mode.REGENERATION)
    rnet = solve_network(ratio, Mode.REGENERATION)
    assert 20.0 - 1e-6 <= rnet.fresh_m3_per_h <= 90.0 + 1e-6
    assert rnet.violations() == []
    assert all(b <= a + 1e-9 for a, b in zip(rnet.history, rnet.history[1:], strict=False))


def test_verifier_catches_a_broken_network() -> None:
    """The checker the guarantee rests on fails when a limit is broken (both sides)."""
    p = _wang_smith_problem()
    net = solve_network(p, Mode.REUSE)
    assert net.violations() == []
    flows = dict(net.flows_m3_per_h)
    arc = next(a for a, v in flows.items() if a[0][0] == "source" and v > 1)
    flows[arc] *= 0.9  # less fresh water: an outlet over its limit and a balance off
    from symbiosis.water.network_model import concentrations, violations

    assert violations(p, flows, concentrations(p, flows, net.outlet_mg_per_l))


def test_verifier_names_inlet_and_outlet_breaches() -> None:
    """Balanced flows, broken limits: 15 t/h through an operation that needs 20 (outlet 133 ppm
    > 100), and a source at 10 ppm into an inlet limited to 0; 20 t/h of clean water passes."""
    from symbiosis.water.network_model import _initial_assumption, concentrations, violations

    op = _fl(1, {"c": 2}, {"c": 0}, {"c": 100})
    dirty = WaterSupply("dirty", "dirty", WaterSource.SURFACE, mg_per_l={"c": 10})
    p = WaterProblem((op,), (FRESH, dirty))

    def check(src: str, flow: float) -> list[str]:
        flows = {
            (("source", src), ("operation", "op1")): flow,
            (("operation", "op1"), ("discharge", "")): flow,
        }
        return violations(p, flows, concentrations(p, flows, _initial_assumption(p)))

    assert check("fw", 20.0) == []
    assert any("outlet c 133.3" in v for v in check("fw", 15.0))
    assert any("inlet c 10" in v for v in check("dirty", 40.0))


def test_too_many_possible_pipes_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard on the superstructure's size, both sides of the limit (lowered for the test:
    Wang & Smith's reuse network has 4 × 4 + 4 + 4 = 24 arcs)."""
    import symbiosis.water.network_model as nm

    p = _wang_smith_problem()
    assert len(p.arcs(Mode.REUSE, True)) == 24
    monkeypatch.setattr(nm, "MAX_ARCS", 24)
    assert solve_network(p, Mode.REUSE).fresh_m3_per_h == pytest.approx(90.0)
    monkeypatch.setattr(nm, "MAX_ARCS", 23)
    with pytest.raises(SymbiosisError, match="24 possible pipes"):
        solve_network(p, Mode.REUSE)
