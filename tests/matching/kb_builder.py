"""A small knowledge base built in Python: hand-computed figures in tests depend only on it."""

from __future__ import annotations

from symbiosis.domain import (
    FamilyInfo,
    PipelineParameters,
    Resource,
    ResourceFamily,
    SubstitutionRule,
    TransportMode,
    TruckParameters,
)
from symbiosis.domain.declarations import InputDeclaration, OutputDeclaration
from symbiosis.domain.firm import Firm, Site
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.geo import EARTH_RADIUS_KM

SRC = "test fixture"
KM_PER_DEG_LAT = EARTH_RADIUS_KM * 3.141592653589793 / 180.0

TRUCK = TruckParameters(
    cost_eur_per_t_km=0.10,
    handling_cost_eur_per_t=5.0,
    co2_kg_per_t_km=0.1,
    road_detour_factor=1.3,
    source=SRC,
)
HEAT_PIPE = PipelineParameters(
    family=ResourceFamily.HEAT,
    capex_eur_per_m=1000.0,
    lifetime_yr=30,
    discount_rate=0.05,
    opex_fraction_per_yr=0.02,
    operating_cost_eur_per_unit_km=0.05,
    loss_fraction_per_km=0.01,
    operating_co2_kg_per_unit_km=0.01,
    detour_factor=1.2,
    source=SRC,
)
WATER_PIPE = PipelineParameters(
    family=ResourceFamily.WATER,
    capex_eur_per_m=300.0,
    lifetime_yr=40,
    discount_rate=0.04,
    opex_fraction_per_yr=0.01,
    operating_cost_eur_per_unit_km=0.002,
    loss_fraction_per_km=0.001,
    operating_co2_kg_per_unit_km=0.0005,
    detour_factor=1.2,
    source=SRC,
)

GAS_PIPE = HEAT_PIPE.model_copy(
    update={
        "family": ResourceFamily.GAS,
        "capex_eur_per_m": 200.0,
        "operating_cost_eur_per_unit_km": 0.01,
        "loss_fraction_per_km": 0.0,
        "operating_co2_kg_per_unit_km": 0.002,
    }
)


def _res(
    code: str,
    family: ResourceFamily,
    unit: str,
    price: float,
    price_co2: float,
    disp: float,
    disp_co2: float,
    density: float = 1.0,
    **extra: object,
) -> Resource:
    return Resource(
        code=code,
        name=code.replace("_", " "),
        family=family,
        canonical_unit=unit,
        virgin_price_eur_per_unit=price,
        virgin_co2_kg_per_unit=price_co2,
        disposal_cost_eur_per_unit=disp,
        disposal_co2_kg_per_unit=disp_co2,
        density_t_per_m3=density,
        source=SRC,
        **extra,
    )


