"""Large-neighbourhood search: re-optimise a few declarations' links at a time, the rest fixed.

Why: the kernel MILP (`piece.kernel_milp`) only looks at links the LP relaxation used, and slope
scaling only moves along LP solutions, so a plan can stay stuck where a better design needs links
the LP never touched. A neighbourhood frees *every* candidate link of a small group of
declarations while all other flows stay as they are; HiGHS solves that small MILP exactly (or
improves it within a short time limit), starting from the current plan, which is feasible for it.
The result replaces the plan only when the whole plan's objective goes down and the whole plan
passes `verify.check_plan`, so the search never makes a plan worse or infeasible. Under a CO2 cap
each sub-problem gets the cap left after the CO2 of everything it does not decide.

Two kinds of neighbourhood: a group of **inputs** (a seed input and the inputs sharing most givers
with it; every link into them free) and a group of **outputs** (the same, seen from the givers;
every link out of them free). Each kind alone reaches a plateau the other escapes; the search
stays with one kind while it pays and switches when it stalls (input groups are cheaper rounds:
≈ 0.15 s against up to 2 s on 100,000 links, so they go first).

The sub-problem is the same model on `ProblemData.subset`, with the supply and demand the fixed
flows leave each declaration. It is exact, not an approximation: an input with a water-quality
limit or a share cap keeps its links fixed unless *all* of them are free (its mixing and share
constraints involve every link into it), and links that can carry nothing stay out, so HiGHS sees
no zero big-M.

Measured (docs/OPTIMIZER.md, stress instance, 100,000 links): groups of 20 and 2 s per sub-MILP are
the best of the sizes tried; inputs-only groups plateau at 217.7 M€ after 5 min from the kernel
plan's 222.1, and outputs groups then take it to 214.9 M€ in 60 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from symbiosis.optimizer.compile import compile_model, full_vector
from symbiosis.optimizer.data import FloatArray, IntArray, ProblemData
from symbiosis.optimizer.model import build_model
from symbiosis.optimizer.options import OptimizeOptions
from symbiosis.optimizer.results import objective_of, plan_arrays_from_flows, plan_cost
from symbiosis.optimizer.solve import HighsSession
from symbiosis.optimizer.verify import check_plan

_FLOW_TOL = 1e-7
_MIN_SUB_TIME_S = 0.2  # below this a sub-MILP rarely gets past its root
_PATIENCE = 15  # rounds without improvement before the search switches kind of neighbourhood


def _links_by(keys: IntArray, n: int) -> list[IntArray]:
    order = np.argsort(keys, kind="stable")
    cuts = np.searchsorted(keys[order], np.arange(n + 1))
    return [order[cuts[k] : cuts[k + 1]] for k in range(n)]


class NeighbourhoodSearch:
    """Improve a plan of one `ProblemData` by re-solving groups of declarations; see the module docstring."""

    def __init__(self, d: ProblemData, opts: OptimizeOptions, seed: int = 0) -> None:
        self.d = d
        self.opts = opts
        self.rng = np.random.default_rng(seed)
        self.links_of_input = _links_by(d.link_in, len(d.input_ids))
        self.links_of_output = _links_by(d.link_out, len(d.output_ids))
        constrained = {q.input_pos for q in d.quality} | {g.input_pos for g in d.shares}
        self.constrained_input = np.zeros(len(d.input_ids), dtype=bool)
        self.constrained_input[list(constrained)] = True
        self.rounds = 0
        self.improvements = 0

    def objective(self, flow: FloatArray) -> float:
        return objective_of(self.d, plan_arrays_from_flows(self.d, flow), self.opts.carbon_price_eur_per_t)

    def input_group(self, seed_input: int) -> IntArray:
        """The seed input and the inputs sharing most givers with it (``opts.lns_group_size`` in all)."""
        return self._group(
            seed_input, self.links_of_input, self.links_of_output, self.d.link_out, self.d.link_in
        )

    def output_group(self, seed_output: int) -> IntArray:
        """The seed output and the outputs sharing most takers with it (``opts.lns_group_size`` in all)."""
        return self._group(
            seed_output, self.links_of_output, self.links_of_input, self.d.link_in, self.d.link_out
        )

    def _group(
        self,
        seed: int,
        own_links: list[IntArray],
        other_links: list[IntArray],
        other_end: IntArray,
        own_end: IntArray,
    ) -> IntArray:
        partners = other_end[own_links[seed]]
        if len(partners) == 0:
            return np.array([seed], dtype=np.int64)
        reach = np.concatenate([own_end[other_links[p]] for p in partners])
        members, shared = np.unique(reach, return_counts=True)
        return members[np.argsort(-shared, kind="stable")][: self.opts.lns_group_size]

    def links_into(self, inputs: IntArray) -> IntArray:
        return np.concatenate([self.links_of_input[i] for i in inputs])

    def links_out_of(self, outputs: IntArray) -> IntArray:
        return np.concatenate([self.links_of_output[o] for o in outputs])

    def resolve(self, flow: FloatArray, free: IntArray, time_limit_s: float) -> FloatArray | None:
        """The best flows HiGHS finds with the ``free`` links free and all others fixed."""
        d = self.d
        touched_inputs = np.unique(d.link_in[free])
        whole = {int(i) for i in touched_inputs if np.isin(self.links_of_input[i], free).all()}
        partial_constrained = self.constrained_input[d.link_in[free]] & ~np.isin(d.link_in[free], list(whole))
        free = free[~partial_constrained]
        if len(free) == 0:
            return None
        outputs, inputs = np.unique(d.link_out[free]), np.unique(d.link_in[free])
        fixed = flow.copy()
        fixed[:, free] = 0.0
        n_out, n_in = len(d.output_ids), len(d.input_ids)
        sent = np.stack([np.bincount(d.link_out, weights=f, minlength=n_out) for f in fixed])
        got = np.stack([np.bincount(d.link_in, weights=f * d.delivery_factor, minlength=n_in) for f in fixed])
        sub = replace(
            d.subset(free, outputs, inputs),
            supply=np.clip(d.supply[:, outputs] - sent[:, outputs], 0.0, None),
            demand=np.clip(d.demand[:, inputs] - got[:, inputs], 0.0, None),
        )
        live = (sub.big_m() > _FLOW_TOL).any(axis=0)
        if not live.any():
            return None
        if not live.all():
            keep = np.flatnonzero(live)
            sub = sub.subset(keep, np.arange(len(outputs)), np.arange(len(inputs)))
            free = free[keep]
        c = compile_model(build_model(sub, self.opts.carbon_price_eur_per_t, self._residual_cap(fixed, sub)))
        s = HighsSession(c, threads=self.opts.threads)
        start = plan_arrays_from_flows(sub, np.minimum(flow[:, free], sub.big_m()))
        s.warm_start(full_vector(c, start, np.zeros(c.n_cols)))
        out = s.run(time_limit_s, self.opts.mip_rel_gap)
        if out.x is None:
            return None
        fixed[:, free] = out.x[c.flow_cols]
        return fixed

    def _residual_cap(self, fixed: FloatArray, sub: ProblemData) -> float | None:
        """The CO2 cap left to the sub-problem: cap − CO2 of everything it does not decide.

        The whole plan's CO2 is E(fixed flows, free flows at 0) − E_sub(free flows at 0) +
        E_sub(free flows): the sub-problem's outputs and inputs fall back on disposal and virgin
        supply of their *residual* quantities, which the first term already counts. Without this
        the sub-problems ignored the cap, and a plan found by the search broke it (Finland, cap
        851,736.1 t: 860,921 t, reported as optimal).
        """
        cap = self.opts.co2_cap_t
        if cap is None:
            return None
        rest = plan_cost(self.d, plan_arrays_from_flows(self.d, fixed))[1]
        sub_today = plan_cost(sub, plan_arrays_from_flows(sub, np.zeros((sub.n_periods, sub.n_links))))[1]
        return cap - rest + sub_today

    def run(
        self,
        flow: FloatArray,
        objective: float,
        deadline: float,
        stop: Callable[[], bool] = lambda: False,
        max_rounds: int | None = None,
    ) -> tuple[FloatArray, float]:
        """Rounds until ``deadline`` (perf_counter seconds), ``stop()`` or ``max_rounds`` rounds:
        (best flows, their objective). A round limit (with a sub-MILP time limit large enough for
        HiGHS to finish) makes the search independent of the machine's speed, for tests.

        Rounds take groups of inputs, each around a random seed, until ``_PATIENCE`` rounds in a row
        find nothing; then groups of outputs until they stall; and so on.
        """
        n_in, n_out = len(self.d.input_ids), len(self.d.output_ids)
        by_inputs, misses = True, 0
        while (left := deadline - time.perf_counter()) > _MIN_SUB_TIME_S and n_in and not stop():
            if max_rounds is not None and self.rounds >= max_rounds:
                break
            self.rounds += 1
            if by_inputs:
                free = self.links_into(self.input_group(int(self.rng.integers(n_in))))
            else:
                free = self.links_out_of(self.output_group(int(self.rng.integers(n_out))))
            new = self.resolve(flow, free, min(self.opts.lns_sub_time_s, left))
            obj = self.objective(new) if new is not None else np.inf
            if (
                new is not None
                and obj < objective - 1e-9 * abs(objective)
                and not check_plan(self.d, plan_arrays_from_flows(self.d, new), self.opts.co2_cap_t)
            ):
                flow, objective = new, obj
                self.improvements += 1
                misses = 0
            else:
                misses += 1
            if misses >= _PATIENCE:  # this kind has stalled: the other kind escapes its plateau
                by_inputs, misses = not by_inputs, 0
        return flow, objective
