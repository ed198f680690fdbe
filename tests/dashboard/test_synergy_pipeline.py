"""The synergy pipeline page on the real embedded store: signed out it asks for a sign-in; a
company may not use it; the territory's agency promotes the explorer's candidate and moves the
synergy on, and the history grows; it promotes a planned link of a finished optimisation run —
written through `symbiosis.services.synergies`."""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from symbiosis.services import runs, synergies
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal, Role
from symbiosis.settings import Settings
from symbiosis.units import parse_decimal

pytestmark = pytest.mark.graph

TERRITORY = "kalundborg_symbiosis"


def _stored(settings: Settings) -> list[dict]:
    ctx = ServiceContext.create(settings)
    try:
        return synergies.list_synergies(ctx, Principal("t", "t@example.org", Role.ADMIN), None)
    finally:
        ctx.close()


def _histories(at: AppTest) -> list[pd.DataFrame]:
    """The history tables shown (AppTest does not expose a dataframe's key; its columns tell)."""
    return [d.value for d in at.dataframe if "Quand" in d.value.columns]


def test_signed_out_or_wrong_role_is_told(graph_app: Callable[..., AppTest]) -> None:
    at = graph_app("synergies")
    assert any("Connectez-vous" in i.value for i in at.info)
    assert not [w for w in at.selectbox if w.key == "sy_candidate"]
    assert not at.dataframe  # signed out: nothing of the store, not even the operating exchanges

    at.sidebar.text_input(key="auth_email").input("agency@example.org")
    at.sidebar.text_input(key="auth_password").input("not-the-password")
    at.sidebar.button(key="auth_submit").click().run()
    assert [e.value for e in at.sidebar.error] == ["E-mail ou mot de passe incorrect."]
    assert any("Connectez-vous" in i.value for i in at.info)

    at = graph_app("synergies", as_user="company")
    assert any("entreprise" in w.value for w in at.warning)
    assert not [w for w in at.selectbox if w.key == "sy_candidate"]


