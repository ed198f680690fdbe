"""The water network LP: flows on the allowed arcs, given an assumed outlet concentration of
every node, solved through the optimiser's compile-to-arrays path and `HighsSession`.

Formulation (flows f ≥ 0 in m³/h, concentrations in mg/L, ĉ = assumed outlet concentration):

- source s:              Σ_out f ≤ abstraction limit
- fixed-load op j:       Σ_out f = Σ_in f − loss_j
                         Σ_in f·ĉ_src,k ≤ Cin,max_jk · Σ_in f                    (inlet limit)
                         Σ_in f·ĉ_src,k + load_jk ≤ ĉ_jk · (Σ_in f − loss_j)      (outlet ≤ ĉ)
- fixed-flow op j:       Σ_in f = F_in,  Σ_in f·ĉ_src,k ≤ Cin,max_jk · F_in,  Σ_out f = F_out
- treatment r:           Σ_out f = Σ_in f ≤ capacity; with a removal ratio R_k:
                         (1 − R_k)·Σ_in f·ĉ_src,k ≤ ĉ_rk · Σ_in f
- objective:             fresh water, then sea water, then water treated (targets, in
                         stages), or € + carbon price × t CO2 (plans)

Every ĉ is a constant, so this is an LP. Its solution is a *real* network whatever ĉ is, as
long as ĉ is an upper bound on what each node gives off (ĉ_j ≤ Cout,max_j): the true outlet
concentrations are the fixed point of a monotone map that each ĉ already bounds, so every limit
written with ĉ holds for the true values. `concentrations` computes them and `violations`
checks every limit again, outside the LP.

Single contaminant, ĉ = Cout,max: exact (no losses, no removal ratio; `targets.lp_is_exact`).
Savelski & Bagajewicz (2000, Chem. Eng. Sci. 55:5035) prove that a single-contaminant
fixed-load problem has an optimal network in which every operation leaves at its maximum outlet
concentration; this LP contains that network, so its optimum is the true minimum (tests check it
against the limiting-composite-curve target and, with fixed-flow operations, against linprog).
Several contaminants: a successive LP (`solve_network`) — ĉ starts at Cout,max and is set to the
true outlet concentrations of the last network; the previous network stays feasible, so each
iterate is a verified network no worse than the last; a lower bound is the largest of the
single-contaminant optima (each a relaxation).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import pyomo.environ as pyo

from symbiosis.errors import SymbiosisError
from symbiosis.optimizer.compile_linear import compile_linear
from symbiosis.optimizer.solve import HighsSession
from symbiosis.water.operations import MG_PER_L_TIMES_M3_PER_H_TO_KG_PER_H as KG
from symbiosis.water.operations import FixedLoadOperation
from symbiosis.water.problem import DISCHARGE, Mode, Node, WaterProblem

Arc = tuple[Node, Node]
Conc = dict[Node, dict[str, float]]
FEASIBILITY_TOL_MG_PER_L = 1e-6  # relative, on a limit (×max(1, limit))
TIE_EUR_PER_M3 = 1e-6
SMALLEST_MG_PER_L = 1e-7
MAX_ARCS = 250_000  # every operation to every other: ~500 water users; the LP stays in memory


@dataclass
class WaterNetwork:
    """One solved network: arc flows (m³/h) and the true concentrations they give."""

    problem: WaterProblem
    mode: Mode
    across_sites: bool
    flows_m3_per_h: dict[Arc, float]
    outlet_mg_per_l: Conc
    objective: float
    status: str
    iterations: int = 1
    history: list[float] = field(default_factory=list)  # objective of each successive LP

    @property
    def fresh_m3_per_h(self) -> float:
        """Fresh water abstracted: from ground, surface and mains sources (not the sea)."""
        return sum(
            v for (a, _), v in self.flows_m3_per_h.items() if a[0] == "source" and _fresh(self.problem, a)
        )

    @property
    def source_water_m3_per_h(self) -> float:
        """Water taken from every source, sea water included."""
        return sum(v for (a, _), v in self.flows_m3_per_h.items() if a[0] == "source")

    @property
    def wastewater_m3_per_h(self) -> float:
        return sum(v for (_, b), v in self.flows_m3_per_h.items() if b == DISCHARGE)

    def by_source_m3_per_h(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for (a, _), v in self.flows_m3_per_h.items():
            if a[0] == "source":
                out[a[1]] += v
        return dict(out)

    def treated_m3_per_h(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for (_, b), v in self.flows_m3_per_h.items():
            if b[0] == "treatment":
                out[b[1]] += v
        return dict(out)

    def inflow_m3_per_h(self, node: Node) -> float:
        return sum(v for (_, b), v in self.flows_m3_per_h.items() if b == node)

    def violations(self) -> list[str]:
        return violations(self.problem, self.flows_m3_per_h, self.outlet_mg_per_l)


def _initial_assumption(p: WaterProblem) -> Conc:
    """ĉ: each node's largest possible outlet concentration (sources and fixed-flow outlets are
    what they are; fixed-load operations their maximum outlet; treatment its guarantee, or the
    ceiling reduced by the removal ratio)."""
    ks = p.contaminants
    c: Conc = {}
    for s in p.supplies:
        c[("source", s.id)] = {k: s.mg_per_l.get(k, 0.0) for k in ks}
    for op in p.operations:
        node = ("operation", op.id)
        if isinstance(op, FixedLoadOperation):
            c[node] = {k: op.max_outlet_mg_per_l.get(k, p.ceiling_mg_per_l(k)) for k in ks}
        else:
            c[node] = {k: op.outlet_mg_per_l.get(k, 0.0) for k in ks}
    for t in p.treatments:
        c[("treatment", t.id)] = {k: t.outlet_upper_mg_per_l(k, p.ceiling_mg_per_l(k)) for k in ks}
    return c


def _fresh(p: WaterProblem, node: Node) -> bool:
    return node[0] == "source" and p.supply(node[1]).is_fresh


def _tie_breaks(
    p: WaterProblem,
    mode: Mode,
    across_sites: bool,
    assumed: Conc,
    fresh: float,
    flows: dict[Arc, float],
    status: str,
    least_treatment: bool,
) -> tuple[dict[Arc, float], str]:
    """Among the minimum-fresh networks: the one taking least sea water, then the one treating
    least water (lexicographic stages; a stage HiGHS finds infeasible at the cap keeps the last)."""
    caps = {"fresh": fresh}
    stages = []
    if any(not s.is_fresh for s in p.supplies):
        stages.append("water")
    if least_treatment and mode is Mode.REGENERATION and p.treatments:
        stages.append("treated")
    for stage in stages:
        try:
            flows, value, status = solve_lp(p, mode, across_sites, assumed, stage, caps=caps)
        except SymbiosisError:
            break
        caps = caps | ({"water": value} if stage == "water" else {})
    return flows, status


def _safe_upper(value: float) -> float:
    """A concentration as an LP coefficient: a round-off speck (1e-14 mg/L) would be a matrix
    value HiGHS warns about and rejects; raising it to 1e-7 mg/L keeps ĉ an upper bound."""
    return 0.0 if value == 0 else max(value, SMALLEST_MG_PER_L)


def _check_reachable(p: WaterProblem, arcs: list[Arc], mode: Mode, across_sites: bool) -> None:
    """Every operation that takes water must be downstream of a source: say which one is not,
    rather than HiGHS's bare "Infeasible"."""
    nxt: dict[Node, list[Node]] = defaultdict(list)
    for a, b in arcs:
        nxt[a].append(b)
    seen = {("source", s.id) for s in p.supplies}
    todo = list(seen)
    while todo:
        for b in nxt[todo.pop()]:
            if b not in seen:
                seen.add(b)
                todo.append(b)
    cut = [
        f"{op.id} (site {op.site_id})"
        for op in p.operations
        if ("operation", op.id) not in seen and (isinstance(op, FixedLoadOperation) or op.inlet_m3_per_h > 0)
    ]
    if cut:
        where = "across sites" if across_sites else "within its site"
        raise SymbiosisError(
            f"water operation(s) {', '.join(cut)} can reach no water source {where} in mode {mode.value!r}: "
            "add a source without site_id or on that site, or allow water to cross sites"
        )


