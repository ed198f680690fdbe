"""Health reports degraded storage as not ok (issue 14, item 7): failing writes and a nearly full
disk under home_dir turn /health into a 503 naming the check — each tested on both sides."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator

import neo4j.exceptions
import pytest
from fastapi.testclient import TestClient

from symbiosis.api import create_app
from symbiosis.graph.app_state import AppStateRepository
from symbiosis.services.context import ServiceContext
from symbiosis.services.health import PROBE, free_disk_mb
from symbiosis.settings import Settings

pytestmark = pytest.mark.graph  # a real embedded graph store behind the API


@pytest.fixture
def client_with(ctx: ServiceContext, api_settings: Settings) -> Iterator:
    """A client for an app whose settings differ (disk threshold), on the shared store."""
    opened: list[TestClient] = []

    def make(**changes: object) -> TestClient:
        settings = api_settings.model_copy(update=changes)
        client = TestClient(create_app(settings, dataclasses.replace(ctx, settings=settings)))
        opened.append(client.__enter__())
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def test_healthy_store_and_disk_is_ok_and_leaves_no_probe(client_with, ctx: ServiceContext) -> None:
    r = client_with(min_free_disk_mb=0).get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "checks": {"store": "ok", "store_writes": "ok", "disk": "ok"}}
    assert ctx.repo().list_records(PROBE) == []


def test_disk_threshold_both_sides(client_with, api_settings: Settings) -> None:
    free = free_disk_mb(api_settings.home_dir)
    below = client_with(min_free_disk_mb=max(math.floor(free) - 200, 0)).get("/health")
    assert below.status_code == 200 and below.json()["checks"]["disk"] == "ok"
    above = client_with(min_free_disk_mb=math.ceil(free) + 200).get("/health")
    assert above.status_code == 503
    body = above.json()
    assert body["status"] == "degraded" and body["checks"]["disk"].startswith("nearly full")
    assert body["checks"]["store_writes"] == "ok"


def test_failing_writes_are_degraded(client_with, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: AppStateRepository, label: str, props: dict) -> None:
        raise neo4j.exceptions.DatabaseError("No space left on device: /data/graph/segment-7")

    client = client_with(min_free_disk_mb=0)
    monkeypatch.setattr(AppStateRepository, "save_record", refuse)
    r = client.get("/health")
    assert r.status_code == 503
    assert r.json() == {
        "status": "degraded",
        "checks": {"store": "ok", "store_writes": "failing", "disk": "ok"},
    }
    assert "No space" not in r.text  # the store's own words stay in the log
    monkeypatch.undo()
    assert client.get("/health").status_code == 200