def make_kb() -> KnowledgeBase:
    resources = [
        _res("fgd_gypsum", ResourceFamily.MINERAL, "t", 0.0, 0.0, 20.0, 10.0),
        _res("natural_gypsum", ResourceFamily.MINERAL, "t", 15.0, 120.0, 0.0, 0.0),
        _res("fly_ash", ResourceFamily.MINERAL, "t", 0.0, 0.0, 30.0, 5.0),
        _res("clinker", ResourceFamily.MINERAL, "t", 60.0, 800.0, 0.0, 0.0),
        _res("hot_water", ResourceFamily.HEAT, "MWh", 40.0, 200.0, 0.0, 0.0),
        _res("process_water", ResourceFamily.WATER, "m3", 1.5, 0.2, 2.0, 0.17, water_source="mains"),
        _res(
            "lake_water",
            ResourceFamily.WATER,
            "m3",
            0.1,
            0.2,
            0.0,
            0.0,
            water_source="surface",
            abstracted_water=True,
        ),
        _res("warm_water", ResourceFamily.WATER, "m3", 0.3, 0.2, 0.0, 0.0, water_source="sea"),
        _res(
            "natural_gas",
            ResourceFamily.GAS,
            "MWh",
            40.0,
            235.43,
            0.0,
            0.0,
            combustion_co2_kg_per_unit=201.96,
        ),
        _res(
            "refinery_gas",
            ResourceFamily.GAS,
            "MWh",
            35.0,
            207.36,
            0.0,
            207.36,
            combustion_co2_kg_per_unit=207.36,
        ),
        _res("sludge", ResourceFamily.MINERAL, "t", 0.0, 0.0, 50.0, 20.0),
    ]
    families = {
        ResourceFamily.MINERAL: FamilyInfo(
            family=ResourceFamily.MINERAL,
            transport_mode=TransportMode.TRUCK,
            max_distance_km=200.0,
            source=SRC,
        ),
        ResourceFamily.HEAT: FamilyInfo(
            family=ResourceFamily.HEAT,
            transport_mode=TransportMode.PIPELINE,
            max_distance_km=20.0,
            source=SRC,
        ),
        ResourceFamily.WATER: FamilyInfo(
            family=ResourceFamily.WATER,
            transport_mode=TransportMode.PIPELINE,
            max_distance_km=30.0,
            source=SRC,
        ),
        ResourceFamily.GAS: FamilyInfo(
            family=ResourceFamily.GAS,
            transport_mode=TransportMode.PIPELINE,
            max_distance_km=10.0,
            source=SRC,
        ),
    }
    rules = [
        SubstitutionRule(
            id="refgas-for-gas",
            from_resource="refinery_gas",
            to_resource="natural_gas",
            ratio=1.0,
            pretreatment_cost_eur_per_unit=2.0,
            pretreatment_co2_kg_per_unit=1.0,
            source=SRC,
        ),
        *(
            SubstitutionRule(id=rid, from_resource=src, to_resource="process_water", ratio=1.0, source=SRC)
            for rid, src in (("lake-for-process", "lake_water"), ("warm-for-process", "warm_water"))
        ),
        SubstitutionRule(
            id="fgd-for-gypsum",
            from_resource="fgd_gypsum",
            to_resource="natural_gypsum",
            ratio=1.0,
            min_purity_pct=90.0,
            max_moisture_pct=12.0,
            source=SRC,
        ),
        SubstitutionRule(
            id="ash-for-clinker",
            from_resource="fly_ash",
            to_resource="clinker",
            ratio=0.8,
            max_share_of_input=0.3,
            pretreatment_cost_eur_per_unit=2.0,
            pretreatment_co2_kg_per_unit=1.5,
            source=SRC,
        ),
    ]
    return KnowledgeBase(
        resources={r.code: r for r in resources},
        families=families,
        rules=rules,
        truck=TRUCK,
        pipelines={
            ResourceFamily.HEAT: HEAT_PIPE,
            ResourceFamily.WATER: WATER_PIPE,
            ResourceFamily.GAS: GAS_PIPE,
        },
        emission_factors={},
    )


class Builder:
    """Sites placed by kilometres north of a base point (so distances are exact by construction)."""

    BASE_LAT, BASE_LON = 55.0, 11.0

    def __init__(self) -> None:
        self.firms: list[Firm] = []
        self.sites: list[Site] = []
        self.outputs: list[OutputDeclaration] = []
        self.inputs: list[InputDeclaration] = []

    def site(self, sid: str, km_north: float = 0.0, lon: float | None = None) -> str:
        self.firms.append(Firm(id=f"f-{sid}", name=f"firm {sid}"))
        self.sites.append(
            Site(
                id=sid,
                firm_id=f"f-{sid}",
                name=f"site {sid}",
                latitude_deg=self.BASE_LAT + km_north / KM_PER_DEG_LAT,
                longitude_deg=self.BASE_LON if lon is None else lon,
            )
        )
        return sid

    def out(self, did: str, site: str, resource: str, qty: float, unit: str, **kw: object) -> str:
        from symbiosis.domain.declarations import Quality

        quality = Quality(**{k: kw.pop(k) for k in list(kw) if k in Quality.model_fields})
        self.outputs.append(
            OutputDeclaration(
                id=did,
                site_id=site,
                resource_code=resource,
                unit=unit.split("/")[0],
                quantity=qty,
                quantity_unit=unit,
                quality=quality,
                **kw,
            )
        )
        return did

    def inp(self, did: str, site: str, resource: str, qty: float, unit: str, **kw: object) -> str:
        from symbiosis.domain.declarations import QualityRequirement

        req = QualityRequirement(**{k: kw.pop(k) for k in list(kw) if k in QualityRequirement.model_fields})
        self.inputs.append(
            InputDeclaration(
                id=did,
                site_id=site,
                resource_code=resource,
                unit=unit.split("/")[0],
                quantity=qty,
                quantity_unit=unit,
                requirement=req,
                **kw,
            )
        )
        return did

    def dataset(self):
        from symbiosis.domain.dataset import Dataset

        return Dataset(firms=self.firms, sites=self.sites, outputs=self.outputs, inputs=self.inputs)
