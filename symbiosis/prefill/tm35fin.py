"""ETRS-TM35FIN (EPSG:3067) grid coordinates to geographic ETRS89 latitude/longitude.

A quarter of the Finnish E-PRTR facilities carry only grid coordinates (x, y); the project stores
WGS84 degrees. ETRS89 and WGS84 differ by well under a metre in Finland, which is far below what a
matching radius of kilometres can notice, so the ETRS89 result is used as WGS84.

The inverse transverse Mercator uses Krüger's series to the fourth order in the third flattening
``n`` (Karney 2011, "Transverse Mercator with an accuracy of a few nanometers"), exact to well
below a millimetre inside a zone — no projection library needed for one fixed projection.
"""

from __future__ import annotations

import math

# GRS80 ellipsoid and the TM35FIN projection parameters (JHS 154).
_A_M = 6378137.0
_F = 1.0 / 298.257222101
_K0 = 0.9996
_FALSE_EASTING_M = 500000.0
_CENTRAL_MERIDIAN_DEG = 27.0

_N = _F / (2.0 - _F)
_RECTIFYING_RADIUS_M = _A_M / (1.0 + _N) * (1.0 + _N**2 / 4.0 + _N**4 / 64.0)
_BETA = (
    _N / 2.0 - 2.0 / 3.0 * _N**2 + 37.0 / 96.0 * _N**3 - 1.0 / 360.0 * _N**4,
    1.0 / 48.0 * _N**2 + 1.0 / 15.0 * _N**3 - 437.0 / 1440.0 * _N**4,
    17.0 / 480.0 * _N**3 - 37.0 / 840.0 * _N**4,
    4397.0 / 161280.0 * _N**4,
)
_DELTA = (
    2.0 * _N - 2.0 / 3.0 * _N**2 - 2.0 * _N**3 + 116.0 / 45.0 * _N**4,
    7.0 / 3.0 * _N**2 - 8.0 / 5.0 * _N**3 - 227.0 / 45.0 * _N**4,
    56.0 / 15.0 * _N**3 - 136.0 / 35.0 * _N**4,
    4279.0 / 630.0 * _N**4,
)


def tm35fin_to_wgs84(easting_m: float, northing_m: float) -> tuple[float, float]:
    """Return ``(latitude_deg, longitude_deg)`` of a TM35FIN point.

    >>> lat, lon = tm35fin_to_wgs84(500000.0, 6700000.0)
    >>> round(lon, 6)
    27.0
    """
    xi = northing_m / (_K0 * _RECTIFYING_RADIUS_M)
    eta = (easting_m - _FALSE_EASTING_M) / (_K0 * _RECTIFYING_RADIUS_M)
    xi_p, eta_p = xi, eta
    for j, beta in enumerate(_BETA, start=1):
        xi_p -= beta * math.sin(2 * j * xi) * math.cosh(2 * j * eta)
        eta_p -= beta * math.cos(2 * j * xi) * math.sinh(2 * j * eta)
    chi = math.asin(math.sin(xi_p) / math.cosh(eta_p))
    lat = chi + sum(d * math.sin(2 * j * chi) for j, d in enumerate(_DELTA, start=1))
    lon = math.radians(_CENTRAL_MERIDIAN_DEG) + math.atan2(math.sinh(eta_p), math.cos(xi_p))
    return math.degrees(lat), math.degrees(lon)