TINY_MG_PER_L = 1e-9
"""Concentrations below this are left out of the LP's rows (a 1e-147 mg/L typed by a user made
HiGHS refuse the model); the verifier still checks the network at the true values."""


def solve_lp(
    p: WaterProblem,
    mode: Mode,
    across_sites: bool,
    assumed: Conc,
    objective: str = "fresh",
    carbon_price_eur_per_t: float = 0.0,
    caps: dict[str, float] | None = None,
) -> tuple[dict[Arc, float], float, str]:
    """One LP at fixed ĉ. ``objective``: "fresh" (m³/h from fresh sources), "water" (m³/h from
    every source, sea included), "treated" (m³/h through treatment) or "cost" (€/h + carbon
    price × t CO2/h). ``caps`` bounds "fresh" and "water" (lexicographic stages)."""
    arcs = p.arcs(mode, across_sites)
    if len(arcs) > MAX_ARCS:
        raise SymbiosisError(
            f"the water network would have {len(arcs):,} possible pipes (at most {MAX_ARCS:,}): "
            "compute the targets per territory or per site group, or reuse within sites"
        )
    ks = sorted(p.contaminants)
    m = pyo.ConcreteModel()
    m.f = pyo.Var(range(len(arcs)), domain=pyo.NonNegativeReals)
    into: dict[Node, list[int]] = defaultdict(list)
    out_of: dict[Node, list[int]] = defaultdict(list)
    for i, (a, b) in enumerate(arcs):
        out_of[a].append(i)
        into[b].append(i)
    _check_reachable(p, arcs, mode, across_sites)
    m.c = pyo.ConstraintList()

    def inflow(node: Node):  # noqa: ANN202
        return sum(m.f[i] for i in into[node])

    def outflow(node: Node):  # noqa: ANN202
        return sum(m.f[i] for i in out_of[node])

    def mass_in(node: Node, k: str):  # noqa: ANN202
        # a concentration below TINY_MG_PER_L is none: HiGHS refuses matrix values below 1e-9
        return sum(
            assumed[arcs[i][0]][k] * m.f[i] for i in into[node] if abs(assumed[arcs[i][0]][k]) > TINY_MG_PER_L
        ) + 0 * inflow(node)

    def excess(node: Node, k: str, limit: float, keep: float = 1.0):  # noqa: ANN202
        """Σ_in (keep·ĉ_src − limit)·f: the mass above ``limit`` entering ``node``, one coefficient
        per arc so that ĉ_j − ĉ_j on a recycle is exactly 0, not a 1e-14 HiGHS would reject."""
        terms = []
        for i in into[node]:
            coef = keep * assumed[arcs[i][0]][k] - limit
            if abs(coef) > 1e-9 * max(1.0, abs(limit)):
                terms.append(coef * m.f[i])
        return sum(terms) + 0 * m.f[into[node][0]]

    for s in p.supplies:
        if s.max_m3_per_h is not None and out_of[("source", s.id)]:
            m.c.add(outflow(("source", s.id)) <= s.max_m3_per_h)
    for op in p.operations:
        node = ("operation", op.id)
        if isinstance(op, FixedLoadOperation):
            if not into[node]:
                raise SymbiosisError(f"water operation {op.id!r} can reach no water source")
            m.c.add(outflow(node) - inflow(node) == -op.loss_m3_per_h)
            for k in ks:
                if k in op.max_inlet_mg_per_l:
                    m.c.add(excess(node, k, op.max_inlet_mg_per_l[k]) <= 0)
                load_mg = op.load_kg_per_h.get(k, 0.0) / KG
                m.c.add(excess(node, k, assumed[node][k]) <= -load_mg - assumed[node][k] * op.loss_m3_per_h)
        else:
            if op.inlet_m3_per_h > 0:
                if not into[node]:
                    raise SymbiosisError(f"water operation {op.id!r} can reach no water source")
                m.c.add(inflow(node) == op.inlet_m3_per_h)
                for k in ks:
                    if k in op.max_inlet_mg_per_l:
                        m.c.add(mass_in(node, k) <= op.max_inlet_mg_per_l[k] * op.inlet_m3_per_h)
            if op.outlet_m3_per_h > 0:
                m.c.add(outflow(node) == op.outlet_m3_per_h)
    for t in p.treatments:
        node = ("treatment", t.id)
        if not into[node]:
            continue
        m.c.add(outflow(node) - inflow(node) == 0)
        if t.max_m3_per_h is not None:
            m.c.add(inflow(node) <= t.max_m3_per_h)
        for k in ks:
            if k not in t.outlet_mg_per_l:
                m.c.add(excess(node, k, assumed[node][k], 1.0 - t.removal_ratio.get(k, 0.0)) <= 0)
    source_arcs = [i for i, (a, _) in enumerate(arcs) if a[0] == "source"]
    treated_arcs = [i for i, (_, b) in enumerate(arcs) if b[0] == "treatment"]
    fresh_arcs = [i for i in source_arcs if _fresh(p, arcs[i][0])]
    for name, cap in (caps or {}).items():
        capped = fresh_arcs if name == "fresh" else source_arcs
        m.c.add(sum(m.f[i] for i in capped) + 0 * m.f[0] <= cap)
    if objective == "fresh":
        cost, co2 = sum(m.f[i] for i in fresh_arcs) + 0 * m.f[0], 0 * m.f[0]
    elif objective == "water":
        cost, co2 = sum(m.f[i] for i in source_arcs) + 0 * m.f[0], 0 * m.f[0]
    elif objective == "treated":
        cost, co2 = sum(m.f[i] for i in treated_arcs) + 0 * m.f[0], 0 * m.f[0]
    elif objective == "cost":
        src = {("source", s.id): s for s in p.supplies}
        trt = {("treatment", t.id): t for t in p.treatments}
        # + 1e-6 €/m³ on source water: among equally cheap networks, the one taking least water
        cost = (
            sum((src[arcs[i][0]].price_eur_per_m3 + TIE_EUR_PER_M3) * m.f[i] for i in source_arcs)
            + sum(trt[arcs[i][1]].cost_eur_per_m3 * m.f[i] for i in treated_arcs)
            + 0 * m.f[0]
        )
        co2 = (
            sum(src[arcs[i][0]].co2_kg_per_m3 / 1000 * m.f[i] for i in source_arcs)
            + sum(trt[arcs[i][1]].co2_kg_per_m3 / 1000 * m.f[i] for i in treated_arcs)
        ) + 0 * m.f[0]
    else:
        raise ValueError(f"objective {objective!r}: expected 'fresh', 'water', 'treated' or 'cost'")
    compiled, variables = compile_linear(m, cost, co2, carbon_price_eur_per_t)
    out = HighsSession(compiled).run()
    if out.x is None or not out.optimal:
        raise SymbiosisError(
            f"no water network meets every limit in mode {mode.value!r} (HiGHS: {out.status}); check the "
            "operations' limits, the sources' abstraction limits and which sites may exchange water"
        )
    col = {id(v): j for j, v in enumerate(variables)}
    flows = {arcs[i]: max(0.0, float(out.x[col[id(m.f[i])]])) for i in range(len(arcs))}
    return flows, float(out.objective or 0.0), out.status


