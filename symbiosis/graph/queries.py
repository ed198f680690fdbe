"""Every Cypher statement of symbiosis, as parameterised constants. Nothing else speaks Cypher.

Plain Neo4j 5 Cypher only (no APOC, no vendor dialect): the same text runs on the embedded
ArcadeDB server and on a production Neo4j 5. Bulk writes are ``UNWIND $rows AS row MERGE …`` run
once per batch; each row is ``{"id": …, "props": {…}, <link keys>}``. A write of one kind is a
sequence of statements run in ONE transaction: upsert the nodes, then per relationship drop the
edges that no longer hold and create the one that does. Re-importing the same rows changes
nothing, and an upsert that moves a site to another firm leaves no stale edge.
"""

from __future__ import annotations

from typing import Final

# --- schema ------------------------------------------------------------------------------------

UNIQUE_ID_LABELS: Final = ("Territory", "Firm", "Site", "Output", "Input", "Exchange")
"""Labels keyed by ``id``; `Resource` is keyed by ``code``."""

SECURITY_LABELS: Final = ("RevokedToken", "LoginThrottle", "HealthProbe")
"""Token revocations (by jti), failed-login counters and /health's write probe (issue 14): in the
store so that every API process honours them."""
PURGE_REVOKED: Final = (
    "MATCH (n:RevokedToken) WHERE n.expires_at < $before "
    "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
)
"""Revocations of tokens expired before ``$before`` (seconds since the epoch): nothing left to refuse."""
APP_LABELS: Final = ("User", "Run", "Synergy", "Consent", *SECURITY_LABELS)
"""App-state labels (API and services), keyed by ``id`` too."""

NATURAL_KEYS: Final[dict[str, tuple[str, ...]]] = {
    **{label: ("id",) for label in (*UNIQUE_ID_LABELS, "Run", "Synergy", "Consent", *SECURITY_LABELS)},
    "Resource": ("code",),
    "User": ("id", "email"),
}
"""Every property that identifies a node: each gets a uniqueness constraint AND an existence
constraint (where the server offers them), so two concurrent creates cannot both succeed."""


def _constraint_name(label: str, key: str, suffix: str = "") -> str:
    return f"{label.lower()}_{key}{suffix}"


UNIQUE_CONSTRAINTS: Final[tuple[str, ...]] = tuple(
    f"CREATE CONSTRAINT {_constraint_name(label, key)} IF NOT EXISTS "
    f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE"
    for label, keys in NATURAL_KEYS.items()
    for key in keys
)

EXISTENCE_CONSTRAINTS: Final[tuple[str, ...]] = tuple(
    f"CREATE CONSTRAINT {_constraint_name(label, key, '_exists')} IF NOT EXISTS "
    f"FOR (n:{label}) REQUIRE n.{key} IS NOT NULL"
    for label, keys in NATURAL_KEYS.items()
    for key in keys
)
"""Enforced by ArcadeDB and Neo4j Enterprise; Neo4j Community refuses them ("requires Neo4j
Enterprise Edition"), which `GraphRepository.ensure_schema` reports instead of failing."""

INDEXES: Final[tuple[str, ...]] = (
    "CREATE POINT INDEX site_location IF NOT EXISTS FOR (s:Site) ON (s.location)",
    "CREATE INDEX output_resource_code IF NOT EXISTS FOR (d:Output) ON (d.resource_code)",
    "CREATE INDEX input_resource_code IF NOT EXISTS FOR (d:Input) ON (d.resource_code)",
    "CREATE INDEX run_status IF NOT EXISTS FOR (n:Run) ON (n.status)",
    "CREATE INDEX consent_from_firm IF NOT EXISTS FOR (n:Consent) ON (n.from_firm_id)",
    "CREATE INDEX consent_to_firm IF NOT EXISTS FOR (n:Consent) ON (n.to_firm_id)",
)
"""The point index serves `SITES_WITHIN_RADIUS`; the others the scoped filters of the API."""

SCHEMA: Final[tuple[str, ...]] = (*UNIQUE_CONSTRAINTS, *INDEXES)
"""What every server must accept; `EXISTENCE_CONSTRAINTS` are added where supported."""

SHOW_CONSTRAINTS: Final = "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN *"
SHOW_INDEXES: Final = "SHOW INDEXES YIELD name, type, labelsOrTypes, properties RETURN *"

# --- knowledge ---------------------------------------------------------------------------------

UPSERT_RESOURCES: Final = """
UNWIND $rows AS row
MERGE (r:Resource {code: row.id})
SET r = row.props
"""

DELETE_RULES: Final = """
UNWIND $rows AS row
MATCH (:Resource)-[old:CAN_REPLACE {rule_id: row.id}]->(:Resource)
DELETE old
"""

CREATE_RULES: Final = """
UNWIND $rows AS row
MATCH (a:Resource {code: row.from_resource})
MATCH (b:Resource {code: row.to_resource})
CREATE (a)-[r:CAN_REPLACE]->(b)
SET r = row.props
"""

