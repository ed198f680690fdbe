"""Read-only aggregates for analysts (and agencies, admins): no firm-level field leaves here.

Every magnitude — each per-resource total and the potential (€ and CO2 over the candidates) — is
published only when at least `MIN_FIRMS` firms contribute to it (the usual statistical-confidentiality
rule): a total of one or two firms would be their figure (with two, each firm could subtract its own
and read the other's). Counts of records are published as they are.
Private declarations are left out entirely — of totals, firm counts, declaration counts and the
potential (`symbiosis.services.confidentiality`). Aggregates are a publication: every role allowed
to read them gets the same figures (a facilitator sees private declarations one by one instead).
"""

from __future__ import annotations

from typing import Any

from symbiosis.services.access import may_see_territory
from symbiosis.services.confidentiality import aggregable_candidates, aggregable_dataset
from symbiosis.services.context import ServiceContext
from symbiosis.services.errors import NotFound
from symbiosis.services.matches import shared_match
from symbiosis.services.principal import Principal, Role

MIN_FIRMS = 3


def territory_aggregates(ctx: ServiceContext, p: Principal, territory_id: str) -> dict[str, Any]:
    p.require(Role.ADMIN, Role.AGENCY, Role.ANALYST)
    if territory_id not in ctx.tree().territories or not may_see_territory(ctx, p, territory_id):
        raise NotFound("territory", territory_id)
    tm = shared_match(ctx, p, territory_id)
    ds = aggregable_dataset(tm.dataset)
    site_firm = tm.site_firm
    resources: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, decls in (("output", ds.outputs), ("input", ds.inputs)):
        for d in decls:
            row = resources.setdefault(
                (kind, d.resource_code),
                {
                    "kind": kind,
                    "resource_code": d.resource_code,
                    "unit": d.unit.value,
                    "firms": set(),
                    "qty": 0.0,
                },
            )
            row["firms"].add(site_firm.get(d.site_id))
            row["qty"] += d.quantity_per_yr
    rows = []
    for (_, _), row in sorted(resources.items()):
        n = len(row["firms"])
        rows.append(
            {
                "kind": row["kind"],
                "resource_code": row["resource_code"],
                "unit": row["unit"],
                "firms": n,
                "quantity_per_yr": row["qty"] if n >= MIN_FIRMS else None,
                "suppressed": n < MIN_FIRMS,
            }
        )
    cands = aggregable_candidates(tm, tm.service.candidates(explain=False))
    potential_firms = {site_firm.get(c.giver_site_id) for c in cands} | {
        site_firm.get(c.receiver_site_id) for c in cands
    }
    shown = len(potential_firms) >= MIN_FIRMS
    return {
        "territory_id": territory_id,
        "counts": {
            "firms": len(ds.firms),
            "sites": len(ds.sites),
            "outputs": len(ds.outputs),
            "inputs": len(ds.inputs),
            "known_exchanges": len(ds.exchanges),
            "candidates": len(cands),
        },
        "potential": {
            "firms": len(potential_firms),
            "net_gain_eur_per_yr": sum(c.net_gain_eur_per_yr for c in cands) if shown else None,
            "co2_avoided_t_per_yr": sum(c.co2_avoided_t_per_yr for c in cands) if shown else None,
            "suppressed": not shown,
            "note": "sums over all viable candidates: an upper bound, links compete for the same flows; "
            f"published only when at least {MIN_FIRMS} firms take part in them",
        },
        "resources": rows,
        "min_firms_per_total": MIN_FIRMS,
    }
