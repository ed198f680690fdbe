"""French territories in the graph: a firm sited in a commune is inside its EPCI and region.

This is what an EPCI agency account relies on: its scope is the subtree of ``fr_epci_<SIREN>``.
"""

from __future__ import annotations

from symbiosis.domain import Firm, Site
from symbiosis.domain.dataset import Dataset
from symbiosis.graph import GraphRepository
from symbiosis.prefill.fr_territories import french_territories, read_membership, select_epcis


def test_a_site_in_a_commune_is_found_from_its_epci_and_region(graph: GraphRepository) -> None:
    epcis = select_epcis(read_membership(), epci=["243100518", "Métropole de Lyon"])
    territories = french_territories(epcis)
    site = Site(
        id="blagnac",
        firm_id="airbus",
        name="Blagnac plant",
        latitude_deg=43.63,
        longitude_deg=1.37,
        territory_id="fr_commune_31069",
    )
    firm = Firm(id="airbus", name="Airbus")
    graph.import_dataset(Dataset(territories=territories, firms=[firm], sites=[site]))

    for where in ("fr_commune_31069", "fr_epci_243100518", "fr_region_76", "fr"):
        assert [s.id for s in graph.sites_in_territory(where)] == ["blagnac"], where
    assert graph.sites_in_territory("fr_epci_200046977") == []  # Lyon's agency does not see it

    toulouse = graph.export_dataset("fr_epci_243100518")  # what the EPCI's own view holds
    ids = {t.id for t in toulouse.territories}
    communes = {f"fr_commune_{c.insee}" for e in epcis if e.siren == "243100518" for c in e.communes}
    assert ids == {"fr", "fr_region_76", "fr_epci_243100518"} | communes
    assert len(ids) == 40 and "fr_commune_69123" not in ids and [s.id for s in toulouse.sites] == ["blagnac"]