def test_agency_promotes_and_moves_a_synergy_on(
    graph_app: Callable[..., AppTest], store_settings: Settings
) -> None:
    at = graph_app("synergies", as_user="agency", territory="dk")  # Denmark is outside its scope
    assert any("hors de votre périmètre" in i.value for i in at.info)

    at.sidebar.selectbox(key="territory").set_value(TERRITORY).run()
    at.switch_page("views/matches.py").run()
    at.selectbox(key="m_pick").select_index(1).run()  # the options read as names; the value is the id
    picked = at.selectbox(key="m_pick").value
    assert "->" in picked and "->" not in at.selectbox(key="m_pick").options[1]
    at.switch_page("views/synergies.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Aucune synergie" in i.value for i in at.info)
    assert at.selectbox(key="sy_candidate").value == picked  # the explorer's choice, preselected

    at.text_input(key="sy_promote_note").input("repéré dans l'explorateur")
    at.button(key="sy_promote").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (made,) = [s for s in _stored(store_settings) if f"{s['output_id']}->{s['input_id']}" == picked]
    assert made["status"] == "identified" and made["created_by"] == "agency@example.org"
    assert any(made["id"] in s.value for s in at.success)
    assert [h.value for h in at.subheader if "Identifiée" in h.value] == ["Identifiée (1)"]
    assert [len(h) for h in _histories(at)] == [1]

    at.selectbox(key=f"sy_next_{made['id']}").set_value("contacted")
    at.text_input(key=f"sy_note_{made['id']}").input("appel aux deux directeurs de site")
    at.button(key=f"sy_move_{made['id']}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [h.value for h in at.subheader if "Contactée" in h.value] == ["Contactée (1)"]
    (history,) = _histories(at)
    assert list(history["Vers"]) == ["Identifiée", "Contactée"]
    assert list(history["De"]) == ["", "Identifiée"]
    (moved,) = [s for s in _stored(store_settings) if s["id"] == made["id"]]
    assert moved["status"] == "contacted"
    assert [(h["by"], h["from"], h["to"], h["note"]) for h in moved["history"]] == [
        ("agency@example.org", None, "identified", "repéré dans l'explorateur"),
        ("agency@example.org", "identified", "contacted", "appel aux deux directeurs de site"),
    ]

    # the next step offered is only the pipeline's own: under study or abandoned
    assert at.selectbox(key=f"sy_next_{made['id']}").options == ["À l'étude", "Abandonnée"]

    # the card carries its value, owner and dates, by name — not the declarations' ids
    (card,) = [e for e in at.expander if made["id"] in " ".join(c.value for c in e.caption)]
    assert "€/an" in card.label and "->" not in card.label and made["output_id"] not in card.label
    value = card.label.rsplit("·", 1)[1].removesuffix("€/an").strip()
    assert value != "—" and parse_decimal(value) > 0
    assert "Porteur : agency@example.org" in card.caption[0].value

    # the same candidate promoted twice is refused, and nothing is written
    at.selectbox(key="sy_candidate").set_value(picked)
    at.button(key="sy_promote").click().run()
    assert any("déjà suivie" in e.value for e in at.error)
    assert len([s for s in _stored(store_settings) if f"{s['output_id']}->{s['input_id']}" == picked]) == 1

    # on to signed, then implemented (the facilitator's whole pipeline)
    for status, name in (("under_study", "À l'étude"), ("signed", "Signée"), ("implemented", "Réalisée")):
        at.selectbox(key=f"sy_next_{made['id']}").set_value(status)
        at.button(key=f"sy_move_{made['id']}").click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert [h.value for h in at.subheader if name in h.value] == [f"{name} (1)"]
        if status == "under_study":  # signing is offered, and may be skipped
            options = at.selectbox(key=f"sy_next_{made['id']}").options
            assert options == ["Signée", "Réalisée", "Abandonnée"]
    (done,) = [s for s in _stored(store_settings) if s["id"] == made["id"]]
    assert [h["to"] for h in done["history"]] == [
        "identified",
        "contacted",
        "under_study",
        "signed",
        "implemented",
    ]


def _finished_run(settings: Settings) -> dict:
    """A real optimisation run of the territory, through the API's own job runner (worker process)."""
    ctx = ServiceContext.create(settings)
    admin = Principal("t", "t@example.org", Role.ADMIN)
    try:
        made = runs.create_run(
            ctx, runs.JobRunner(ctx), admin, {"territory_id": TERRITORY, "time_limit_s": 60.0}
        )
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            run = runs.get_run(ctx, admin, made["id"])
            if run["status"] in runs.FINAL:
                assert run["status"] == "done", run
                return run
            time.sleep(0.5)
        raise AssertionError(f"run {made['id']} not finished in time")
    finally:
        ctx.close()


def test_agency_promotes_a_planned_link_of_a_finished_run(
    graph_app: Callable[..., AppTest], store_settings: Settings
) -> None:
    run = _finished_run(store_settings)
    planned = {lk["link_id"]: lk for lk in run["result"]["plan"]["links"]}
    assert planned

    at = graph_app("synergies", as_user="agency", territory=TERRITORY)
    offered_runs = [label.split(" — ")[0] for label in at.selectbox(key="sy_run").options]
    assert run["id"] in offered_runs  # the admin's run, in the agency's territory
    at.selectbox(key="sy_run").set_value(run["id"]).run()
    offered = at.selectbox(key="sy_run_link").options  # by the sites' names, never a link id
    assert len(offered) == len(planned) and not [o for o in offered if "->" in o or "/yr" in o]
    link_id = next(
        k for k in planned if k not in {f"{s['output_id']}->{s['input_id']}" for s in _stored(store_settings)}
    )
    at.selectbox(key="sy_run_link").set_value(link_id)
    at.text_input(key="sy_run_note").input("lien du plan optimisé")
    at.button(key="sy_promote_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]

    (made,) = [s for s in _stored(store_settings) if s["source"] == f"run {run['id']}"]
    link = planned[link_id]
    assert (made["output_id"], made["input_id"]) == (link["output_id"], link["input_id"])
    assert made["status"] == "identified" and made["created_by"] == "agency@example.org"
    assert made["history"][0]["note"] == "lien du plan optimisé"
    assert any(made["id"] in s.value for s in at.success)

    # outside the agency's territories no run is offered; a company may not promote at all
    at = graph_app("synergies", as_user="agency", territory="dk_fredericia")
    assert not [w for w in at.selectbox if w.key == "sy_run"]
    assert any("Aucune optimisation terminée" in i.value for i in at.info)
    at = graph_app("synergies", as_user="company", territory=TERRITORY)
    assert not [w for w in at.selectbox if w.key == "sy_run"]
