"""Small hand-made datasets for the graph tests, built from the domain models.

Geometry: sites are placed north of a centre point along its meridian, so their great-circle
distance from the centre is exactly ``R · Δlat`` — the radius test checks the store against an
independent haversine.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from symbiosis.domain import (
    FamilyInfo,
    Firm,
    InputDeclaration,
    KnownExchange,
    OutputDeclaration,
    PipelineParameters,
    Quality,
    QualityRequirement,
    Resource,
    ResourceFamily,
    Site,
    SubstitutionRule,
    Territory,
    TerritoryLevel,
    TransportMode,
    TruckParameters,
)
from symbiosis.domain.dataset import Dataset

if TYPE_CHECKING:
    from symbiosis.knowledge.base import KnowledgeBase

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
CENTRE = (55.66, 11.09)  # near Kalundborg, DK (lat, lon)
SRC = "test fixture"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def north_of(lat: float, distance_km: float) -> float:
    return lat + math.degrees(distance_km / EARTH_RADIUS_KM)


def territories() -> list[Territory]:
    return [
        Territory(id="dk", name="Denmark", level=TerritoryLevel.COUNTRY, code="DK"),
        Territory(
            id="dk-zealand", name="Region Zealand", level=TerritoryLevel.REGION, parent_id="dk", code="DK02"
        ),
        Territory(id="dk-kal", name="Kalundborg", level=TerritoryLevel.MUNICIPALITY, parent_id="dk-zealand"),
        Territory(
            id="dk-kal-park",
            name="Kalundborg Symbiosis",
            level=TerritoryLevel.INDUSTRIAL_PARK,
            parent_id="dk-kal",
        ),
        Territory(id="dk-hol", name="Holbæk", level=TerritoryLevel.MUNICIPALITY, parent_id="dk-zealand"),
        Territory(id="fr", name="France", level=TerritoryLevel.COUNTRY, code="FR"),
    ]


def small_dataset() -> Dataset:
    """Four sites in three territories, outputs and inputs with qualities, one known exchange."""
    lat, lon = CENTRE
    firms = [
        Firm(id="f-power", name="Power plant", nace_code="35.11"),
        Firm(id="f-board", name="Plasterboard maker", nace_code="23.62"),
        Firm(id="f-farm", name="Farm co-op"),
        Firm(id="f-idle", name="A firm with no site yet"),
    ]
    sites = [
        Site(
            id="s-power",
            firm_id="f-power",
            name="Power station",
            latitude_deg=lat,
            longitude_deg=lon,
            territory_id="dk-kal-park",
        ),
        Site(
            id="s-board",
            firm_id="f-board",
            name="Board works",
            latitude_deg=north_of(lat, 2.0),
            longitude_deg=lon,
            territory_id="dk-kal-park",
        ),
        Site(
            id="s-farm",
            firm_id="f-farm",
            name="Farm",
            latitude_deg=north_of(lat, 7.0),
            longitude_deg=lon,
            territory_id="dk-kal",
        ),
        Site(
            id="s-hol",
            firm_id="f-power",
            name="Holbæk depot",
            latitude_deg=55.71,
            longitude_deg=11.71,
            territory_id="dk-hol",
        ),
    ]
    outputs = [
        OutputDeclaration(
            id="o-gypsum",
            site_id="s-power",
            resource_code="gypsum",
            unit="t",
            quantity=200,
            quantity_unit="t/day",
            quality=Quality(
                purity_pct=96.5, moisture_pct=9.0, contaminants_mg_per_l={"chloride": 80.0, "mercury": 0.1}
            ),
            disposal_cost_eur_per_unit=12.0,
            source=SRC,
            monthly_profile=(3, 3, 2, 2, 1, 1, 1, 1, 2, 2, 3, 3),
        ),
        OutputDeclaration(
            id="o-heat",
            site_id="s-power",
            resource_code="hot_water",
            unit="MWh",
            quantity=12,
            quantity_unit="MW",
            quality=Quality(temperature_c=85.0),
            is_estimate=True,
            year=2024,
        ),
        OutputDeclaration(
            id="o-sludge",
            site_id="s-farm",
            resource_code="sludge",
            unit="t",
            quantity=1500,
            quantity_unit="t/yr",
            confidentiality="private",
            note="seasonal",
        ),
    ]
    inputs = [
        InputDeclaration(
            id="i-gypsum",
            site_id="s-board",
            resource_code="gypsum",
            unit="t",
            quantity=150_000,
            quantity_unit="t/yr",
            requirement=QualityRequirement(
                min_purity_pct=95.0, max_contaminants_mg_per_l={"chloride": 100.0}
            ),
            supply_price_eur_per_unit=25.0,
        ),
        InputDeclaration(
            id="i-heat",
            site_id="s-farm",
            resource_code="hot_water",
            unit="MWh",
            quantity=30,
            quantity_unit="GWh/yr",
            requirement=QualityRequirement(min_temperature_c=60.0),
        ),
    ]
    exchanges = [
        KnownExchange(
            id="x-gypsum",
            from_site_id="s-power",
            to_site_id="s-board",
            resource_code="gypsum",
            output_id="o-gypsum",
            input_id="i-gypsum",
            unit="t",
            quantity=150,
            quantity_unit="kt/yr",
            since_year=1993,
            source="Kalundborg Symbiosis, fact sheet",
        ),
    ]
    return Dataset(
        territories=territories(),
        firms=firms,
        sites=sites,
        outputs=outputs,
        inputs=inputs,
        exchanges=exchanges,
    )


def sorted_dataset(d: Dataset) -> Dataset:
    """What an export returns: every list sorted by id."""
    return Dataset(
        territories=sorted(d.territories, key=lambda x: x.id),
        firms=sorted(d.firms, key=lambda x: x.id),
        sites=sorted(d.sites, key=lambda x: x.id),
        outputs=sorted(d.outputs, key=lambda x: x.id),
        inputs=sorted(d.inputs, key=lambda x: x.id),
        exchanges=sorted(d.exchanges, key=lambda x: x.id),
    )


def small_knowledge() -> KnowledgeBase:
    from symbiosis.knowledge.base import KnowledgeBase  # the knowledge package is being written in parallel

    def res(code: str, family: ResourceFamily, unit: str) -> Resource:
        return Resource(
            code=code,
            name=code.replace("_", " "),
            family=family,
            canonical_unit=unit,
            virgin_price_eur_per_unit=10.0,
            virgin_co2_kg_per_unit=5.0,
            disposal_cost_eur_per_unit=8.0,
            disposal_co2_kg_per_unit=1.0,
            source=SRC,
        )

    resources = {
        r.code: r
        for r in (
            res("gypsum", ResourceFamily.MINERAL, "t"),
            res("natural_gypsum", ResourceFamily.MINERAL, "t"),
            res("hot_water", ResourceFamily.HEAT, "MWh"),
            res("sludge", ResourceFamily.ORGANIC, "t"),
            res("fertiliser", ResourceFamily.ORGANIC, "t"),
        )
    }
    rules = [
        SubstitutionRule(
            id="gypsum-natural",
            from_resource="gypsum",
            to_resource="natural_gypsum",
            ratio=1.0,
            min_purity_pct=95.0,
            source=SRC,
        ),
        SubstitutionRule(
            id="sludge-fertiliser",
            from_resource="sludge",
            to_resource="fertiliser",
            ratio=0.4,
            max_share_of_input=0.5,
            pretreatment_cost_eur_per_unit=3.0,
            source=SRC,
        ),
    ]
    return KnowledgeBase(
        resources=resources,
        families={
            ResourceFamily.MINERAL: FamilyInfo(
                family=ResourceFamily.MINERAL,
                transport_mode=TransportMode.TRUCK,
                max_distance_km=100,
                source=SRC,
            )
        },
        rules=rules,
        truck=TruckParameters(
            cost_eur_per_t_km=0.1,
            handling_cost_eur_per_t=3.0,
            co2_kg_per_t_km=0.06,
            road_detour_factor=1.3,
            source=SRC,
        ),
        pipelines={
            ResourceFamily.HEAT: PipelineParameters(
                family=ResourceFamily.HEAT,
                capex_eur_per_m=800,
                lifetime_yr=30,
                discount_rate=0.05,
                opex_fraction_per_yr=0.02,
                operating_cost_eur_per_unit_km=0.01,
                loss_fraction_per_km=0.01,
                operating_co2_kg_per_unit_km=0.0,
                detour_factor=1.2,
                source=SRC,
            )
        },
        emission_factors={},
    )