# --- territories, firms, sites -----------------------------------------------------------------

UPSERT_TERRITORIES: Final = """
UNWIND $rows AS row
MERGE (t:Territory {id: row.id})
SET t = row.props
"""


def _relink(
    label: str, rel: str, outgoing: bool, other: str, other_key: str, row_key: str, merge: bool = False
) -> str:
    """Make ``row[row_key]`` the one ``rel`` neighbour of each node: drop edges to any other
    neighbour, then create the edge unless it exists.

    ``NOT EXISTS {…} CREATE`` rather than ``MERGE`` on the relationship: same result, several
    times faster on ArcadeDB (measured, see docs/GRAPH_MODEL.md). ``merge=True`` creates a missing
    neighbour holding only its key (resources referenced before the knowledge base is imported).
    """
    old = f"-[old:{rel}]->(o:{other})" if outgoing else f"<-[old:{rel}]-(o:{other})"
    new = f"-[:{rel}]->(o)" if outgoing else f"<-[:{rel}]-(o)"
    find = "MERGE" if merge else "MATCH"
    return f"""
UNWIND $rows AS row
MATCH (n:{label} {{id: row.id}})
OPTIONAL MATCH (n){old}
WHERE row.{row_key} IS NULL OR o.{other_key} <> row.{row_key}
DELETE old
WITH DISTINCT n, row
{find} (o:{other} {{{other_key}: row.{row_key}}})
WITH n, o
WHERE NOT EXISTS {{ (n){new} }}
CREATE (n){new}
"""


RELINK_TERRITORY_PARENTS: Final = _relink("Territory", "PART_OF", True, "Territory", "id", "parent_id")

UPSERT_FIRMS: Final = """
UNWIND $rows AS row
MERGE (f:Firm {id: row.id})
SET f = row.props
"""

CREATE_FIRMS: Final = """
UNWIND $rows AS row
CREATE (f:Firm)
SET f = row.props
"""
"""Create-only (the API's "new firm"): a firm id already taken fails on the uniqueness constraint
instead of MERGE quietly updating it, so of concurrent creates exactly one wins."""

UPSERT_SITES: Final = """
UNWIND $rows AS row
MERGE (s:Site {id: row.id})
SET s = row.props,
    s.location = point({latitude: row.props.latitude_deg, longitude: row.props.longitude_deg})
"""

RELINK_SITE_FIRMS: Final = _relink("Site", "OPERATES", False, "Firm", "id", "firm_id")
RELINK_SITE_TERRITORIES: Final = _relink("Site", "LOCATED_IN", True, "Territory", "id", "territory_id")

CREATE_SITES: Final = """
UNWIND $rows AS row
MATCH (f:Firm {id: row.firm_id})
CREATE (f)-[:OPERATES]->(s:Site)
SET s = row.props,
    s.location = point({latitude: row.props.latitude_deg, longitude: row.props.longitude_deg})
WITH s, row
MATCH (t:Territory {id: row.territory_id})
CREATE (s)-[:LOCATED_IN]->(t)
"""
"""Fast path for ids not in the store yet (checked in the same transaction): no lookups of edges
to drop, no existence checks — about 2-3x faster than the upsert path on ArcadeDB."""

# --- declarations ------------------------------------------------------------------------------


def _declaration_writes(label: str, rel: str) -> tuple[str, ...]:
    """The same statements for outputs (GIVES) and inputs (NEEDS); labels cannot be parameters."""
    return (
        f"""
UNWIND $rows AS row
MERGE (d:{label} {{id: row.id}})
SET d = row.props
""",
        _relink(label, rel, False, "Site", "id", "site_id"),
        _relink(label, "OF", True, "Resource", "code", "resource_code", merge=True),
    )


def _declaration_create(label: str, rel: str) -> str:
    return f"""
UNWIND $rows AS row
MATCH (s:Site {{id: row.site_id}})
MERGE (r:Resource {{code: row.resource_code}})
CREATE (s)-[:{rel}]->(d:{label})-[:OF]->(r)
SET d = row.props
"""


OUTPUT_WRITES: Final = _declaration_writes("Output", "GIVES")
INPUT_WRITES: Final = _declaration_writes("Input", "NEEDS")
CREATE_OUTPUTS: Final = _declaration_create("Output", "GIVES")
CREATE_INPUTS: Final = _declaration_create("Input", "NEEDS")

# --- known exchanges ---------------------------------------------------------------------------

UPSERT_EXCHANGES: Final = """
UNWIND $rows AS row
MERGE (x:Exchange {id: row.id})
SET x = row.props
"""