def concentrations(p: WaterProblem, flows: dict[Arc, float], start: Conc, sweeps: int = 20_000) -> Conc:
    """The true outlet concentration of every node for these flows, from the physics alone
    (mixing, load ÷ flow, the treatment's own law), by iterating the balance from ``start``.

    When ``start`` bounds the true values from above (the LP's ĉ does), every sweep is still an
    upper bound and they decrease to the fixed point, so stopping early errs on the safe side."""
    ks = sorted(p.contaminants)
    c = {n: dict(v) for n, v in start.items()}
    into: dict[Node, list[tuple[Node, float]]] = defaultdict(list)
    for (a, b), v in flows.items():
        if v > 0:
            into[b].append((a, v))
    ops = [op for op in p.operations if isinstance(op, FixedLoadOperation)]
    for _ in range(sweeps):
        change = 0.0
        for op in ops:
            node = ("operation", op.id)
            fin = sum(v for _, v in into[node])
            fout = fin - op.loss_m3_per_h
            if fout <= 0:
                continue
            for k in ks:
                new = (sum(v * c[a][k] for a, v in into[node]) + op.load_kg_per_h.get(k, 0.0) / KG) / fout
                change = max(change, abs(new - c[node][k]))
                c[node][k] = new
        for t in p.treatments:
            node = ("treatment", t.id)
            fin = sum(v for _, v in into[node])
            if fin <= 0:
                continue
            for k in ks:
                new = t.outlet_upper_mg_per_l(k, sum(v * c[a][k] for a, v in into[node]) / fin)
                change = max(change, abs(new - c[node][k]))
                c[node][k] = new
        if change <= 1e-12:
            break
    return c


