"""Stored runs from the Scenarios page, on the real embedded store: an agency starts the scenario as
a run (`services.runs`, the API's worker process), follows it to the end on the page, and its
planned links are then offered on the Synergy pipeline page; signed out, nobody may start one.
The worker honours the scenario's distance limit."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from multiprocessing import Pipe
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import stored_runs
from dashboard.scenario import Scenario
from symbiosis.graph import open_graph
from symbiosis.knowledge import load_knowledge_base
from symbiosis.matching.service import MatchingService
from symbiosis.services import runs, synergies, users
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal, Role
from symbiosis.services.run_worker import STAGES, run_optimisation
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph

TERRITORY = "kalundborg_symbiosis"
ADMIN = Principal("t", "t@example.org", Role.ADMIN)
RUN_DEADLINE_S = 240


def _distances_km(settings: Settings) -> dict[str, float]:
    with open_graph(settings) as repo:
        ds = repo.export_dataset(TERRITORY)
    return {c.id: c.distance_km for c in MatchingService(ds, load_knowledge_base()).candidates(explain=False)}


def _stored(settings: Settings, run_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The run's record and every synergy, read as the API would (admin)."""
    ctx = ServiceContext.create(settings)
    try:
        return runs.get_run(ctx, ADMIN, run_id), synergies.list_synergies(ctx, ADMIN, None)
    finally:
        ctx.close()


def _forget_synergy(settings: Settings, synergy_id: str) -> None:
    """The pipeline tests start from a territory without synergies: leave none behind."""
    ctx = ServiceContext.create(settings)
    try:
        ctx.repo().delete_record(synergies.SYNERGY, synergy_id)
    finally:
        ctx.close()


def _user_id(settings: Settings, email: str) -> str:
    ctx = ServiceContext.create(settings)
    try:
        (user,) = [u for u in users.list_users(ctx, ADMIN) if u["email"] == email]
        return str(user["id"])
    finally:
        ctx.close()


def test_run_params_are_the_scenario() -> None:
    params = stored_runs.run_params(TERRITORY, Scenario(80.0, 5000.0, 12.5, 30.0))
    assert params == {
        "territory_id": TERRITORY,
        "carbon_price_eur_per_t": 80.0,
        "co2_cap_t": 5000.0,
        "max_distance_km": 12.5,
        "time_limit_s": 30.0,
        "pareto_points": None,
    }
    assert stored_runs.label(params) == "80 €/t CO2, cap 5,000 t, ≤ 12.5 km"