EXCHANGE_WRITES: Final = (
    UPSERT_EXCHANGES,
    _relink("Exchange", "SUPPLIES", False, "Site", "id", "from_site_id"),
    _relink("Exchange", "DELIVERS_TO", True, "Site", "id", "to_site_id"),
    _relink("Exchange", "OF", True, "Resource", "code", "resource_code", merge=True),
)

# --- reads -------------------------------------------------------------------------------------

EXISTING_IDS: Final = {
    label: f"UNWIND $ids AS wanted MATCH (n:{label} {{id: wanted}}) WHERE n.staged_import IS NULL "
    "RETURN n.id AS id"
    for label in ("Territory", "Firm", "Site", "Output", "Input")
}
"""Reference checks (territories, firms, sites) and the create-only fast path (sites, declarations)."""

COUNT_NODES: Final = (
    "MATCH (n) WHERE n.staged_import IS NULL AND NOT 'Import' IN labels(n) "
    "RETURN labels(n)[0] AS label, count(*) AS n"
)
COUNT_RULES: Final = "MATCH (:Resource)-[r:CAN_REPLACE]->(:Resource) RETURN count(r) AS n"

_TERRITORY_RETURN = """
OPTIONAL MATCH (t)-[:PART_OF]->(p:Territory)
WHERE p.staged_import IS NULL
RETURN properties(t) AS props, p.id AS parent_id
ORDER BY t.id
"""

ALL_TERRITORIES: Final = "MATCH (t:Territory) WHERE t.staged_import IS NULL" + _TERRITORY_RETURN

SUB_TERRITORIES: Final = (
    "MATCH (:Territory {id: $territory_id})<-[:PART_OF*0..]-(t:Territory) WHERE t.staged_import IS NULL\n"
    "WITH DISTINCT t" + _TERRITORY_RETURN
)

PARENT_TERRITORIES: Final = (
    "MATCH (c:Territory {id: $territory_id})-[:PART_OF*1..]->(t:Territory)\n"
    "WHERE c.staged_import IS NULL AND t.staged_import IS NULL WITH DISTINCT t" + _TERRITORY_RETURN
)

ALL_FIRMS: Final = "MATCH (f:Firm) WHERE f.staged_import IS NULL RETURN properties(f) AS props ORDER BY f.id"

FIRMS_BY_ID: Final = """
UNWIND $ids AS wanted
MATCH (f:Firm {id: wanted})
WHERE f.staged_import IS NULL
RETURN properties(f) AS props
ORDER BY f.id
"""

_SITE_RETURN = """
MATCH (f:Firm)-[:OPERATES]->(s)
OPTIONAL MATCH (s)-[:LOCATED_IN]->(t:Territory)
RETURN properties(s) AS props, f.id AS firm_id, t.id AS territory_id
ORDER BY s.id
"""

ALL_SITES: Final = "MATCH (s:Site) WHERE s.staged_import IS NULL" + _SITE_RETURN

TERRITORIES_WITH_SITES: Final = (
    "MATCH (s:Site)-[:LOCATED_IN]->(:Territory)-[:PART_OF*0..]->(t:Territory)\n"
    "WHERE s.staged_import IS NULL RETURN DISTINCT t.id AS id"
)

SITES_IN_TERRITORY: Final = (
    "MATCH (:Territory {id: $territory_id})<-[:PART_OF*0..]-(:Territory)<-[:LOCATED_IN]-(s:Site)\n"
    "WHERE s.staged_import IS NULL WITH DISTINCT s" + _SITE_RETURN
)

SITES_WITHIN_RADIUS: Final = """
WITH point({latitude: $latitude_deg, longitude: $longitude_deg}) AS centre
MATCH (s:Site)
WHERE point.distance(s.location, centre) <= $radius_m AND s.staged_import IS NULL
WITH s, point.distance(s.location, centre) AS distance_m
MATCH (f:Firm)-[:OPERATES]->(s)
OPTIONAL MATCH (s)-[:LOCATED_IN]->(t:Territory)
RETURN properties(s) AS props, f.id AS firm_id, t.id AS territory_id, distance_m
ORDER BY distance_m, s.id
"""


def _declaration_reads(label: str, rel: str) -> dict[str, str]:
    ret = "WHERE d.staged_import IS NULL RETURN properties(d) AS props, s.id AS site_id ORDER BY d.id"
    return {
        "all": f"MATCH (s:Site)-[:{rel}]->(d:{label}) {ret}",
        "of_sites": f"UNWIND $site_ids AS site_id MATCH (s:Site {{id: site_id}})-[:{rel}]->(d:{label}) {ret}",
        "of_resource": f"MATCH (:Resource {{code: $code}})<-[:OF]-(d:{label})<-[:{rel}]-(s:Site) {ret}",
    }


OUTPUT_READS: Final = _declaration_reads("Output", "GIVES")
INPUT_READS: Final = _declaration_reads("Input", "NEEDS")

_EXCHANGE_RETURN = (
    "AND x.staged_import IS NULL "
    "RETURN properties(x) AS props, a.id AS from_site_id, b.id AS to_site_id ORDER BY x.id"
)

