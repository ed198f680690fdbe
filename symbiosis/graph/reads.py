"""Reads: counts, territory and radius look-ups, declarations by resource, whole-dataset export.

Everything comes back as domain objects rebuilt (and validated) from the graph, so callers never
see driver records or Cypher column names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symbiosis.domain import InputDeclaration, OutputDeclaration, Site
from symbiosis.domain.dataset import Dataset
from symbiosis.graph import queries as q
from symbiosis.graph import rows as r
from symbiosis.graph.session import GraphSession

_COUNT_KEYS = {
    "Territory": "territories",
    "Firm": "firms",
    "Site": "sites",
    "Output": "outputs",
    "Input": "inputs",
    "Exchange": "exchanges",
    "Resource": "resources",
}


@dataclass(frozen=True)
class SiteDistance:
    site: Site
    distance_km: float


@dataclass
class Declarations:
    outputs: list[OutputDeclaration] = field(default_factory=list)
    inputs: list[InputDeclaration] = field(default_factory=list)


class GraphReads(GraphSession):
    def counts(self) -> dict[str, int]:
        """Nodes per kind (zeros included) and substitution rules; other labels under their own name."""
        out = dict.fromkeys(_COUNT_KEYS.values(), 0)
        for rec in self.read(q.COUNT_NODES):
            out[_COUNT_KEYS.get(rec["label"], rec["label"])] = rec["n"]
        out["substitution_rules"] = self.read(q.COUNT_RULES)[0]["n"]
        return out

    def territories_with_sites(self) -> set[str]:
        """Ids of the territories holding at least one site, directly or in a sub-territory."""
        return {rec["id"] for rec in self.read(q.TERRITORIES_WITH_SITES)}

    def sites_in_territory(self, territory_id: str) -> list[Site]:
        """Sites located in the territory or any of its sub-territories (``PART_OF*0..``)."""
        return [
            r.site_from(rec["props"], rec["firm_id"], rec["territory_id"])
            for rec in self.read(q.SITES_IN_TERRITORY, territory_id=territory_id)
        ]

    def sites_within_radius(
        self, latitude_deg: float, longitude_deg: float, radius_km: float
    ) -> list[SiteDistance]:
        """Sites within ``radius_km`` great-circle distance of a point, nearest first."""
        records = self.read(
            q.SITES_WITHIN_RADIUS,
            latitude_deg=float(latitude_deg),
            longitude_deg=float(longitude_deg),
            radius_m=float(radius_km) * 1000.0,
        )
        return [
            SiteDistance(
                r.site_from(rec["props"], rec["firm_id"], rec["territory_id"]), rec["distance_m"] / 1000.0
            )
            for rec in records
        ]

    def declarations_by_resource(self, resource_code: str) -> Declarations:
        return Declarations(
            outputs=[
                r.output_from(rec["props"], rec["site_id"])
                for rec in self.read(q.OUTPUT_READS["of_resource"], code=resource_code)
            ],
            inputs=[
                r.input_from(rec["props"], rec["site_id"])
                for rec in self.read(q.INPUT_READS["of_resource"], code=resource_code)
            ],
        )

    def export_dataset(self, territory_id: str | None = None) -> Dataset:
        """The whole store, or one territory with its sub-territories and its parent chain, the
        sites located there, their firms and declarations, and the known exchanges between them.

        Records come sorted by id, so re-importing an export into an empty store and exporting
        again gives an identical `Dataset`.
        """
        if territory_id is None:
            territory_records = self.read(q.ALL_TERRITORIES)
            site_records = self.read(q.ALL_SITES)
            firm_records = self.read(q.ALL_FIRMS)
            out_records = self.read(q.OUTPUT_READS["all"])
            in_records = self.read(q.INPUT_READS["all"])
            x_records = self.read(q.ALL_EXCHANGES)
        else:
            territory_records = [
                *self.read(q.PARENT_TERRITORIES, territory_id=territory_id),
                *self.read(q.SUB_TERRITORIES, territory_id=territory_id),
            ]
            site_records = self.read(q.SITES_IN_TERRITORY, territory_id=territory_id)
            site_ids = [rec["props"]["id"] for rec in site_records]
            firm_records = self.read(q.FIRMS_BY_ID, ids=sorted({rec["firm_id"] for rec in site_records}))
            out_records = self.read(q.OUTPUT_READS["of_sites"], site_ids=site_ids)
            in_records = self.read(q.INPUT_READS["of_sites"], site_ids=site_ids)
            x_records = self.read(q.EXCHANGES_BETWEEN_SITES, site_ids=site_ids)
        territories = sorted(
            (r.territory_from(rec["props"], rec["parent_id"]) for rec in territory_records),
            key=lambda t: t.id,
        )
        return Dataset(
            territories=territories,
            firms=sorted((r.firm_from(rec["props"]) for rec in firm_records), key=lambda f: f.id),
            sites=sorted(
                (r.site_from(rec["props"], rec["firm_id"], rec["territory_id"]) for rec in site_records),
                key=lambda s: s.id,
            ),
            outputs=sorted(
                (r.output_from(rec["props"], rec["site_id"]) for rec in out_records), key=lambda d: d.id
            ),
            inputs=sorted(
                (r.input_from(rec["props"], rec["site_id"]) for rec in in_records), key=lambda d: d.id
            ),
            exchanges=sorted(
                (r.exchange_from(rec["props"], rec["from_site_id"], rec["to_site_id"]) for rec in x_records),
                key=lambda x: x.id,
            ),
        )
