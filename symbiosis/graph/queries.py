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

SCHEMA: Final[tuple[str, ...]] = (
    *(
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in UNIQUE_ID_LABELS
    ),
    "CREATE CONSTRAINT resource_code IF NOT EXISTS FOR (n:Resource) REQUIRE n.code IS UNIQUE",
    "CREATE POINT INDEX site_location IF NOT EXISTS FOR (s:Site) ON (s.location)",
)

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
    label: f"UNWIND $ids AS wanted MATCH (n:{label} {{id: wanted}}) RETURN n.id AS id"
    for label in UNIQUE_ID_LABELS
}

COUNT_NODES: Final = "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n"
COUNT_RULES: Final = "MATCH (:Resource)-[r:CAN_REPLACE]->(:Resource) RETURN count(r) AS n"

_TERRITORY_RETURN = """
OPTIONAL MATCH (t)-[:PART_OF]->(p:Territory)
RETURN properties(t) AS props, p.id AS parent_id
ORDER BY t.id
"""

ALL_TERRITORIES: Final = "MATCH (t:Territory)" + _TERRITORY_RETURN

SUB_TERRITORIES: Final = (
    "MATCH (:Territory {id: $territory_id})<-[:PART_OF*0..]-(t:Territory) WITH DISTINCT t" + _TERRITORY_RETURN
)

PARENT_TERRITORIES: Final = (
    "MATCH (:Territory {id: $territory_id})-[:PART_OF*1..]->(t:Territory) WITH DISTINCT t" + _TERRITORY_RETURN
)

ALL_FIRMS: Final = "MATCH (f:Firm) RETURN properties(f) AS props ORDER BY f.id"

FIRMS_BY_ID: Final = """
UNWIND $ids AS wanted
MATCH (f:Firm {id: wanted})
RETURN properties(f) AS props
ORDER BY f.id
"""

_SITE_RETURN = """
MATCH (f:Firm)-[:OPERATES]->(s)
OPTIONAL MATCH (s)-[:LOCATED_IN]->(t:Territory)
RETURN properties(s) AS props, f.id AS firm_id, t.id AS territory_id
ORDER BY s.id
"""

ALL_SITES: Final = "MATCH (s:Site)" + _SITE_RETURN

SITES_IN_TERRITORY: Final = (
    "MATCH (:Territory {id: $territory_id})<-[:PART_OF*0..]-(:Territory)<-[:LOCATED_IN]-(s:Site)\n"
    "WITH DISTINCT s" + _SITE_RETURN
)

SITES_WITHIN_RADIUS: Final = """
WITH point({latitude: $latitude_deg, longitude: $longitude_deg}) AS centre
MATCH (s:Site)
WHERE point.distance(s.location, centre) <= $radius_m
WITH s, point.distance(s.location, centre) AS distance_m
MATCH (f:Firm)-[:OPERATES]->(s)
OPTIONAL MATCH (s)-[:LOCATED_IN]->(t:Territory)
RETURN properties(s) AS props, f.id AS firm_id, t.id AS territory_id, distance_m
ORDER BY distance_m, s.id
"""


def _declaration_reads(label: str, rel: str) -> dict[str, str]:
    ret = "RETURN properties(d) AS props, s.id AS site_id ORDER BY d.id"
    return {
        "all": f"MATCH (s:Site)-[:{rel}]->(d:{label}) {ret}",
        "of_sites": f"UNWIND $site_ids AS site_id MATCH (s:Site {{id: site_id}})-[:{rel}]->(d:{label}) {ret}",
        "of_resource": f"MATCH (:Resource {{code: $code}})<-[:OF]-(d:{label})<-[:{rel}]-(s:Site) {ret}",
    }


OUTPUT_READS: Final = _declaration_reads("Output", "GIVES")
INPUT_READS: Final = _declaration_reads("Input", "NEEDS")

_EXCHANGE_RETURN = "RETURN properties(x) AS props, a.id AS from_site_id, b.id AS to_site_id ORDER BY x.id"

ALL_EXCHANGES: Final = "MATCH (a:Site)-[:SUPPLIES]->(x:Exchange)-[:DELIVERS_TO]->(b:Site) " + _EXCHANGE_RETURN

EXCHANGES_BETWEEN_SITES: Final = (
    "UNWIND $site_ids AS site_id MATCH (a:Site {id: site_id})-[:SUPPLIES]->(x:Exchange)"
    "-[:DELIVERS_TO]->(b:Site) WHERE b.id IN $site_ids " + _EXCHANGE_RETURN
)

# --- maintenance -------------------------------------------------------------------------------

DELETE_SOME_NODES: Final = "MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
PING: Final = "RETURN 1 AS ok"