ALL_EXCHANGES: Final = (
    "MATCH (a:Site)-[:SUPPLIES]->(x:Exchange)-[:DELIVERS_TO]->(b:Site) WHERE true " + _EXCHANGE_RETURN
)

EXCHANGES_BETWEEN_SITES: Final = (
    "UNWIND $site_ids AS site_id MATCH (a:Site {id: site_id})-[:SUPPLIES]->(x:Exchange)"
    "-[:DELIVERS_TO]->(b:Site) WHERE b.id IN $site_ids " + _EXCHANGE_RETURN
)

# --- maintenance -------------------------------------------------------------------------------

DELETE_SOME_NODES: Final = "MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
PING: Final = "RETURN 1 AS ok"


# === API and services: app state and per-object reads (appended by the API work, issue 5) ========
# Users, optimisation runs, synergies and consents are nodes keyed by ``id`` whose properties are
# scalars (nested results are JSON text). Paged reads take optional filters as parameters that may
# be null ("no filter"), so one statement serves every role's scope.

APP_UPSERT: Final = {label: f"MERGE (n:{label} {{id: $id}}) SET n = $props" for label in APP_LABELS}
APP_CREATE: Final = {label: f"CREATE (n:{label}) SET n = $props" for label in APP_LABELS}
"""Create-only: a taken ``id`` (or user e-mail) fails on its uniqueness constraint."""
KEY_TAKEN: Final = {
    (label, key): f"MATCH (n:{label} {{{key}: $value}}) RETURN count(n) AS n"
    for label in ("Firm", *APP_LABELS)
    for key in NATURAL_KEYS[label]
}
"""After a uniqueness failure: which key was taken (ArcadeDB's error message does not say)."""
APP_PATCH: Final = {
    label: f"MATCH (n:{label} {{id: $id}}) SET n += $props RETURN properties(n) AS props"
    for label in APP_LABELS
}
APP_GET: Final = {
    label: f"MATCH (n:{label} {{id: $id}}) RETURN properties(n) AS props" for label in APP_LABELS
}
APP_LIST: Final = {
    label: f"MATCH (n:{label}) RETURN properties(n) AS props ORDER BY n.id" for label in APP_LABELS
}
APP_DELETE: Final = {label: f"MATCH (n:{label} {{id: $id}}) DETACH DELETE n" for label in APP_LABELS}

USER_BY_EMAIL: Final = "MATCH (n:User {email: $email}) RETURN properties(n) AS props"
TOKEN_HOLDER: Final = """
OPTIONAL MATCH (r:RevokedToken {id: $jti}) WITH count(r) > 0 AS revoked
OPTIONAL MATCH (u:User {id: $user_id}) RETURN revoked, properties(u) AS props
"""
"""Every authenticated request's one look-up: whether its token was revoked, and its user."""
RUN_PATCH_UNLESS_ENDED: Final = """
MATCH (n:Run {id: $id})
SET n.write_lock = true
REMOVE n.write_lock
WITH n WHERE NOT coalesce(n.status, '') IN $ended
SET n += $props
RETURN properties(n) AS props
"""
"""A run's change unless it has ended meanwhile (a cancel and the worker's "done" race otherwise:
check-then-write lets the later one overwrite the first). The ``SET``/``REMOVE`` pair changes
nothing but takes the record's write lock on Neo4j before the status is read, so the check sees the
latest commit (a same-value ``SET n.status = n.status`` took no lock: the race test failed with it);
ArcadeDB's optimistic transactions retry a write that raced another."""
RUNS_WITH_STATUS: Final = (
    "MATCH (n:Run) WHERE n.status IN $statuses RETURN properties(n) AS props ORDER BY n.id"
)
CONSENTS_OF_FIRM: Final = """
MATCH (n:Consent)
WHERE n.from_firm_id = $firm_id OR n.to_firm_id = $firm_id
RETURN properties(n) AS props ORDER BY n.id
"""

TERRITORY_BY_ID: Final = "MATCH (t:Territory {id: $id}) WHERE t.staged_import IS NULL" + _TERRITORY_RETURN
SITE_BY_ID: Final = "MATCH (s:Site {id: $id}) WHERE s.staged_import IS NULL" + _SITE_RETURN

_SITE_SCOPE = """
MATCH (f:Firm)-[:OPERATES]->(s:Site)
OPTIONAL MATCH (s)-[:LOCATED_IN]->(t:Territory)
WITH f, s, t
WHERE ($firm_id IS NULL OR f.id = $firm_id) AND ($territory_ids IS NULL OR t.id IN $territory_ids)
  AND s.staged_import IS NULL
"""

SITES_PAGE: Final = (
    _SITE_SCOPE + "RETURN properties(s) AS props, f.id AS firm_id, t.id AS territory_id\n"
    "ORDER BY s.id SKIP $skip LIMIT $limit"
)
SITES_COUNT: Final = _SITE_SCOPE + "RETURN count(s) AS n"

