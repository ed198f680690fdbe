"""Keystones on a hand-made network, and "what if this firm leaves?" on Kalundborg."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import data, network
from dashboard.scenario import Scenario, run_scenario
from symbiosis.domain import Firm, Site
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.service import MatchingService


def _star() -> tuple[pd.DataFrame, Dataset]:
    """Hub h trades with a, b and c; a also with b. h lies on every path between c and the others."""
    firms = [Firm(id=f, name=f.upper()) for f in "habc"]
    sites = [
        Site(id=f"s_{f}", firm_id=f, name=f, latitude_deg=0, longitude_deg=i) for i, f in enumerate("habc")
    ]
    pairs = [("h", "a", 10.0), ("h", "b", 20.0), ("h", "c", 30.0), ("a", "b", 5.0)]
    links = pd.DataFrame(
        [(f"s_{g}", f"s_{r}", v) for g, r, v in pairs],
        columns=["giver_site_id", "receiver_site_id", "savings_eur_per_yr"],
    )
    return links, Dataset(firms=firms, sites=sites)


def test_the_hub_is_the_keystone() -> None:
    links, ds = _star()
    keys = network.keystones(links, ds)
    assert keys["firm_id"].tolist()[0] == "h"
    hub = keys.set_index("firm_id").loc["h"]
    assert (hub["partners"], hub["n_links"], hub["dependent_savings_eur_per_yr"]) == (3, 3, 60.0)
    assert keys.set_index("firm_id").loc["c", "betweenness"] == 0.0


def test_a_firm_leaving_loses_its_links_and_reoptimising_never_does_worse(
    kalundborg: Dataset, kb: KnowledgeBase
) -> None:
    service = MatchingService(kalundborg, kb)
    plan = run_scenario(service, Scenario())
    links = data.link_savings_frame(plan, service.candidates(explain=False))
    keystone = network.keystones(links, kalundborg)["firm_id"].iloc[0]
    ex = network.firm_exit(kalundborg, kb, service, links, keystone, Scenario())
    firm = network.firm_of_site(kalundborg)
    assert (
        len(ex.lost_links)
        == sum(
            firm[g] == keystone or firm[r] == keystone
            for g, r in zip(links.giver_site_id, links.receiver_site_id, strict=True)
        )
        > 0
    )
    assert ex.savings_before_eur_per_yr == pytest.approx(plan.totals.savings_eur_per_yr, rel=1e-6)
    assert ex.savings_lost_eur_per_yr == pytest.approx(ex.lost_links["savings_eur_per_yr"].sum())
    # the untouched links stay feasible, and any plan without the firm was feasible before
    assert ex.recovered_eur_per_yr >= -1e-6 * ex.savings_before_eur_per_yr
    assert ex.savings_after_eur_per_yr <= ex.savings_before_eur_per_yr * (1 + 1e-6)
    assert keystone not in {f.id for f in network.without_firm(kalundborg, keystone).firms}
