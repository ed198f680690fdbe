"""`GraphRepository`: the one object the rest of symbiosis uses to write to and read from the graph.

Writes are upserts of lists (`upsert_sites([site])` works for one site as for 100,000), batched
with ``UNWIND`` and each batch in one transaction. Sites and declarations whose id is new take a
create-only fast path (decided per batch, inside its transaction). `import_dataset` checks every
reference, then stages the new records (invisible) and publishes the whole dataset in one
transaction (`symbiosis.graph.staging`). Reads live in `symbiosis.graph.reads`.

Resources referenced by a declaration or exchange are MERGEd by code when missing (a node holding
only ``code``), so a dataset can be imported before the knowledge base; `import_knowledge` later
fills in those nodes with their full properties.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NoReturn

from neo4j.exceptions import ConstraintError, Neo4jError

from symbiosis.domain import (
    Firm,
    InputDeclaration,
    KnownExchange,
    OutputDeclaration,
    Site,
    Territory,
)
from symbiosis.domain.dataset import Dataset
from symbiosis.errors import DuplicateKey, Issue, raise_if_issues
from symbiosis.graph import queries as q
from symbiosis.graph import rows as r
from symbiosis.graph.reads import GraphReads
from symbiosis.graph.session import FastPath, Progress
from symbiosis.graph.staging import StagedImport, reap_dead_imports

if TYPE_CHECKING:  # the knowledge package loads CSVs on import; the graph only needs the type
    from symbiosis.knowledge.base import KnowledgeBase


class GraphRepository(GraphReads):
    # --- schema and maintenance ----------------------------------------------------------------

    def ensure_schema(self) -> list[str]:
        """Create the constraints and indexes missing (idempotent) and return the names of all.

        Uniqueness on every natural key and the indexes must succeed on any server; existence
        constraints are added where the server offers them (ArcadeDB, Neo4j Enterprise) and
        skipped where it refuses them as an Enterprise feature (Neo4j Community).
        """
        for statement in (*q.SCHEMA, *q.IMPORT_SCHEMA):
            self.run(statement)
        for statement in q.EXISTENCE_CONSTRAINTS:
            try:
                self.run(statement)
            except Neo4jError as exc:
                if "Enterprise" not in (exc.message or ""):
                    raise
        return self.schema_names()

    def schema_names(self) -> list[str]:
        """Names of the constraints and indexes the server holds (its own lookup indexes too)."""
        names = {rec["name"] for rec in self.read(q.SHOW_CONSTRAINTS)}
        names |= {rec["name"] for rec in self.read(q.SHOW_INDEXES)}
        return sorted(names)

    def clear(self, chunk: int = 10_000) -> None:
        """Delete every node and relationship (tests, re-seeding); the schema stays."""
        while self.write(q.DELETE_SOME_NODES, limit=chunk)[0]["deleted"] > 0:
            pass

    def raise_duplicate(self, label: str, props: dict[str, object]) -> NoReturn:
        """After a uniqueness failure on ``label``: name the key that is taken."""
        keys = q.NATURAL_KEYS[label]
        for key in keys:
            if self.read(q.KEY_TAKEN[(label, key)], value=props.get(key))[0]["n"] > 0:
                raise DuplicateKey(label, key, props.get(key))
        raise DuplicateKey(label, keys[0], props.get(keys[0]))  # the holder was deleted meanwhile

    # --- data version ----------------------------------------------------------------------------
    # Every upsert and import bumps the counter INSIDE its own transaction (`GraphSession.
    # write_stamp`): once per commit, so the write combiner's one commit for twenty API requests is
    # one bump, not twenty concurrent updates of one node (a retry storm on ArcadeDB).

    write_stamp = q.BUMP_DATA_VERSION

    def bump_data_version(self) -> int:
        """Count one more write: readers caching the store compare `data_version`, not a clock."""
        return int(self.write(q.BUMP_DATA_VERSION)[0]["n"])

    def data_version(self) -> int:
        """The write counter (0 on a store nothing was written to since it was created or cleared)."""
        return int(self.read(q.DATA_VERSION)[0]["n"])

    # --- knowledge -----------------------------------------------------------------------------

    def import_knowledge(self, kb: KnowledgeBase, progress: Progress | None = None) -> dict[str, int]:
        """Resource nodes and ``(:Resource)-[:CAN_REPLACE {rule_id, ratio, …}]->(:Resource)``."""
        issues = [
            Issue(f"substitution rule {rule.id}", side, code, "a resource code of the knowledge base")
            for rule in kb.rules
            for side, code in (("from_resource", rule.from_resource), ("to_resource", rule.to_resource))
            if code not in kb.resources
        ]
        raise_if_issues(issues, "knowledge base")
        resources = [r.resource_row(res) for res in kb.resources.values()]
        rules = [r.rule_row(rule) for rule in kb.rules]
        return {
            "resources": self.write_batches("resources", [q.UPSERT_RESOURCES], resources, progress),
            "substitution_rules": self.write_batches(
                "substitution_rules", [q.DELETE_RULES, q.CREATE_RULES], rules, progress
            ),
        }

    # --- upserts of one or many ----------------------------------------------------------------
    # Each public upsert checks its references first (a site's firm must exist, …), so a single
    # object from the API cannot leave a dangling node; import_dataset checks once for all kinds.

    def upsert_territories(self, items: Sequence[Territory], progress: Progress | None = None) -> int:
        self.check_references(Dataset(territories=list(items)))
        return self._write_territories(items, progress)

    def upsert_firms(self, items: Sequence[Firm], progress: Progress | None = None) -> int:
        return self._write_firms(items, progress)

    def create_firm(self, firm: Firm) -> None:
        """Create a NEW firm: `DuplicateKey` when its id is taken, even by a concurrent create."""
        row = r.firm_row(firm)
        try:
            self.write(q.CREATE_FIRMS, rows=[row])
        except ConstraintError:
            self.raise_duplicate("Firm", row["props"])

    def upsert_sites(self, items: Sequence[Site], progress: Progress | None = None) -> int:
        self.check_references(Dataset(sites=list(items)))
        return self._write_sites(items, progress)

    def upsert_outputs(
        self,
        items: Sequence[OutputDeclaration],
        progress: Progress | None = None,
        *,
        sites_checked: bool = False,
    ) -> int:
        """``sites_checked``: the caller has just read each declaration's site (the API's services
        do), so the reference check's round trip is skipped."""
        if not sites_checked:
            self.check_references(Dataset(outputs=list(items)))
        return self._write_outputs(items, progress)

    def upsert_inputs(
        self,
        items: Sequence[InputDeclaration],
        progress: Progress | None = None,
        *,
        sites_checked: bool = False,
    ) -> int:
        if not sites_checked:
            self.check_references(Dataset(inputs=list(items)))
        return self._write_inputs(items, progress)

    def upsert_exchanges(self, items: Sequence[KnownExchange], progress: Progress | None = None) -> int:
        self.check_references(Dataset(exchanges=list(items)))
        return self._write_exchanges(items, progress)

    def _write_territories(self, items: Sequence[Territory], progress: Progress | None) -> int:
        # Nodes first, links second: a parent may come later in the list (or in a later batch).
        rows = [r.territory_row(t) for t in items]
        n = self.write_batches("territories", [q.UPSERT_TERRITORIES], rows, progress)
        self.write_batches("territory_parents", [q.RELINK_TERRITORY_PARENTS], rows)
        return n

    def _write_firms(self, items: Sequence[Firm], progress: Progress | None) -> int:
        return self.write_batches("firms", [q.UPSERT_FIRMS], [r.firm_row(f) for f in items], progress)

    def _write_sites(self, items: Sequence[Site], progress: Progress | None) -> int:
        statements = [q.UPSERT_SITES, q.RELINK_SITE_FIRMS, q.RELINK_SITE_TERRITORIES]
        fast = FastPath(q.EXISTING_IDS["Site"], [q.CREATE_SITES])
        return self.write_batches("sites", statements, [r.site_row(s) for s in items], progress, fast)

    def _write_outputs(self, items: Sequence[OutputDeclaration], progress: Progress | None) -> int:
        fast = FastPath(q.EXISTING_IDS["Output"], [q.CREATE_OUTPUTS])
        return self.write_batches(
            "outputs", q.OUTPUT_WRITES, [r.output_row(o) for o in items], progress, fast
        )

    def _write_inputs(self, items: Sequence[InputDeclaration], progress: Progress | None) -> int:
        fast = FastPath(q.EXISTING_IDS["Input"], [q.CREATE_INPUTS])
        return self.write_batches("inputs", q.INPUT_WRITES, [r.input_row(i) for i in items], progress, fast)

    def _write_exchanges(self, items: Sequence[KnownExchange], progress: Progress | None) -> int:
        return self.write_batches(
            "exchanges", q.EXCHANGE_WRITES, [r.exchange_row(x) for x in items], progress
        )

    # --- whole datasets ------------------------------------------------------------------------

    def import_dataset(self, dataset: Dataset, progress: Progress | None = None) -> dict[str, int]:
        """Upsert a whole dataset, all or nothing; importing it twice changes nothing. Returns rows
        written per kind.

        All or nothing even if this process or the store dies mid-way: new records are staged
        (invisible) and the whole import appears in one final transaction (`symbiosis.graph.staging`).

        Every reference (site → firm, site → territory, declaration → site, exchange → sites,
        territory → parent) must name a record of the dataset or one already in the store: all
        dangling references are reported together before anything is written.
        """
        self.check_references(dataset)
        return StagedImport(self, dataset, progress).run()

    def reap_dead_imports(self) -> list[str]:
        """Delete what imports that died before publishing left behind (invisible staged nodes)."""
        return reap_dead_imports(self)

    def check_references(self, dataset: Dataset) -> None:
        territories = self._known(
            "Territory", {t.id for t in dataset.territories}, _refs_to_territories(dataset)
        )
        firms = self._known("Firm", {f.id for f in dataset.firms}, {s.firm_id for s in dataset.sites})
        site_refs = {d.site_id for d in [*dataset.outputs, *dataset.inputs]}
        site_refs |= {x.from_site_id for x in dataset.exchanges} | {x.to_site_id for x in dataset.exchanges}
        sites = self._known("Site", {s.id for s in dataset.sites}, site_refs)

        def missing(
            kind: str, rid: str, field: str, value: str | None, known: set[str], what: str
        ) -> list[Issue]:
            if value is None or value in known:
                return []
            return [
                Issue(f"{kind} {rid}", field, value, f"the id of a {what} in the dataset or the graph store")
            ]

        issues: list[Issue] = []
        for t in dataset.territories:
            issues += missing("territory", t.id, "parent_id", t.parent_id, territories, "territory")
        for s in dataset.sites:
            issues += missing("site", s.id, "firm_id", s.firm_id, firms, "firm")
            issues += missing("site", s.id, "territory_id", s.territory_id, territories, "territory")
        for o in dataset.outputs:
            issues += missing("output", o.id, "site_id", o.site_id, sites, "site")
        for i in dataset.inputs:
            issues += missing("input", i.id, "site_id", i.site_id, sites, "site")
        for x in dataset.exchanges:
            issues += missing("exchange", x.id, "from_site_id", x.from_site_id, sites, "site")
            issues += missing("exchange", x.id, "to_site_id", x.to_site_id, sites, "site")
        raise_if_issues(issues, "dataset")

    def _known(self, label: str, in_dataset: set[str], referenced: Iterable[str | None]) -> set[str]:
        """Ids available for references: the dataset's own plus those the store already holds."""
        outside = sorted({ref for ref in referenced if ref is not None} - in_dataset)
        if not outside:
            return in_dataset
        found = {rec["id"] for rec in self.read(q.EXISTING_IDS[label], ids=outside)}
        return in_dataset | found


def _refs_to_territories(dataset: Dataset) -> set[str | None]:
    return {t.parent_id for t in dataset.territories} | {s.territory_id for s in dataset.sites}
