"""Step 1 of the pipeline: a `CandidateSet` becomes plain arrays (`ProblemData`).

Everything after this step works on integer positions and numpy arrays, so the model builder, the
decomposition and the heuristics never look at pydantic objects again, and sub-problems (a
connected component, a territory) are cheap slices that pickle quickly to worker processes.

Quantities are per period in each declaration's canonical unit; a problem has 12 monthly periods
when any profile is not flat, else one annual period (12 identical months add nothing but size).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from symbiosis.domain.candidate import CandidateSet
from symbiosis.optimizer.errors import EmptyProblem
from symbiosis.optimizer.reasons import link_reason

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_FLAT_RTOL = 1e-9


@dataclass
class QualityLimit:
    """A maximum inlet concentration of one contaminant at one input (mg/l)."""

    input_pos: int
    contaminant: str
    max_mg_per_l: float


@dataclass
class ShareGroup:
    """Links bringing one substitute resource to one input, which together may cover at most ``share``
    (the substitution rule's cap, e.g. fly ash ≤ 30 % of a kiln's clinker)."""

    input_pos: int
    link_pos: IntArray
    share: float


@dataclass
class ProblemData:
    """The optimisation problem as arrays. Shapes: L links, O outputs, I inputs, T periods."""

    link_ids: list[str]
    link_out: IntArray  # (L,) output position of each link
    link_in: IntArray  # (L,) input position
    delivery_factor: FloatArray  # (L,) input units per output unit
    link_ub: FloatArray  # (T, L) upper bound on flow, output units per period
    var_cost_eur_per_unit: FloatArray  # (L,)
    var_co2_kg_per_unit: FloatArray  # (L,)
    fixed_cost_eur_per_yr: FloatArray  # (L,)
    output_ids: list[str]
    supply: FloatArray  # (T, O)
    disposal_cost_eur_per_unit: FloatArray  # (O,)
    disposal_co2_kg_per_unit: FloatArray  # (O,)
    output_site: list[str]
    output_territory: list[str | None]
    output_unit: list[str]
    input_ids: list[str]
    demand: FloatArray  # (T, I)
    virgin_price_eur_per_unit: FloatArray  # (I,)
    virgin_co2_kg_per_unit: FloatArray  # (I,)
    input_site: list[str]
    input_territory: list[str | None]
    input_unit: list[str]
    output_conc_mg_per_l: dict[str, FloatArray] = field(default_factory=dict)  # contaminant → (O,)
    virgin_conc_mg_per_l: dict[str, FloatArray] = field(default_factory=dict)  # contaminant → (I,)
    quality: list[QualityLimit] = field(default_factory=list)
    shares: list[ShareGroup] = field(default_factory=list)
    # (L,) each link's own cap on the share of its input it may cover (rule cap, or the water dilution
    # cap limit ÷ concentration); None = no link is capped on its own
    link_max_share: FloatArray | None = None
    # why each link exists, for the plan (reasons.py): substitution rule (None = same resource),
    # ratio (input units replaced per output unit) and a one-line reason; None when not known
    link_rule_id: list[str | None] | None = None
    link_ratio: FloatArray | None = None
    link_reason: list[str] | None = None

    @property
    def link_share(self) -> FloatArray:
        """Each link's own share cap (L,), 1 where none."""
        return np.ones(self.n_links) if self.link_max_share is None else self.link_max_share

    @property
    def n_links(self) -> int:
        return len(self.link_ids)

    @property
    def n_periods(self) -> int:
        return int(self.supply.shape[0])

    @property
    def has_fixed_costs(self) -> bool:
        return bool(np.any(self.fixed_cost_eur_per_yr > 0))

    def big_m(self) -> FloatArray:
        """Tightest upper bound on each link's flow per period (T, L).

        min(link bound, the output's supply, the input's demand ÷ delivery factor, and the link's own
        and its group's share cap ÷ delivery factor): used both as the variable bound and as M in
        x ≤ M·y, so the LP relaxation is as tight as this formulation allows.
        """
        share = self.link_share.copy()
        for g in self.shares:
            share[g.link_pos] = np.minimum(share[g.link_pos], g.share)
        by_demand = self.demand[:, self.link_in] * share / self.delivery_factor
        return np.minimum(np.minimum(self.link_ub, self.supply[:, self.link_out]), by_demand)

    def subset(self, link_pos: IntArray, output_pos: IntArray, input_pos: IntArray) -> ProblemData:
        """The sub-problem on the given links and declarations (the links' ends must be included)."""
        out_map = np.full(len(self.output_ids), -1, dtype=np.int64)
        out_map[output_pos] = np.arange(len(output_pos))
        in_map = np.full(len(self.input_ids), -1, dtype=np.int64)
        in_map[input_pos] = np.arange(len(input_pos))
        link_set = {int(p): k for k, p in enumerate(link_pos)}
        input_set = {int(p) for p in input_pos}
        shares = []
        for g in self.shares:
            kept = [link_set[int(p)] for p in g.link_pos if int(p) in link_set]
            if kept:
                shares.append(ShareGroup(int(in_map[g.input_pos]), np.array(kept, dtype=np.int64), g.share))
        return replace(
            self,
            link_ids=[self.link_ids[p] for p in link_pos],
            link_out=out_map[self.link_out[link_pos]],
            link_in=in_map[self.link_in[link_pos]],
            delivery_factor=self.delivery_factor[link_pos],
            link_ub=self.link_ub[:, link_pos],
            var_cost_eur_per_unit=self.var_cost_eur_per_unit[link_pos],
            var_co2_kg_per_unit=self.var_co2_kg_per_unit[link_pos],
            fixed_cost_eur_per_yr=self.fixed_cost_eur_per_yr[link_pos],
            output_ids=[self.output_ids[p] for p in output_pos],
            supply=self.supply[:, output_pos],
            disposal_cost_eur_per_unit=self.disposal_cost_eur_per_unit[output_pos],
            disposal_co2_kg_per_unit=self.disposal_co2_kg_per_unit[output_pos],
            output_site=[self.output_site[p] for p in output_pos],
            output_territory=[self.output_territory[p] for p in output_pos],
            output_unit=[self.output_unit[p] for p in output_pos],
            input_ids=[self.input_ids[p] for p in input_pos],
            demand=self.demand[:, input_pos],
            virgin_price_eur_per_unit=self.virgin_price_eur_per_unit[input_pos],
            virgin_co2_kg_per_unit=self.virgin_co2_kg_per_unit[input_pos],
            input_site=[self.input_site[p] for p in input_pos],
            input_territory=[self.input_territory[p] for p in input_pos],
            input_unit=[self.input_unit[p] for p in input_pos],
            output_conc_mg_per_l={k: v[output_pos] for k, v in self.output_conc_mg_per_l.items()},
            virgin_conc_mg_per_l={k: v[input_pos] for k, v in self.virgin_conc_mg_per_l.items()},
            quality=[
                QualityLimit(int(in_map[q.input_pos]), q.contaminant, q.max_mg_per_l)
                for q in self.quality
                if q.input_pos in input_set
            ],
            shares=shares,
            link_max_share=None if self.link_max_share is None else self.link_max_share[link_pos],
            link_rule_id=None if self.link_rule_id is None else [self.link_rule_id[p] for p in link_pos],
            link_ratio=None if self.link_ratio is None else self.link_ratio[link_pos],
            link_reason=None if self.link_reason is None else [self.link_reason[p] for p in link_pos],
        )


