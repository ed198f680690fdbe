"""`dashboard.scope` and `dashboard.company` on the service layer's own rows, without a graph store:
the service context's caches are filled from the Kalundborg folder (the loaders the store would
answer), so `services.matches` and `services.access` run unchanged and decide what is shown."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_french_everywhere import _names, english_words

from dashboard import company, scope
from dashboard.names import Labels
from dashboard.scope import Reach
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge import load_knowledge_base
from symbiosis.matching.service import CandidateQuery
from symbiosis.services import cache
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal, Role
from symbiosis.settings import Settings

TERRITORY = "kalundborg_symbiosis"
NOVO = Principal("u_novo", "novo@example.org", Role.COMPANY, firm_id="novo_nordisk")
AGENCY = Principal("u_agency", "agency@example.org", Role.AGENCY, territory_ids=("dk_kalundborg",))


@pytest.fixture
def svc(tmp_path: Path, kalundborg: Dataset) -> ServiceContext:
    """A service context whose tree, match result and consents come from the folder; Novo Nordisk
    and Ørsted have consented to each other, nobody else."""
    ctx = ServiceContext.create(Settings(home_dir=tmp_path, api_secret="s" * 48, neo4j_uri=None))
    ctx.cache.tree(lambda: kalundborg.territories)
    ctx.cache.territory_match(TERRITORY, lambda: kalundborg.restricted_to(TERRITORY))
    ctx.cache.disclosed("novo_nordisk", lambda: {"orsted"})
    return ctx


def _refuse() -> ServiceContext:
    raise AssertionError("the service context is not needed for this role")


def test_reach_follows_the_access_rules(svc: ServiceContext) -> None:
    assert scope.reach(_refuse, None, "dk") is Reach.FULL  # signed out: the desktop view
    assert scope.reach(_refuse, Principal("a", "a@x", Role.ADMIN), "dk") is Reach.FULL
    assert scope.reach(_refuse, NOVO, "dk") is Reach.COMPANY
    assert scope.reach(lambda: svc, AGENCY, TERRITORY) is Reach.FULL  # nested in its territory
    assert scope.reach(lambda: svc, AGENCY, "dk") is Reach.OUTSIDE  # holds it, but is wider
    assert scope.reach(lambda: svc, AGENCY, "dk_fredericia") is Reach.OUTSIDE


def test_a_company_sees_its_own_sites_only(svc: ServiceContext, kalundborg: Dataset) -> None:
    mine = scope.visible_dataset(svc, NOVO, kalundborg)
    assert [s.id for s in mine.sites] == ["novo_nordisk_kal"]
    assert [f.id for f in mine.firms] == ["novo_nordisk"]
    assert {d.site_id for d in [*mine.outputs, *mine.inputs]} == {"novo_nordisk_kal"}
    assert mine.exchanges == []  # every known exchange of Novo names a partner site


def test_consent_discloses_one_partner_and_masks_the_others(svc: ServiceContext, kalundborg: Dataset) -> None:
    rows, total = company.company_matches(svc, NOVO, TERRITORY, CandidateQuery())
    assert total == len(rows) >= 4
    frame = company.matches_frame(rows).set_index("output_resource")
    steam = frame.loc["steam"]  # Ørsted's steam: both firms consented
    assert (steam["partner"], steam["disclosed_by"]) == ("Ørsted (Asnæs power station)", "consent")
    assert " – " not in steam["exchangeable_qty_per_yr"]
    masked = frame[frame["disclosed_by"] == "none"]
    assert len(masked) == len(rows) - 1
    assert all(" – " in v for col in company.COLUMNS[9:] if col != "unit_out" for v in masked[col])
    assert not set(masked["partner"]) & {"Ørsted (Asnæs power station)", "orsted", "kalundborg_bioenergi"}

    by_key = {company.row_key(r): r for r in rows}
    assert "o_asnaes_steam->i_novo_steam" in by_key  # a disclosed row keeps its link id
    assert any(ch.isdigit() for ch in company.explanation(by_key["o_asnaes_steam->i_novo_steam"]))
    hidden = [r for r in rows if not r["disclosed"]]
    assert all(not any(ch.isdigit() for ch in company.explanation(r)) for r in hidden)
    # in French: the disclosed row through the explanation catalogue, the masked ones' conditions named
    fr = Labels.of(kalundborg, load_knowledge_base(), "fr")
    said = company.explanation(by_key["o_asnaes_steam->i_novo_steam"], "fr", fr)
    assert said.startswith("Asnæs") or "Asnæs" in said.splitlines()[0]
    assert english_words(said, _names(kalundborg)) == []
    for r in hidden:
        assert english_words(company.explanation(r, "fr", fr), _names(kalundborg)) == []
        assert "ressource acceptée" in company.explanation(r, "fr", fr)
    arcs = company.arc_pairs(rows)
    assert list(zip(arcs["giver_site_id"], arcs["receiver_site_id"], strict=True)) == [
        ("asnaes", "novo_nordisk_kal")
    ]


def test_consents_written_by_another_process_are_seen_within_the_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboard and the API are two processes: a consent withdrawn over the API must stop
    disclosing on the dashboard too."""
    app_cache = cache.AppCache()
    stored = [{"orsted"}]
    assert app_cache.disclosed("novo_nordisk", lambda: set(stored[-1])) == {"orsted"}
    stored.append(set())  # withdrawn elsewhere
    assert app_cache.disclosed("novo_nordisk", lambda: set(stored[-1])) == {"orsted"}  # still fresh
    started = time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: started + cache.SHARED_TTL_S + 1.0)
    assert app_cache.disclosed("novo_nordisk", lambda: set(stored[-1])) == set()