FIRM_IDS_IN_TERRITORIES: Final = """
MATCH (f:Firm)-[:OPERATES]->(s:Site)-[:LOCATED_IN]->(t:Territory)
WHERE t.id IN $territory_ids AND s.staged_import IS NULL
RETURN DISTINCT f.id AS id
"""

FIRMS_PAGE: Final = """
MATCH (f:Firm)
WHERE ($ids IS NULL OR f.id IN $ids) AND f.staged_import IS NULL
RETURN properties(f) AS props ORDER BY f.id SKIP $skip LIMIT $limit
"""
FIRMS_COUNT: Final = (
    "MATCH (f:Firm) WHERE ($ids IS NULL OR f.id IN $ids) AND f.staged_import IS NULL RETURN count(f) AS n"
)
SITES_OF_FIRM_COUNT: Final = (
    "MATCH (:Firm {id: $id})-[:OPERATES]->(s:Site) WHERE s.staged_import IS NULL RETURN count(s) AS n"
)


def _declaration_scope(label: str, rel: str) -> str:
    return f"""
MATCH (f:Firm)-[:OPERATES]->(s:Site)-[:{rel}]->(d:{label})
OPTIONAL MATCH (s)-[:LOCATED_IN]->(t:Territory)
WITH f, s, t, d
WHERE ($firm_id IS NULL OR f.id = $firm_id) AND ($territory_ids IS NULL OR t.id IN $territory_ids)
  AND ($site_id IS NULL OR s.id = $site_id) AND ($resource_code IS NULL OR d.resource_code = $resource_code)
  AND d.staged_import IS NULL
"""


_DECL_RETURN = "RETURN properties(d) AS props, s.id AS site_id, f.id AS firm_id, t.id AS territory_id"

DECLARATION_PAGE: Final = {
    label: _declaration_scope(label, rel) + _DECL_RETURN + " ORDER BY d.id SKIP $skip LIMIT $limit"
    for label, rel in (("Output", "GIVES"), ("Input", "NEEDS"))
}
DECLARATION_COUNT: Final = {
    label: _declaration_scope(label, rel) + "RETURN count(d) AS n"
    for label, rel in (("Output", "GIVES"), ("Input", "NEEDS"))
}
DECLARATION_BY_ID: Final = {  # from the declaration outwards, one hop per MATCH: ArcadeDB otherwise
    # walks every firm's sites first (13 ms instead of 3 ms per call with 1,300 sites, measured)
    label: f"""
MATCH (d:{label} {{id: $id}})
WHERE d.staged_import IS NULL
MATCH (s:Site)-[:{rel}]->(d)
MATCH (f:Firm)-[:OPERATES]->(s)
OPTIONAL MATCH (s)-[:LOCATED_IN]->(t:Territory)
{_DECL_RETURN}
"""
    for label, rel in (("Output", "GIVES"), ("Input", "NEEDS"))
}

DELETE_DECLARATION: Final = {
    label: f"MATCH (d:{label} {{id: $id}}) DETACH DELETE d" for label in ("Output", "Input")
}
DELETE_SITE: Final = (
    "MATCH (:Site {id: $id})-[:GIVES|NEEDS]->(d) DETACH DELETE d",
    "MATCH (:Site {id: $id})-[:SUPPLIES|DELIVERS_TO]-(x:Exchange) DETACH DELETE x",
    "MATCH (s:Site {id: $id}) DETACH DELETE s",
)
DELETE_FIRM: Final = "MATCH (f:Firm {id: $id}) DETACH DELETE f"
DELETE_TERRITORY: Final = "MATCH (t:Territory {id: $id}) DETACH DELETE t"
TERRITORY_USAGE: Final = """
MATCH (t:Territory {id: $id})
OPTIONAL MATCH (t)<-[:PART_OF]-(c:Territory)
WHERE c.staged_import IS NULL
OPTIONAL MATCH (t)<-[:LOCATED_IN]-(s:Site)
WHERE s.staged_import IS NULL
RETURN count(DISTINCT c) AS children, count(DISTINCT s) AS sites
"""


# === staged imports (issue 14, item 3) ============================================================
# A dataset import writes every NEW node with ``staged_import = <import id>``: invisible to every
# read statement above (each filters ``staged_import IS NULL`` on the nodes it can reach), so a
# crash at any point leaves the visible graph as it was. Rows updating a visible node are not
# staged: they are applied in the final publish transaction, which also removes the marker from
# every staged node and marks the `Import` node published — the import appears in one commit.
# A dead import (its process or the store died) leaves staged nodes and an `Import` node with
# status "staging"; the next import deletes them (`symbiosis.graph.staging`).

STAGED_LABELS: Final = (*UNIQUE_ID_LABELS, "Resource")
"""Every label an import can create a node of (resources: codes unknown to the store)."""

