"""Users and tokens, matches, runs, synergies, consents, imports and aggregates."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from symbiosis.domain.bounds import EDGE_CONFIG, FiniteFloat
from symbiosis.domain.candidate import Candidate
from symbiosis.services.confidentiality import Disclosure
from symbiosis.services.principal import Role
from symbiosis.services.synergies import SynergyStatus

# --- users -----------------------------------------------------------------------------------


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        **EDGE_CONFIG,
        json_schema_extra={
            "examples": [
                {"email": "facilitator@agency.dk", "password": "plaster-kiln-harbour-7", "role": "agency",
                 "territory_ids": ["dk_kalundborg"]},
            ]
        },
    )  # fmt: skip
    email: str
    password: str = Field(
        description="at least 12 characters and hard to guess (zxcvbn score ≥ 3); checked by the service, "
        "which never echoes it back"
    )
    role: Role
    territory_ids: list[str] = Field(
        default_factory=list, description="agency/analyst: the territories in scope"
    )
    firm_id: str | None = Field(default=None, description="company: the firm the account acts for")


class UserPublic(BaseModel):
    id: str
    email: str
    role: Role
    territory_ids: list[str] = Field(default_factory=list)
    firm_id: str | None = None
    created_at: str | None = None


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int


# --- matches ---------------------------------------------------------------------------------


class CandidatePublic(Candidate):
    """A candidate exchange with both partners named (admins, agencies; a company when the partner's
    declaration is public or both firms consented)."""

    link_id: str = Field(description="output_id->input_id")
    giver_firm_id: str
    giver_firm_name: str | None = None
    receiver_firm_id: str
    receiver_firm_name: str | None = None
    partner_ref: str | None = Field(
        default=None,
        description="company view: the partner's handle for consents; null when shown because public",
    )
    disclosed: bool = True
    disclosed_by: Disclosure | None = Field(
        default=None, description="company view: own_firm | public | consent (why the partner is shown)"
    )
    own_side: str | None = None


class ConditionPublic(BaseModel):
    name: str
    held: bool


class CandidateRedacted(BaseModel):
    """What a company sees of a partner's agency or private declaration before both firms consent:
    no partner identity, figures as ranges."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="an opaque id of this candidate for this firm")
    disclosed: bool = False
    disclosed_by: Disclosure = Disclosure.NONE
    partner_ref: str = Field(description="opaque handle of the partner firm: PUT /consents/{partner_ref}")
    own_side: str = Field(description="giver | receiver")
    own_site_id: str
    own_declaration_id: str
    output_resource: str
    input_resource: str
    family: str
    transport_mode: str
    unit_out: str
    unit_in: str
    distance_km_range: tuple[float, float]
    exchangeable_qty_per_yr_range: tuple[float, float]
    net_gain_eur_per_yr_range: tuple[float, float]
    co2_avoided_t_per_yr_range: tuple[float, float]
    conditions: list[ConditionPublic]


class MatchesPublic(BaseModel):
    data: list[CandidatePublic | CandidateRedacted]
    count: int


# --- runs ------------------------------------------------------------------------------------


class RunCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        **EDGE_CONFIG,
        json_schema_extra={
            "examples": [
                {"territory_id": "kalundborg_symbiosis", "carbon_price_eur_per_t": 80, "time_limit_s": 60}
            ]
        },
    )
    territory_id: str
    carbon_price_eur_per_t: FiniteFloat = Field(
        default=0.0, ge=0, le=1e5, description="€ per t CO2e added to the cost (at most 100,000)"
    )
    co2_cap_t: FiniteFloat | None = Field(
        default=None, ge=0, le=1e12, description="max t CO2e/yr of the whole plan"
    )
    pareto_points: int | None = Field(default=None, ge=2, le=50, description="N points of the cost–CO2 front")
    time_limit_s: FiniteFloat = Field(default=120.0, gt=0, le=3600, description="seconds the solver may take")


class RunPublic(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    territory_id: str
    status: str = Field(description="queued | running | done | failed | cancelled")
    progress: float = 0.0
    message: str | None = None
    stage: str | None = Field(
        default=None,
        description="queued | started | reading | matching | optimising | finished | cancelled "
        "(the message's stage, with its figures in stage_values_json, for translated interfaces)",
    )
    error: str | None = Field(default=None, description="why a failed run failed")
    carbon_price_eur_per_t: float | None = None
    co2_cap_t: float | None = None
    pareto_points: int | None = None
    time_limit_s: float | None = None
    created_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    created_by: str | None = None
    result: dict[str, Any] | None = Field(default=None, description="when done: kind, plan, kpis or pareto")


class RunsPublic(BaseModel):
    data: list[RunPublic]
    count: int


# --- synergies -------------------------------------------------------------------------------


class SynergyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        **EDGE_CONFIG,
        json_schema_extra={
            "examples": [
                {"output_id": "o_asnaes_fgd_gypsum", "input_id": "i_gyproc_gypsum", "note": "seen in matches"}
            ]
        },
    )
    output_id: str | None = None
    input_id: str | None = None
    run_id: str | None = Field(default=None, description="with link_id: promote a planned link of a run")
    link_id: str | None = None
    pool_id: str | None = Field(default=None, description="with territory_id: promote a pool of GET /pools")
    territory_id: str | None = None
    note: str = ""


class SynergyUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        **EDGE_CONFIG,
        json_schema_extra={"examples": [{"status": "contacted", "note": "call with both plant managers"}]},
    )
    status: SynergyStatus | None = None
    note: str | None = None
    date: str | None = Field(default=None, description="when it happened (ISO date); default now")


class SynergyEvent(BaseModel):
    at: str
    by: str
    from_: str | None = Field(default=None, alias="from")
    to: str
    note: str | None = None
    date: str | None = None


class SynergyPublic(BaseModel):
    id: str
    kind: str = Field(default="exchange", description="exchange (one output → one input) | pool")
    output_id: str | None = None
    input_id: str | None = None
    giver_site_id: str | None = None
    receiver_site_id: str | None = None
    giver_firm_id: str | None = None
    receiver_firm_id: str | None = None
    pool_id: str | None = None
    resource_code: str | None = Field(default=None, description="pool: the pooled stream")
    side: str | None = Field(default=None, description="pool: collection | purchase")
    hub_site_id: str | None = None
    member_site_ids: list[str] | None = None
    member_firm_ids: list[str] | None = None
    value_eur_per_yr: float | None = Field(default=None, description="pool: yearly saving when promoted")
    territory_ids: list[str]
    source: str
    status: SynergyStatus
    notes: str = ""
    created_at: str
    updated_at: str
    created_by: str
    history: list[dict[str, Any]]


class SynergiesPublic(BaseModel):
    data: list[SynergyPublic]
    count: int


# --- consents, imports, aggregates -----------------------------------------------------------


class ConsentPublic(BaseModel):
    partner_ref: str
    given: bool = Field(description="your firm consents to disclose to this partner")
    received: bool = Field(description="the partner consents to disclose to your firm")
    disclosed: bool = Field(description="both: identities and exact figures are shown")


class ConsentsPublic(BaseModel):
    data: list[ConsentPublic]
    count: int


class ImportResult(BaseModel):
    written: dict[str, int]


class AggregatesPublic(BaseModel):
    territory_id: str
    counts: dict[str, int]
    potential: dict[str, Any]
    resources: list[dict[str, Any]]
    min_firms_per_total: int
