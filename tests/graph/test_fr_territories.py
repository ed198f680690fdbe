"""French territories in the graph: a firm sited in a commune is inside its EPCI and region.

This is what an EPCI agency account relies on: its scope is the subtree of ``fr_epci_<SIREN>``.
"""

from __future__ import annotations

from symbiosis.domain import Firm, Site
from symbiosis.domain.dataset import Dataset
from symbiosis.graph import GraphRepository
from symbiosis.prefill.fr_territories import Epci, french_territories, read_membership, select_epcis

BLAGNAC = "fr_commune_31069"  # a commune of Toulouse Métropole (SIREN 243100518)


def _import_with_one_site(graph: GraphRepository, epci: list[str]) -> list[Epci]:
    epcis = select_epcis(read_membership(), epci=epci)
    site = Site(
        id="blagnac", firm_id="airbus", name="Blagnac plant", latitude_deg=43.63, longitude_deg=1.37,
        territory_id=BLAGNAC,
    )  # fmt: skip
    firm = Firm(id="airbus", name="Airbus")
    graph.import_dataset(Dataset(territories=french_territories(epcis), firms=[firm], sites=[site]))
    return epcis


def test_a_site_in_a_commune_is_found_from_its_epci_and_region(graph: GraphRepository) -> None:
    epcis = _import_with_one_site(graph, ["243100518", "Métropole de Lyon"])
    for where in (BLAGNAC, "fr_epci_243100518", "fr_region_76", "fr"):
        assert [s.id for s in graph.sites_in_territory(where)] == ["blagnac"], where
    assert graph.sites_in_territory("fr_epci_200046977") == []  # Lyon's agency does not see it

    toulouse = graph.export_dataset("fr_epci_243100518")  # what the EPCI's own view holds
    ids = {t.id for t in toulouse.territories}
    communes = {f"fr_commune_{c.insee}" for e in epcis if e.siren == "243100518" for c in e.communes}
    assert ids == {"fr", "fr_region_76", "fr_epci_243100518"} | communes
    assert len(ids) == 40 and "fr_commune_69123" not in ids and [s.id for s in toulouse.sites] == ["blagnac"]


def test_only_territories_holding_a_site_are_populated(graph: GraphRepository) -> None:
    _import_with_one_site(graph, ["243100518"])
    assert graph.territories_with_sites() == {BLAGNAC, "fr_epci_243100518", "fr_region_76", "fr"}
