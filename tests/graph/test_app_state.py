"""`AppStateRepository` (the API's reads, deletes and app records) on every engine, expected values
worked out by hand from `small_dataset` (4 firms, 4 sites, 3 outputs, 2 inputs, 1 exchange)."""

from __future__ import annotations

import pytest
from graph_builders import small_dataset

from symbiosis.errors import DuplicateKey
from symbiosis.graph import GraphRepository
from symbiosis.graph import queries as q
from symbiosis.graph.app_state import AppStateRepository, Scope

pytestmark = pytest.mark.graph


@pytest.fixture
def app_repo(graph: GraphRepository) -> AppStateRepository:
    graph.import_dataset(small_dataset())
    return AppStateRepository(graph.driver, graph.uri, graph.database, graph.batch_size)


def test_single_objects(app_repo: AppStateRepository) -> None:
    app_repo.ping()
    park = app_repo.get_territory("dk-kal-park")
    assert park is not None and park.parent_id == "dk-kal"
    assert app_repo.get_territory("nowhere") is None
    assert [t.id for t in app_repo.all_territories()] == [
        "dk",
        "dk-hol",
        "dk-kal",
        "dk-kal-park",
        "dk-zealand",
        "fr",
    ]
    firm = app_repo.get_firm("f-board")
    assert firm is not None and firm.name == "Plasterboard maker"
    site = app_repo.get_site("s-hol")
    assert site is not None and (site.firm_id, site.territory_id) == ("f-power", "dk-hol")
    located = app_repo.get_declaration("output", "o-sludge")
    assert located is not None and (located.firm_id, located.territory_id) == ("f-farm", "dk-kal")
    assert app_repo.get_declaration("input", "o-sludge") is None  # an output id is not an input


def test_paged_and_scoped_lists(app_repo: AppStateRepository) -> None:
    firms, total = app_repo.list_firms(None, skip=1, limit=2)
    assert total == 4 and [f.id for f in firms] == ["f-farm", "f-idle"]
    firms, total = app_repo.list_firms(["f-power", "f-nope"], skip=0, limit=10)
    assert total == 1 and [f.id for f in firms] == ["f-power"]
    assert app_repo.firm_ids_in_territories(["dk-kal-park"]) == ["f-board", "f-power"]
    sites, total = app_repo.list_sites(Scope(firm_id="f-power"), skip=0, limit=10)
    assert total == 2 and [s.id for s in sites] == ["s-hol", "s-power"]
    sites, total = app_repo.list_sites(Scope(territory_ids=["dk-kal", "dk-hol"]), skip=0, limit=1)
    assert total == 2 and [s.id for s in sites] == ["s-farm"]
    outs, total = app_repo.list_declarations("output", Scope(resource_code="hot_water"), skip=0, limit=10)
    assert total == 1 and outs[0].declaration.id == "o-heat" and outs[0].territory_id == "dk-kal-park"
    ins, total = app_repo.list_declarations("input", Scope(site_id="s-farm"), skip=0, limit=10)
    assert total == 1 and ins[0].declaration.id == "i-heat"
    ins, total = app_repo.list_declarations("input", Scope(), skip=1, limit=10)
    assert total == 2 and [d.declaration.id for d in ins] == ["i-heat"]


def test_deletes(app_repo: AppStateRepository) -> None:
    assert app_repo.count_sites_of_firm("f-power") == 2
    assert app_repo.territory_usage("dk-kal-park") == (0, 2)
    assert app_repo.territory_usage("dk-zealand") == (2, 0)
    app_repo.delete_declaration("output", "o-heat")
    assert app_repo.get_declaration("output", "o-heat") is None
    app_repo.delete_declaration("input", "i-heat")
    assert app_repo.get_declaration("input", "i-heat") is None
    assert app_repo.get_declaration("input", "i-gypsum") is not None
    app_repo.delete_site("s-power")  # its outputs and its known exchange go with it
    counts = app_repo.counts()
    assert (counts["sites"], counts["outputs"], counts["exchanges"]) == (3, 1, 0)
    assert app_repo.count_sites_of_firm("f-power") == 1
    app_repo.delete_firm("f-idle")
    assert app_repo.get_firm("f-idle") is None
    app_repo.delete_territory("fr")
    assert app_repo.get_territory("fr") is None and app_repo.counts()["territories"] == 5


