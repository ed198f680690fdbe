"""Candidate exchanges: the contract between matching (which finds them) and the optimiser
(which chooses among them), and what the API and dashboard show.

Flows on a link are counted in the *output's* canonical unit; one unit of output delivers
``delivery_factor`` units of the input (substitution ratio × (1 − transport loss)). Costs and
emissions per unit are per unit of output flow; ``fixed_cost_eur_per_yr`` is paid once the link is
built (a pipeline's annualised capital plus maintenance, or a truck deal's yearly contract and
paperwork cost) whatever the flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import Field

from symbiosis.domain.base import Frozen
from symbiosis.domain.enums import ResourceFamily, TransportMode
from symbiosis.units import CanonicalUnit


class ConditionCheck(Frozen):
    """One viability condition, its values and whether it held — the bricks of an explanation."""

    name: str = Field(
        description="resource | temperature | contaminant:<name> | purity | moisture | timing | distance"
    )
    held: bool
    actual: float | str | None = None
    required: float | str | None = None
    detail: str = Field(description="a sentence, e.g. 'temperature 55 °C, needs ≥ 70 °C'")


class DeclarationTerms(Frozen):
    """A declaration's economics once knowledge-base defaults fill what the firm left blank.

    For an output, ``cost_eur_per_unit``/``co2_kg_per_unit`` are today's disposal (the slack the
    optimiser falls back on); for an input, today's virgin supply.
    """

    declaration_id: str
    kind: str = Field(pattern="^(output|input)$")
    site_id: str
    firm_id: str
    territory_id: str | None
    resource_code: str
    family: ResourceFamily
    unit: CanonicalUnit
    monthly_qty: tuple[float, ...] = Field(min_length=12, max_length=12)
    cost_eur_per_unit: float
    co2_kg_per_unit: float
    contaminants_mg_per_l: dict[str, float] = Field(
        default_factory=dict, description="outputs: concentrations; inputs: maximum at the inlet"
    )

    @property
    def quantity_per_yr(self) -> float:
        return float(sum(self.monthly_qty))


class Candidate(Frozen):
    output_id: str
    input_id: str
    giver_site_id: str
    receiver_site_id: str
    output_resource: str
    input_resource: str
    rule_id: str | None = Field(description="substitution rule used; None when the resource is the same")
    ratio: float = Field(gt=0)
    family: ResourceFamily
    transport_mode: TransportMode
    unit_out: CanonicalUnit
    unit_in: CanonicalUnit
    distance_km: float = Field(ge=0, description="great-circle distance")
    route_km: float = Field(ge=0, description="distance with the mode's detour factor")
    monthly_qty: tuple[float, ...] = Field(
        min_length=12, max_length=12, description="exchangeable, output units"
    )
    exchangeable_qty_per_yr: float = Field(ge=0)
    max_share_of_input: float = Field(default=1.0, gt=0, le=1)
    delivery_factor: float = Field(gt=0, description="input units delivered per output unit sent")
    needs_dilution: bool = Field(default=False, description="water above an inlet limit: usable only blended")
    # per unit of output flow
    variable_cost_eur_per_unit: float
    variable_co2_kg_per_unit: float = Field(
        description="transport + pre-treatment + combustion at the receiver, per output unit"
    )
    combustion_co2_kg_per_unit: float = Field(
        default=0.0,
        ge=0,
        description="fossil CO2 of burning the output where the receiver burnt its fuel (in variable CO2)",
    )
    water_abstraction_m3_per_unit: dict[str, float] = Field(
        default_factory=dict,
        description="change in water abstracted by source type (ground, surface, mains, sea) per "
        "output m3 sent; negative = less abstracted",
    )
    fixed_cost_eur_per_yr: float = Field(ge=0)
    avoided_disposal_eur_per_unit: float
    avoided_disposal_co2_kg_per_unit: float
    avoided_supply_eur_per_unit: float = Field(description="per unit of *input* avoided")
    avoided_supply_co2_kg_per_unit: float = Field(description="per unit of *input* avoided")
    # totals at the exchangeable quantity, per year
    transport_cost_eur_per_yr: float
    pretreatment_cost_eur_per_yr: float
    avoided_disposal_eur_per_yr: float
    avoided_supply_eur_per_yr: float
    net_gain_eur_per_yr: float
    transport_co2_t_per_yr: float
    pretreatment_co2_t_per_yr: float
    avoided_disposal_co2_t_per_yr: float
    avoided_supply_co2_t_per_yr: float
    co2_avoided_t_per_yr: float
    combustion_co2_t_per_yr: float = Field(default=0.0, description="charged in co2_avoided_t_per_yr")
    fresh_water_saved_m3_per_yr: float = Field(
        default=0.0,
        description="fresh (ground, surface, mains) water no longer abstracted; a change of source "
        "or sea water saves none",
    )
    checks: tuple[ConditionCheck, ...] = ()
    viable: bool = True
    explanation: str = ""

    @property
    def id(self) -> str:
        return f"{self.output_id}->{self.input_id}"


@dataclass(frozen=True)
class Unmatched:
    """A declaration that found no partner, and why (reported, never silently dropped)."""

    declaration_id: str
    kind: str  # "output" | "input"
    reason: str


@dataclass
class CandidateSet:
    """What matching hands on: the links and the terms of every declaration they touch."""

    candidates: list[Candidate] = field(default_factory=list)
    outputs: dict[str, DeclarationTerms] = field(default_factory=dict)
    inputs: dict[str, DeclarationTerms] = field(default_factory=dict)
    unmatched: list[Unmatched] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. declarations of several years
