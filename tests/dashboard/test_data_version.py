"""Any write to the store, whoever makes it, is seen by the dashboard on its next page run: every
write path of the repository bumps one counter node (`GraphRepository.data_version`), and the
dashboard's caches are keyed on it instead of waiting out minutes of time-to-live."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from symbiosis.domain import OutputDeclaration
from symbiosis.graph.app_state import open_app_graph
from symbiosis.services import registry
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal, Role
from symbiosis.settings import Settings
from symbiosis.units import CanonicalUnit

pytestmark = pytest.mark.graph

TERRITORY = "kalundborg_symbiosis"


def _declaration(decl_id: str) -> OutputDeclaration:
    return OutputDeclaration(
        id=decl_id,
        site_id="asnaes",
        resource_code="fly_ash",
        unit=CanonicalUnit.TONNE,
        quantity=500.0,
        quantity_unit="t/yr",
    )


def test_every_write_path_bumps_the_version(store_settings: Settings) -> None:
    with open_app_graph(store_settings) as repo:
        start = repo.data_version()
        assert repo.data_version() == start  # reading does not count
        repo.upsert_outputs([_declaration("o_version_probe")])
        after_upsert = repo.data_version()
        assert after_upsert > start
        repo.delete_declaration("output", "o_version_probe")
        after_delete = repo.data_version()
        assert after_delete > after_upsert
        repo.save_record("Consent", {"id": "c_version_probe", "firm_id": "a", "partner_firm_id": "b"})
        assert repo.data_version() > after_delete
        repo.delete_record("Consent", "c_version_probe")
        last = repo.data_version()
        repo.patch_record("Run", "no_such_run", {"heartbeat": "now"})  # heartbeats do not count
        assert repo.data_version() == last


def _n_outputs(at: AppTest) -> int:
    metrics = {m.label: m.value for m in at.metric}
    return int(metrics["Rejets / besoins"].split("/")[0].replace("\u202f", "").replace(",", ""))


def test_a_write_by_another_process_shows_on_the_next_run(
    graph_app: Callable[..., AppTest], store_settings: Settings
) -> None:
    at = graph_app("overview", as_user="admin", territory=TERRITORY)
    before = _n_outputs(at)
    api = ServiceContext.create(store_settings)  # the API's own context: the dashboard's caches know nothing
    try:
        admin = Principal("u_api", "api@example.org", Role.ADMIN)
        payload = {
            "id": "o_written_by_api",
            "site_id": "asnaes",
            "resource_code": "fly_ash",
            "quantity": 700,
            "quantity_unit": "t/yr",
        }
        registry.create_declaration(api, admin, "output", payload)
        at.run()
        assert _n_outputs(at) == before + 1
        registry.delete_declaration(api, admin, "output", "o_written_by_api")
        at.run()
        assert _n_outputs(at) == before
    finally:
        api.close()
