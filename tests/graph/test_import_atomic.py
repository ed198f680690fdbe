"""Staged imports on a real server: staged records are invisible to every read statement, updates
keep the old version visible until publish, publish shows the whole import at once, and the
leftovers of an import that died are deleted by the next one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from graph_builders import small_dataset, sorted_dataset

from symbiosis.domain import Firm, InputDeclaration, KnownExchange, OutputDeclaration, Site, Territory
from symbiosis.domain.dataset import Dataset
from symbiosis.errors import GraphStoreUnavailable
from symbiosis.graph import GraphRepository, publish_gate, staging
from symbiosis.graph import queries as q
from symbiosis.graph.staging import ImportConflict, StagedImport

pytestmark = pytest.mark.graph

NEW = "n-1"
"""The id of every staged record (ids are unique per label, so one id serves all kinds)."""

_WRITE = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE)\b")
_SEES_STAGED = {  # the staging machinery itself: these look at staged nodes on purpose
    "STAGE_EXISTING_IDS", "COUNT_STAGED", "IMPORTS_STAGING", "IMPORTS_ALL",
    # which key a uniqueness failure hit: an id an import is staging is taken too (the constraint
    # holds on staged nodes), so the 409 must name it
    "KEY_TAKEN",
}  # fmt: skip


def read_statements() -> Iterator[tuple[str, str]]:
    """(name, Cypher) of every read statement in `queries` (no clause that writes)."""
    for name in sorted(dir(q)):
        value = getattr(q, name)
        if name.startswith("_") or not name.isupper() or name in _SEES_STAGED or name == "SCHEMA":
            continue
        items: list[tuple[str, Any]]
        if isinstance(value, dict):
            items = [(f"{name}[{k}]", v) for k, v in value.items()]
        elif isinstance(value, tuple):
            items = [(f"{name}[{i}]", v) for i, v in enumerate(value)]
        else:
            items = [(name, value)]
        for label, text in items:
            if isinstance(text, str) and " " in text and not _WRITE.search(text):
                yield label, text


def staged_dataset() -> Dataset:
    """New records touching the visible ones everywhere a read could reach them, and updates."""
    base = small_dataset()
    power = next(s for s in base.sites if s.id == "s-power")
    gypsum = next(o for o in base.outputs if o.id == "o-gypsum")
    return Dataset(
        territories=[Territory(id=NEW, name="Staged park", level="industrial_park", parent_id="dk-kal")],
        firms=[Firm(id=NEW, name="Staged firm"), Firm(id="f-idle", name="Renamed by the import")],
        sites=[
            Site(id=NEW, firm_id=NEW, name="staged", latitude_deg=55.66, longitude_deg=11.09,
                 territory_id=NEW),
            Site(id="n-2", firm_id="f-board", name="staged 2", latitude_deg=55.67, longitude_deg=11.1,
                 territory_id="dk-kal-park"),
            power.model_copy(update={"name": "Renamed power plant", "firm_id": NEW}),
        ],
        outputs=[
            OutputDeclaration(id=NEW, site_id="s-power", resource_code="staged_resource", unit="t",
                              quantity=5, quantity_unit="t/yr"),
            OutputDeclaration(id="n-2", site_id=NEW, resource_code="gypsum", unit="t", quantity=7,
                              quantity_unit="t/yr"),
            gypsum.model_copy(update={"note": "updated by the import"}),
        ],
        inputs=[
            InputDeclaration(id=NEW, site_id="s-board", resource_code="gypsum", unit="t", quantity=9,
                             quantity_unit="t/yr"),
        ],
        exchanges=[
            KnownExchange(id=NEW, from_site_id="s-power", to_site_id="s-board", resource_code="gypsum",
                          unit="t", quantity=1, quantity_unit="t/yr", source="test"),
        ],
    )  # fmt: skip


# Values for each parameter a read statement takes: each statement runs once per value of each of
# its parameters (the others at their first value), staged ids and visible ids alike.
PARAMS: dict[str, list[Any]] = {
    "id": [NEW, "n-2", "s-power", "o-gypsum", "i-gypsum", "dk-kal", "dk-kal-park", "f-board", "x-gypsum"],
    "ids": [None, [NEW, "n-2", "f-board", "f-idle", "s-power", "s-board", "dk-kal"]],
    "territory_id": ["dk", NEW, "dk-kal-park"],
    "territory_ids": [None, ["dk-kal", "dk-kal-park", NEW]],
    "firm_id": [None, NEW, "f-board", "f-power"],
    "site_id": [None, NEW, "s-power", "s-board"],
    "site_ids": [[NEW, "n-2", "s-power", "s-board", "s-farm"]],
    "resource_code": [None, "gypsum", "staged_resource"],
    "code": ["gypsum", "staged_resource"],
    "latitude_deg": [55.66],
    "longitude_deg": [11.09],
    "radius_m": [1e6],
    "skip": [0],
    "limit": [1000],
    "statuses": [["queued", "running", "done", "failed"]],
    "email": ["nobody@example.org"],
    "jti": ["no-such-token"],
    "user_id": ["no-such-user"],
    "offer_id": [None, NEW],  # sharing (issue 19)
    "status": ["active", None],  # sharing bookings
}


def _normal(value: Any) -> Any:
    """Records → comparable plain values (the location point as its coordinates)."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if hasattr(value, "x") and hasattr(value, "y"):
        return ("point", round(value.x, 9), round(value.y, 9))
    return value


