"""Pools as the API returns them: the full view (admins, agencies) and a member firm's view."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from symbiosis.services.confidentiality import Disclosure


class PoolStop(BaseModel):
    site_id: str
    site_name: str
    firm_id: str
    firm_name: str
    latitude_deg: float
    longitude_deg: float


class PoolMember(PoolStop):
    declaration_id: str
    t_per_yr: float
    today_eur_per_yr: float = Field(description="its separate contract today (+ carbon price × CO2e)")
    shapley_eur_per_yr: float = Field(description="its fair share of the pooled contract (Shapley value)")
    shapley_half_width_eur: float = Field(description="sampling error bound of the share; 0 when exact")
    pro_rata_eur_per_yr: float = Field(description="its share if the pooled cost were split by volume")
    saving_eur_per_yr: float = Field(description="today − fair share")


class PoolPublic(BaseModel):
    """A proposed pool in full (admins; agencies of its territory)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    territory_id: str
    resource_code: str
    resource_name: str
    side: str = Field(description="collection (of an output) | purchase (of an input)")
    hub: PoolStop = Field(description="where the truck unloads (collection) or loads (purchase)")
    members: list[PoolMember]
    routes: list[list[PoolStop]] = Field(description="each route: hub → these stops → hub")
    tour_km: float = Field(description="length of one call of the tour (all routes)")
    pickups_per_month: int
    today_eur_per_yr: float
    today_truck_km_per_yr: float
    today_co2_t_per_yr: float
    pool_eur_per_yr: float
    pool_transport_eur_per_yr: float
    pool_price_eur_per_yr: float
    pool_fixed_eur_per_yr: float
    pool_truck_km_per_yr: float
    pool_co2_t_per_yr: float
    saving_eur_per_yr: float
    truck_km_saved_per_yr: float
    co2_avoided_t_per_yr: float
    shapley_exact: bool
    core_checked: bool
    core_violations: int = Field(description="sub-groups that would pay less alone than their Shapley shares")
    pro_rata_core_violations: int


class PoolPartner(BaseModel):
    """Another member (or the hub) as a company sees it: named only when public or both consented."""

    model_config = ConfigDict(extra="forbid")
    disclosed: bool
    disclosed_by: Disclosure
    partner_ref: str | None = None
    firm_id: str | None = None
    firm_name: str | None = None
    site_id: str | None = None
    site_name: str | None = None
    latitude_deg: float | None = None
    longitude_deg: float | None = None
    t_per_yr: float | None = None
    t_per_yr_range: tuple[float, float] | None = None


class PoolForCompany(BaseModel):
    """A pool one of the company's sites belongs to: its own share exact, the rest as ranges."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="an opaque id of this pool for this firm")
    territory_id: str
    resource_code: str
    resource_name: str
    side: str
    n_members: int
    own_members: list[PoolMember]
    own_today_eur_per_yr: float
    own_shapley_eur_per_yr: float
    own_pro_rata_eur_per_yr: float
    own_saving_eur_per_yr: float
    partners: list[PoolPartner]
    hub: PoolPartner
    saving_eur_per_yr_range: tuple[float, float]
    truck_km_saved_per_yr_range: tuple[float, float]
    co2_avoided_t_per_yr_range: tuple[float, float]
    pickups_per_month: int
    shapley_exact: bool
    core_checked: bool
    core_violations: int
    routes: list[list[PoolStop]] | None = Field(description="the tour, once every partner is disclosed")


class PoolsPublic(BaseModel):
    data: list[PoolPublic | PoolForCompany]
    count: int