IMPORT_SCHEMA: Final[tuple[str, ...]] = (
    "CREATE CONSTRAINT import_id IF NOT EXISTS FOR (n:Import) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT publish_gate_id IF NOT EXISTS FOR (n:PublishGate) REQUIRE n.id IS UNIQUE",
)

STAGE_EXISTING_IDS: Final = {
    label: f"UNWIND $ids AS wanted MATCH (n:{label} {{id: wanted}}) "
    "RETURN n.id AS id, n.staged_import AS staged_import"
    for label in UNIQUE_ID_LABELS
}
"""Like `EXISTING_IDS` but seeing staged nodes too, with the import that staged them."""

STAGE_TERRITORIES: Final = """
UNWIND $rows AS row
CREATE (t:Territory)
SET t = row.props, t.staged_import = $import_id
"""

STAGE_FIRMS: Final = """
UNWIND $rows AS row
CREATE (f:Firm)
SET f = row.props, f.staged_import = $import_id
"""

STAGE_SITES: Final = """
UNWIND $rows AS row
MATCH (f:Firm {id: row.firm_id})
CREATE (f)-[:OPERATES]->(s:Site)
SET s = row.props, s.staged_import = $import_id,
    s.location = point({latitude: row.props.latitude_deg, longitude: row.props.longitude_deg})
WITH s, row
MATCH (t:Territory {id: row.territory_id})
CREATE (s)-[:LOCATED_IN]->(t)
"""


def _declaration_stage(label: str, rel: str) -> str:
    return f"""
UNWIND $rows AS row
MATCH (s:Site {{id: row.site_id}})
MERGE (r:Resource {{code: row.resource_code}})
ON CREATE SET r.staged_import = $import_id
CREATE (s)-[:{rel}]->(d:{label})-[:OF]->(r)
SET d = row.props, d.staged_import = $import_id
"""


STAGE_OUTPUTS: Final = _declaration_stage("Output", "GIVES")
STAGE_INPUTS: Final = _declaration_stage("Input", "NEEDS")

STAGE_EXCHANGES: Final = """
UNWIND $rows AS row
MATCH (a:Site {id: row.from_site_id})
MATCH (b:Site {id: row.to_site_id})
MERGE (r:Resource {code: row.resource_code})
ON CREATE SET r.staged_import = $import_id
CREATE (a)-[:SUPPLIES]->(x:Exchange)-[:DELIVERS_TO]->(b)
CREATE (x)-[:OF]->(r)
SET x = row.props, x.staged_import = $import_id
"""

PUBLISH_STAGED: Final = {
    label: f"MATCH (n:{label}) WHERE n.staged_import = $import_id REMOVE n.staged_import"
    for label in STAGED_LABELS
}
"""Run together, in the publish transaction: the import's nodes become visible in one commit."""

DELETE_STAGED: Final = {
    label: f"MATCH (n:{label}) WHERE n.staged_import = $import_id "
    "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
    for label in UNIQUE_ID_LABELS
}
"""Cleaning a dead import, in chunks (staged nodes are invisible: no need for one transaction)."""

DELETE_STAGED_RESOURCES: Final = """
MATCH (r:Resource) WHERE r.staged_import = $import_id AND NOT EXISTS { (r)<-[:OF]-() }
DETACH DELETE r
"""
"""After the declarations: a resource a published node of another import uses stays (made visible)."""

IMPORT_BEGIN: Final = "CREATE (i:Import) SET i = $props"
IMPORT_HEARTBEAT: Final = "MATCH (i:Import {id: $id}) SET i.heartbeat_at = $now"
IMPORT_FINISH: Final = "MATCH (i:Import {id: $id}) SET i += $props"
IMPORTS_STAGING: Final = (
    "MATCH (i:Import) WHERE i.status IN ['staging', 'publishing'] RETURN properties(i) AS props ORDER BY i.id"
)
"""Imports not (yet) published: staging, or publishing when their process died mid-publish."""
IMPORTS_ALL: Final = "MATCH (i:Import) RETURN properties(i) AS props ORDER BY i.started_at, i.id"
COUNT_STAGED: Final = "MATCH (n) WHERE n.staged_import IS NOT NULL RETURN count(n) AS n"

# The publish gate (`symbiosis.graph.publish_gate`): one record counting publishes begun and done.
GATE_READ: Final = (
    "OPTIONAL MATCH (g:PublishGate {id: 'imports'}) "
    "RETURN coalesce(g.begun, 0) AS begun, coalesce(g.done, 0) AS done, g.epoch AS epoch"
)
GATE_OPEN: Final = """
MERGE (g:PublishGate {id: 'imports'})
SET g.begun = coalesce(g.begun, 0) + 1, g.done = coalesce(g.done, 0)
SET g.epoch = coalesce(g.epoch, $epoch)
WITH g
OPTIONAL MATCH (i:Import {id: $id}) SET i.status = 'publishing', i.heartbeat_at = $now
"""
GATE_CLOSE: Final = """
MATCH (g:PublishGate {id: 'imports'})
SET g.done = CASE WHEN g.done < g.begun THEN g.done + 1 ELSE g.done END
"""
GATE_SETTLE: Final = "MATCH (g:PublishGate {id: 'imports'}) SET g.done = g.begun"


