"""French territories from Etalab's EPCI membership: tree shape, selection, errors, CLI template.

Hand-made files pin the rules (an EPCI's région is the one holding most of its population, a
département selects every EPCI with a commune in it); the shipped file pins the real counts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.dataset_io import read_dataset, write_dataset
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.enums import TerritoryLevel
from symbiosis.errors import InvalidInput
from symbiosis.knowledge import load_knowledge_base
from symbiosis.prefill.fr_territories import find_epci, french_territories, read_membership, select_epcis

HEADER = (
    "epci_siren,epci_nom,epci_type,epci_population_totale,commune_insee,commune_nom,departement,"
    "region,commune_population\n"
)
ROWS = [
    "200000001,CA Garonne Amont,CA,3000,31001,Amont-sur-Garonne,31,76,2000",
    "200000001,CA Garonne Amont,CA,3000,31002,Bourg-Aval,31,76,1000",
    # straddles Occitanie (76) and Nouvelle-Aquitaine (75); most inhabitants in 75
    "200000002,CC des Deux Rives,CC,5000,31003,Rive-Gauche,31,76,1000",
    "200000002,CC des Deux Rives,CC,5000,47001,Rive-Droite,47,75,4000",
    "200000003,CC du Valinco Corse,CC,800,2A001,Olmeto,2A,94,800",
]


def _write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "membership.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return _write(tmp_path, ROWS)


def test_tree_parents_levels_and_codes(small: Path) -> None:
    epcis = read_membership(small)
    by_id = {t.id: t for t in french_territories(select_epcis(epcis))}
    assert set(by_id) == {
        "fr", "fr_region_75", "fr_region_76", "fr_region_94",
        "fr_epci_200000001", "fr_epci_200000002", "fr_epci_200000003",
        "fr_commune_31001", "fr_commune_31002", "fr_commune_31003", "fr_commune_47001", "fr_commune_2A001",
    }  # fmt: skip
    assert by_id["fr_region_76"].name == "Occitanie" and by_id["fr_region_76"].parent_id == "fr"
    assert by_id["fr_epci_200000001"].parent_id == "fr_region_76"
    assert by_id["fr_epci_200000002"].parent_id == "fr_region_75"  # 4,000 of its 5,000 inhabitants
    assert by_id["fr_commune_31003"].parent_id == "fr_epci_200000002"  # in 76, yet its EPCI's child
    epci = by_id["fr_epci_200000001"]
    assert (epci.level, epci.code) == (TerritoryLevel.INTERCOMMUNALITY, "200000001")
    assert epci.name == "CA Garonne Amont"
    assert "communauté d'agglomération" in (epci.source or "")
    commune = by_id["fr_commune_2A001"]
    assert (commune.level, commune.code, commune.parent_id) == (
        TerritoryLevel.MUNICIPALITY,
        "2A001",
        "fr_epci_200000003",
    )


def test_selection_by_departement_region_and_epci(small: Path) -> None:
    epcis = read_membership(small)

    def sirens(**kw: list[str]) -> list[str]:
        return [e.siren for e in select_epcis(epcis, **kw)]

    assert sirens(departements=["31"]) == ["200000001", "200000002"]  # any commune in 31
    assert sirens(departements=["47"]) == ["200000002"]
    assert sirens(regions=["76"]) == ["200000001"]  # the straddling EPCI belongs to 75
    assert sirens(regions=["75"], epci=["valinco"]) == ["200000002", "200000003"]
    only_corsica = french_territories(select_epcis(epcis, departements=["2A"]))
    assert [t.id for t in only_corsica if t.level is TerritoryLevel.REGION] == ["fr_region_94"]


def test_find_epci_by_siren_or_name_ignoring_case_and_accents(small: Path) -> None:
    epcis = read_membership(small)
    assert find_epci(epcis, "200000002").name == "CC des Deux Rives"
    assert find_epci(epcis, "deux rives").siren == "200000002"
    with pytest.raises(InvalidInput) as err:
        find_epci(epcis, "cc ")  # two communautés de communes
    assert "field 'epci' = 'cc '" in str(err.value) and "200000002 CC des Deux Rives" in str(err.value)
    with pytest.raises(InvalidInput, match="the SIREN or part of the name"):
        find_epci(epcis, "Métropole du Grand Nulle-part")


def test_unknown_selection_values_are_all_reported(small: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        select_epcis(read_membership(small), departements=["00"], regions=["99"])
    text = str(err.value)
    assert "field 'departement' = '00'" in text and "field 'region' = '99'" in text
    assert "76 Occitanie" in text


def test_bad_rows_name_row_field_and_value(tmp_path: Path) -> None:
    bad = [ROWS[0], "20000000X,CC Sans Siren,CC,10,31009,Nulle,31,76,10", ROWS[1].replace(",76,", ",77,")]
    with pytest.raises(InvalidInput) as err:
        read_membership(_write(tmp_path, bad))
    text = str(err.value)
    assert "membership.csv row 3: field 'epci_siren' = '20000000X': a 9-digit SIREN" in text
    assert "membership.csv row 4: field 'region' = '77'" in text


def test_the_shipped_file_covers_france() -> None:
    epcis = read_membership()
    assert len(epcis) == 1255
    assert sum(len(e.communes) for e in epcis.values()) == 34871
    toulouse = find_epci(epcis, "Toulouse Métropole")
    assert toulouse.siren == "243100518" and len(toulouse.communes) == 37
    assert "31555" in {c.insee for c in toulouse.communes} and toulouse.region == "76"
    assert find_epci(epcis, "200046977").name == "Métropole de Lyon"


def test_all_of_france_is_a_valid_dataset(tmp_path: Path) -> None:
    """Every record passes the importer's validation: ids, levels nesting, parents present."""
    territories = french_territories(select_epcis(read_membership()))
    assert len(territories) == 1 + 18 + 1255 + 34871
    write_dataset(Dataset(territories=territories), tmp_path / "fr")
    assert len(read_dataset(tmp_path / "fr", load_knowledge_base()).territories) == len(territories)


