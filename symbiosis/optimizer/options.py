"""What the caller may tune; defaults suit an interactive run on a laptop."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OptimizeOptions:
    carbon_price_eur_per_t: float = 0.0
    co2_cap_t: float | None = None
    time_limit_s: float | None = None  # whole run; None = until optimal
    accept_gap: bool = False  # return the best plan found when not proven optimal (and state the gap)
    mip_rel_gap: float = 1e-4  # HiGHS's stopping gap; plans within it count as optimal
    threads: int | None = None  # HiGHS threads per solve
    workers: int = 2  # processes for independent components
    parallel_min_links: int = 5_000  # below this, processes cost more than they save
    max_component_links: int = 250_000  # a MILP component larger than this is split by territory
    heuristic: bool = True  # LP-relaxation bound + slope scaling + warm-started MILP for fixed costs
    slope_iterations: int = 8
    kernel_share: float = 0.5  # share of the time left for the MILP on the LP support + best design
    lns_group_size: int = 20  # inputs or outputs per neighbourhood (neighbourhood.py)
    lns_sub_time_s: float = 2.0  # HiGHS time per neighbourhood MILP
    bound_process: bool = True  # with a time limit, large MILPs run HiGHS on the whole model beside
    # the heuristic, in a second process, for a better lower bound (bound_process.py)
    sifting: bool = True  # LP Pareto sweeps on a priced working set of columns (exact; see sifting.py)
    monthly: bool | None = None  # force/forbid 12 periods; default: only when profiles are not flat
    # candidate ids ("output->input") of exchanges that already run (practice.existing_link_ids):
    # the plan then also reports today's practice and the additional saving of new links
    existing_links: frozenset[str] = frozenset()