# === the catalogue ===============================================================================


def catalogue() -> dict[str, str]:
    """Every statement of this module by name (``OUTPUT_READS[all]``, ``SCHEMA[3]`` …), found by
    walking its upper-case constants: strings, tuples of statements and dicts of statements.
    The test-suite checks that each one runs on every engine (tests/graph/test_statement_coverage.py).
    """
    out: dict[str, str] = {}
    for name, value in sorted(globals().items()):
        if name.startswith("_") or not name.isupper():
            continue
        if isinstance(value, str) and " " in value:
            out[name] = value
        elif isinstance(value, tuple):
            out |= {f"{name}[{i}]": v for i, v in enumerate(value) if isinstance(v, str) and " " in v}
        elif isinstance(value, dict):
            out |= {
                f"{name}[{k if isinstance(k, str) else '.'.join(k)}]": v
                for k, v in value.items()
                if isinstance(v, str) and " " in v
            }
    unique: dict[str, str] = {}  # SCHEMA repeats UNIQUE_CONSTRAINTS and INDEXES: one name per text
    for key, text in out.items():
        if text not in unique.values():
            unique[key] = text
    return unique


# --- data version: one counter node every write bumps, so readers in other processes (the
# dashboard's caches) see any change at once instead of waiting out a time-to-live -------------

BUMP_DATA_VERSION: Final = "MERGE (v:DataVersion {id: 'data'}) SET v.n = coalesce(v.n, 0) + 1 RETURN v.n AS n"
DATA_VERSION: Final = "OPTIONAL MATCH (v:DataVersion {id: 'data'}) RETURN coalesce(v.n, 0) AS n"

# --- sharing (issue 19): offers, needs and bookings of shared assets ----------------------------
# Used by symbiosis/graph/sharing_store.py. A booking takes `capacity` units of an offer at its
# weekly `hours` (slots 0–167), in its `months`, from `first_day` to `last_day` (ISO dates). BOOK and
# MOVE first write the offer node (`booking_version`), so concurrent bookings of one offer are
# serialised by the store itself: Neo4j holds the node's write lock until commit, ArcadeDB fails
# all but one concurrent commit ("concurrent change to the same record") and the driver retries
# them; each then re-reads the bookings it must fit beside.

SHARING_SCHEMA: Final[tuple[str, ...]] = (
    *(
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in ("SharingOffer", "SharingNeed", "SharingBooking")
    ),
    "CREATE INDEX sharing_offer_category IF NOT EXISTS FOR (n:SharingOffer) ON (n.category)",
    "CREATE INDEX sharing_need_category IF NOT EXISTS FOR (n:SharingNeed) ON (n.category)",
    "CREATE INDEX sharing_booking_offer IF NOT EXISTS FOR (n:SharingBooking) ON (n.offer_id)",
)
SHARING_UPSERT: Final = {
    label: (
        f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row "
        f"WITH n, row OPTIONAL MATCH (n)<-[old:{rel}]-(:Site) DELETE old "
        f"WITH n, row MATCH (s:Site {{id: row.site_id}}) WHERE s.staged_import IS NULL "
        f"MERGE (s)-[:{rel}]->(n) RETURN count(n) AS n"
    )
    for label, rel in (("SharingOffer", "OFFERS"), ("SharingNeed", "SEEKS"))
}
SHARING_LIST: Final = {
    label: f"MATCH (n:{label}) WHERE $site_ids IS NULL OR n.site_id IN $site_ids "
    f"RETURN properties(n) AS props ORDER BY n.id"
    for label in ("SharingOffer", "SharingNeed")
}
_SHARING_LOCK = (
    "MATCH (o:SharingOffer {id: $offer_id}) SET o.booking_version = coalesce(o.booking_version, 0) + 1 "
)
_SHARING_OVERLAP = (
    "b.status = 'active' AND b.first_day <= $last_day AND b.last_day >= $first_day "
    "AND any(m IN b.months WHERE m IN $months) "
)


def _sharing_fits(carried: str) -> str:
    """Sum, per hour asked, the capacity of the overlapping bookings; keep the row only if the
    hours are offered and $capacity more fits in every one."""
    return (
        f"WITH {carried}, collect(b) AS taken "
        f"WITH {carried}, [h IN $hours | reduce(s = 0.0, b IN taken | "
        "s + CASE WHEN h IN b.hours THEN b.capacity ELSE 0.0 END)] AS loads "
        "WHERE all(h IN $hours WHERE h IN o.free) "
        "AND all(load IN loads WHERE load + $capacity <= o.capacity) "
    )


