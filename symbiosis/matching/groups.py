"""Which output resource may feed which input resource, by which rule, how far.

Matching never compares resources that cannot meet: outputs of resource ``r`` are only searched
against inputs of ``r`` itself and of the resources a substitution rule lets ``r`` replace.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from symbiosis.domain.enums import ResourceFamily, TransportMode
from symbiosis.domain.resource import Resource, SubstitutionRule, WaterSource
from symbiosis.energy.links import direct_exchange_approach_k
from symbiosis.errors import SymbiosisError
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.options import MatchOptions


@dataclass(frozen=True)
class Group:
    """One (output resource → input resource) pairing; the output's family decides the transport."""

    output_resource: str
    input_resource: str
    rule: SubstitutionRule | None
    family: ResourceFamily
    mode: TransportMode
    reach_km: float
    burnt_co2_kg_per_unit: float = 0.0  # charged per output unit when the receiver burns it
    receiver_water_source: WaterSource | None = None  # where the receiver's new water comes from
    giver_abstracts_from: WaterSource | None = None  # the output is raw water taken there
    approach_k: float = 0.0  # heat/steam through a heat exchanger: the source must beat the minimum by it

    @property
    def ratio(self) -> float:
        return self.rule.ratio if self.rule else 1.0

    @property
    def max_share_of_input(self) -> float:
        return self.rule.max_share_of_input if self.rule else 1.0


def reach_km(kb: KnowledgeBase, family: ResourceFamily, options: MatchOptions) -> float:
    if family in options.reach_km:
        return float(options.reach_km[family])
    try:
        return kb.families[family].max_distance_km
    except KeyError:
        raise SymbiosisError(
            f"the knowledge base has no entry for family {family.value!r} (datasets/knowledge/families.csv)"
        ) from None


def group_for(
    kb: KnowledgeBase, output_resource: str, input_resource: str, options: MatchOptions
) -> Group | None:
    """The pairing of two resources, or None when neither sameness nor a rule links them.

    The knowledge base holds at most one rule per resource pair and none from a resource to
    itself (`knowledge.loader` rejects both), so the pairing is never ambiguous.
    """
    rule = next((r for r in kb.rules_from(output_resource) if r.to_resource == input_resource), None)
    if rule is None and output_resource != input_resource:
        return None
    family = kb.resources[output_resource].family
    fam = kb.families.get(family)
    if fam is None:
        raise SymbiosisError(f"the knowledge base has no entry for family {family.value!r}")
    if fam.transport_mode is TransportMode.PIPELINE and family not in kb.pipelines:
        raise SymbiosisError(
            f"family {family.value!r} travels by pipeline but the knowledge base has no "
            "pipeline parameters for it (datasets/knowledge/pipelines.csv)"
        )
    out_res, in_res = kb.resources[output_resource], kb.resources[input_resource]
    group = Group(
        output_resource,
        input_resource,
        rule,
        family,
        fam.transport_mode,
        reach_km(kb, family, options),
        burnt_co2_kg_per_unit=burnt_co2_kg_per_unit(out_res, in_res),
        receiver_water_source=in_res.water_source,
        giver_abstracts_from=out_res.water_source if out_res.abstracted_water else None,
    )
    return replace(group, approach_k=direct_exchange_approach_k(kb, group))


def burnt_co2_kg_per_unit(output: Resource, input_: Resource) -> float:
    """Fossil CO2 of burning one unit of ``output`` where ``input_`` (a fuel) was burnt.

    The fuel avoided is credited through its supply CO2 (combustion included); the by-product
    burnt instead emits its own combustion CO2 at the receiver, which the exchange must carry.
    The knowledge-base loader guarantees every resource that may replace a fuel has the factor.
    """
    if input_.combustion_co2_kg_per_unit is None:
        return 0.0
    return output.combustion_co2_kg_per_unit or 0.0


def build_groups(
    kb: KnowledgeBase, output_resources: set[str], input_resources: set[str], options: MatchOptions
) -> list[Group]:
    """Every pairing with declarations on both sides, in a stable order."""
    groups = []
    for r in sorted(output_resources):
        targets = {r} | {rule.to_resource for rule in kb.rules_from(r)}
        for t in sorted(targets & input_resources):
            g = group_for(kb, r, t, options)
            if g is not None:
                groups.append(g)
    return groups
