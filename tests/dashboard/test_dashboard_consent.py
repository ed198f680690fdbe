"""Consent from the match explorer, on the real embedded store: two company accounts (Novo Nordisk
and its steam supplier Ørsted) give and withdraw consent through the page — the calls behind
``/consents`` — and the partner's name and exact figures appear only while both have consented.
A consent written by another process (the API) reaches the page on its next run (the store's data
version moved).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_scope import page_text, shown  # the same leak check as the scope tests

from dashboard import company
from dashboard.names import partner_labels
from symbiosis.graph import open_graph
from symbiosis.knowledge import load_knowledge_base
from symbiosis.matching.service import CandidateQuery, MatchingService
from symbiosis.services import consents
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal, Role
from symbiosis.services.ranges import band
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph

TERRITORY = "kalundborg_symbiosis"
NOVO, ORSTED = "novo_nordisk", "orsted"
NOVO_NAME, ORSTED_NAME = "Novo Nordisk Kalundborg", "Ørsted (Asnæs power station)"
NOVO_P = Principal("u_novo", "company@example.org", Role.COMPANY, firm_id=NOVO)
ORSTED_P = Principal("u_orsted", "partner@example.org", Role.COMPANY, firm_id=ORSTED)


@pytest.fixture
def svc(store_settings: Settings) -> Iterator[ServiceContext]:
    """A second service context on the same store: what the API process would hold. Both firms'
    consents are withdrawn afterwards, so other tests see them masked."""
    ctx = ServiceContext.create(store_settings)
    try:
        yield ctx
    finally:
        for who in (NOVO_P, ORSTED_P):
            ref = consents.partner_ref(ctx, who.firm_id or "", ORSTED if who is NOVO_P else NOVO)
            consents.withdraw_consent(ctx, who, ref)
        ctx.close()


def _secrets(settings: Settings) -> set[str]:
    """What Novo must not see of Ørsted before mutual consent: its name, id, site, and the exact
    figures of their candidates (as a table or text would write them)."""
    with open_graph(settings) as repo:
        ds = repo.export_dataset(TERRITORY)
    firm_of = {s.id: s.firm_id for s in ds.sites}
    out = {ORSTED_NAME, ORSTED, "asnaes"}
    for c in MatchingService(ds, load_knowledge_base()).candidates(explain=False):
        if {firm_of[c.giver_site_id], firm_of[c.receiver_site_id]} != {NOVO, ORSTED}:
            continue
        for value in (c.exchangeable_qty_per_yr, c.net_gain_eur_per_yr):
            whole = round(value)
            if whole not in band(whole):  # a round 1-2-5 figure is also a range's end
                out |= {f"{whole:,}".replace(",", "\u202f"), f"{whole:,}", str(whole)}
    return out


def _leaked(at: AppTest, secrets: set[str]) -> list[str]:
    text = page_text(at)
    return sorted(s for s in secrets if shown(s, text))


def _matches(at: AppTest) -> pd.DataFrame:
    (rows,) = [d.value for d in at.dataframe if "Votre site" in d.value.columns]
    return rows


def _partner_label(svc: ServiceContext, ref: str) -> str:
    """The stable label the page gives a masked partner (`dashboard.names.partner_labels`)."""
    rows, _ = company.company_matches(svc, NOVO_P, TERRITORY, CandidateQuery())
    return partner_labels(rows, "fr")[ref]


def _consent_state(at: AppTest, ref: str) -> str:
    (table,) = [d.value for d in at.dataframe if "Référence du partenaire" in d.value.columns]
    (state,) = table.loc[table["Référence du partenaire"] == ref, "Consentement"]
    return str(state)


def _click(at: AppTest, ref: str, button: str) -> AppTest:
    at.selectbox(key="m_consent_ref").set_value(ref).run()
    at.button(key=button).click().run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    return at


def test_consent_discloses_only_while_both_firms_agree(
    graph_app: Callable[..., AppTest], store_settings: Settings, svc: ServiceContext
) -> None:
    secrets = _secrets(store_settings)
    novo_ref, orsted_ref = consents.partner_ref(svc, NOVO, ORSTED), consents.partner_ref(svc, ORSTED, NOVO)

    novo = graph_app("matches", as_user="company", territory=TERRITORY)
    assert _consent_state(novo, novo_ref) == "aucun"
    novo_label = _partner_label(svc, novo_ref)
    assert novo_label.startswith("Partenaire ") and novo_label in set(_matches(novo)["Partenaire"])
    assert _leaked(novo, secrets) == []

    _click(novo, novo_ref, "m_consent_give")  # one side only: still masked
    assert any(novo_ref in s.value for s in novo.success)
    assert _consent_state(novo, novo_ref) == "donné, en attente du partenaire"
    assert _leaked(novo, secrets) == []
    assert consents.consent_status(svc, NOVO_P, novo_ref) == {
        "partner_ref": novo_ref,
        "given": True,
        "received": False,
        "disclosed": False,
    }

    orsted = graph_app("matches", as_user="partner", territory=TERRITORY)
    assert _consent_state(orsted, orsted_ref) == "reçu : le vôtre divulguerait"
    assert not shown(NOVO_NAME, page_text(orsted))
    _click(orsted, orsted_ref, "m_consent_give")  # both: disclosed, both ways
    assert _consent_state(orsted, orsted_ref) == "mutuel : divulgué"
    assert NOVO_NAME in set(_matches(orsted)["Partenaire"])

    novo.run()  # the same dashboard process: seen at once
    rows = _matches(novo)
    steam = rows[rows["Partenaire"] == ORSTED_NAME]
    assert list(steam["Visibilité"]) == ["Consentement mutuel"]
    assert " – " not in steam["Quantité échangeable / an"].iloc[0]  # an exact figure, not a range
    assert _consent_state(novo, novo_ref) == "mutuel : divulgué"
    assert _leaked(novo, secrets)  # the same check now finds the partner: it can fail

    _click(novo, novo_ref, "m_consent_withdraw")  # withdrawn: masked again
    assert _consent_state(novo, novo_ref) == "reçu : le vôtre divulguerait"
    assert set(_matches(novo)["Visibilité"]) == {"Masqué (fourchettes)"}
    assert _leaked(novo, secrets) == []
    orsted.run()
    assert not shown(NOVO_NAME, page_text(orsted))


def test_a_consent_given_over_the_api_reaches_the_page_at_once(
    graph_app: Callable[..., AppTest], store_settings: Settings, svc: ServiceContext
) -> None:
    """No clock involved: the consent's write bumps the store's data version, which the dashboard
    reads on every run."""
    secrets = _secrets(store_settings)
    novo_ref, orsted_ref = consents.partner_ref(svc, NOVO, ORSTED), consents.partner_ref(svc, ORSTED, NOVO)
    novo = _click(graph_app("matches", as_user="company", territory=TERRITORY), novo_ref, "m_consent_give")
    assert _leaked(novo, secrets) == []

    consents.give_consent(svc, ORSTED_P, orsted_ref)  # another process: the dashboard's cache is not told
    novo.run()
    assert _consent_state(novo, novo_ref) == "mutuel : divulgué"
    assert ORSTED_NAME in set(_matches(novo)["Partenaire"])

    _click(novo, novo_ref, "m_consent_withdraw")  # through this process: masked at once, clock or not
    assert _leaked(novo, secrets) == []
