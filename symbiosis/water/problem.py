"""A water-allocation problem: operations, sources, treatment units, and which pipes may exist.

The network is a superstructure of *nodes* — sources, operations, treatment units and the
discharge — and of the *arcs* the rules below allow; the LP (`network_model`) chooses a flow on
each arc. Which arcs exist is the whole difference between the targets:

- ``NO_REUSE``: every operation is fed by sources and discharges its effluent (the baseline);
- ``REUSE``: an operation's effluent may also feed any operation — a fixed-load operation
  itself too (local recycling: its outlet follows its inlet), never a fixed-flow one (its
  outlet quality is stated for the water it is given; fed its own effluent it would run on
  nothing);
- ``REGENERATION``: effluent may also go through treatment units, whose outlet feeds operations
  (regeneration reuse and recycling) or the discharge.

``across_sites`` decides whether water may cross site boundaries (the symbiosis case); a source
or treatment unit without a site, or ``shared``, serves every site anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from symbiosis.errors import InvalidInput, Issue
from symbiosis.water.operations import FixedFlowOperation, FixedLoadOperation, Operation, month_factor
from symbiosis.water.sources import WaterSupply
from symbiosis.water.treatment import TreatmentUnit


class Mode(StrEnum):
    NO_REUSE = "no_reuse"
    REUSE = "reuse"
    REGENERATION = "regeneration"


Node = tuple[str, str]  # ("source" | "operation" | "treatment" | "discharge", id)
DISCHARGE: Node = ("discharge", "")


@dataclass(frozen=True)
class WaterProblem:
    operations: tuple[Operation, ...]
    supplies: tuple[WaterSupply, ...]
    treatments: tuple[TreatmentUnit, ...] = ()

    def __post_init__(self) -> None:
        issues: list[Issue] = []
        seen: set[str] = set()
        for kind, items in (
            ("operation", self.operations),
            ("source", self.supplies),
            ("treatment", self.treatments),
        ):
            for it in items:
                if it.id in seen:
                    issues.append(
                        Issue(
                            f"water {kind} {it.id!r}",
                            "id",
                            it.id,
                            "an id used once across operations, sources and treatment units",
                        )
                    )
                seen.add(it.id)
        if not self.supplies and any(_takes_water(o) for o in self.operations):
            issues.append(
                Issue(
                    "water sources", "(table)", 0, "at least one water source for the operations to draw from"
                )
            )
        for op in self.operations:
            if isinstance(op, FixedFlowOperation) and op.outlet_m3_per_h > 0:
                missing = sorted(self.contaminants - set(op.outlet_mg_per_l))
                if missing:
                    issues.append(
                        Issue(
                            f"water operation {op.id!r}",
                            "outlet_mg_per_l",
                            ", ".join(missing),
                            "the outlet concentration of every contaminant of the problem (0 if absent)",
                        )
                    )
        if issues:
            raise InvalidInput(issues, "water problem")

    @property
    def contaminants(self) -> set[str]:
        out: set[str] = set()
        for op in self.operations:
            out |= op.contaminants
        for s in self.supplies:
            out |= set(s.mg_per_l)
        for t in self.treatments:
            out |= set(t.outlet_mg_per_l) | set(t.removal_ratio)
        return out

    def ceiling_mg_per_l(self, k: str) -> float:
        """The highest concentration of ``k`` any stream can be assumed to carry: the largest
        stated limit or concentration. An operation that does not mention ``k`` is assumed to
        tolerate up to this at its inlet and outlet (it is insensitive to it) and adds none."""
        values = [0.0]
        for op in self.operations:
            if isinstance(op, FixedLoadOperation):
                values += [op.max_outlet_mg_per_l.get(k, 0.0), op.max_inlet_mg_per_l.get(k, 0.0)]
            else:
                values += [op.outlet_mg_per_l.get(k, 0.0), op.max_inlet_mg_per_l.get(k, 0.0)]
        values += [s.mg_per_l.get(k, 0.0) for s in self.supplies]
        values += [t.outlet_mg_per_l.get(k, 0.0) for t in self.treatments]
        return max(values)

    def only(self, contaminant: str) -> WaterProblem:
        """The same problem seen through one contaminant (a relaxation: fewer constraints)."""

        def keep(d):  # noqa: ANN001, ANN202
            return {contaminant: d[contaminant]} if contaminant in d else {}

        ops: list[Operation] = []
        for op in self.operations:
            if isinstance(op, FixedLoadOperation):
                if op.load_kg_per_h.get(contaminant, 0.0) > 0:
                    ops.append(
                        FixedLoadOperation(
                            op.id,
                            op.site_id,
                            op.name,
                            keep(op.load_kg_per_h),
                            keep(op.max_inlet_mg_per_l),
                            keep(op.max_outlet_mg_per_l),
                            op.loss_m3_per_h,
                        )
                    )
                # no load of this contaminant: a mixer for it, dropped (rerouting its inflows to
                # where its effluent went keeps every limit and the fresh water: still a relaxation)
            else:
                ops.append(
                    FixedFlowOperation(
                        op.id,
                        op.site_id,
                        op.name,
                        op.inlet_m3_per_h,
                        op.outlet_m3_per_h,
                        keep(op.max_inlet_mg_per_l),
                        keep(op.outlet_mg_per_l),
                    )
                )
        sup = tuple(
            WaterSupply(
                s.id,
                s.name,
                s.kind,
                s.price_eur_per_m3,
                s.co2_kg_per_m3,
                s.max_m3_per_h,
                s.site_id,
                keep(s.mg_per_l),
            )
            for s in self.supplies
        )
        trt = tuple(
            TreatmentUnit(
                t.id,
                t.site_id,
                t.name,
                keep(t.outlet_mg_per_l),
                keep(t.removal_ratio),
                t.cost_eur_per_m3,
                t.energy_kwh_per_m3,
                t.electricity_co2_kg_per_kwh,
                t.max_m3_per_h,
                t.shared,
                t.source,
            )
            for t in self.treatments
        )
        return WaterProblem(tuple(ops), sup, trt)

    @property
    def seasonal(self) -> bool:
        return any(op.monthly_profile is not None for op in self.operations)

    def in_month(self, month: int, hours_in_month: float) -> WaterProblem:
        """The problem at ``month``'s rates: each operation's loads, losses and fixed flows scaled
        by its monthly profile (an operation idle that month is left out)."""
        ops: list[Operation] = []
        for op in self.operations:
            f = month_factor(op.monthly_profile, month, hours_in_month)
            if f <= 0:
                continue
            if isinstance(op, FixedLoadOperation):
                load = {k: v * f for k, v in op.load_kg_per_h.items()}
                ops.append(
                    replace(op, load_kg_per_h=load, loss_m3_per_h=op.loss_m3_per_h * f, monthly_profile=None)
                )
            else:
                inlet, outlet = op.inlet_m3_per_h * f, op.outlet_m3_per_h * f
                ops.append(replace(op, inlet_m3_per_h=inlet, outlet_m3_per_h=outlet, monthly_profile=None))
        return WaterProblem(tuple(ops), self.supplies, self.treatments)

    def site_of(self, node: Node) -> str | None:
        kind, ident = node
        if kind == "operation":
            return self.operation(ident).site_id
        if kind == "treatment":
            return self.treatment(ident).site_id
        if kind == "source":
            return self.supply(ident).site_id
        return None

    def operation(self, ident: str) -> Operation:
        return next(o for o in self.operations if o.id == ident)

    def treatment(self, ident: str) -> TreatmentUnit:
        return next(t for t in self.treatments if t.id == ident)

    def supply(self, ident: str) -> WaterSupply:
        return next(s for s in self.supplies if s.id == ident)

    def arcs(self, mode: Mode, across_sites: bool) -> list[tuple[Node, Node]]:
        """Every pipe the mode and the site rule allow (see the module docstring)."""

        def reach(a: str | None, b: str | None, open_: bool = False) -> bool:
            return across_sites or open_ or a is None or b is None or a == b

        users = [o for o in self.operations if _takes_water(o)]
        givers = [o for o in self.operations if _gives_water(o)]
        out: list[tuple[Node, Node]] = []
        for s in self.supplies:
            out += [(("source", s.id), ("operation", o.id)) for o in users if reach(s.site_id, o.site_id)]
        for g in givers:
            out.append((("operation", g.id), DISCHARGE))
            if mode is Mode.NO_REUSE:
                continue
            out += [
                (("operation", g.id), ("operation", u.id))
                for u in users
                if reach(g.site_id, u.site_id) and (u is not g or isinstance(g, FixedLoadOperation))
            ]
            if mode is Mode.REGENERATION:
                out += [
                    (("operation", g.id), ("treatment", t.id))
                    for t in self.treatments
                    if reach(g.site_id, t.site_id, t.shared)
                ]
        if mode is Mode.REGENERATION:
            for t in self.treatments:
                out.append((("treatment", t.id), DISCHARGE))
                out += [
                    (("treatment", t.id), ("operation", u.id))
                    for u in users
                    if reach(t.site_id, u.site_id, t.shared)
                ]
        return out


def _takes_water(op: Operation) -> bool:
    return isinstance(op, FixedLoadOperation) or op.inlet_m3_per_h > 0


def _gives_water(op: Operation) -> bool:
    return isinstance(op, FixedLoadOperation) or op.outlet_m3_per_h > 0