def test_app_records(app_repo: AppStateRepository) -> None:
    user = {"id": "u1", "email": "a@example.org", "role": "admin", "territory_ids": ["dk"]}
    app_repo.save_record("User", user)
    assert app_repo.user_by_email("a@example.org") == user
    assert app_repo.user_by_email("b@example.org") is None
    assert app_repo.patch_record("User", "u1", {"role": "analyst", "firm_id": None}) == {
        **user,
        "role": "analyst",
    }
    assert app_repo.patch_record("User", "u-missing", {"role": "analyst"}) is None
    for rid, status in (("r2", "done"), ("r1", "queued"), ("r3", "running")):
        app_repo.create_record("Run", {"id": rid, "status": status})
    assert [r["id"] for r in app_repo.runs_with_status(["queued", "running"])] == ["r1", "r3"]
    assert [r["id"] for r in app_repo.list_records("Run")] == ["r1", "r2", "r3"]
    app_repo.create_record("Synergy", {"id": "syn1", "status": "idea"})
    assert app_repo.get_record("Synergy", "syn1") == {"id": "syn1", "status": "idea"}
    app_repo.create_record("Consent", {"id": "c1", "from_firm_id": "f-power", "to_firm_id": "f-board"})
    app_repo.create_record("Consent", {"id": "c2", "from_firm_id": "f-farm", "to_firm_id": "f-power"})
    app_repo.create_record("Consent", {"id": "c3", "from_firm_id": "f-farm", "to_firm_id": "f-board"})
    assert [c["id"] for c in app_repo.consents_of_firm("f-power")] == ["c1", "c2"]
    app_repo.delete_record("Consent", "c1")
    assert app_repo.get_record("Consent", "c1") is None
    assert [c["id"] for c in app_repo.list_records("Consent")] == ["c2", "c3"]


@pytest.mark.parametrize("label", q.APP_LABELS)
def test_record_life_cycle(app_repo: AppStateRepository, label: str) -> None:
    """Save (create, then replace whole), read, patch, delete: for every app label."""
    app_repo.save_record(label, {"id": "k1", "email": "k1@example.org", "status": "a", "extra": 1})
    app_repo.save_record(label, {"id": "k2", "email": "k2@example.org", "status": "a"})
    app_repo.save_record(label, {"id": "k1", "email": "k1@example.org", "status": "b"})  # replaces
    assert app_repo.get_record(label, "k1") == {"id": "k1", "email": "k1@example.org", "status": "b"}
    patched = app_repo.patch_record(label, "k1", {"status": "c", "note": "x"})
    assert patched == {"id": "k1", "email": "k1@example.org", "status": "c", "note": "x"}
    app_repo.delete_record(label, "k1")
    assert app_repo.get_record(label, "k1") is None
    assert [r["id"] for r in app_repo.list_records(label)] == ["k2"]


@pytest.mark.parametrize(
    ("label", "props", "field"),
    [
        ("User", {"id": "u9", "email": "a@example.org"}, "email"),  # same e-mail, new id
        ("User", {"id": "u1", "email": "other@example.org"}, "id"),
        ("Run", {"id": "r1", "status": "queued"}, "id"),
        ("Synergy", {"id": "syn1"}, "id"),
        ("Consent", {"id": "c1"}, "id"),
        *((label, {"id": "s1"}, "id") for label in q.SECURITY_LABELS),
    ],
)
def test_create_record_refuses_a_taken_key_naming_it(
    app_repo: AppStateRepository, label: str, props: dict[str, str], field: str
) -> None:
    app_repo.create_record("User", {"id": "u1", "email": "a@example.org"})
    for other in ("Run", "Synergy", "Consent"):
        app_repo.create_record(other, {"id": {"Run": "r1", "Synergy": "syn1", "Consent": "c1"}[other]})
    for other in q.SECURITY_LABELS:
        app_repo.create_record(other, {"id": "s1"})
    before = app_repo.list_records(label)
    with pytest.raises(DuplicateKey) as err:
        app_repo.create_record(label, props)
    assert (err.value.label, err.value.field, err.value.value) == (label, field, props[field])
    assert app_repo.list_records(label) == before  # nothing half-written


