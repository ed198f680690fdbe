"""Issue 15 leftover: coal fly ash (EN 450 / EN 197-1) and peat or wood fly ash are different resources."""

from __future__ import annotations

from symbiosis.knowledge import load_knowledge_base


def test_only_coal_fly_ash_may_replace_clinker() -> None:
    kb = load_knowledge_base()
    to_clinker = {r.from_resource for r in kb.rules_to("clinker")}
    assert "fly_ash" in to_clinker and "biomass_fly_ash" not in to_clinker
    assert {r.to_resource for r in kb.rules_from("biomass_fly_ash")} == {"aggregates", "cement_raw_material"}


def test_the_list_of_waste_codes_separate_the_two_ashes() -> None:
    kb = load_knowledge_base()
    assert kb.resource_for_ewc("10 01 02").code == "fly_ash"  # coal fly ash
    assert kb.resource_for_ewc("10 01 03").code == "biomass_fly_ash"  # fly ash from peat and untreated wood
    assert kb.resource_for_ewc("10 01 17").code == "biomass_fly_ash"  # co-incineration


def test_finnish_combustion_ash_is_declared_as_peat_and_wood_ash() -> None:
    import csv

    from symbiosis import DATASETS_DIR

    with (DATASETS_DIR / "finland_eprtr" / "outputs.csv").open(encoding="utf-8") as fh:
        codes = {r["resource_code"] for r in csv.DictReader(fh) if r["id"].endswith("_fly_ash")}
    assert codes == {"biomass_fly_ash"}