def _is_flat(rows: list[tuple[float, ...]]) -> bool:
    if not rows:
        return True
    a = np.asarray(rows, dtype=np.float64)
    return bool(np.allclose(a, a[:, :1], rtol=_FLAT_RTOL, atol=1e-12))


def build_problem_data(
    cset: CandidateSet,
    virgin_conc_mg_per_l: dict[str, dict[str, float]] | None = None,
    monthly: bool | None = None,
) -> ProblemData:
    """Arrays for ``cset``.

    ``virgin_conc_mg_per_l`` maps input id → contaminant → concentration of its virgin supply
    (virgin water is assumed clean unless stated). ``monthly`` forces or forbids 12 periods; by
    default they are used only when some profile is not flat.
    """
    if not cset.candidates:
        raise EmptyProblem(
            "no candidate exchanges to optimise: matching found no viable link between the declared "
            f"outputs ({len(cset.outputs)}) and inputs ({len(cset.inputs)})"
        )
    missing = [
        f"{c.id} ({'output ' + c.output_id if c.output_id not in cset.outputs else 'input ' + c.input_id})"
        for c in cset.candidates
        if c.output_id not in cset.outputs or c.input_id not in cset.inputs
    ]
    if missing:
        raise EmptyProblem(
            "candidate links refer to declarations the candidate set does not describe: "
            + ", ".join(missing[:5])
        )
    out_ids = list(cset.outputs)
    in_ids = list(cset.inputs)
    out_pos = {k: n for n, k in enumerate(out_ids)}
    in_pos = {k: n for n, k in enumerate(in_ids)}
    outs = [cset.outputs[k] for k in out_ids]
    ins = [cset.inputs[k] for k in in_ids]
    cands = cset.candidates
    if monthly is None:
        monthly = not (
            _is_flat([o.monthly_qty for o in outs])
            and _is_flat([i.monthly_qty for i in ins])
            and _is_flat([c.monthly_qty for c in cands])
        )

    def periods(rows: list[tuple[float, ...]]) -> FloatArray:
        a = np.asarray(rows, dtype=np.float64).reshape(len(rows), 12).T  # (12, n)
        return a if monthly else a.sum(axis=0, keepdims=True)

    link_in = np.array([in_pos[c.input_id] for c in cands], dtype=np.int64)
    contaminants = sorted({k for i in ins for k in i.contaminants_mg_per_l})
    out_conc = {
        k: np.array([o.contaminants_mg_per_l.get(k, 0.0) for o in outs], dtype=np.float64)
        for k in contaminants
    }
    virgin = virgin_conc_mg_per_l or {}
    virgin_conc = {
        k: np.array([virgin.get(i, {}).get(k, 0.0) for i in in_ids], dtype=np.float64) for k in contaminants
    }
    quality = [
        QualityLimit(n, k, float(v))
        for n, i in enumerate(ins)
        for k, v in sorted(i.contaminants_mg_per_l.items())
    ]
    shares = rule_share_groups(cset, link_in)
    return ProblemData(
        link_ids=[c.id for c in cands],
        link_out=np.array([out_pos[c.output_id] for c in cands], dtype=np.int64),
        link_in=link_in,
        delivery_factor=np.array([c.delivery_factor for c in cands], dtype=np.float64),
        link_ub=periods([c.monthly_qty for c in cands]),
        var_cost_eur_per_unit=np.array([c.variable_cost_eur_per_unit for c in cands], dtype=np.float64),
        var_co2_kg_per_unit=np.array([c.variable_co2_kg_per_unit for c in cands], dtype=np.float64),
        fixed_cost_eur_per_yr=np.array([c.fixed_cost_eur_per_yr for c in cands], dtype=np.float64),
        output_ids=out_ids,
        supply=periods([o.monthly_qty for o in outs]),
        disposal_cost_eur_per_unit=np.array([o.cost_eur_per_unit for o in outs], dtype=np.float64),
        disposal_co2_kg_per_unit=np.array([o.co2_kg_per_unit for o in outs], dtype=np.float64),
        output_site=[o.site_id for o in outs],
        output_territory=[o.territory_id for o in outs],
        output_unit=[str(o.unit) for o in outs],
        input_ids=in_ids,
        demand=periods([i.monthly_qty for i in ins]),
        virgin_price_eur_per_unit=np.array([i.cost_eur_per_unit for i in ins], dtype=np.float64),
        virgin_co2_kg_per_unit=np.array([i.co2_kg_per_unit for i in ins], dtype=np.float64),
        input_site=[i.site_id for i in ins],
        input_territory=[i.territory_id for i in ins],
        input_unit=[str(i.unit) for i in ins],
        output_conc_mg_per_l=out_conc,
        virgin_conc_mg_per_l=virgin_conc,
        quality=quality,
        shares=shares,
        link_max_share=np.array([c.max_share_of_input for c in cands], dtype=np.float64),
        link_rule_id=[c.rule_id for c in cands],
        link_ratio=np.array([c.ratio for c in cands], dtype=np.float64),
        link_reason=[link_reason(c) for c in cands],
    )


