"""Reading the Finnish E-PRTR extract (SYKE, from the EEA database) into plain records.

The three files are `;`-separated as published by SYKE. Facilities carry one row each (their
latest reporting year); waste transfers have one row per facility, year, hazardous/non-hazardous
(HW/NONHW) and recovery/disposal (R/D), sometimes split by foreign receiver, so rows are summed;
releases are kg per year per pollutant and medium.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from symbiosis.prefill.tm35fin import tm35fin_to_wgs84

WASTE_STREAMS = ("NONHW_D", "NONHW_R", "HW_D", "HW_R")
"""Waste-transfer categories: non-hazardous/hazardous × destined for disposal/recovery."""

YEARS_AVERAGED = 3
"""Quantities are the mean of a facility's last three reported years (see `FacilityWaste`)."""


@dataclass(frozen=True)
class Facility:
    inspire_id: str
    facility_id: str
    name: str
    parent_company: str
    activity_code: str
    activity_name: str
    latitude_deg: float
    longitude_deg: float
    coordinates_from_grid: bool
    city: str
    postal_code: str
    reporting_year: int
    status: str
    authority: str


@dataclass(frozen=True)
class FacilityWaste:
    """Mean tonnes per year over the facility's last (up to) three years with any transfer.

    A category missing in one of those years counts as zero: E-PRTR only asks for transfers above
    2 t/yr (hazardous) or 2,000 t/yr (non-hazardous), so a gap means "below the threshold".
    """

    years: tuple[int, ...]
    t_per_yr: dict[str, float] = field(default_factory=dict)

    def get(self, stream: str) -> float:
        return self.t_per_yr.get(stream, 0.0)


@dataclass(frozen=True)
class FacilityReleases:
    """Mean kg per year of air releases over the facility's last (up to) three reporting years."""

    years: tuple[int, ...]
    air_kg_per_yr: dict[str, float] = field(default_factory=dict)

    def get(self, pollutant: str) -> float:
        return self.air_kg_per_yr.get(pollutant, 0.0)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh, delimiter=";")]


def read_facilities(source_dir: Path) -> list[Facility]:
    """All facilities, coordinates in WGS84 degrees (converted from TM35FIN where only x/y is given)."""
    facilities = []
    for row in _rows(source_dir / "facilities.csv"):
        from_grid = not (row["pointGeometryLat"] and row["pointGeometryLon"])
        if from_grid:
            lat, lon = tm35fin_to_wgs84(float(row["x"]), float(row["y"]))
        else:
            lat, lon = float(row["pointGeometryLat"]), float(row["pointGeometryLon"])
        facilities.append(
            Facility(
                inspire_id=row["Facility_INSPIRE_ID"],
                facility_id=row["facilityId"],
                name=row["nameOfFeature"],
                parent_company=row["parentCompanyName"],
                activity_code=row["mainActivityCode"],
                activity_name=row["mainActivityName"],
                latitude_deg=round(lat, 5),
                longitude_deg=round(lon, 5),
                coordinates_from_grid=from_grid,
                city=row["city"],
                postal_code=row["postalCode"],
                reporting_year=int(row["reportingYear"]),
                status=row["status"],
                authority=row["authorityName"],
            )
        )
    return facilities


def _nested() -> dict[str, dict[int, dict[str, float]]]:
    """facility → year → category → amount, every level created on first use."""
    return defaultdict(lambda: defaultdict(lambda: defaultdict(float)))


def _last_years(years: set[int]) -> tuple[int, ...]:
    return tuple(sorted(years)[-YEARS_AVERAGED:])


def read_waste(source_dir: Path) -> dict[str, FacilityWaste]:
    """Per facility INSPIRE id: mean t/yr of each waste stream over its last three reported years."""
    by_year = _nested()
    for row in _rows(source_dir / "waste_transfers.csv"):
        stream = f"{row['wasteClassificationCode']}_{row['wasteTreatmentCode']}"
        year = int(row["reportingYear"])
        by_year[row["Facility_INSPIRE_ID"]][year][stream] += float(row["totalWasteQuantityTNE"])
    result = {}
    for fid, years in by_year.items():
        last = _last_years(set(years))
        means = {s: sum(years[y].get(s, 0.0) for y in last) / len(last) for s in WASTE_STREAMS}
        result[fid] = FacilityWaste(years=last, t_per_yr={s: v for s, v in means.items() if v > 0})
    return result


def read_air_releases(source_dir: Path) -> dict[str, FacilityReleases]:
    """Per facility INSPIRE id: mean kg/yr of each air pollutant over its last three reporting years.

    A facility's reporting years are those with any release row; a pollutant absent in one of them
    was below its E-PRTR threshold (CO2: 100,000 t/yr) and counts as zero.
    """
    by_year = _nested()
    for row in _rows(source_dir / "releases.csv"):
        years = by_year[row["Facility_INSPIRE_ID"]]
        year = int(row["reportingYear"])
        years[year]  # noqa: B018 — a year with only water releases still counts as a reporting year
        if row["medium"] == "AIR":
            years[year][row["pollutantCode"]] += float(row["totalPollutantQuantityKg"])
    result = {}
    for fid, years in by_year.items():
        last = _last_years(set(years))
        pollutants = {p for y in last for p in years[y]}
        means = {p: sum(years[y].get(p, 0.0) for y in last) / len(last) for p in sorted(pollutants)}
        result[fid] = FacilityReleases(years=last, air_kg_per_yr=means)
    return result
