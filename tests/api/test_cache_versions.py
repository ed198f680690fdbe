"""Version-stamped match results: other users get the last result at once while one background
rebuild runs; the user who wrote waits for a result that holds their write."""

from __future__ import annotations

import threading

import pytest

from symbiosis import DATASETS_DIR
from symbiosis.dataset_io import read_dataset
from symbiosis.services import cache

WAIT_S = 60.0


@pytest.fixture(scope="module")
def kalundborg():
    return read_dataset(DATASETS_DIR / "kalundborg", cache.knowledge_base())


class Loader:
    """Counts loads; ``gate`` cleared makes a load wait (a slow store), set lets it through."""

    def __init__(self, dataset) -> None:
        self.dataset = dataset
        self.calls = 0
        self.gate = threading.Event()
        self.gate.set()
        self.started = threading.Event()

    def __call__(self):
        self.calls += 1
        self.started.set()
        assert self.gate.wait(WAIT_S), "test gate never opened"
        return self.dataset


def _in_thread(fn):
    out: list = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    return t, out


def test_the_writer_reads_its_own_write(kalundborg) -> None:
    c = cache.AppCache()
    load = Loader(kalundborg)
    first = c.territory_match("dk", load, reader="writer")
    assert c.territory_match("dk", load, reader="writer") is first and load.calls == 1
    c.invalidate_territories(["dk"], by="writer")
    again = c.territory_match("dk", load, reader="writer")
    assert again is not first and again.version == 1 and load.calls == 2  # rebuilt before answering


def test_others_get_the_last_result_while_one_rebuild_runs(kalundborg) -> None:
    c = cache.AppCache()
    load = Loader(kalundborg)
    first = c.territory_match("dk", load, reader="reader")
    c.invalidate_territories(["dk"], by="writer")
    load.gate.clear()  # the rebuild will hang until the gate opens
    load.started.clear()
    thread, out = _in_thread(lambda: c.territory_match("dk", load, reader="reader"))
    thread.join(WAIT_S)
    assert not thread.is_alive() and out == [first]  # answered without waiting for the store
    assert load.started.wait(WAIT_S)  # … and a background rebuild started
    assert c.territory_match("dk", load, reader="other") is first  # still one rebuild, not two
    assert load.calls == 2
    load.gate.set()
    c._refresher.submit(lambda: None).result(WAIT_S)  # the refresh queue has drained
    newer = c.territory_match("dk", load, reader="reader")
    assert newer is not first and newer.version == 1 and load.calls == 2


def test_the_writer_does_not_get_a_result_older_than_its_write(kalundborg) -> None:
    c = cache.AppCache()
    load = Loader(kalundborg)
    c.territory_match("dk", load)
    c.invalidate_territories(["dk"], by="someone")  # version 1, being rebuilt in the background
    load.gate.clear()
    load.started.clear()
    c.territory_match("dk", load, reader="reader")
    assert load.started.wait(WAIT_S)
    c.invalidate_territories(["dk"], by="writer")  # version 2: the running rebuild holds only 1
    thread, out = _in_thread(lambda: c.territory_match("dk", load, reader="writer"))
    load.gate.set()
    thread.join(WAIT_S)
    assert out and out[0].version == 2 and load.calls == 3


def test_writes_elsewhere_do_not_outdate_a_territory(kalundborg) -> None:
    c = cache.AppCache()
    load = Loader(kalundborg)
    first = c.territory_match("dk", load, reader="writer")
    c.invalidate_territories(["fr"], by="writer")
    assert c.territory_match("dk", load, reader="writer") is first and load.calls == 1


def test_invalidate_all_drops_every_result(kalundborg) -> None:
    c = cache.AppCache()
    load = Loader(kalundborg)
    first = c.territory_match("dk", load)
    c.invalidate_all()
    assert c.territory_match("dk", load, reader="anyone") is not first and load.calls == 2


def test_a_background_rebuild_computes_the_pages_readers_asked_for(kalundborg) -> None:
    c = cache.AppCache()
    load = Loader(kalundborg)
    computed: list[object] = []

    def first_site(tm):
        computed.append(tm)
        return sorted(tm.site_firm)[0]

    first = c.territory_match("dk", load)
    assert first.page("first-site", first_site) == sorted(first.site_firm)[0]
    c.invalidate_territories(["dk"], by="writer")
    assert c.territory_match("dk", load, reader="reader") is first  # stale: refresh in background
    c._refresher.submit(lambda: None).result(WAIT_S)
    newer = c.territory_match("dk", load, reader="reader")
    assert newer is not first and computed == [first, newer]  # computed before anyone asked
    assert newer.page("first-site", first_site) == sorted(newer.site_firm)[0] and len(computed) == 2