def violations(p: WaterProblem, flows: dict[Arc, float], c: Conc) -> list[str]:
    """Every limit the network breaks, checked from flows and true concentrations (not the LP)."""
    out: list[str] = []

    def over(value: float, limit: float) -> bool:
        return value > limit + FEASIBILITY_TOL_MG_PER_L * max(1.0, abs(limit))

    into: dict[Node, list[tuple[Node, float]]] = defaultdict(list)
    outof: dict[Node, float] = defaultdict(float)
    for (a, b), v in flows.items():
        if v < 0:
            out.append(f"negative flow {v} on {a} → {b}")
        into[b].append((a, v))
        outof[a] += v
    for s in p.supplies:
        if s.max_m3_per_h is not None and over(outof[("source", s.id)], s.max_m3_per_h):
            out.append(f"source {s.id}: {outof[('source', s.id)]:.6g} m³/h above its limit {s.max_m3_per_h}")
    for op in p.operations:
        node = ("operation", op.id)
        fin = sum(v for _, v in into[node])
        if isinstance(op, FixedLoadOperation):
            balance, expected_out = outof[node], fin - op.loss_m3_per_h
            limits_out = op.max_outlet_mg_per_l
        else:
            balance, expected_out = outof[node], op.outlet_m3_per_h
            if not math.isclose(fin, op.inlet_m3_per_h, rel_tol=1e-7, abs_tol=1e-7):
                out.append(f"operation {op.id}: receives {fin:.6g} m³/h, needs {op.inlet_m3_per_h}")
            limits_out = {}
        if not math.isclose(balance, expected_out, rel_tol=1e-7, abs_tol=1e-7):
            out.append(f"operation {op.id}: gives off {balance:.6g} m³/h, expected {expected_out:.6g}")
        if fin > 0:
            for k, lim in op.max_inlet_mg_per_l.items():
                cin = sum(v * c[a][k] for a, v in into[node]) / fin
                if over(cin, lim):
                    out.append(f"operation {op.id}: inlet {k} {cin:.6g} mg/L above {lim}")
        for k, lim in limits_out.items():
            if over(c[node][k], lim):
                out.append(f"operation {op.id}: outlet {k} {c[node][k]:.6g} mg/L above {lim}")
    for t in p.treatments:
        node = ("treatment", t.id)
        fin = sum(v for _, v in into[node])
        if not math.isclose(fin, outof[node], rel_tol=1e-7, abs_tol=1e-7):
            out.append(f"treatment {t.id}: takes {fin:.6g} m³/h, gives {outof[node]:.6g}")
        if t.max_m3_per_h is not None and over(fin, t.max_m3_per_h):
            out.append(f"treatment {t.id}: {fin:.6g} m³/h above its capacity {t.max_m3_per_h}")
    return out


