"""Closed vocabularies. StrEnums so they serialise as plain strings in CSV, Cypher and JSON."""

from enum import StrEnum


class ResourceFamily(StrEnum):
    """Families decide how a resource travels and how far (see datasets/knowledge/families.csv)."""

    STEAM = "steam"
    HEAT = "heat"  # hot water / low-grade heat, by temperature band
    WATER = "water"  # cooling, process, waste and fresh water
    GAS = "gas"  # refinery/fuel gas, natural gas, biogas
    CO2 = "co2"
    MINERAL = "mineral"  # gypsum, ashes, slag, clinker raw materials
    CHEMICAL = "chemical"  # sulphur, solvents
    ORGANIC = "organic"  # sludge, organic residues, biomass, yeast slurry, feed, fertiliser
    MATERIAL = "material"  # plastics, wood, metal scrap


class TransportMode(StrEnum):
    TRUCK = "truck"
    PIPELINE = "pipeline"


class Confidentiality(StrEnum):
    """Who may see a declaration's exact figures.

    PUBLIC: everyone; AGENCY: the declaring firm and facilitators of its territory;
    PRIVATE: the declaring firm only (others see ranges, partner identity hidden, until consent).
    """

    PUBLIC = "public"
    AGENCY = "agency"
    PRIVATE = "private"


class TerritoryLevel(StrEnum):
    COUNTRY = "country"
    REGION = "region"
    INTERCOMMUNALITY = "intercommunality"
    MUNICIPALITY = "municipality"
    INDUSTRIAL_PARK = "industrial_park"

    @property
    def rank(self) -> int:
        """Depth in the hierarchy: a child's rank is greater than its parent's."""
        return list(TerritoryLevel).index(self)
