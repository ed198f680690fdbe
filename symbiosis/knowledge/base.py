"""The in-memory knowledge base every layer consults (matching, import validation, optimiser data)."""

from __future__ import annotations

from dataclasses import dataclass, field

from symbiosis.domain.enums import ResourceFamily
from symbiosis.domain.resource import (
    EmissionFactor,
    EwcCode,
    FamilyInfo,
    NaceCode,
    PipelineParameters,
    Resource,
    SubstitutionRule,
    TruckParameters,
)
from symbiosis.energy.parameters import EnergyTables
from symbiosis.errors import SymbiosisError


@dataclass
class KnowledgeBase:
    resources: dict[str, Resource]
    families: dict[ResourceFamily, FamilyInfo]
    rules: list[SubstitutionRule]
    truck: TruckParameters
    pipelines: dict[ResourceFamily, PipelineParameters]
    emission_factors: dict[str, EmissionFactor]
    ewc: dict[str, EwcCode] = field(default_factory=dict)
    nace: dict[str, NaceCode] = field(default_factory=dict)
    energy: EnergyTables | None = None  # country factors, heat bands, heat-pump/pipe/CHP parameters

    def resource(self, code: str) -> Resource:
        try:
            return self.resources[code]
        except KeyError:
            raise SymbiosisError(
                f"unknown resource {code!r}: expected one of the knowledge base's codes "
                f"(see datasets/knowledge/resources.csv)"
            ) from None

    def family_of(self, code: str) -> FamilyInfo:
        return self.families[self.resource(code).family]

    def rules_from(self, output_resource: str) -> list[SubstitutionRule]:
        """Rules whose output side is `output_resource` (same-resource exchange is implicit)."""
        return [r for r in self.rules if r.from_resource == output_resource]

    def rules_to(self, input_resource: str) -> list[SubstitutionRule]:
        return [r for r in self.rules if r.to_resource == input_resource]

    def resource_for_ewc(self, ewc_code: str) -> Resource | None:
        entry = self.ewc.get(ewc_code)
        return self.resources.get(entry.resource_code) if entry and entry.resource_code else None
