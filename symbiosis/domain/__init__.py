"""The validated vocabulary of symbiosis: territories, firms, sites, resources, declarations,
known exchanges and candidate exchanges. Pure pydantic models; no I/O here."""

from symbiosis.domain.candidate import Candidate, ConditionCheck
from symbiosis.domain.declarations import (
    InputDeclaration,
    OutputDeclaration,
    Quality,
    QualityRequirement,
)
from symbiosis.domain.enums import Confidentiality, ResourceFamily, TerritoryLevel, TransportMode
from symbiosis.domain.exchange import KnownExchange
from symbiosis.domain.firm import Firm, Site
from symbiosis.domain.resource import (
    EmissionFactor,
    EwcCode,
    FamilyInfo,
    NaceCode,
    PipelineParameters,
    Resource,
    SubstitutionRule,
    TruckParameters,
    WaterSource,
)
from symbiosis.domain.territory import Territory
from symbiosis.units import CanonicalUnit

__all__ = [
    "WaterSource",
    "CanonicalUnit", "Candidate", "ConditionCheck", "Confidentiality", "EmissionFactor", "EwcCode",
    "FamilyInfo", "Firm", "InputDeclaration", "KnownExchange", "NaceCode", "OutputDeclaration",
    "PipelineParameters", "Quality", "QualityRequirement", "Resource", "ResourceFamily",
    "Site", "SubstitutionRule", "Territory", "TerritoryLevel", "TransportMode", "TruckParameters",
]