def test_cli_writes_a_template_an_agency_can_fill_and_import(tmp_path: Path) -> None:
    out = tmp_path / "toulouse"
    runner = CliRunner()
    result = runner.invoke(app, ["fr-territories", str(out), "--epci", "toulouse metropole"])
    assert result.exit_code == 0, result.output
    assert "1 EPCI(s) with 37 communes (40 territories)" in result.output
    assert (out / "sites.csv").read_text().startswith("id,firm_id,name,latitude_deg")
    with (out / "firms.csv").open("a") as fh:
        fh.write("airbus_blagnac,Airbus,30.30,example\n")
    with (out / "sites.csv").open("a") as fh:
        fh.write("blagnac,airbus_blagnac,Blagnac plant,43.63,1.37,fr_commune_31069,example\n")
    ds = read_dataset(out, load_knowledge_base())
    assert [s.territory_id for s in ds.sites] == ["fr_commune_31069"]

    again = _symbiosis("fr-territories", str(out), "--epci", "243100518")
    assert again.returncode == 1 and "holds a dataset already" in again.stderr
    assert "Airbus" in (out / "firms.csv").read_text()  # nothing overwritten

    wrong = _symbiosis("fr-territories", str(tmp_path / "x.xlsx"), "--departement", "00")
    assert wrong.returncode == 1 and "field 'departement' = '00'" in wrong.stderr
    assert "Traceback" not in wrong.stderr and not (tmp_path / "x.xlsx").exists()


def _symbiosis(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command line as a user runs it (errors become one line, exit code 1)."""
    code = "from symbiosis.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_cli_writes_a_workbook(tmp_path: Path) -> None:
    book = tmp_path / "corse.xlsx"
    result = CliRunner().invoke(app, ["fr-territories", str(book), "--region", "94"])
    assert result.exit_code == 0, result.output
    ds = read_dataset(book, load_knowledge_base())
    assert {t.id for t in ds.territories} >= {"fr", "fr_region_94", "fr_commune_2A004"}
