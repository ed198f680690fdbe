"""The network optimiser: which candidate exchanges to run, and how much, to minimise cost + carbon.

A one-way pipeline — `data` (CandidateSet → arrays) → `model` (Pyomo) → `compile` (CSC arrays) →
`solve` (HiGHS via highspy) → `results` (an `ExchangePlan`) — with `decompose` and `piece` for
scale. It imports neither the API nor the graph driver. See docs/OPTIMIZER.md.
"""

from symbiosis.optimizer.errors import EmptyProblem, InfeasibleProblem, NonOptimalSolve, OptimizerError
from symbiosis.optimizer.options import OptimizeOptions
from symbiosis.optimizer.results import ExchangePlan, Kpis, LinkFlow, SolverReport
from symbiosis.optimizer.service import ParetoPoint, optimize, pareto_front

__all__ = [
    "EmptyProblem",
    "ExchangePlan",
    "InfeasibleProblem",
    "Kpis",
    "LinkFlow",
    "NonOptimalSolve",
    "OptimizeOptions",
    "OptimizerError",
    "ParetoPoint",
    "SolverReport",
    "optimize",
    "pareto_front",
]
