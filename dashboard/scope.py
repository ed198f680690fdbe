"""How much of a territory the read-only pages show to whoever is signed in.

The rules are the API's, asked of `symbiosis.services.access` (never restated here): an admin sees
everything; an agency sees a territory inside its scope in full and nothing of one outside it; an
analyst sees no firm-level object — only the published aggregates of `symbiosis.services.aggregates`
(per-resource totals of ≥ 3 firms, private declarations left out), as through the API; a company
sees its own sites and declarations, and its candidates only as `symbiosis.services.matches` hands
them to it (partners and figures masked by `symbiosis.services.confidentiality`). Signed out, the
pages keep the analyst-desktop view of the whole territory — `dashboard.frame` only allows that
when sign-in is not required.

Nothing here imports Streamlit, so the restrictions are tested on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import pandas as pd

from symbiosis.domain.dataset import Dataset
from symbiosis.services import access
from symbiosis.services.context import ServiceContext
from symbiosis.services.principal import Principal, Role


class Reach(StrEnum):
    FULL = "full"  # the whole territory: signed out (desktop), admin, agency inside its scope
    AGGREGATES = "aggregates"  # analyst: the territory's published aggregates, nothing firm-level
    COMPANY = "company"  # own sites; candidates through `services.matches` (masked partners)
    OUTSIDE = "outside"  # a territory outside the user's scope: nothing


def reach(svc: Callable[[], ServiceContext], who: Principal | None, territory_id: str) -> Reach:
    """What ``who`` may see of the territory; ``svc`` is only called for a role bound to territories.

    A signed-in analyst gets what the API gives the role — aggregates — not the desktop view: an
    account is a promise about what its holder may read, whichever door they come through. The
    analyst's desktop view (every firm) is the signed-out local mode, for whoever runs the store.
    """
    if who is None or who.role is Role.ADMIN:
        return Reach.FULL
    if who.role is Role.COMPANY:
        return Reach.COMPANY
    if not access.may_see_territory(svc(), who, territory_id):
        return Reach.OUTSIDE
    return Reach.AGGREGATES if who.role is Role.ANALYST else Reach.FULL


def visible_places(
    svc: ServiceContext, who: Principal, places: list[tuple[str, str | None]]
) -> set[tuple[str, str | None]]:
    """The (firm id, territory id) pairs whose sites ``who`` may see (`access.may_see_place`)."""
    return {(f, t) for f, t in set(places) if access.may_see_place(svc, who, f, t)}


def visible_dataset(svc: ServiceContext, who: Principal, ds: Dataset) -> Dataset:
    """The sites ``who`` may see with their firms, declarations and the known exchanges between
    them (an exchange with an unseen site would name that site)."""
    seen = visible_places(svc, who, [(s.firm_id, s.territory_id) for s in ds.sites])
    sites = [s for s in ds.sites if (s.firm_id, s.territory_id) in seen]
    site_ids = {s.id for s in sites}
    firm_ids = {s.firm_id for s in sites}
    return Dataset(
        territories=ds.territories,
        firms=[f for f in ds.firms if f.id in firm_ids],
        sites=sites,
        outputs=[d for d in ds.outputs if d.site_id in site_ids],
        inputs=[d for d in ds.inputs if d.site_id in site_ids],
        exchanges=[x for x in ds.exchanges if x.from_site_id in site_ids and x.to_site_id in site_ids],
    )


def visible_sites(svc: ServiceContext, who: Principal, sites: pd.DataFrame) -> pd.DataFrame:
    """Rows of a `data.sites_frame` whose site ``who`` may see (the frame itself is left shared)."""
    places = list(zip(sites["firm_id"], sites["territory_id"], strict=True))
    seen = visible_places(svc, who, places)
    mask = [p in seen for p in places]
    return sites[mask].reset_index(drop=True)


def empty_dataset(ds: Dataset) -> Dataset:
    """The territory with nothing in it: what a user outside its scope is shown."""
    return Dataset(territories=ds.territories)