def rule_share_groups(cset: CandidateSet, link_in: IntArray) -> list[ShareGroup]:
    """The pooled caps: links bringing one output resource to one input share their rule's cap.

    A candidate's ``max_share_of_input`` is min(rule cap, dilution cap), the dilution cap being
    limit ÷ concentration of a water stream above an inlet limit (``needs_dilution``). Only the rule
    cap is pooled: it is a property of the (output resource → input resource) pair, the same for
    every link of the group, and it is read from the group's links that need no dilution. The
    dilution cap stays each link's own bound (`ProblemData.link_max_share`) — and is redundant
    there: the linear-mixing constraint Σ c_l δ_l x_l + c_v v ≤ c_max D, with every term ≥ 0,
    implies c_l δ_l x_l ≤ c_max D, i.e. δ_l x_l ≤ (c_max / c_l) D, for each link and contaminant,
    while blends of several streams are limited by the mixing constraint exactly. Pooling the
    *minimum* dilution cap held a clean stream to the dirtiest stream's cap (an input limited to
    50 mg/l fed at 100 and 800 mg/l: the first may cover ½ of the demand, not 1/16).

    A group whose links all need dilution has no link showing the rule cap undiluted; then each
    link keeps min(rule, dilution) on its own, which is exact when the rule has no cap (no water
    rule in the knowledge base has one).
    """
    members: dict[tuple[int, str], list[int]] = {}
    rule_cap: dict[tuple[int, str], float] = {}
    for p, c in enumerate(cset.candidates):
        if c.max_share_of_input >= 1.0:
            continue
        key = (int(link_in[p]), c.output_resource)
        members.setdefault(key, []).append(p)
        if not c.needs_dilution:
            rule_cap[key] = max(rule_cap.get(key, 0.0), c.max_share_of_input)
    return [
        ShareGroup(k[0], np.array(v, dtype=np.int64), rule_cap[k])
        for k, v in members.items()
        if k in rule_cap
    ]