def test_the_worker_applies_the_distance_limit(store_settings: Settings) -> None:
    distances = _distances_km(store_settings)
    limit_km = sorted(distances.values())[len(distances) // 2]  # about half the candidates are farther
    within = {k for k, d in distances.items() if d <= limit_km}
    assert 0 < len(within) < len(distances)

    parent, child = Pipe(duplex=False)
    params = {"territory_id": TERRITORY, "max_distance_km": limit_km, "time_limit_s": 60.0}
    worker = threading.Thread(target=run_optimisation, args=(store_settings, params, child))
    worker.start()
    messages = []
    while True:  # read as it goes: a large result must not fill the pipe before anyone reads
        msg = parent.recv()
        messages.append(msg)
        if msg[0] != "progress":
            break
    worker.join()
    assert messages[-1][0] == "done", messages[-1]
    assert (0.5, f"optimising {len(within)} candidate links") in [m[1:3] for m in messages]
    # each progress message carries its stage and figures, which the page says in French
    progress = [m for m in messages if m[0] == "progress"]
    assert [m[3] for m in progress] == ["reading", "matching", "optimising"]
    assert set(m[3] for m in progress) <= set(STAGES)
    said = [
        stored_runs.progress_text({"stage": m[3], "stage_values_json": json.dumps(m[4])}, "fr")
        for m in progress
    ]
    assert said[0] == f"lecture du territoire {TERRITORY} dans la base graphe"
    assert said[2] == f"optimisation de {len(within)} liens candidats"
    english = [
        stored_runs.progress_text({"stage": m[3], "stage_values_json": json.dumps(m[4])}, "en")
        for m in progress
    ]
    assert english == [m[2] for m in progress]  # the catalogue's English is the worker's own message
    links = messages[-1][1]["plan"]["links"]
    assert links and {lk["link_id"] for lk in links} <= within


def test_signed_out_nobody_starts_a_run(graph_app: Callable[..., AppTest]) -> None:
    at = graph_app("scenarios")
    assert not [b for b in at.button if b.key == "sc_store"]
    assert any("Connectez-vous" in i.value for i in at.info)


def test_agency_stores_a_run_and_its_links_are_offered_for_promotion(
    graph_app: Callable[..., AppTest], store_settings: Settings
) -> None:
    distances = _distances_km(store_settings)
    limit_km = round(max(distances.values()) + 1.0)  # a limit that keeps every candidate
    at = graph_app("scenarios", as_user="agency", territory=TERRITORY)
    at.number_input(key="sc_price").set_value(80.0)
    at.number_input(key="sc_km").set_value(float(limit_km))
    at.number_input(key="sc_limit").set_value(60.0)
    at.button(key="sc_store").click().run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    (started,) = [s.value for s in at.success if "lancée" in s.value]
    run_id = started.split()[1]
    assert at.get("progress"), "a queued or running run shows its progress"
    assert not at.metric  # the page did not optimise in its own process

    deadline = time.monotonic() + RUN_DEADLINE_S
    while time.monotonic() < deadline:  # the browser's fragment timer, done by hand
        record, _ = _stored(store_settings, run_id)
        if record["status"] in runs.FINAL:
            break
        time.sleep(1.0)
    at.run()
    record, _ = _stored(store_settings, run_id)
    assert record["status"] == "done", (record.get("error"), record.get("message"))
    agency_id = _user_id(store_settings, "agency@example.org")
    assert (record["created_by"], record["territory_id"]) == (agency_id, TERRITORY)
    assert (record["carbon_price_eur_per_t"], record["max_distance_km"]) == (80.0, limit_km)
    assert (record["progress"], record["message"]) == (1.0, "finished")
    assert any(f"{run_id} — 80 €/t CO2, ≤ {limit_km:g} km : terminée" in m.value for m in at.markdown)
    assert not at.get("progress")
    planned = {lk["link_id"]: lk for lk in record["result"]["plan"]["links"]}
    assert planned
    m = {x.label: x.value for x in at.metric}
    assert m["Échanges retenus"] == str(len(planned))
    assert any(f"{len(planned)} liens planifiés" in s.value for s in at.success)

    at.switch_page("views/synergies.py").run()
    assert not at.exception, [e.value for e in at.exception]
    offered_runs = [label.split(" — ")[0] for label in at.selectbox(key="sy_run").options]
    assert offered_runs[0] == run_id  # newest first
    at.selectbox(key="sy_run").set_value(run_id).run()
    offered = at.selectbox(key="sy_run_link").options  # by the sites' names, never a link id
    assert len(offered) == len(planned) and not [o for o in offered if "->" in o or "/yr" in o]
    _, before = _stored(store_settings, run_id)
    taken = {(s["output_id"], s["input_id"]) for s in before}
    link_id = next(k for k, lk in planned.items() if (lk["output_id"], lk["input_id"]) not in taken)
    at.selectbox(key="sy_run_link").set_value(link_id)
    at.text_input(key="sy_run_note").input("depuis une exécution lancée sur Scénarios")
    at.button(key="sy_promote_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    _, after = _stored(store_settings, run_id)
    (made,) = [s for s in after if s["source"] == f"run {run_id}"]
    _forget_synergy(store_settings, made["id"])
    link = planned[link_id]
    assert (made["output_id"], made["input_id"]) == (link["output_id"], link["input_id"])
    assert made["created_by"] == "agency@example.org"


@pytest.mark.parametrize(
    ("stage", "values", "french"),
    [
        ("queued", {}, "en attente d'un processus libre"),
        ("started", {}, "démarrée"),
        ("matching", {"outputs": 1200, "inputs": 3}, "appariement de 1\u202f200 sortants et 3 entrants"),
        ("finished", {}, "terminée"),
        ("cancelled", {"by": "agency@example.org"}, "annulée par agency@example.org"),
    ],
)
def test_every_stage_reads_in_french(stage: str, values: dict, french: str) -> None:
    run = {"stage": stage, "stage_values_json": json.dumps(values), "message": "in English"}
    assert stored_runs.progress_text(run, "fr") == french


def test_every_stage_is_in_the_catalogue_and_old_records_keep_their_message() -> None:
    from dashboard.i18n import TEXTS

    assert {f"runstage.{s}" for s in STAGES} <= set(TEXTS)
    assert stored_runs.progress_text({"message": "reading territory x"}, "fr") == "reading territory x"
    broken = {"stage": "matching", "stage_values_json": "{}", "message": "matching 3 outputs"}
    assert stored_runs.progress_text(broken, "fr") == "matching 3 outputs"  # figures missing: the message
