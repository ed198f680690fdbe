"""A seeded synthetic national dataset: sites clustered in industrial zones, declarations by sector.

Used to test and benchmark matching at national scale (10³–10⁵ sites) where no open dataset
of declared by-products exists. Sectors, the resources each gives off or needs, and quantity
ranges are orders of magnitude from sector practice (a 500 MW power plant's FGD gypsum is
10⁵ t/yr; a food plant's residues 10²–10⁴ t/yr), not statistics: the dataset is *plausible*,
not *true*. Same ``(n_sites, seed)`` → the same dataset, bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symbiosis.domain.dataset import Dataset
from symbiosis.domain.declarations import (
    InputDeclaration,
    OutputDeclaration,
    Quality,
    QualityRequirement,
)
from symbiosis.domain.enums import TerritoryLevel
from symbiosis.domain.firm import Firm, Site
from symbiosis.domain.territory import Territory
from symbiosis.knowledge.base import KnowledgeBase

# France's mainland bounding box, WGS84 degrees (IGN); zones falling in the sea are accepted.
LAT_RANGE_DEG = (42.4, 51.0)
LON_RANGE_DEG = (-4.7, 8.2)
SITES_PER_ZONE = 40
ZONE_SPREAD_KM = 3.0
REGION_GRID = (4, 4)
SOURCE = "synthetic (symbiosis.synthetic)"

FLAT = (1.0,) * 12
WINTER = (1.6, 1.5, 1.3, 1.0, 0.6, 0.3, 0.2, 0.2, 0.4, 0.9, 1.3, 1.6)  # heating degree days, roughly
SPRING = (0, 1, 3, 3, 2, 0, 0, 1, 1, 0, 0, 0)  # fertiliser spreading windows
CAMPAIGN = (1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1)  # sugar-beet / harvest campaigns, Sep–Jan
SUMMER = (0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Stream:
    """A resource a sector gives off or needs: how likely, how much (log-uniform), of what quality."""

    resource: str
    p: float
    qty: tuple[float, float]  # canonical units per year
    quality: dict[str, tuple[float, float]] | None = None  # field -> (low, high), uniform
    contaminants: dict[str, tuple[float, float]] | None = None
    profiles: tuple[tuple[tuple[float, ...], float], ...] = ((FLAT, 1.0),)


@dataclass(frozen=True)
class Sector:
    name: str
    nace: str
    weight: float
    outputs: tuple[Stream, ...] = ()
    inputs: tuple[Stream, ...] = ()


_T = {"temperature_c": (95.0, 140.0)}
_TM = {"temperature_c": (60.0, 90.0)}
_TL = {"temperature_c": (20.0, 45.0)}
_WWATER = {"cod": (200.0, 3000.0), "total_n": (20.0, 120.0)}
_EFFLUENT = {"cod": (20.0, 90.0), "total_n": (5.0, 15.0)}

SECTORS: tuple[Sector, ...] = (
    Sector(
        "power plant",
        "35.11",
        0.004,
        outputs=(
            Stream("fgd_gypsum", 0.5, (2e4, 2e5), {"purity_pct": (92.0, 99.0), "moisture_pct": (6.0, 12.0)}),
            Stream("fly_ash", 0.6, (1e4, 1.5e5), {"moisture_pct": (0.0, 8.0)}),
            Stream("bottom_ash", 0.5, (5e3, 5e4), {"moisture_pct": (5.0, 25.0)}),
            Stream("heat_high_gt_90c", 0.5, (5e4, 5e5), _T),
            Stream("steam", 0.4, (5e4, 5e5), {"temperature_c": (180.0, 250.0)}),
            Stream("warm_water", 0.6, (1e6, 5e7), {"temperature_c": (25.0, 35.0)}),
        ),
        inputs=(
            Stream("cooling_water", 0.8, (1e6, 1e8), {"max_temperature_c": (18.0, 25.0)}),
            Stream("process_water", 0.4, (1e5, 1e6), None, {"cod": (20.0, 60.0)}),
            Stream("biomass", 0.3, (5e4, 5e5), {"max_moisture_pct": (40.0, 55.0)}),
            Stream("natural_gas", 0.3, (1e5, 2e6)),
        ),
    ),
    Sector(
        "refinery",
        "19.20",
        0.0006,
        outputs=(
            Stream("refinery_gas", 0.9, (1e5, 1e6)),
            Stream("sulphur", 0.9, (2e3, 5e4), {"purity_pct": (99.0, 99.9)}),
            Stream("heat_high_gt_90c", 0.6, (1e5, 1e6), _T),
            Stream("warm_water", 0.7, (1e6, 2e7), {"temperature_c": (25.0, 40.0)}),
            Stream("industrial_waste_water", 0.8, (1e6, 5e6), None, _WWATER),
        ),
        inputs=(
            Stream("steam", 0.6, (1e5, 1e6), {"min_temperature_c": (150.0, 200.0)}),
            Stream("cooling_water", 0.9, (5e6, 5e7), {"max_temperature_c": (20.0, 28.0)}),
            Stream("process_water", 0.7, (1e5, 2e6), None, {"cod": (30.0, 100.0)}),
            Stream("natural_gas", 0.6, (5e5, 5e6)),
        ),
    ),
    Sector(
        "chemicals",
        "20.14",
        0.03,
        outputs=(
            Stream("steam", 0.15, (5e3, 1e5), {"temperature_c": (160.0, 220.0)}),
            Stream("heat_medium_50_90c", 0.4, (5e3, 1e5), _TM),
            Stream("spent_solvents", 0.4, (50.0, 5e3), {"purity_pct": (80.0, 97.0)}),
            Stream("industrial_waste_water", 0.4, (5e4, 1e6), None, _WWATER),
            Stream("co2_offgas", 0.08, (5e3, 1e5), {"purity_pct": (85.0, 99.0)}),
        ),
        inputs=(
            Stream("steam", 0.4, (1e4, 2e5), {"min_temperature_c": (140.0, 190.0)}),
            Stream("process_water", 0.5, (5e4, 1e6), None, {"cod": (10.0, 50.0)}),
            Stream("solvents", 0.3, (50.0, 5e3)),
            Stream("cooling_water", 0.4, (1e5, 5e6), {"max_temperature_c": (20.0, 28.0)}),
            Stream("natural_gas", 0.4, (1e4, 5e5)),
            Stream("co2", 0.05, (1e3, 2e4)),
        ),
    ),
    Sector(
        "pharmaceuticals and enzymes",
        "21.10",
        0.005,
        outputs=(
            Stream("fermentation_sludge", 0.6, (1e4, 5e5), {"moisture_pct": (95.0, 98.0)}),
            Stream("yeast_slurry", 0.3, (5e3, 1e5)),
            Stream("heat_low_lt_50c", 0.4, (1e4, 1e5), _TL),
            Stream("co2_offgas", 0.2, (1e3, 3e4), {"purity_pct": (90.0, 99.5)}),
        ),
        inputs=(
            Stream("steam", 0.7, (2e4, 3e5), {"min_temperature_c": (130.0, 180.0)}),
            Stream("process_water", 0.8, (1e5, 2e6), None, {"cod": (5.0, 20.0)}),
        ),
    ),
    Sector(
        "food and drink",
        "10.89",
        0.17,
        outputs=(
            Stream(
                "organic_residues",
                0.9,
                (1e2, 2e4),
                {"moisture_pct": (60.0, 90.0)},
                profiles=((FLAT, 0.8), (CAMPAIGN, 0.2)),
            ),
            Stream("industrial_waste_water", 0.7, (1e4, 5e5), None, _WWATER),
            Stream("heat_low_lt_50c", 0.8, (1e3, 3e4), _TL),
            Stream("yeast_slurry", 0.04, (1e3, 3e4)),
            Stream("co2_offgas", 0.04, (5e2, 2e4), {"purity_pct": (95.0, 99.9)}),
        ),
        inputs=(
            Stream("heat_medium_50_90c", 0.4, (1e3, 5e4), {"min_temperature_c": (60.0, 85.0)}),
            Stream("process_water", 0.8, (1e4, 5e5), None, {"cod": (5.0, 30.0)}),
            Stream("steam", 0.15, (2e3, 5e4), {"min_temperature_c": (120.0, 170.0)}),
            Stream("co2", 0.08, (1e2, 5e3), {"min_purity_pct": (99.0, 99.9)}),
            Stream("natural_gas", 0.7, (1e3, 1e5)),
        ),
    ),
    Sector(
        "paper and board",
        "17.12",
        0.01,
        outputs=(
            Stream("organic_residues", 0.4, (1e3, 3e4), {"moisture_pct": (40.0, 70.0)}),
            Stream("heat_low_lt_50c", 0.5, (1e4, 2e5), _TL),
            Stream("wood", 0.3, (1e3, 2e4)),
            Stream("industrial_waste_water", 0.5, (5e5, 5e6), None, _WWATER),
        ),
        inputs=(
            Stream("steam", 0.6, (5e4, 5e5), {"min_temperature_c": (140.0, 180.0)}),
            Stream("process_water", 0.7, (5e5, 1e7), None, {"cod": (20.0, 80.0)}),
            Stream("biomass", 0.3, (1e4, 1e5), {"max_moisture_pct": (35.0, 50.0)}),
        ),
    ),
    Sector(
        "cement",
        "23.51",
        0.0015,
        outputs=(Stream("heat_high_gt_90c", 0.4, (5e4, 3e5), _T),),
        inputs=(
            Stream("clinker", 0.6, (1e5, 1e6)),
            Stream("cement_raw_material", 0.9, (5e5, 2e6)),
            Stream("biomass", 0.3, (1e4, 1e5), {"max_moisture_pct": (20.0, 40.0)}),
        ),
    ),
    Sector(
        "plasterboard",
        "23.62",
        0.001,
        outputs=(Stream("gypsum_waste", 0.5, (1e3, 2e4), {"moisture_pct": (2.0, 15.0)}),),
        inputs=(Stream("natural_gypsum", 0.95, (5e4, 4e5)), Stream("natural_gas", 0.6, (5e4, 3e5))),
    ),
    Sector(
        "iron and steel",
        "24.10",
        0.001,
        outputs=(
            Stream("slag", 0.9, (5e4, 1e6), {"moisture_pct": (5.0, 20.0)}),
            Stream("heat_high_gt_90c", 0.5, (1e5, 1e6), _T),
            Stream("co2_offgas", 0.1, (1e5, 1e6), {"purity_pct": (20.0, 40.0)}),
        ),
        inputs=(
            Stream("metal_scrap", 0.9, (1e5, 2e6)),
            Stream("cooling_water", 0.8, (1e6, 2e7), {"max_temperature_c": (20.0, 30.0)}),
            Stream("natural_gas", 0.7, (2e5, 2e6)),
        ),
    ),
    Sector(
        "metal products",
        "25.62",
        0.08,
        outputs=(
            Stream("metal_scrap", 0.95, (10.0, 2e3)),
            Stream("spent_solvents", 0.3, (5.0, 200.0), {"purity_pct": (70.0, 95.0)}),
            Stream("heat_low_lt_50c", 0.6, (5e2, 1e4), _TL),
        ),
        inputs=(
            Stream("natural_gas", 0.7, (5e2, 2e4)),
            Stream("process_water", 0.5, (1e3, 5e4), None, {"cod": (50.0, 150.0)}),
        ),
    ),
    Sector(
        "waste water treatment",
        "37.00",
        0.03,
        outputs=(
            Stream("treated_effluent", 0.95, (1e5, 2e7), {"temperature_c": (12.0, 22.0)}, _EFFLUENT),
            Stream("sewage_sludge", 0.8, (5e2, 3e4), {"moisture_pct": (70.0, 82.0)}),
            Stream("heat_low_lt_50c", 0.2, (5e3, 8e4), {"temperature_c": (14.0, 25.0)}),
        ),
        inputs=(Stream("heat_medium_50_90c", 0.1, (1e3, 1e4), {"min_temperature_c": (50.0, 60.0)}),),
    ),
    Sector(
        "district heating",
        "35.30",
        0.012,
        inputs=(
            Stream(
                "heat_medium_50_90c",
                0.9,
                (1e4, 5e5),
                {"min_temperature_c": (65.0, 80.0)},
                profiles=((WINTER, 1.0),),
            ),
            Stream(
                "heat_high_gt_90c",
                0.2,
                (1e4, 2e5),
                {"min_temperature_c": (90.0, 110.0)},
                profiles=((WINTER, 1.0),),
            ),
            Stream("biomass", 0.4, (5e3, 1e5), {"max_moisture_pct": (35.0, 55.0)}),
            Stream("natural_gas", 0.3, (1e4, 5e5), None, None, ((WINTER, 1.0),)),
        ),
    ),
    Sector(
        "biogas plant",
        "35.21",
        0.01,
        outputs=(
            Stream("biogas", 0.9, (5e3, 8e4)),
            Stream("heat_medium_50_90c", 0.3, (2e3, 3e4), _TM),
            Stream("co2_offgas", 0.3, (1e3, 1e4), {"purity_pct": (90.0, 99.0)}),
        ),
        inputs=(Stream("biogas_feedstock", 0.95, (5e3, 1e5)),),
    ),
    Sector(
        "farm",
        "01.50",
        0.16,
        outputs=(
            Stream(
                "organic_residues",
                0.3,
                (50.0, 3e3),
                {"moisture_pct": (50.0, 85.0)},
                profiles=((CAMPAIGN, 0.5), (SUMMER, 0.5)),
            ),
        ),
        inputs=(
            Stream("fertiliser", 0.6, (5.0, 300.0), None, None, ((SPRING, 1.0),)),
            Stream("animal_feed", 0.1, (50.0, 5e3)),
            Stream("process_water", 0.6, (1e3, 5e4), None, {"cod": (20.0, 125.0)}),
            Stream("natural_gas", 0.6, (50.0, 2e3), None, None, ((WINTER, 1.0),)),
        ),
    ),
    Sector(
        "greenhouses and fish farms",
        "01.13",
        0.01,
        inputs=(
            Stream(
                "heat_low_lt_50c",
                0.7,
                (1e3, 3e4),
                {"min_temperature_c": (18.0, 30.0)},
                profiles=((WINTER, 1.0),),
            ),
            Stream("co2", 0.4, (1e2, 3e3), {"min_purity_pct": (95.0, 99.0)}),
        ),
    ),
    Sector(
        "plastics",
        "22.29",
        0.04,
        outputs=(Stream("plastics", 0.9, (20.0, 2e3)), Stream("heat_low_lt_50c", 0.3, (5e2, 1e4), _TL)),
        inputs=(
            Stream("plastics", 0.08, (5e2, 2e4)),
            Stream("natural_gas", 0.6, (5e2, 1e4)),
            Stream("process_water", 0.5, (1e3, 5e4), None, {"cod": (30.0, 120.0)}),
        ),
    ),
    Sector(
        "wood and furniture",
        "16.10",
        0.04,
        outputs=(Stream("wood", 0.95, (50.0, 1e4), {"moisture_pct": (10.0, 45.0)}),),
        inputs=(
            Stream("heat_medium_50_90c", 0.3, (5e2, 1e4), {"min_temperature_c": (60.0, 80.0)}),
            Stream("natural_gas", 0.3, (5e2, 1e4)),
        ),
    ),
    Sector(
        "recycling",
        "38.32",
        0.01,
        inputs=(
            Stream("metal_scrap", 0.4, (1e3, 5e4)),
            Stream("plastics", 0.4, (1e3, 3e4)),
            Stream("wood", 0.2, (1e3, 3e4)),
        ),
    ),
    Sector(
        "construction",
        "41.20",
        0.12,
        outputs=(
            Stream("gypsum_waste", 0.5, (10.0, 500.0), {"moisture_pct": (2.0, 15.0)}),
            Stream("wood", 0.5, (10.0, 1e3), {"moisture_pct": (15.0, 40.0)}),
            Stream("metal_scrap", 0.8, (5.0, 500.0)),
            Stream("plastics", 0.3, (5.0, 200.0)),
        ),
        inputs=(Stream("natural_gas", 0.9, (50.0, 2e3)),),
    ),
    Sector(
        "logistics and trade",
        "52.10",
        0.12,
        outputs=(
            Stream("plastics", 0.6, (5.0, 300.0)),
            Stream("wood", 0.6, (10.0, 500.0), {"moisture_pct": (12.0, 25.0)}),
            Stream("heat_low_lt_50c", 0.6, (1e2, 3e3), _TL),
        ),
        inputs=(
            Stream("heat_medium_50_90c", 0.2, (2e2, 5e3), {"min_temperature_c": (55.0, 70.0)}),
            Stream("natural_gas", 0.8, (1e2, 5e3), None, None, ((WINTER, 1.0),)),
        ),
    ),
    Sector(
        "machinery",
        "28.99",
        0.1176,
        outputs=(
            Stream("metal_scrap", 0.9, (10.0, 1e3)),
            Stream("heat_low_lt_50c", 0.5, (2e2, 5e3), _TL),
            Stream("plastics", 0.2, (5.0, 200.0)),
            Stream("wood", 0.2, (5.0, 300.0)),
        ),
        inputs=(
            Stream("natural_gas", 0.7, (5e2, 2e4)),
            Stream("process_water", 0.8, (1e3, 3e4), None, {"cod": (50.0, 200.0)}),
        ),
    ),
)


def _profile(rng: np.random.Generator, s: Stream) -> tuple[float, ...]:
    weights = np.array([w for _, w in s.profiles])
    k = int(rng.choice(len(s.profiles), p=weights / weights.sum()))
    prof = np.asarray(s.profiles[k][0], dtype=float)
    return tuple(float(x) for x in prof / prof.sum())


def _territories(
    n_zones: int, zone_lat: np.ndarray, zone_lon: np.ndarray
) -> tuple[list[Territory], list[str]]:
    """Country › regions (a grid over the box) › one industrial park per zone."""
    rows, cols = REGION_GRID
    out = [Territory(id="FR", name="France (synthetic)", level=TerritoryLevel.COUNTRY, code="FR")]
    for r in range(rows):
        for c in range(cols):
            out.append(
                Territory(
                    id=f"FR-R{r}{c}", name=f"Region {r}{c}", level=TerritoryLevel.REGION, parent_id="FR"
                )
            )
    lat_lo, lat_hi = LAT_RANGE_DEG
    lon_lo, lon_hi = LON_RANGE_DEG
    r_idx = np.clip(((zone_lat - lat_lo) / (lat_hi - lat_lo) * rows).astype(int), 0, rows - 1)
    c_idx = np.clip(((zone_lon - lon_lo) / (lon_hi - lon_lo) * cols).astype(int), 0, cols - 1)
    zone_ids = [f"FR-Z{z:05d}" for z in range(n_zones)]
    for z in range(n_zones):
        out.append(
            Territory(
                id=zone_ids[z],
                name=f"Industrial zone {z}",
                level=TerritoryLevel.INDUSTRIAL_PARK,
                parent_id=f"FR-R{r_idx[z]}{c_idx[z]}",
            )
        )
    return out, zone_ids


def generate_dataset(n_sites: int, seed: int, kb: KnowledgeBase) -> Dataset:
    """``n_sites`` sites with about three declarations each, consistent with ``kb``.

    Streams whose resource the knowledge base lacks are skipped, so the dataset always
    validates against the knowledge base it was generated for.
    """
    if n_sites < 1:
        raise ValueError(f"n_sites = {n_sites}: expected at least 1")
    rng = np.random.default_rng(seed)
    n_zones = max(1, n_sites // SITES_PER_ZONE)
    zone_lat = rng.uniform(*LAT_RANGE_DEG, n_zones)
    zone_lon = rng.uniform(*LON_RANGE_DEG, n_zones)
    territories, zone_ids = _territories(n_zones, zone_lat, zone_lon)

    zone_of = rng.integers(0, n_zones, n_sites)
    km_per_deg = 111.195
    lat = zone_lat[zone_of] + rng.normal(0.0, ZONE_SPREAD_KM, n_sites) / km_per_deg
    lon = zone_lon[zone_of] + rng.normal(0.0, ZONE_SPREAD_KM, n_sites) / (
        km_per_deg * np.cos(np.radians(zone_lat[zone_of]))
    )
    weights = np.array([s.weight for s in SECTORS])
    sector_of = rng.choice(len(SECTORS), size=n_sites, p=weights / weights.sum())

    firms: list[Firm] = []
    sites: list[Site] = []
    outputs: list[OutputDeclaration] = []
    inputs: list[InputDeclaration] = []
    for k in range(n_sites):
        sector = SECTORS[int(sector_of[k])]
        sid, fid = f"s{k:06d}", f"f{k:06d}"
        firms.append(Firm.model_construct(id=fid, name=f"{sector.name} {k}", nace_code=sector.nace))
        sites.append(
            Site.model_construct(
                id=sid,
                firm_id=fid,
                name=f"{sector.name} site {k}",
                latitude_deg=float(np.clip(lat[k], -90, 90)),
                longitude_deg=float(lon[k]),
                territory_id=zone_ids[int(zone_of[k])],
            )
        )
        for kind, streams in (("output", sector.outputs), ("input", sector.inputs)):
            for s in streams:
                if s.resource not in kb.resources or rng.random() >= s.p:
                    continue
                decl = _declaration(rng, kb, kind, s, sid, len(outputs) if kind == "output" else len(inputs))
                if isinstance(decl, OutputDeclaration):
                    outputs.append(decl)
                else:
                    inputs.append(decl)
    return Dataset(territories=territories, firms=firms, sites=sites, outputs=outputs, inputs=inputs)


def _declaration(
    rng: np.random.Generator, kb: KnowledgeBase, kind: str, s: Stream, site_id: str, n: int
) -> OutputDeclaration | InputDeclaration:
    """One declaration, built without re-validation: every value is in range by construction
    (tests/test_synthetic.py re-validates a sample through the pydantic models)."""
    unit = kb.resources[s.resource].canonical_unit
    lo, hi = s.qty
    qty = float(round(np.exp(rng.uniform(np.log(lo), np.log(hi))), 1))
    quality = {f: round(float(rng.uniform(a, b)), 1) for f, (a, b) in (s.quality or {}).items()}
    contaminants = {c: round(float(rng.uniform(a, b)), 1) for c, (a, b) in (s.contaminants or {}).items()}
    profile = _profile(rng, s)
    if kind == "output":
        q = Quality.model_construct(
            temperature_c=quality.get("temperature_c"),
            purity_pct=quality.get("purity_pct"),
            moisture_pct=quality.get("moisture_pct"),
            contaminants_mg_per_l=contaminants,
        )
        return OutputDeclaration.model_construct(
            id=f"o{n:07d}",
            site_id=site_id,
            resource_code=s.resource,
            unit=unit,
            quantity=qty,
            quantity_unit=f"{unit.value}/yr",
            monthly_profile=profile,
            is_estimate=True,
            source=SOURCE,
            quantity_per_yr=qty,
            quality=q,
        )
    r = QualityRequirement.model_construct(
        min_temperature_c=quality.get("min_temperature_c"),
        max_temperature_c=quality.get("max_temperature_c"),
        min_purity_pct=quality.get("min_purity_pct"),
        max_moisture_pct=quality.get("max_moisture_pct"),
        max_contaminants_mg_per_l=contaminants,
    )
    return InputDeclaration.model_construct(
        id=f"i{n:07d}",
        site_id=site_id,
        resource_code=s.resource,
        unit=unit,
        quantity=qty,
        quantity_unit=f"{unit.value}/yr",
        monthly_profile=profile,
        is_estimate=True,
        source=SOURCE,
        quantity_per_yr=qty,
        requirement=r,
    )
