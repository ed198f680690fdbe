"""Tiny hand-written candidate sets for exact optimiser tests."""

from __future__ import annotations

from symbiosis.domain.candidate import Candidate, CandidateSet, DeclarationTerms
from symbiosis.domain.enums import ResourceFamily, TransportMode
from symbiosis.units import CanonicalUnit


def flat(qty_per_yr: float) -> tuple[float, ...]:
    return (qty_per_yr / 12.0,) * 12


def months(qty_per_month: float, active: range) -> tuple[float, ...]:
    """``qty_per_month`` in the given months (0 = January), zero otherwise."""
    return tuple(qty_per_month if m in active else 0.0 for m in range(12))


def output(
    oid: str,
    qty: float | tuple[float, ...],
    disposal_eur: float,
    disposal_co2_kg: float = 0.0,
    site: str | None = None,
    territory: str | None = "T1",
    unit: CanonicalUnit = CanonicalUnit.TONNE,
    conc: dict[str, float] | None = None,
) -> DeclarationTerms:
    return DeclarationTerms(
        declaration_id=oid,
        kind="output",
        site_id=site or f"site-{oid}",
        firm_id=f"firm-{oid}",
        territory_id=territory,
        resource_code="R",
        family=ResourceFamily.MINERAL,
        unit=unit,
        monthly_qty=qty if isinstance(qty, tuple) else flat(qty),
        cost_eur_per_unit=disposal_eur,
        co2_kg_per_unit=disposal_co2_kg,
        contaminants_mg_per_l=conc or {},
    )


def input_(
    iid: str,
    qty: float | tuple[float, ...],
    virgin_eur: float,
    virgin_co2_kg: float = 0.0,
    site: str | None = None,
    territory: str | None = "T1",
    unit: CanonicalUnit = CanonicalUnit.TONNE,
    limits: dict[str, float] | None = None,
) -> DeclarationTerms:
    return DeclarationTerms(
        declaration_id=iid,
        kind="input",
        site_id=site or f"site-{iid}",
        firm_id=f"firm-{iid}",
        territory_id=territory,
        resource_code="R",
        family=ResourceFamily.MINERAL,
        unit=unit,
        monthly_qty=qty if isinstance(qty, tuple) else flat(qty),
        cost_eur_per_unit=virgin_eur,
        co2_kg_per_unit=virgin_co2_kg,
        contaminants_mg_per_l=limits or {},
    )


def link(
    o: DeclarationTerms,
    i: DeclarationTerms,
    var_cost_eur: float,
    var_co2_kg: float = 0.0,
    fixed_eur: float = 0.0,
    delivery_factor: float = 1.0,
    max_share: float = 1.0,
    needs_dilution: bool = False,
    qty: tuple[float, ...] | None = None,
) -> Candidate:
    q = qty if qty is not None else o.monthly_qty
    return Candidate(
        output_id=o.declaration_id,
        input_id=i.declaration_id,
        giver_site_id=o.site_id,
        receiver_site_id=i.site_id,
        output_resource=o.resource_code,
        input_resource=i.resource_code,
        rule_id=None,
        ratio=delivery_factor,
        family=o.family,
        transport_mode=TransportMode.PIPELINE if fixed_eur > 0 else TransportMode.TRUCK,
        unit_out=o.unit,
        unit_in=i.unit,
        distance_km=1.0,
        route_km=1.0,
        monthly_qty=q,
        exchangeable_qty_per_yr=sum(q),
        max_share_of_input=max_share,
        delivery_factor=delivery_factor,
        needs_dilution=needs_dilution,
        variable_cost_eur_per_unit=var_cost_eur,
        variable_co2_kg_per_unit=var_co2_kg,
        fixed_cost_eur_per_yr=fixed_eur,
        avoided_disposal_eur_per_unit=o.cost_eur_per_unit,
        avoided_disposal_co2_kg_per_unit=o.co2_kg_per_unit,
        avoided_supply_eur_per_unit=i.cost_eur_per_unit,
        avoided_supply_co2_kg_per_unit=i.co2_kg_per_unit,
        transport_cost_eur_per_yr=0.0,
        pretreatment_cost_eur_per_yr=0.0,
        avoided_disposal_eur_per_yr=0.0,
        avoided_supply_eur_per_yr=0.0,
        net_gain_eur_per_yr=0.0,
        transport_co2_t_per_yr=0.0,
        pretreatment_co2_t_per_yr=0.0,
        avoided_disposal_co2_t_per_yr=0.0,
        avoided_supply_co2_t_per_yr=0.0,
        co2_avoided_t_per_yr=0.0,
    )


def cset(outs: list[DeclarationTerms], ins: list[DeclarationTerms], links: list[Candidate]) -> CandidateSet:
    return CandidateSet(
        candidates=links,
        outputs={o.declaration_id: o for o in outs},
        inputs={i.declaration_id: i for i in ins},
    )
