"""Step 3: hand the compiled arrays to HiGHS (highspy) in one call and keep the instance.

Keeping the `highspy.Highs` object lets later steps change a cost vector, a column or row bound
and re-solve from the previous basis (ε-constraint Pareto points, slope-scaling iterations) rather
than rebuilding the model.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
from highspy import cb

from symbiosis.optimizer.compile import INF, CompiledModel
from symbiosis.optimizer.data import FloatArray
from symbiosis.optimizer.gaps import proven_within

_OPTIMAL = "Optimal"


@dataclass
class SolveOutcome:
    status: str  # HiGHS's model status text, e.g. "Optimal", "Time limit reached", "Infeasible"
    x: FloatArray | None  # column values, None when no feasible point is known
    objective: float | None
    bound: float | None  # valid lower bound on the objective (dual bound; = objective when optimal)
    gap: float | None  # relative gap (objective − bound) / |objective|
    time_s: float

    @property
    def optimal(self) -> bool:
        return self.status == _OPTIMAL


@dataclass
class SavedBasis:
    """A basis and how many columns it covered (a sifting model grows between save and restore)."""

    basis: highspy.HighsBasis
    n_working: int


def new_highs(*, log: bool, threads: int | None = None) -> highspy.Highs:
    """A `highspy.Highs` whose log switch is set before any other HiGHS call.

    Why not ``highspy.Highs()``: since highspy 1.16 its constructor registers the Python callback
    dispatcher, and that first call prints HiGHS's banner ("Running HiGHS 1.16.0 …") to stdout
    before ``output_flag`` can be turned off — once per process, into the CLI's plan and into JSON
    written to stdout. The optimiser uses no HiGHS callbacks, so the object is built by the C++
    binding's constructor alone (the wrapper's base class) and the flag is set first, as HiGHS's
    maintainers advise. Everything else we call (`passModel`, `run`, `setSolution`, …) is the
    binding's own.
    """
    h = highspy.Highs.__new__(highspy.Highs)
    super(highspy.Highs, h).__init__()
    h.setOptionValue("output_flag", bool(log))
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    return h


def relative_gap(objective: float, bound: float) -> float:
    """(objective − bound) / |objective|; infinite when no bound is known."""
    if not np.isfinite(bound):
        return float("inf")
    return max(0.0, objective - bound) / max(abs(objective), 1e-9)


@dataclass
class SavingTest:
    """The MIP-interrupt callback's data: where to stream the dual bound (a shared double, or
    None), and the stopping test on the saving (gaps.py)."""

    baseline: float
    tolerance: float
    streamed: Any = None  # multiprocessing Value("d") or None


def _on_mip_check(kind: Any, message: str, out: Any, inp: Any, test: SavingTest) -> None:
    """HiGHS callback at each MIP interrupt check: publish the dual bound when it rises, and stop
    HiGHS once its incumbent's saving is proven within the tolerance — HiGHS's own gap is on the
    whole objective, the wrong yardstick (see gaps.py)."""
    bound = out.mip_dual_bound
    if test.streamed is not None and math.isfinite(bound) and bound > test.streamed.value:
        test.streamed.value = bound
    primal = out.mip_primal_bound
    if math.isfinite(primal) and proven_within(test.baseline, primal, bound, test.tolerance):
        inp.user_interrupt = True


class HighsSession:
    """A persistent HiGHS model built from a `CompiledModel`."""

    def __init__(
        self,
        compiled: CompiledModel,
        *,
        integer: bool = True,
        threads: int | None = None,
        log: bool = False,
        co2_row: bool = False,
    ) -> None:
        self.compiled = compiled
        self.h = new_highs(log=log, threads=threads)
        A = compiled.matrix
        integrality = (compiled.integer & integer).astype(np.int32)
        self.is_mip = bool(integrality.any())
        status = self.h.passModel(
            compiled.n_cols,
            compiled.n_rows,
            int(A.nnz),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            np.ascontiguousarray(compiled.objective),
            compiled.col_lower,
            compiled.col_upper,
            compiled.row_lower,
            compiled.row_upper,
            A.indptr.astype(np.int32),
            A.indices.astype(np.int32),
            A.data,
            integrality,
        )
        if status != highspy.HighsStatus.kOk:
            raise RuntimeError(f"HiGHS rejected the compiled model ({status})")
        self._saving_test: SavingTest | None = None
        self.co2_row: int | None = compiled.co2_cap_row
        if co2_row and self.co2_row is None:
            self.add_co2_row(INF)

    def stop_when_saving_proven(self, baseline: float, tolerance: float, streamed: Any = None) -> None:
        """Interrupt a MIP solve once the saving is proven within ``tolerance`` (and stream the dual
        bound into ``streamed``); `run` then reports "Optimal" when that test holds. The data are
        kept on the session: HiGHS holds no Python reference to them (passed as a temporary, they
        were freed at once and the process crashed in the callback)."""
        self._saving_test = SavingTest(baseline, tolerance, streamed)
        self.h.setCallback(_on_mip_check, self._saving_test)
        self.h.startCallback(cb.HighsCallbackType.kCallbackMipInterrupt)

    def add_co2_row(self, cap_t: float) -> None:
        """Add E ≤ cap as a row (the ε-constraint), so later caps are a bound change."""
        idx = np.flatnonzero(self.compiled.co2_t).astype(np.int32)
        self.h.addRow(-INF, cap_t, len(idx), idx, self.compiled.co2_t[idx])
        self.co2_row = self.h.getNumRow() - 1

    def set_co2_cap(self, cap_t: float) -> None:
        if self.co2_row is None:
            self.add_co2_row(cap_t)
        else:
            self.h.changeRowBounds(self.co2_row, -INF, cap_t)

    def set_costs(self, c: FloatArray) -> None:
        self.h.changeColsCost(
            len(c), np.arange(len(c), dtype=np.int32), np.ascontiguousarray(c, dtype=np.float64)
        )

    def set_col_bounds(self, cols: np.ndarray, lower: FloatArray, upper: FloatArray) -> None:
        if len(cols):
            self.h.changeColsBounds(len(cols), cols.astype(np.int32), lower, upper)

    def set_integrality(self, integer: bool) -> None:
        cols = np.flatnonzero(self.compiled.integer).astype(np.int32)
        if len(cols):
            kind = np.full(len(cols), 1 if integer else 0, dtype=np.uint8)
            self.h.changeColsIntegrality(len(cols), cols, kind)
            self.is_mip = integer

    def warm_start(self, x: FloatArray) -> None:
        """Offer a known feasible plan (MIP incumbent) before `run`."""
        sol = highspy.HighsSolution()
        sol.col_value = list(map(float, x))
        sol.value_valid = True
        self.h.setSolution(sol)

    def run(
        self,
        time_limit_s: float | None = None,
        mip_rel_gap: float | None = None,
        mip_abs_gap: float | None = None,
    ) -> SolveOutcome:
        """Solve; a MIP stops at HiGHS's relative gap (on the whole objective) or its absolute gap
        (`gaps.highs_abs_gap` turns a gap on the saving into one)."""
        self.h.setOptionValue("time_limit", float(time_limit_s) if time_limit_s else INF)
        if mip_rel_gap is not None:
            self.h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        if mip_abs_gap is not None:
            self.h.setOptionValue("mip_abs_gap", float(mip_abs_gap))
        t0 = time.perf_counter()
        self.h.run()
        elapsed = time.perf_counter() - t0
        status = self.h.modelStatusToString(self.h.getModelStatus())
        info = self.h.getInfo()
        has_x = info.primal_solution_status == 2  # kSolutionStatusFeasible
        x = np.asarray(self.h.getSolution().col_value, dtype=np.float64) if has_x else None
        objective = float(info.objective_function_value) if has_x else None
        if self.is_mip:
            bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
        else:
            bound = objective if status == _OPTIMAL else None
        gap = relative_gap(objective, bound) if objective is not None and bound is not None else None
        test = self._saving_test
        if test is not None and objective is not None and bound is not None:
            if proven_within(test.baseline, objective, bound, test.tolerance):
                status = _OPTIMAL  # interrupted by our test on the saving, which holds
        return SolveOutcome(status, x, objective, bound, gap, elapsed)

    def save_basis(self) -> SavedBasis:
        return SavedBasis(self.h.getBasis(), self.compiled.n_cols)

    def restore_basis(self, saved: SavedBasis) -> None:
        self.h.setBasis(saved.basis)
