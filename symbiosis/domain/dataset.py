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
