"""Firms and their sites. A site is where a firm gives off or needs resources."""

from __future__ import annotations

from pydantic import Field

from symbiosis.domain.base import IDENTIFIER_PATTERN, Frozen


class Firm(Frozen):
    id: str = Field(pattern=IDENTIFIER_PATTERN)
    name: str = Field(min_length=1)
    nace_code: str | None = Field(
        default=None, pattern=r"^[A-U](\d{2}(\.\d{1,2})?)?$|^\d{2}(\.\d{1,2})?$",
        description="NACE Rev. 2.1 code, e.g. '35.11' or '23.51'",
    )
    source: str | None = Field(default=None, description="where the record comes from")


class Site(Frozen):
    id: str = Field(pattern=IDENTIFIER_PATTERN)
    firm_id: str = Field(pattern=IDENTIFIER_PATTERN)
    name: str = Field(min_length=1)
    latitude_deg: float = Field(ge=-90.0, le=90.0, description="WGS84 latitude, degrees north")
    longitude_deg: float = Field(ge=-180.0, le=180.0, description="WGS84 longitude, degrees east")
    territory_id: str | None = Field(default=None, description="the smallest territory the site lies in")
    source: str | None = Field(default=None, description="where the record (and its coordinates) comes from")
