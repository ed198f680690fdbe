"""The chosen network as a graph of firms: who is keystone, and what happens if a firm leaves.

Nodes are firms (a firm may run several sites), edges the chosen exchanges between them weighted
by the € they save. A keystone firm is central (betweenness) and carries much of the savings.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from dashboard.scenario import Scenario, run_scenario
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.service import MatchingService


def firm_of_site(ds: Dataset) -> dict[str, str]:
    return {s.id: s.firm_id for s in ds.sites}


def firm_graph(links: pd.DataFrame, ds: Dataset) -> nx.Graph:
    """Undirected firm graph; parallel exchanges between two firms add up in ``savings_eur_per_yr``."""
    firm = firm_of_site(ds)
    names = {f.id: f.name for f in ds.firms}
    g = nx.Graph()
    for f in {firm[s.id] for s in ds.sites}:
        g.add_node(f, name=names.get(f, f))
    for row in links.itertuples(index=False):
        a, b = firm[row.giver_site_id], firm[row.receiver_site_id]
        if a == b:
            continue
        if g.has_edge(a, b):
            g[a][b]["savings_eur_per_yr"] += row.savings_eur_per_yr
            g[a][b]["n_links"] += 1
        else:
            g.add_edge(a, b, savings_eur_per_yr=row.savings_eur_per_yr, n_links=1)
    return g


def keystones(links: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Firms ranked by betweenness centrality, then by the savings of the exchanges they take part in."""
    g = firm_graph(links, ds)
    firm = firm_of_site(ds)
    between = nx.betweenness_centrality(g) if g.number_of_nodes() > 2 else dict.fromkeys(g.nodes, 0.0)
    dependent: dict[str, float] = dict.fromkeys(g.nodes, 0.0)
    n_links: dict[str, int] = dict.fromkeys(g.nodes, 0)
    for row in links.itertuples(index=False):
        for f in {firm[row.giver_site_id], firm[row.receiver_site_id]}:
            dependent[f] += row.savings_eur_per_yr
            n_links[f] += 1
    rows = [
        (f, g.nodes[f]["name"], g.degree(f), between[f], n_links[f], dependent[f])
        for f in g.nodes
        if n_links[f] > 0
    ]
    out = pd.DataFrame(
        rows,
        columns=["firm_id", "firm", "partners", "betweenness", "n_links", "dependent_savings_eur_per_yr"],
    )
    return out.sort_values(
        ["betweenness", "dependent_savings_eur_per_yr", "firm_id"], ascending=[False, False, True]
    ).reset_index(drop=True)


def without_firm(ds: Dataset, firm_id: str) -> Dataset:
    """The dataset once a firm has left: its sites, declarations and known exchanges removed."""
    gone = {s.id for s in ds.sites if s.firm_id == firm_id}
    return Dataset(
        territories=ds.territories,
        firms=[f for f in ds.firms if f.id != firm_id],
        sites=[s for s in ds.sites if s.id not in gone],
        outputs=[d for d in ds.outputs if d.site_id not in gone],
        inputs=[d for d in ds.inputs if d.site_id not in gone],
        exchanges=[x for x in ds.exchanges if x.from_site_id not in gone and x.to_site_id not in gone],
    )


@dataclass
class FirmExit:
    """What a firm's departure costs, and what re-optimising the rest wins back (€ per year)."""

    firm_id: str
    lost_links: pd.DataFrame
    savings_before_eur_per_yr: float
    savings_lost_eur_per_yr: float
    savings_after_eur_per_yr: float

    @property
    def savings_kept_eur_per_yr(self) -> float:
        """What the untouched exchanges still save, before re-optimising."""
        return self.savings_before_eur_per_yr - self.savings_lost_eur_per_yr

    @property
    def recovered_eur_per_yr(self) -> float:
        return self.savings_after_eur_per_yr - self.savings_kept_eur_per_yr


def firm_exit(
    ds: Dataset,
    kb: KnowledgeBase,
    service: MatchingService,
    links: pd.DataFrame,
    firm_id: str,
    scenario: Scenario,
) -> FirmExit:
    """Re-match and re-optimise the territory without ``firm_id``, under the same scenario."""
    firm = firm_of_site(ds)
    touches = [
        firm[g] == firm_id or firm[r] == firm_id
        for g, r in zip(links.giver_site_id, links.receiver_site_id, strict=True)
    ]
    lost = links[touches] if len(links) else links
    before = float(links["savings_eur_per_yr"].sum()) if len(links) else 0.0
    rest = without_firm(ds, firm_id)
    rest_service = MatchingService(rest, kb, service.options)
    after = 0.0
    if rest_service.count() > 0:
        plan = run_scenario(rest_service, scenario)
        after = plan.totals.savings_eur_per_yr
    return FirmExit(
        firm_id, lost.reset_index(drop=True), before, float(lost["savings_eur_per_yr"].sum()), after
    )
