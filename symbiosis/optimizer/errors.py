"""Errors the optimiser raises: each says what to do about it, in a facilitator's words."""

from __future__ import annotations

from collections.abc import Sequence

from symbiosis.errors import SymbiosisError


class OptimizerError(SymbiosisError):
    """Base of the optimiser's user-facing errors."""


class EmptyProblem(OptimizerError):
    """Nothing to choose: no candidate links (matching found no viable exchange) or no declarations."""


class InfeasibleProblem(OptimizerError):
    """The constraints contradict each other (e.g. a CO2 cap below what any plan can reach)."""


class NonOptimalSolve(OptimizerError):
    """The solver stopped before proving optimality and the caller did not accept a gap."""

    def __init__(self, status: str, gap: float | None, objective: float | None) -> None:
        gap_txt = "unknown" if gap is None or gap == float("inf") else f"{gap:.2%}"
        super().__init__(
            f"the solver stopped with status '{status}' before proving optimality (gap on the saving "
            f"{gap_txt}, "
            f"best plan {objective if objective is not None else 'none'}); raise --time-limit or pass "
            "--accept-gap to use the best plan found"
        )
        self.status = status
        self.gap = gap
        self.objective = objective


class PlanRejected(OptimizerError):
    """A plan the solver returned breaks a constraint it claims to meet (`verify.check_plan`): it is
    never reported; the message lists what is broken."""

    def __init__(self, what: str, violations: Sequence[object]) -> None:
        listed = "; ".join(str(v) for v in violations[:5])
        more = f" (and {len(violations) - 5} more)" if len(violations) > 5 else ""
        super().__init__(
            f"infeasible plan rejected: the plan found for {what} breaks {len(violations)} constraint(s): "
            f"{listed}{more}. This is a solver fault, not your data's; please report it with the command"
        )
        self.violations = violations
