"""The Finnish E-PRTR prefill: hand-checked facilities, provenance of every row, reproducibility.

Expected quantities below are written as the arithmetic on the raw figures of
`datasets/finland_eprtr/source/` (read by eye from the SYKE files) times the shares of
`activity_mapping.csv`, so a change to either shows up here.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from symbiosis.dataset_io import read_dataset, write_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.errors import InvalidInput, SymbiosisError
from symbiosis.knowledge import KnowledgeBase, load_knowledge_base
from symbiosis.prefill.eprtr import DATASET_DIR, MAPPING_PATH, NACE_MAPPING_PATH, SOURCE_DIR, build_dataset
from symbiosis.prefill.eprtr_source import read_facilities
from symbiosis.prefill.mapping import read_mapping, rows_for_activity
from symbiosis.prefill.nace import common_nace_code, read_nace_mapping
from symbiosis.prefill.tm35fin import tm35fin_to_wgs84

DATASET_FILES = ("territories", "firms", "sites", "outputs", "inputs", "exchanges")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def built(kb: KnowledgeBase) -> Dataset:
    return build_dataset(kb)


def _declared(dataset: Dataset, site_id: str) -> dict[str, tuple[str, float, str, int | None]]:
    rows = [*dataset.outputs, *dataset.inputs]
    return {
        d.id: (d.resource_code, d.quantity, d.quantity_unit, d.year) for d in rows if d.site_id == site_id
    }


def _assert_same(actual: dict, expected: dict) -> None:
    assert set(actual) == set(expected)
    for key, (resource, quantity, unit, year) in expected.items():
        a_resource, a_quantity, a_unit, a_year = actual[key]
        assert (a_resource, a_unit, a_year) == (resource, unit, year), key
        assert a_quantity == pytest.approx(quantity, abs=0.051), key  # builder rounds to 0.1


def test_power_plant_suomenoja(built: Dataset) -> None:
    """Fortum Suomenoja, 1(c): NONHW_D 2021-23 = 11,700, 22,100, 13,600 t; CO2 = 560, 502, 323 kt."""
    site = "fi-eprtr-0000001115"
    nonhw_d = (11_700 + 22_100 + 13_600) / 3
    co2_t = (560_000 + 502_000 + 323_000) / 3
    _assert_same(
        _declared(built, site),
        {
            f"{site}-out-combustion_fly_ash": ("biomass_fly_ash", 0.70 * nonhw_d, "t/yr", 2023),
            f"{site}-out-combustion_bottom_ash": ("bottom_ash", 0.25 * nonhw_d, "t/yr", 2023),
            # no FGD gypsum: 462 kt CO2/yr is below the 500 kt/yr of a wet-FGD plant; no heat intake
            # inferred from its own CO2 (issue 15 item 9)
            f"{site}-in-combustion_wood_fuel": ("biomass", 0.16 * co2_t, "t/yr", 2023),
        },
    )
    fly_ash = next(o for o in built.outputs if o.id == f"{site}-out-combustion_fly_ash")
    assert fly_ash.quality.moisture_pct == 1.0
    assert fly_ash.quantity == 11_060.0


def _sox_mean_t(facility_id: str) -> float:
    """Mean SOx to air, t/yr, over the facility's last three reporting years — read straight from
    releases.csv with the csv module (not through the prefill's reader)."""
    with (SOURCE_DIR / "releases.csv").open(encoding="utf-8", newline="") as fh:
        rows = [
            r
            for r in csv.DictReader(fh, delimiter=";")
            if r["Facility_INSPIRE_ID"].split("/")[-1].startswith(facility_id)
        ]
    years = sorted({int(r["reportingYear"]) for r in rows})[-3:]
    sox = sum(
        float(r["totalPollutantQuantityKg"])
        for r in rows
        if r["pollutantCode"] == "SOX" and r["medium"] == "AIR" and int(r["reportingYear"]) in years
    )
    return sox / len(years) / 1000.0


def test_fgd_gypsum_only_from_large_plants_burning_sulphurous_fuel(built: Dataset) -> None:
    """Helen Salmisaari (coal, ≥ 500 kt CO2/yr, SOx reported): gypsum = 24.2 t per t SOx released."""
    site = "fi-eprtr-0000001170"
    (gypsum,) = [o for o in built.outputs if o.site_id == site and o.resource_code == "fgd_gypsum"]
    assert gypsum.quantity == pytest.approx(24.2 * _sox_mean_t("0000001170"), abs=0.051)
    assert 20_000 < gypsum.quantity < 40_000
    givers = {o.site_id for o in built.outputs if o.resource_code == "fgd_gypsum"}
    assert "fi-eprtr-0000002961" not in givers  # Adven's boiler at Valio Seinäjoki (a dairy): no FGD
    assert len(givers) <= 5  # a handful of large coal/peat plants, not every combustion plant


def test_no_heat_input_is_inferred_from_a_plants_own_emissions(built: Dataset) -> None:
    heat_inputs = [i for i in built.inputs if i.resource_code.startswith("heat")]
    assert all("CO2" not in i.source for i in heat_inputs)
    mapping = read_mapping(MAPPING_PATH)
    assert not [
        r
        for r in mapping
        if r.direction == "input" and r.resource_code.startswith("heat") and r.basis.endswith("_AIR")
    ]


def test_a_heat_input_scaled_from_emissions_is_refused(tmp_path: Path) -> None:
    text = MAPPING_PATH.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(id="heat_from_co2", activity_code="1(c)", activity_name="Thermal", direction="input",
               resource_code="heat_medium_50_90c", basis="CO2_AIR", factor="0.24", quantity_unit="MWh/yr",
               assumption="inferred from its own CO2", source="estimate")  # fmt: skip
    bad = tmp_path / "mapping.csv"
    bad.write_text("\n".join([*text, ",".join(row[h] for h in header)]) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        read_mapping(bad)
    assert "not what outside heat it could take" in str(err.value)


def test_waste_water_plant_viikinmaki(built: Dataset) -> None:
    """HSY Viikinmäki, 5(f): NONHW_D 2021-23 = 3, -, - t; NONHW_R = 62,000, 63,300, 65,400 t."""
    site = "fi-eprtr-0000000200"
    _assert_same(
        _declared(built, site),
        {
            f"{site}-out-wwtp_sludge_disposal": ("sewage_sludge", (3 + 0 + 0) / 3, "t/yr", 2023),
            f"{site}-out-wwtp_sludge_recovery": (
                "sewage_sludge",
                (62_000 + 63_300 + 65_400) / 3,
                "t/yr",
                2023,
            ),
            f"{site}-out-wwtp_effluent": ("treated_effluent", 100_000 * 0.25 * 365, "m3/yr", 2023),
            f"{site}-out-wwtp_effluent_heat": ("heat_low_lt_50c", 31_800, "MWh/yr", 2023),
        },
    )


def test_pig_farm_gets_threshold_feed_and_no_manure_below_reporting(built: Dataset) -> None:
    """A pig unit reporting manure only to recovery declares its feed need (2,000 places × 0.9 t)."""
    site = "fi-eprtr-0000012251"
    expected = {f"{site}-in-pig_feed_intake": ("animal_feed", 2_000 * 0.9, "t/yr", 2023)}
    _assert_same(_declared(built, site), expected)


def test_name_rule_singles_out_biogas_plants(built: Dataset) -> None:
    site = "fi-eprtr-0100251401"  # Metsä Fibre, Äänekosken biokaasulaitos, 5(c)
    _assert_same(
        _declared(built, site),
        {
            f"{site}-in-biogas_plant_feedstock_intake": ("biogas_feedstock", 50 * 365, "t/yr", 2023),
        },
    )
    mapping = read_mapping(MAPPING_PATH)
    landfill_rows = rows_for_activity(mapping, "5(c)", "Landfill Oy")
    assert "biogas_plant_feedstock_intake" not in {r.id for r in landfill_rows}


def test_fertiliser_plant_declares_phosphogypsum(built: Dataset) -> None:
    """Yara Siilinjärvi, 4(c): NONHW_D 2021-23 = 1,680,000, 735, 3,690 t (moved to R from 2022)."""
    site = "fi-eprtr-0000001995"
    _assert_same(
        _declared(built, site),
        {
            f"{site}-out-phosphogypsum": ("phosphogypsum", 0.9 * (1_680_000 + 735 + 3_690) / 3, "t/yr", 2023),
        },
    )
    pg = next(o for o in built.outputs if o.id == f"{site}-out-phosphogypsum")
    assert (pg.quality.moisture_pct, pg.quality.purity_pct) == (25.0, 92.0)


def test_copper_nickel_smelter_declares_slag_and_iron_precipitate(built: Dataset) -> None:
    """Boliden Harjavalta, 2(e)(i): NONHW_D 2021-23 = 107,000, 164,000, 182,000 t;
    HW_D = 451,000, 430,000, 383,000 t."""
    site = "fi-eprtr-0000001152"
    _assert_same(
        _declared(built, site),
        {
            f"{site}-out-nonferrous_slag": (
                "nonferrous_slag",
                0.8 * (107_000 + 164_000 + 182_000) / 3,
                "t/yr",
                2023,
            ),
            f"{site}-out-nonferrous_iron_precipitate": (
                "jarosite_iron_precipitate",
                0.5 * (451_000 + 430_000 + 383_000) / 3,
                "t/yr",
                2023,
            ),
        },
    )


def test_firms_get_nace_codes_only_where_their_activities_determine_one(built: Dataset) -> None:
    firms = {f.name: f for f in built.firms}
    assert firms["Finnsementti Oy"].nace_code == "23.51"  # 3(c)(i) twice
    assert "3(c)(i)" in (firms["Finnsementti Oy"].source or "")
    assert firms["Neste Oyj"].nace_code == "19.20"
    assert firms["Boliden Harjavalta Oy"].nace_code is None  # 2(e)(i) smelter + 5(d) landfill
    assert firms["Helon Kuumasinkitys Oy"].nace_code == "25.51"
    undisclosed = {f.id: f for f in built.firms}
    assert undisclosed["fi-firm-undisclosed-0000028625"].nace_code == "01.47"  # a 7(a)(i) poultry unit


def test_common_nace_code_climbs_to_the_shared_ancestor(kb: KnowledgeBase) -> None:
    assert common_nace_code(["01.46", "01.47"], kb) == "01.4"
    assert common_nace_code(["24.44", "24.10"], kb) == "24"
    assert common_nace_code(["24.10", "38.32"], kb) is None  # only section C vs E: nothing shared
    assert common_nace_code(["17.11", "16.12"], kb) is None  # section C only: coarser than a division


def test_nace_mapping_covers_every_activity_and_rejects_unknown_codes(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    rows = read_nace_mapping(NACE_MAPPING_PATH, kb)
    assert {f.activity_code for f in read_facilities(SOURCE_DIR)} <= set(rows)
    assert rows["6(b)"].nace_code is None and "16.21" in rows["6(b)"].reasoning
    bad = tmp_path / "nace.csv"
    bad.write_text(
        "activity_code,activity_name,nace_code,reasoning\n"
        "3(c)(i),Cement,23.59,a class that NACE Rev. 2.1 does not have\n"
        "1(a),Refineries,C,a section is too coarse to be useful\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as err:
        read_nace_mapping(bad, kb)
    assert {(i.field, i.value) for i in err.value.issues} == {("nace_code", "23.59"), ("nace_code", "C")}


def test_closed_facility_is_a_site_without_declarations(built: Dataset) -> None:
    site = "fi-eprtr-0000001431"  # a 1(c) plant reported as 'disused'
    assert site in {s.id for s in built.sites}
    assert _declared(built, site) == {}


def test_every_prefilled_row_is_an_estimate_naming_its_source_and_mapping_row(built: Dataset) -> None:
    mapping_ids = {r.id for r in read_mapping(MAPPING_PATH)}
    declarations = [*built.outputs, *built.inputs]
    assert len(built.outputs) > 300 and len(built.inputs) > 300
    for d in declarations:
        assert d.is_estimate, d.id
        assert d.source and "E-PRTR" in d.source, d.id
        row_id = d.id.split("-out-" if "-out-" in d.id else "-in-")[1]
        assert row_id in mapping_ids, d.id
        assert f"mapping row '{row_id}'" in d.source, d.id
        assert d.note, d.id


def test_mapping_rows_are_sourced_and_use_knowledge_base_codes(kb: KnowledgeBase) -> None:
    rows = read_mapping(MAPPING_PATH)
    assert len({r.id for r in rows}) == len(rows)
    for r in rows:
        assert r.resource_code in kb.resources, r.id
        assert r.source.strip() and r.assumption.strip(), r.id


def test_mapping_rejects_shares_above_the_reported_tonnes(tmp_path: Path) -> None:
    text = MAPPING_PATH.read_text(encoding="utf-8").splitlines()
    header, first = text[0], next(line for line in text if line.startswith("combustion_fly_ash,"))
    clash = first.replace("combustion_fly_ash,", "extra_fly_ash,", 1)
    bad = tmp_path / "mapping.csv"
    bad.write_text("\n".join([header, first, clash]) + "\n", encoding="utf-8")
    with pytest.raises(SymbiosisError, match=r"1\(c\) NONHW_D: 1\.400"):
        read_mapping(bad)


def test_territories_follow_the_reported_authority_area(built: Dataset) -> None:
    territories = {t.id: t for t in built.territories}
    site = next(s for s in built.sites if s.id == "fi-eprtr-0000001115")  # Espoo
    municipality = territories[site.territory_id]
    assert municipality.name == "Espoo"
    assert municipality.parent_id == "fi-ely-uusimaa"
    assert territories["fi-ely-uusimaa"].parent_id == "fi"


def test_grid_coordinates_convert_to_within_a_few_metres_of_the_published_ones() -> None:
    with (SOURCE_DIR / "facilities.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter=";") if r["pointGeometryLat"]]
    assert len(rows) > 700
    worst_m = 0.0
    for r in rows:
        lat, lon = tm35fin_to_wgs84(float(r["x"]), float(r["y"]))
        dy = (lat - float(r["pointGeometryLat"])) * 111_200
        dx = (lon - float(r["pointGeometryLon"])) * 111_200 * math.cos(math.radians(lat))
        worst_m = max(worst_m, math.hypot(dx, dy))
    assert worst_m < 2.0  # published degrees carry 5 decimals (~1 m)


def test_committed_dataset_loads_without_issue(kb: KnowledgeBase, built: Dataset) -> None:
    loaded = read_dataset(DATASET_DIR, kb)
    assert loaded.counts() == built.counts()
    assert loaded.counts()["sites"] == 1072


def test_rebuilding_reproduces_the_committed_files(kb: KnowledgeBase, built: Dataset, tmp_path: Path) -> None:
    write_dataset(built, tmp_path)
    for name in DATASET_FILES:
        committed = (DATASET_DIR / f"{name}.csv").read_bytes()
        assert (tmp_path / f"{name}.csv").read_bytes() == committed, f"{name}.csv differs: rerun the builder"