def _answers(graph: GraphRepository) -> dict[tuple[str, str, int], Any]:
    out: dict[tuple[str, str, int], Any] = {}
    for name, text in read_statements():
        wanted = sorted(set(re.findall(r"\$(\w+)", text)))
        missing = [p for p in wanted if p not in PARAMS]
        assert not missing, f"{name}: give test values for {missing} in PARAMS"
        base = {p: PARAMS[p][0] for p in wanted}
        runs = [("-", 0, base)] + [
            (p, i, base | {p: v}) for p in wanted for i, v in enumerate(PARAMS[p]) if i > 0
        ]
        for param, i, params in runs:
            records = graph.read(text, **params)
            out[(name, param, i)] = sorted(repr(_normal(dict(rec))) for rec in records)
    return out


def test_every_read_statement_ignores_staged_data(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    before = _answers(graph)
    assert len({name for name, _, _ in before}) > 40  # the enumeration found the read statements
    imp = StagedImport(graph, staged_dataset())
    imp.stage()
    try:
        assert graph.read(q.COUNT_STAGED)[0]["n"] >= 8  # staged nodes are really in the store
        during = _answers(graph)
        changed = sorted({key[0] for key in before if before[key] != during[key]})
        assert changed == []
        imp.publish()
        after = _answers(graph)
        shown = {key[0] for key in before if before[key] != after[key]}
        published = (
            "ALL_FIRMS",
            "ALL_SITES",
            "ALL_TERRITORIES",
            "ALL_EXCHANGES",
            "COUNT_NODES",
            "SITE_BY_ID",
            "FIRMS_PAGE",
            "DECLARATION_PAGE[Output]",
            "SITES_WITHIN_RADIUS",
        )
        for name in published:
            assert name in shown, f"{name} should see the published import"
    finally:
        staging._LIVE.discard(imp.id)


def test_updates_keep_the_old_version_until_publish(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    old = graph.export_dataset()
    imp = StagedImport(graph, staged_dataset())
    imp.stage()
    assert graph.export_dataset() == old
    imp.publish()
    new = graph.export_dataset()
    power = next(s for s in new.sites if s.id == "s-power")
    assert (power.name, power.firm_id) == ("Renamed power plant", NEW)
    assert next(o for o in new.outputs if o.id == "o-gypsum").note == "updated by the import"
    assert next(f for f in new.firms if f.id == "f-idle").name == "Renamed by the import"
    assert {t.id: t.parent_id for t in new.territories}[NEW] == "dk-kal"
    assert graph.read(q.COUNT_STAGED)[0]["n"] == 0
    assert [i["status"] for i in staging.imports(graph)][-1] == "published"


def test_published_import_equals_a_direct_write(graph: GraphRepository) -> None:
    """The oracle: the same records written by the ordinary (unstaged) upserts, one kind at a time."""
    graph.import_dataset(small_dataset())
    graph.import_dataset(staged_dataset())
    staged_export = graph.export_dataset()
    graph.clear()
    graph.import_dataset(small_dataset())
    extra = staged_dataset()
    graph.upsert_territories(extra.territories)
    graph.upsert_firms(extra.firms)
    graph.upsert_sites(extra.sites)
    graph.upsert_outputs(extra.outputs)
    graph.upsert_inputs(extra.inputs)
    graph.upsert_exchanges(extra.exchanges)
    assert staged_export == graph.export_dataset()
    assert staged_export != sorted_dataset(small_dataset())


def test_a_failed_import_leaves_nothing(graph: GraphRepository, monkeypatch: pytest.MonkeyPatch) -> None:
    graph.import_dataset(small_dataset())
    before, counts = graph.export_dataset(), graph.counts()

    def boom(self: StagedImport) -> None:
        raise RuntimeError("the store died while publishing")

    monkeypatch.setattr(StagedImport, "publish", boom)
    with pytest.raises(RuntimeError):
        graph.import_dataset(staged_dataset())
    assert graph.export_dataset() == before and graph.counts() == counts
    assert graph.read(q.COUNT_STAGED)[0]["n"] == 0
    assert staging.imports(graph)[-1]["status"] == "failed"


def test_leftovers_of_an_import_no_process_runs_are_reaped(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    counts = graph.counts()
    dead = StagedImport(graph, staged_dataset())
    dead.stage()
    staging._LIVE.discard(dead.id)  # this process no longer runs it: as after an exception it could not clean
    live = StagedImport(graph, replace(staged_dataset(), exchanges=[]))
    try:
        assert staging.reap_dead_imports(graph) == [dead.id]
        assert graph.read(q.COUNT_STAGED)[0]["n"] == 0
        assert graph.counts() == counts
        assert {i["id"]: i["status"] for i in staging.imports(graph)}[dead.id] == "abandoned"
        assert "staged_resource" not in {
            rec["code"] for rec in graph.read("MATCH (r:Resource) RETURN r.code AS code")
        }
        live.run()
    finally:
        staging._LIVE.discard(live.id)
    assert graph.counts()["sites"] == counts["sites"] + 2


def test_a_running_import_is_not_reaped_and_conflicts_are_refused(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    first = StagedImport(graph, staged_dataset())
    first.stage()
    try:
        assert staging.reap_dead_imports(graph) == []  # alive: this process runs it
        with pytest.raises(ImportConflict, match="being imported right now"):
            graph.import_dataset(Dataset(firms=[Firm(id=NEW, name="same id, other import")]))
        first.publish()
    finally:
        staging._LIVE.discard(first.id)
    graph.import_dataset(Dataset(firms=[Firm(id=NEW, name="same id, later import")]))
    assert {f.id: f.name for f in graph.export_dataset().firms}[NEW] == "same id, later import"


def test_heartbeat_decides_for_imports_of_other_hosts() -> None:
    now = staging.time.time()
    other = {"id": "x", "host": "elsewhere", "pid": 1}
    assert staging._is_dead(other | {"heartbeat_at": now - staging.STALE_AFTER_S - 1})
    assert not staging._is_dead(other | {"heartbeat_at": now - staging.STALE_AFTER_S + 5})


def test_an_exited_importer_is_dead_even_before_it_is_reaped() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = staging.time.monotonic() + 60
    while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":  # exited
        assert staging.time.monotonic() < deadline
        staging.time.sleep(0.01)
    here = {"id": "x", "host": staging.socket.gethostname(), "heartbeat_at": staging.time.time()}
    assert staging._is_dead(here | {"pid": child.pid})  # a zombie: exited, not yet waited for
    assert not staging._is_dead(here | {"pid": os.getppid()})  # alive, fresh heartbeat
    child.wait()
    assert staging._is_dead(here | {"pid": child.pid})


# --- the publish gate: no read during a publish commit (symbiosis.graph.publish_gate) ---------------


def _open_gate_for(graph: GraphRepository, props: dict[str, Any]) -> None:
    """An `Import` caught publishing, with the gate it opened (as `StagedImport.publish` does)."""
    graph.run(q.IMPORT_BEGIN, props=props | {"status": "staging"})
    graph.write(q.GATE_OPEN, id=props["id"], now=staging.time.time(), epoch="test")


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_read_waits_while_a_publish_commits(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    here = {"host": staging.socket.gethostname(), "pid": os.getpid(), "heartbeat_at": staging.time.time()}
    staging._LIVE.add("import-live")
    try:
        _open_gate_for(graph, here | {"id": "import-live"})
        answers: list[dict[str, int]] = []
        reader = threading.Thread(target=lambda: answers.append(graph.counts()))
        reader.start()
        reader.join(timeout=1.0)
        assert reader.is_alive() and answers == []  # held at the gate, not answered mid-publish
        graph.write(q.GATE_CLOSE)
        reader.join(timeout=60)
        assert answers and answers[0]["sites"] == len(small_dataset().sites)
    finally:
        staging._LIVE.discard("import-live")


def test_a_read_that_overlapped_a_publish_is_read_again(graph: GraphRepository) -> None:
    graph.import_dataset(small_dataset())
    calls: list[int] = []

    def read() -> int:
        calls.append(1)
        if len(calls) == 1:  # a publish begins and ends while the first answer is computed
            graph.write(q.GATE_OPEN, id="nobody", now=0.0, epoch="test")
            graph.write(q.GATE_CLOSE)
        return len(calls)

    assert publish_gate.consistent(graph, read) == 2


def test_a_gate_made_anew_after_a_clear_is_not_taken_for_the_old_one(graph: GraphRepository) -> None:
    """`clear()` deletes the gate record: a new one starts counting again, so the same counts must
    not pass for "no publish meanwhile" — the gate's epoch tells them apart."""
    graph.write(q.GATE_OPEN, id="nobody", now=0.0, epoch="before the clear")
    graph.write(q.GATE_CLOSE)
    publish_gate.look(graph)  # the look a read starts from
    calls: list[int] = []

    def read() -> int:
        calls.append(1)
        if len(calls) == 1:  # cleared, then a whole publish, while the first answer is computed
            graph.clear()
            graph.write(q.GATE_OPEN, id="nobody", now=0.0, epoch="after the clear")
            graph.write(q.GATE_CLOSE)
        return len(calls)

    assert publish_gate.consistent(graph, read) == 2


def test_a_gate_left_open_by_a_dead_publisher_is_settled(
    graph: GraphRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph.import_dataset(small_dataset())
    here = {"host": staging.socket.gethostname(), "heartbeat_at": staging.time.time()}
    _open_gate_for(graph, here | {"id": "import-dead", "pid": _dead_pid()})
    monkeypatch.setattr(publish_gate, "STUCK_AFTER_S", 0.2)
    assert graph.counts()["sites"] == len(small_dataset().sites)  # waited, found it dead, closed it
    assert not publish_gate.look(graph).open
    assert graph.reap_dead_imports() == ["import-dead"]
    assert {i["id"]: i["status"] for i in staging.imports(graph)}["import-dead"] == "abandoned"


def test_a_live_publisher_is_waited_for_then_the_read_gives_up(
    graph: GraphRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = {"host": staging.socket.gethostname(), "pid": os.getpid(), "heartbeat_at": staging.time.time()}
    staging._LIVE.add("import-slow")
    try:
        _open_gate_for(graph, here | {"id": "import-slow"})
        monkeypatch.setattr(publish_gate, "STUCK_AFTER_S", 0.1)
        monkeypatch.setattr(publish_gate, "WAIT_AT_MOST_S", 0.5)
        assert graph.reap_dead_imports() == []  # alive: neither reaped nor its gate closed
        with pytest.raises(GraphStoreUnavailable, match="an import has been publishing"):
            graph.counts()
    finally:
        staging._LIVE.discard("import-slow")
        graph.write(q.GATE_CLOSE)
