"""Distances on the sphere, and the unit-sphere coordinates the spatial index works on.

A k-d tree answers "which points lie within radius r" in Euclidean space. On the unit sphere the
straight-line (chord) distance grows monotonically with the great-circle distance, so a ball of
chord radius ``2·sin(d / 2R)`` holds exactly the sites within ``d`` km along the surface.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius (Moritz 2000, Geodetic Reference System 1980)


def unit_xyz(latitude_deg: NDArray[np.float64], longitude_deg: NDArray[np.float64]) -> NDArray[np.float64]:
    """(n, 3) points on the unit sphere."""
    lat = np.radians(np.asarray(latitude_deg, dtype=np.float64))
    lon = np.radians(np.asarray(longitude_deg, dtype=np.float64))
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def chord_for_km(distance_km: float) -> float:
    """Chord length on the unit sphere that subtends ``distance_km`` along the surface."""
    angle = min(distance_km / EARTH_RADIUS_KM, np.pi)
    return float(2.0 * np.sin(angle / 2.0))


def km_from_xyz(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Great-circle km between paired rows of two (n, 3) unit-sphere arrays.

    Both the indexed and the all-pairs search call this exact expression on their pairs, so they
    agree to the last bit on which pairs lie within reach.
    """
    diff = a - b
    chord = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2.0, 1.0))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance, for one pair (used in tests as an independent cross-check)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h)))
