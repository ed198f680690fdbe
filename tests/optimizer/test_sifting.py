"""Sifting must give the full LP's optimum: same Pareto front as re-solving the whole model, and
the same answer when a cap can only be met by columns not yet in the working set."""

from __future__ import annotations

import numpy as np
import pytest

from symbiosis.optimizer import OptimizeOptions
from symbiosis.optimizer.compile import compile_model
from symbiosis.optimizer.data import build_problem_data
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.service import least_co2_t, pareto_front
from symbiosis.optimizer.sifting import SiftingSession
from symbiosis.optimizer.solve import HighsSession
from symbiosis.optimizer.synthetic import synthetic_candidate_set


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return build_problem_data(synthetic_candidate_set(60, 60, 1_500, seed=3, grid=3))


def test_pareto_front_with_sifting_equals_full_resolves(data) -> None:  # type: ignore[no-untyped-def]
    fast = pareto_front(data, 6, OptimizeOptions(sifting=True))
    full = pareto_front(data, 6, OptimizeOptions(sifting=False))
    assert [p.status for p in fast] == ["optimal"] * 6
    for a, b in zip(fast, full, strict=True):
        assert a.co2_cap_t == pytest.approx(b.co2_cap_t)
        assert a.cost_eur_per_yr == pytest.approx(b.cost_eur_per_yr, rel=1e-7)
        assert a.co2_t_per_yr == pytest.approx(b.co2_t_per_yr, rel=1e-6, abs=1e-6)


def test_sifting_prices_in_columns_and_meets_a_tight_cap(data) -> None:  # type: ignore[no-untyped-def]
    c = compile_model(build_model(data, carbon_price_eur_per_t=30.0))
    ref = HighsSession(c, integer=False).run()
    s = SiftingSession(c, batch_cols=7)
    out = s.run()
    assert out.optimal and out.objective == pytest.approx(ref.objective, rel=1e-8)
    assert s.rounds > 2  # small batches: several pricing rounds were needed
    assert len(s.working) < c.n_cols  # and the optimum was proven without every column

    least = least_co2_t(data)
    assert least is not None
    cap = least * 1.001
    capped_ref = HighsSession(c, integer=False, co2_row=True)
    capped_ref.set_co2_cap(cap)
    expected = capped_ref.run()
    fresh = SiftingSession(c, batch_cols=7)  # slacks only: the cap is infeasible until priced in
    fresh.set_co2_cap(cap)
    got = fresh.run()
    assert got.optimal and got.x is not None
    assert got.objective == pytest.approx(expected.objective, rel=1e-8)
    assert float(c.co2_t @ got.x) <= cap * (1 + 1e-7)
    assert np.all(got.x >= -1e-9)
