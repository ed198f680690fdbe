"""A dataset: everything one file set declares, validated, ready for the graph store.

The on-disk format (one CSV per record type, or one Excel workbook with a sheet per type) is
described in docs/DATA_FORMAT.md; `symbiosis.dataset_io` reads and writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symbiosis.domain.declarations import InputDeclaration, OutputDeclaration
from symbiosis.domain.exchange import KnownExchange
from symbiosis.domain.firm import Firm, Site
from symbiosis.domain.territory import Territory
from symbiosis.errors import SymbiosisError


@dataclass
class Dataset:
    territories: list[Territory] = field(default_factory=list)
    firms: list[Firm] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    outputs: list[OutputDeclaration] = field(default_factory=list)
    inputs: list[InputDeclaration] = field(default_factory=list)
    exchanges: list[KnownExchange] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "territories": len(self.territories),
            "firms": len(self.firms),
            "sites": len(self.sites),
            "outputs": len(self.outputs),
            "inputs": len(self.inputs),
            "exchanges": len(self.exchanges),
        }

    def restricted_to(self, territory_id: str) -> Dataset:
        """The sites of ``territory_id`` and of every territory nested in it, with their firms,
        declarations and the known exchanges between them, and the territory's parent chain (what
        the graph's export returns too)."""
        children: dict[str, list[str]] = {}
        for t in self.territories:
            if t.parent_id:
                children.setdefault(t.parent_id, []).append(t.id)
        if territory_id not in {t.id for t in self.territories}:
            raise SymbiosisError(
                f"unknown territory {territory_id!r}: expected a territory id of the dataset"
            )
        inside: set[str] = set()
        todo = [territory_id]
        while todo:
            tid = todo.pop()
            inside.add(tid)
            todo.extend(children.get(tid, []))
        parent_of = {t.id: t.parent_id for t in self.territories}
        chain: set[str] = set()
        up = parent_of.get(territory_id)
        while (
            up is not None and up not in chain and up in parent_of
        ):  # the parent chain, as the graph exports
            chain.add(up)  # it: a site's country (its energy factors) is found above the territory
            up = parent_of[up]
        sites = [s for s in self.sites if s.territory_id in inside]
        site_ids = {s.id for s in sites}
        firm_ids = {s.firm_id for s in sites}
        return Dataset(
            territories=[t for t in self.territories if t.id in inside or t.id in chain],
            firms=[f for f in self.firms if f.id in firm_ids],
            sites=sites,
            outputs=[d for d in self.outputs if d.site_id in site_ids],
            inputs=[d for d in self.inputs if d.site_id in site_ids],
            exchanges=[e for e in self.exchanges if e.from_site_id in site_ids and e.to_site_id in site_ids],
        )
