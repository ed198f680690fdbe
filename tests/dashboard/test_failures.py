"""No traceback reaches a user: a failure is one message in the user's language (what happened,
what to do, a reference also written to the server log), and it breaks nothing else."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.failures import message_key
from symbiosis.errors import GraphStoreUnavailable
from symbiosis.optimizer.errors import InfeasibleProblem, OptimizerError
from symbiosis.services.errors import NotFound


def _statuses(node: object) -> list:
    """The `st.status` blocks of a run (AppTest has no accessor for them)."""
    found = [node] if getattr(node, "type", None) == "status" else []
    for child in getattr(node, "children", {}).values():
        found += _statuses(child)
    return found


def test_each_kind_of_failure_has_its_own_message() -> None:
    assert message_key(GraphStoreUnavailable("bolt://x", "refused")) == "failure.store"
    assert message_key(InfeasibleProblem("cap")) == "failure.infeasible"
    assert message_key(OptimizerError("x")) == "failure.optimizer"
    assert message_key(NotFound("site", "s")) == "failure.not_found"
    assert message_key(ZeroDivisionError()) == "failure.unexpected"


def test_a_failing_page_shows_a_message_and_logs_the_cause(
    app: Callable[[str], AppTest], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("planted")

    with monkeypatch.context() as patched, caplog.at_level(logging.ERROR, logger="symbiosis.dashboard"):
        patched.setattr(data, "territory_kpis", broken)
        at = app("overview")
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert "erreur inattendue" in message and "Vue du territoire" in message
    assert "ZeroDivisionError" not in message and "planted" not in message and "Traceback" not in message
    ref = message.rsplit("référence ", 1)[1].rstrip(".")
    (record,) = [r for r in caplog.records if f"ref={ref}" in r.getMessage()]
    assert record.exc_info is not None and "planted" in str(record.exc_info[1])

    # the next page works (the planted fault is gone): nothing was cached broken
    at.switch_page("views/matches.py").run()
    assert not at.exception and not at.error and at.dataframe


def test_an_infeasible_scenario_fails_alone(app: Callable[[str], AppTest]) -> None:
    at = app("scenarios")
    at.number_input(key="sc_price").set_value(50.0)
    at.button[0].click().run()  # a first scenario that gives a plan
    assert not at.error and at.metric
    (done,) = _statuses(at.main)
    assert done.proto.state == done.proto.COMPLETE  # the same check passes on success
    good = {m.label: m.value for m in at.metric}

    at.number_input(key="sc_cap").set_value(1.0)  # 1 t CO2e/yr: no plan reaches it
    at.button[0].click().run()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert "aucun plan ne respecte ces contraintes" in message and "plafond" in message
    (status,) = _statuses(at.main)
    assert status.proto.label == "Optimisation échouée" and status.proto.state == status.proto.ERROR
    assert not at.metric  # no stale plan shown as if it were this scenario's

    at.switch_page("views/network.py").run()  # the network page still shows the last good plan
    assert not at.exception and not at.error
    assert "50 €/t CO2" in " ".join(c.value for c in at.caption)
    assert at.dataframe
    at.switch_page("views/overview.py").run()
    assert not at.exception and not at.error
    m = {x.label: x.value for x in at.metric}
    assert m["€ économisés / an"] == good["€ économisés / an"]