SHARING_BOOK: Final = (
    _SHARING_LOCK
    + "WITH o OPTIONAL MATCH (b:SharingBooking {offer_id: $offer_id}) WHERE "
    + _SHARING_OVERLAP
    + _sharing_fits("o")
    + "CREATE (k:SharingBooking {id: $id, offer_id: $offer_id, need_id: $need_id, capacity: $capacity, "
    "hours: $hours, months: $months, first_day: $first_day, last_day: $last_day, status: 'active', "
    "booked_by: $booked_by}) CREATE (k)-[:BOOKS]->(o) "
    "WITH k OPTIONAL MATCH (n:SharingNeed {id: $need_id}) "
    "FOREACH (x IN CASE WHEN n IS NULL THEN [] ELSE [n] END | CREATE (k)-[:FOR_NEED]->(x)) "
    "RETURN properties(k) AS props"
)
SHARING_MOVE: Final = (
    _SHARING_LOCK + "WITH o MATCH (me:SharingBooking {id: $id, offer_id: $offer_id, status: 'active'}) "
    "WITH o, me OPTIONAL MATCH (b:SharingBooking {offer_id: $offer_id}) WHERE b.id <> $id AND "
    + _SHARING_OVERLAP
    + _sharing_fits("o, me")
    + "SET me.hours = $hours, me.months = $months, me.first_day = $first_day, me.last_day = $last_day "
    "RETURN properties(me) AS props"
)
SHARING_CANCEL: Final = (
    "MATCH (b:SharingBooking {id: $id}) WHERE b.status = 'active' SET b.status = 'cancelled' "
    "RETURN properties(b) AS props"
)
SHARING_SITES_KNOWN: Final = "MATCH (s:Site) WHERE s.id IN $ids AND s.staged_import IS NULL RETURN s.id AS id"
SHARING_GET_BOOKING: Final = "MATCH (b:SharingBooking {id: $id}) RETURN properties(b) AS props"
SHARING_BOOKINGS: Final = (
    "MATCH (b:SharingBooking) WHERE ($offer_id IS NULL OR b.offer_id = $offer_id) "
    "AND ($status IS NULL OR b.status = $status) RETURN properties(b) AS props ORDER BY b.id"
)
# Declaring, replacing and deleting one offer or need (the API). CREATE, not MERGE: the id's
# uniqueness constraint refuses a second record even from a concurrent request (ConstraintError).
# REPLACE and DELETE write the node first (the booking lock above), then check what they must.
SHARING_CREATE: Final = {
    label: f"MATCH (s:Site {{id: $row.site_id}}) WHERE s.staged_import IS NULL "
    f"CREATE (n:{label}) SET n = $row CREATE (s)-[:{rel}]->(n) RETURN properties(n) AS props"
    for label, rel in (("SharingOffer", "OFFERS"), ("SharingNeed", "SEEKS"))
}
SHARING_GET: Final = {
    label: f"MATCH (n:{label} {{id: $id}}) RETURN properties(n) AS props"
    for label in ("SharingOffer", "SharingNeed")
}
SHARING_REPLACE: Final = {
    label: (
        f"MATCH (n:{label} {{id: $row.id}}) SET n.booking_version = coalesce(n.booking_version, 0) + 1 "
        f"WITH n WHERE n.booking_version = $version + 1 "
        f"MATCH (s:Site {{id: $row.site_id}}) WHERE s.staged_import IS NULL "
        f"SET n = $row SET n.booking_version = $version + 1 "
        f"WITH n, s OPTIONAL MATCH (n)<-[old:{rel}]-(:Site) DELETE old "
        f"WITH n, s CREATE (s)-[:{rel}]->(n) RETURN properties(n) AS props"
    )
    for label, rel in (("SharingOffer", "OFFERS"), ("SharingNeed", "SEEKS"))
}
SHARING_DELETE: Final = {
    label: (
        f"MATCH (n:{label} {{id: $id}}) SET n.booking_version = coalesce(n.booking_version, 0) + 1 "
        f"WITH n OPTIONAL MATCH (b:SharingBooking {{{key}: $id}}) WHERE b.status = 'active' "
        f"WITH n, collect(b.id) AS active WHERE size(active) = 0 DETACH DELETE n RETURN 1 AS deleted"
    )
    for label, key in (("SharingOffer", "offer_id"), ("SharingNeed", "need_id"))
}
SHARING_ACTIVE_FOR: Final = {
    label: f"MATCH (b:SharingBooking {{{key}: $id}}) WHERE b.status = 'active' "
    "RETURN b.id AS id ORDER BY b.id"
    for label, key in (("SharingOffer", "offer_id"), ("SharingNeed", "need_id"))
}
# --- end sharing ---------------------------------------------------------------------------------