def test_create_record_accepts_a_free_key(app_repo: AppStateRepository) -> None:
    app_repo.create_record("User", {"id": "u1", "email": "a@example.org"})
    app_repo.create_record("User", {"id": "u2", "email": "b@example.org"})  # the boundary's other side
    assert [u["email"] for u in app_repo.list_records("User")] == ["a@example.org", "b@example.org"]


def test_deletes_and_records_bump_the_data_version_in_their_own_transaction(
    app_repo: AppStateRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One bump per delete, committed with it: when the bump fails, the delete is rolled back too
    (a second transaction would leave the row deleted and readers' caches stale)."""
    version = app_repo.data_version()
    app_repo.delete_declaration("output", "o-sludge")
    app_repo.delete_site("s-hol")
    app_repo.save_record("Consent", {"id": "c-1", "firm_id": "f-board"})
    app_repo.save_record("LoginThrottle", {"id": "someone", "failures": 1})  # a security record: no bump
    assert app_repo.data_version() == version + 3
    monkeypatch.setattr(app_repo, "write_stamp", "THIS IS NOT CYPHER")
    with pytest.raises(Exception):  # noqa: B017, PT011 - each engine names its syntax error its own way
        app_repo.delete_firm("f-idle")
    with pytest.raises(Exception):  # noqa: B017, PT011
        app_repo.delete_site("s-board")
    with pytest.raises(Exception):  # noqa: B017, PT011
        app_repo.delete_record("Consent", "c-1")
    assert app_repo.get_firm("f-idle") is not None and app_repo.get_site("s-board") is not None
    assert app_repo.get_record("Consent", "c-1") is not None
    app_repo.delete_record("LoginThrottle", "someone")  # not stamped: the broken stamp is not run


def test_token_holder_tells_revocation_and_user_in_one_look_up(app_repo: AppStateRepository) -> None:
    app_repo.save_record("User", {"id": "u-1", "email": "u1@example.org", "role": "analyst"})
    app_repo.save_record("RevokedToken", {"id": "jti-gone", "user_id": "u-1", "expires_at": 10.0})
    revoked, user = app_repo.token_holder("jti-live", "u-1")
    assert (revoked, user is not None and user["email"]) == (False, "u1@example.org")
    assert app_repo.token_holder("jti-gone", "u-1")[0] is True
    assert app_repo.token_holder("jti-live", "nobody") == (False, None)
    assert app_repo.token_holder("jti-gone", "nobody") == (True, None)


def test_purge_revoked_deletes_only_what_expired_before_the_bound(app_repo: AppStateRepository) -> None:
    for jti, expires_at in (("a", 99.0), ("b", 100.0), ("c", 101.0)):
        app_repo.save_record("RevokedToken", {"id": jti, "user_id": "u", "expires_at": expires_at})
    assert app_repo.purge_revoked(100.0, chunk=1) == 1  # strictly before: 100.0 itself stays
    assert sorted(r["id"] for r in app_repo.list_records("RevokedToken")) == ["b", "c"]
    assert app_repo.purge_revoked(200.0) == 2 and app_repo.list_records("RevokedToken") == []


def test_a_run_is_patched_until_it_ends_and_never_after(app_repo: AppStateRepository) -> None:
    """Both sides of the condition: a running run takes the change; an ended one (any of the given
    statuses) keeps its record unchanged; a missing run gives None."""
    ended = ("done", "failed", "cancelled")
    app_repo.save_record("Run", {"id": "r1", "status": "running", "progress": 0.5})
    after = app_repo.patch_run_unless_ended("r1", {"status": "done", "progress": 1.0}, ended)
    assert after == {"id": "r1", "status": "done", "progress": 1.0}
    assert app_repo.patch_run_unless_ended("r1", {"status": "cancelled", "note": "late"}, ended) is None
    assert app_repo.get_record("Run", "r1") == {"id": "r1", "status": "done", "progress": 1.0}
    app_repo.save_record("Run", {"id": "r2", "status": "queued"})
    assert app_repo.patch_run_unless_ended("r2", {"heartbeat_at": "t"}, ended) == {
        "id": "r2", "status": "queued", "heartbeat_at": "t",
    }  # fmt: skip
    assert app_repo.patch_run_unless_ended("r-missing", {"status": "done"}, ended) is None
