"""Which output resource may feed which input resource, by which rule, how far.

Matching never compares resources that cannot meet: outputs of resource ``r`` are only searched
against inputs of ``r`` itself and of the resources a substitution rule lets ``r`` replace.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbiosis.domain.enums import ResourceFamily, TransportMode
from symbiosis.domain.resource import SubstitutionRule
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
    return Group(
        output_resource, input_resource, rule, family, fam.transport_mode, reach_km(kb, family, options)
    )


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
