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
    """Who may see a declaration's exact figures (applied by `symbiosis.services.confidentiality`).

    PUBLIC: the firm publishes it — a partner company sees its exact figures and the declaring
    firm's name in its matches without consent. AGENCY (default): the declaring firm and the
    facilitators of its territory see exact figures; a partner company sees an opaque partner
    reference and ranges until both firms consent. PRIVATE: as AGENCY (facilitators still see it:
    their mandate covers every declaration of their territory), and it is left out of published
    aggregates entirely. In a candidate, the partner-side declaration's level decides what a
    company sees of its partner.
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
