"""Large-neighbourhood search: re-optimise a few takers' supply at a time, the rest of the plan fixed.

Why: the kernel MILP (`piece.kernel_milp`) only looks at links the LP relaxation used, and slope
scaling only moves along LP solutions, so a plan can stay stuck where a better design needs links
the LP never touched. A neighbourhood frees *every* candidate link into a small group of takers
(inputs) — a seed input and the inputs that share most givers with it — while all other flows
stay as they are; HiGHS solves that small MILP exactly (or improves it within a short time limit),
starting from the current plan, which is feasible for it. The result replaces the plan only when
the whole plan's objective goes down, so the search never makes a plan worse.

The sub-problem is the same model on `ProblemData.subset`: the group's inputs with their whole
demand, the givers linked to them with the supply the fixed flows leave them. Links that can carry
nothing (no supply left) stay out, so HiGHS sees no zero big-M.

Measured (`bench/bench_optimizer.py`, stress instance, docs/OPTIMIZER.md): groups of 20 inputs and
2 s per sub-MILP are the best of the sizes tried at 100,000 links; larger groups (80–150 inputs,
8,000–15,000 free links) find nothing in 5–8 s.
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
from symbiosis.optimizer.results import plan_arrays_from_flows, plan_cost
from symbiosis.optimizer.solve import HighsSession

_FLOW_TOL = 1e-7
_MIN_SUB_TIME_S = 0.2  # below this a sub-MILP rarely gets past its root


def _links_by(keys: IntArray, n: int) -> list[IntArray]:
    order = np.argsort(keys, kind="stable")
    cuts = np.searchsorted(keys[order], np.arange(n + 1))
    return [order[cuts[k] : cuts[k + 1]] for k in range(n)]


class NeighbourhoodSearch:
    """Improve a plan of one `ProblemData` by re-solving groups of inputs; see the module docstring."""

    def __init__(self, d: ProblemData, opts: OptimizeOptions, seed: int = 0) -> None:
        self.d = d
        self.opts = opts
        self.rng = np.random.default_rng(seed)
        self.links_of_input = _links_by(d.link_in, len(d.input_ids))
        self.links_of_output = _links_by(d.link_out, len(d.output_ids))
        self.rounds = 0
        self.improvements = 0

    def objective(self, flow: FloatArray) -> float:
        cost, co2 = plan_cost(self.d, plan_arrays_from_flows(self.d, flow))
        return cost + self.opts.carbon_price_eur_per_t * co2

    def group(self, seed_input: int) -> IntArray:
        """The seed input and the inputs sharing most givers with it (``opts.lns_inputs`` in all)."""
        d = self.d
        givers = d.link_out[self.links_of_input[seed_input]]
        if len(givers) == 0:
            return np.array([seed_input], dtype=np.int64)
        reach = np.concatenate([d.link_in[self.links_of_output[g]] for g in givers])
        inputs, shared = np.unique(reach, return_counts=True)
        return inputs[np.argsort(-shared, kind="stable")][: self.opts.lns_inputs]

    def resolve(self, flow: FloatArray, inputs: IntArray, time_limit_s: float) -> FloatArray | None:
        """The best flows HiGHS finds with every link into ``inputs`` free and all others fixed."""
        d = self.d
        free = np.concatenate([self.links_of_input[i] for i in inputs])
        if len(free) == 0:
            return None
        outputs = np.unique(d.link_out[free])
        fixed_flow = flow.copy()
        fixed_flow[:, free] = 0.0
        n_out = len(d.output_ids)
        used = np.stack([np.bincount(d.link_out, weights=f, minlength=n_out) for f in fixed_flow])
        sub = d.subset(free, outputs, inputs)
        sub = replace(sub, supply=np.clip(d.supply[:, outputs] - used[:, outputs], 0.0, None))
        live = (sub.big_m() > _FLOW_TOL).any(axis=0)
        if not live.any():
            return None
        if not live.all():
            keep = np.flatnonzero(live)
            sub = sub.subset(keep, np.arange(len(outputs)), np.arange(len(inputs)))
            free = free[keep]
        c = compile_model(build_model(sub, self.opts.carbon_price_eur_per_t))
        s = HighsSession(c, threads=self.opts.threads)
        start = plan_arrays_from_flows(sub, np.minimum(flow[:, free], sub.big_m()))
        s.warm_start(full_vector(c, start, np.zeros(c.n_cols)))
        out = s.run(time_limit_s, self.opts.mip_rel_gap)
        if out.x is None:
            return None
        new = fixed_flow
        new[:, free] = out.x[c.flow_cols]
        return new

    def run(
        self,
        flow: FloatArray,
        objective: float,
        deadline: float,
        stop: Callable[[], bool] = lambda: False,
    ) -> tuple[FloatArray, float]:
        """Rounds until ``deadline`` (perf_counter seconds) or ``stop()``: (best flows, their objective)."""
        n_inputs = len(self.d.input_ids)
        while (left := deadline - time.perf_counter()) > _MIN_SUB_TIME_S and n_inputs and not stop():
            self.rounds += 1
            inputs = self.group(int(self.rng.integers(n_inputs)))
            new = self.resolve(flow, inputs, min(self.opts.lns_sub_time_s, left))
            if new is None:
                continue
            obj = self.objective(new)
            if obj < objective - 1e-9 * abs(objective):
                flow, objective = new, obj
                self.improvements += 1
        return flow, objective
