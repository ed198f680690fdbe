"""Who and where: territories, firms and sites from E-PRTR facility records.

Territories are Finland › the area of the facility's competent authority (an ELY centre, as
reported by the facility) › the municipality named in its address. Regions are not mapped from
any other table: a post town whose facilities name no authority hangs directly under Finland.
Firms are the parent companies as reported (names compared case-blind); "CONFIDENTIAL" records
(mostly farms) each get their own anonymous firm so that no two undisclosed operators are merged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from symbiosis.domain import Firm, Site, Territory, TerritoryLevel
from symbiosis.prefill.eprtr_source import Facility

COUNTRY_ID = "fi"
EPRTR = "EEA E-PRTR via SYKE PRTR export (CC BY 4.0)"
_ELY_PREFIX = "Centre for Economic Development, Transport and the Environment for "
_PARENT_PREFIX = "parentCompany of plant: "
_UNDISCLOSED = "CONFIDENTIAL"


def slug(text: str, max_len: int = 48) -> str:
    """ASCII, lower-case, dash-separated: 'Äänekoski' → 'aanekoski'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_len].strip("-") or "x"


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def municipality_name(city: str) -> str:
    """Post towns come upper- or title-cased; 'PORI' and 'Pori' are one municipality."""
    return " ".join(part.capitalize() for part in city.split())


def site_id(f: Facility) -> str:
    return f"fi-eprtr-{slug(f.facility_id)}"


@dataclass
class Identities:
    territories: list[Territory] = field(default_factory=list)
    firms: list[Firm] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)


def _firm_for(f: Facility) -> Firm:
    parent = f.parent_company.removeprefix(_PARENT_PREFIX).strip()
    if not parent or parent.upper() == _UNDISCLOSED:
        fid = f.facility_id
        return Firm(
            id=f"fi-firm-undisclosed-{slug(fid)}", name=f"Undisclosed operator ({fid})",
            source=f"{EPRTR}: operator not disclosed for facility {fid}",
        )  # fmt: skip
    return Firm(
        id=f"fi-firm-{slug(parent, 40)}-{_short_hash(parent.casefold())}", name=parent,
        source=f"{EPRTR}: parent company as reported",
    )  # fmt: skip


def _site_source(f: Facility) -> str:
    where = (
        "coordinates converted from its ETRS-TM35FIN x/y" if f.coordinates_from_grid
        else "published WGS84 coordinates"
    )  # fmt: skip
    return f"{EPRTR}: facility {f.facility_id}, reporting year {f.reporting_year}, {where}"


def _site_name(f: Facility) -> str:
    if f.name.upper() == _UNDISCLOSED:
        return f"Undisclosed facility {f.facility_id}, {municipality_name(f.city)} ({f.activity_code})"
    return f.name.removeprefix("Facility of plant: ").strip()


def build_identities(facilities: list[Facility]) -> Identities:
    """One site per facility, one firm per parent company, territories from the facilities' own fields."""
    out = Identities()
    out.territories.append(
        Territory(id=COUNTRY_ID, name="Finland", level=TerritoryLevel.COUNTRY, code="FI", source="ISO 3166")
    )
    region_of_city: dict[str, str] = {}
    regions: dict[str, str] = {}
    for f in facilities:
        if f.authority.startswith(_ELY_PREFIX):
            area = f.authority.removeprefix(_ELY_PREFIX)
            regions[area] = f"fi-ely-{slug(area)}"
            region_of_city.setdefault(municipality_name(f.city), regions[area])
    for area, rid in sorted(regions.items(), key=lambda kv: kv[1]):
        out.territories.append(
            Territory(
                id=rid, name=f"{area} (ELY centre area)", level=TerritoryLevel.REGION, parent_id=COUNTRY_ID,
                source=f"{EPRTR}: competent authority named by the area's facilities",
            )
        )
    cities = sorted({municipality_name(f.city) for f in facilities if f.city})
    city_ids = {c: f"fi-mun-{slug(c)}" for c in cities}
    for c in cities:
        out.territories.append(
            Territory(
                id=city_ids[c], name=c, level=TerritoryLevel.MUNICIPALITY,
                parent_id=region_of_city.get(c, COUNTRY_ID),
                source=f"{EPRTR}: post town of the facilities' addresses",
            )
        )
    firms: dict[str, Firm] = {}
    for f in facilities:
        firm = _firm_for(f)
        firms.setdefault(firm.id, firm)
        out.sites.append(
            Site(
                id=site_id(f), firm_id=firm.id, name=_site_name(f),
                latitude_deg=f.latitude_deg, longitude_deg=f.longitude_deg,
                territory_id=city_ids.get(municipality_name(f.city), COUNTRY_ID), source=_site_source(f),
            )
        )
    out.firms = sorted(firms.values(), key=lambda x: x.id)
    return out
