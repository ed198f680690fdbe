"""The queries module: portable, parameterised Cypher only (no server needed)."""

from __future__ import annotations

import re

from symbiosis.graph import queries as q


def _all_statements() -> list[str]:
    return list(q.catalogue().values())


def test_no_vendor_dialect() -> None:
    statements = _all_statements()
    assert len(statements) > 25
    for s in statements:
        assert "apoc." not in s.lower() and "gds." not in s.lower(), s
        assert not re.search(r"\bCALL\s+db\.", s), s


def test_bulk_writes_are_batched_unwinds() -> None:
    writes = [
        q.UPSERT_RESOURCES, q.DELETE_RULES, q.CREATE_RULES, q.UPSERT_TERRITORIES, q.RELINK_TERRITORY_PARENTS,
        q.UPSERT_FIRMS, q.UPSERT_SITES, q.RELINK_SITE_FIRMS, q.RELINK_SITE_TERRITORIES,
        *q.OUTPUT_WRITES, *q.INPUT_WRITES, *q.EXCHANGE_WRITES,
    ]  # fmt: skip
    for s in writes:
        assert s.strip().startswith("UNWIND $rows AS row"), s


def test_every_keyed_label_has_a_uniqueness_constraint() -> None:
    schema = "\n".join(q.SCHEMA)
    for label in ("Territory", "Firm", "Site", "Output", "Input", "Exchange"):
        assert f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in schema
    assert "FOR (n:Resource) REQUIRE n.code IS UNIQUE" in schema
    assert "CREATE POINT INDEX" in schema and "(s.location)" in schema
