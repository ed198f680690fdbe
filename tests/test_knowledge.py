"""The resource knowledge base: complete, sourced, consistent, and rejected loudly when broken."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from symbiosis import DATASETS_DIR
from symbiosis.domain import PipelineParameters, ResourceFamily, TransportMode
from symbiosis.errors import InvalidInput
from symbiosis.knowledge import KnowledgeBase, load_knowledge_base

KNOWLEDGE_DIR = DATASETS_DIR / "knowledge"
REFERENCE_EWC = KNOWLEDGE_DIR / "source" / "ewc_list_of_waste_defra.csv"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_default_load_is_cached(kb: KnowledgeBase) -> None:
    assert load_knowledge_base() is kb
    assert load_knowledge_base(KNOWLEDGE_DIR) is not kb


def test_every_family_has_its_info(kb: KnowledgeBase) -> None:
    assert set(kb.families) == set(ResourceFamily)
    for res in kb.resources.values():
        assert res.family in kb.families


def test_pipeline_families_have_parameters_and_others_go_by_truck(kb: KnowledgeBase) -> None:
    piped = {f for f, info in kb.families.items() if info.transport_mode is TransportMode.PIPELINE}
    assert piped == {ResourceFamily.STEAM, ResourceFamily.HEAT, ResourceFamily.WATER, ResourceFamily.GAS}
    assert set(kb.pipelines) == piped
    for fam in piped:
        assert 5 <= kb.families[fam].max_distance_km <= 25
    for fam in set(ResourceFamily) - piped:
        assert kb.families[fam].max_distance_km >= 100


def test_every_rule_names_existing_resources(kb: KnowledgeBase) -> None:
    for rule in kb.rules:
        assert rule.from_resource in kb.resources, rule.id
        assert rule.to_resource in kb.resources, rule.id
        assert rule.from_resource != rule.to_resource


def test_every_record_has_a_source(kb: KnowledgeBase) -> None:
    records = [
        *kb.resources.values(),
        *kb.rules,
        *kb.emission_factors.values(),
        *kb.families.values(),
        *kb.pipelines.values(),
        kb.truck,
    ]
    for rec in records:
        assert len(rec.source.strip()) >= 3, rec
    for name in ("ewc_codes.csv", "nace_rev2_1.csv"):
        with (KNOWLEDGE_DIR / name).open(encoding="utf-8") as fh:
            assert all(len(row["source"]) > 10 for row in csv.DictReader(fh)), name


def test_the_resources_other_engineers_rely_on_exist(kb: KnowledgeBase) -> None:
    expected = {
        "steam",
        "heat_high_gt_90c",
        "heat_medium_50_90c",
        "heat_low_lt_50c",
        "cooling_water",
        "warm_water",
        "process_water",
        "fresh_surface_water",
        "treated_effluent",
        "industrial_waste_water",
        "fgd_gypsum",
        "natural_gypsum",
        "fly_ash",
        "bottom_ash",
        "slag",
        "clinker",
        "cement_raw_material",
        "sulphur",
        "co2",
        "sewage_sludge",
        "organic_residues",
        "biomass",
        "yeast_slurry",
        "animal_feed",
        "fertiliser",
        "refinery_gas",
        "natural_gas",
        "biogas",
        "solvents",
        "plastics",
        "wood",
        "metal_scrap",
    }
    assert expected <= set(kb.resources)


def test_canonical_units_follow_the_family(kb: KnowledgeBase) -> None:
    unit_of = {
        ResourceFamily.STEAM: "t",
        ResourceFamily.HEAT: "MWh",
        ResourceFamily.WATER: "m3",
        ResourceFamily.GAS: "MWh",
    }
    for res in kb.resources.values():
        assert res.canonical_unit == unit_of.get(res.family, "t"), res.code


def test_required_substitutions_exist(kb: KnowledgeBase) -> None:
    pairs = {(r.from_resource, r.to_resource) for r in kb.rules}
    for pair in [
        ("fgd_gypsum", "natural_gypsum"),
        ("fly_ash", "clinker"),
        ("slag", "clinker"),
        ("steam", "heat_high_gt_90c"),
        ("heat_high_gt_90c", "heat_medium_50_90c"),
        ("heat_medium_50_90c", "heat_low_lt_50c"),
        ("treated_effluent", "cooling_water"),
        ("treated_effluent", "process_water"),
        ("sewage_sludge", "fertiliser"),
        ("yeast_slurry", "animal_feed"),
        ("refinery_gas", "natural_gas"),
        ("biogas", "natural_gas"),
        ("organic_residues", "biogas_feedstock"),
        ("organic_residues", "animal_feed"),
        ("wood", "biomass"),
        ("co2_offgas", "co2"),
    ]:
        assert pair in pairs, pair
    fly_ash = next(r for r in kb.rules if r.id == "fly_ash-clinker")
    assert fly_ash.max_share_of_input == 0.3


def test_all_842_ewc_codes_are_present(kb: KnowledgeBase) -> None:
    assert len(kb.ewc) == 842
    assert sum(e.hazardous for e in kb.ewc.values()) == 408
    assert all(e.code.endswith("*") == e.hazardous for e in kb.ewc.values())
    assert kb.ewc["10 01 02"].description == "Coal fly ash"
    assert kb.resource_for_ewc("10 01 05").code == "fgd_gypsum"
    assert kb.resource_for_ewc("10 01 07").code == "fgd_gypsum"
    assert kb.resource_for_ewc("19 08 05").code == "sewage_sludge"
    assert kb.resource_for_ewc("01 01 01").code == "mine_waste_rock"
    assert kb.resource_for_ewc("11 02 02*").code == "jarosite_iron_precipitate"
    assert kb.resource_for_ewc("01 03 04*") is None  # acid-generating tailings: deliberately unmapped


def test_finnish_mineral_streams_have_resources_and_only_supported_uses(kb: KnowledgeBase) -> None:
    """Phosphogypsum, slags, foundry sand and mine waste reach real uses; jarosite reaches none."""
    uses: dict[str, set[str]] = {}
    for rule in kb.rules:
        uses.setdefault(rule.from_resource, set()).add(rule.to_resource)
    assert uses["phosphogypsum"] == {"natural_gypsum"}
    assert uses["nonferrous_slag"] == {"aggregates", "cement_raw_material"}
    assert uses["foundry_sand"] == {"aggregates", "cement_raw_material"}
    assert uses["mine_waste_rock"] == {"aggregates"}
    assert kb.resources["jarosite_iron_precipitate"].hazardous
    assert "jarosite_iron_precipitate" not in uses  # 11 02 02*: no use the data support
    assert "mine_tailings" not in uses
    pg = next(r for r in kb.rules if r.id == "phosphogypsum-natural_gypsum")
    assert pg.min_purity_pct == 90 and pg.max_share_of_input == 0.5
    assert "2013/59/Euratom" in pg.note and "2013/59/Euratom" in pg.source


def test_ewc_flags_match_the_reference_file(kb: KnowledgeBase) -> None:
    with REFERENCE_EWC.open(encoding="utf-8") as fh:
        reference = {r["code"]: r["isHazardous"] == "true" for r in csv.DictReader(fh)}
    ours = {e.code.rstrip("*").replace(" ", ""): e.hazardous for e in kb.ewc.values()}
    assert ours == reference


def test_resource_ewc_codes_and_mapping_agree(kb: KnowledgeBase) -> None:
    for res in kb.resources.values():
        for code in res.ewc_codes:
            assert kb.ewc[code].resource_code == res.code
        assert all(kb.ewc[c].hazardous == res.hazardous for c in res.ewc_codes), res.code


def test_nace_levels_one_to_four(kb: KnowledgeBase) -> None:
    levels = [n.level for n in kb.nace.values()]
    assert (levels.count(1), levels.count(2), levels.count(3), levels.count(4)) == (22, 87, 287, 651)
    assert kb.nace["35.30"].name == "Steam and air conditioning supply"
    assert kb.nace["35.30"].parent_code == "35.3"


def test_truck_and_fuel_factors_trace_to_their_sources(kb: KnowledgeBase) -> None:
    factors = kb.emission_factors
    assert kb.truck.co2_kg_per_t_km == factors["desnz2025_hgv_all_diesel_average_laden"].value == 0.10163
    assert factors["ipcc2006_natural_gas_combustion"].value == pytest.approx(56.1 * 3.6)
    assert factors["ipcc2006_clinker_process"].value == pytest.approx(
        0.65 * 44.01 / 56.08 * 1.02 * 1000, abs=0.1
    )
    assert kb.resources["natural_gas"].virgin_co2_kg_per_unit == factors["derived_natural_gas_supplied"].value
    assert factors["derived_natural_gas_supplied"].value == pytest.approx(201.96 + 33.47)
    assert kb.resources["process_water"].virgin_co2_kg_per_unit == factors["desnz2025_water_supply"].value
    assert kb.resources["clinker"].virgin_co2_kg_per_unit == factors["derived_clinker_total"].value


def test_capital_recovery_factor_by_hand() -> None:
    pipe = PipelineParameters(
        family=ResourceFamily.HEAT,
        capex_eur_per_m=1000,
        lifetime_yr=20,
        discount_rate=0.05,
        opex_fraction_per_yr=0.02,
        operating_cost_eur_per_unit_km=0,
        loss_fraction_per_km=0,
        operating_co2_kg_per_unit_km=0,
        detour_factor=1.2,
        source="hand case",
    )
    # 0.05 × 1.05^20 / (1.05^20 − 1) = 0.05 × 2.6532977 / 1.6532977
    assert pipe.capital_recovery_factor == pytest.approx(0.0802425872, rel=1e-9)
    assert pipe.fixed_cost_eur_per_yr(2.0) == pytest.approx(2_000_000 * (0.0802425872 + 0.02), rel=1e-9)
    zero = pipe.model_copy(update={"discount_rate": 0.0})
    assert zero.capital_recovery_factor == pytest.approx(1 / 20)


def test_shipped_pipeline_fixed_cost(kb: KnowledgeBase) -> None:
    heat = kb.pipelines[ResourceFamily.HEAT]
    crf = 0.05 * 1.05**40 / (1.05**40 - 1)
    assert heat.fixed_cost_eur_per_yr(1.0) == pytest.approx(heat.capex_eur_per_m * 1000 * (crf + 0.015))


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_broken_knowledge_base_reports_every_issue_with_file_and_row(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path)
    _edit(
        folder / "substitution_rules.csv",
        "fgd_gypsum-natural_gypsum,fgd_gypsum,",
        "fgd_gypsum-natural_gypsum,fgd_gypsm,",
    )
    _edit(
        folder / "resources.csv",
        "sulphur,Elemental sulphur (Claus unit),chemical,t,false,05 01 16,100",
        "sulphur,Elemental sulphur (Claus unit),chemical,t,false,05 01 16,-100",
    )
    _edit(folder / "families.csv", "co2,truck,300", "co2,truck,-5")
    _edit(folder / "pipelines.csv", "gas,400", "mineral,400")
    with pytest.raises(InvalidInput) as err:
        load_knowledge_base(folder)
    found = {(i.location, i.field) for i in err.value.issues}
    assert ("substitution_rules.csv row 2", "from_resource") in found
    assert ("resources.csv row 20", "virgin_price_eur_per_unit") in found
    assert ("families.csv row 6", "max_distance_km") in found
    assert ("pipelines.csv row 5", "family") in found  # mineral is not a pipeline family
    assert ("pipelines.csv", "family") in found  # gas lost its pipeline row
    assert any(i.field == "family" and i.value == "co2" for i in err.value.issues)  # co2 lost its FamilyInfo


def test_unknown_ewc_resource_and_missing_file_are_reported(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path)
    text = (folder / "ewc_codes.csv").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("10 01 02,"))
    (folder / "ewc_codes.csv").write_text(
        text.replace(row, row.replace(",fly_ash,", ",flyash,")), encoding="utf-8"
    )
    (folder / "truck.csv").unlink()
    with pytest.raises(InvalidInput) as err:
        load_knowledge_base(folder)
    fields = {(i.field, str(i.value)) for i in err.value.issues}
    assert ("resource_code", "flyash") in fields
    assert any(i.location.endswith("truck.csv") and i.field == "(file)" for i in err.value.issues)
    assert ("ewc_codes", "10 01 02") in fields  # fly_ash still claims it


def test_a_second_rule_for_the_same_resource_pair_is_refused(tmp_path: Path) -> None:
    """Matching keeps one pairing per resource pair: a second rule would be silently ignored."""
    folder = _copy_kb(tmp_path)
    rules = folder / "substitution_rules.csv"
    lines = rules.read_text(encoding="utf-8").splitlines()
    first = next(line for line in lines[1:] if line.startswith("fgd_gypsum-natural_gypsum,"))
    second = first.replace("fgd_gypsum-natural_gypsum,", "fgd_gypsum-wet,", 1)
    rules.write_text("\n".join([*lines, second]) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_knowledge_base(folder)
    (issue,) = err.value.issues
    assert issue.location == f"substitution_rules.csv row {len(lines) + 1}" and issue.field == "to_resource"
    assert "rule 'fgd_gypsum-natural_gypsum' already lets fgd_gypsum replace natural_gypsum" in issue.expected


def test_fuels_carry_a_combustion_factor_and_water_a_source(kb: KnowledgeBase) -> None:
    res = kb.resources
    assert res["refinery_gas"].combustion_co2_kg_per_unit == kb.emission_factors[
        "ipcc2006_refinery_gas_combustion"
    ].value
    assert res["natural_gas"].combustion_co2_kg_per_unit == kb.emission_factors[
        "ipcc2006_natural_gas_combustion"
    ].value
    assert res["biogas"].combustion_co2_kg_per_unit == 0.0  # biogenic
    for rule in kb.rules:  # whatever replaces a fuel is burnt, so it says what burning it emits
        if res[rule.to_resource].combustion_co2_kg_per_unit is not None:
            assert res[rule.from_resource].combustion_co2_kg_per_unit is not None, rule.id
    assert res["fresh_surface_water"].abstracted_water
    assert res["fresh_surface_water"].disposal_cost_eur_per_unit == 0
    assert res["process_water"].water_source == "mains"
    assert res["warm_water"].water_source == "sea"


def test_a_rule_replacing_a_fuel_with_an_unburnable_resource_is_refused(tmp_path: Path) -> None:
    folder = _copy_kb(tmp_path)
    path = folder / "resources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("refinery_gas,"))
    lines[row] = lines[row].replace(",207.36,,,", ",,,,", 1)  # drop its combustion factor
    lake = next(i for i, line in enumerate(lines) if line.startswith("fresh_surface_water,"))
    lines[lake] = lines[lake].replace(",0.1,0.1913,0,0,", ",0.1,0.1913,2,0,", 1)  # a disposal cost
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_knowledge_base(folder)
    found = {(i.field, str(i.value)) for i in err.value.issues}
    assert ("from_resource", "refinery_gas") in found
    issues = err.value.issues
    assert any(i.field == "disposal_cost_eur_per_unit" and "abstracted" in i.expected for i in issues)