def solve_network(
    p: WaterProblem,
    mode: Mode,
    across_sites: bool = True,
    objective: str = "fresh",
    carbon_price_eur_per_t: float = 0.0,
    max_iterations: int = 30,
    least_treatment: bool = True,
) -> WaterNetwork:
    """The best verified network by successive LP (one LP when nothing is bilinear)."""
    assumed = _initial_assumption(p)
    best: WaterNetwork | None = None
    history: list[float] = []
    for it in range(1, max_iterations + 1):
        flows, value, status = solve_lp(p, mode, across_sites, assumed, objective, carbon_price_eur_per_t)
        if objective == "fresh":
            flows, status = _tie_breaks(p, mode, across_sites, assumed, value, flows, status, least_treatment)
        true_c = concentrations(p, flows, assumed)
        history.append(value)
        net = WaterNetwork(p, mode, across_sites, flows, true_c, value, status, it, list(history))
        bad = net.violations()
        if bad:  # cannot happen when ĉ bounds the outlets; refuse to report a broken network
            raise SymbiosisError("the water network found breaks a limit: " + "; ".join(bad[:5]))
        if best is None or value < best.objective - 1e-9 * max(1.0, abs(value)):
            best = net
        best.iterations, best.history = it, list(history)
        moved = max(
            (
                abs(true_c[n][k] - assumed[n][k])
                for n in true_c
                if n[0] in ("operation", "treatment")
                for k in true_c[n]
            ),
            default=0.0,
        )
        if moved <= 1e-7 or (len(history) > 1 and history[-2] - value <= 1e-9 * max(1.0, abs(value))):
            break
        assumed = {n: {k: _safe_upper(v) for k, v in cs.items()} for n, cs in true_c.items()}
    assert best is not None
    return best
