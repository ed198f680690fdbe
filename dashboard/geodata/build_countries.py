"""Rebuild `countries_110m.geojson` from Natural Earth's 1:110m countries (public domain) as the
geopandas 0.14.4 wheel on PyPI ships them (``geopandas/datasets/naturalearth_lowres/``).

Run by hand, never at install, test or run time (the GeoJSON is committed):

    pip download --no-deps -d /tmp/ne "geopandas==0.14.4"
    python dashboard/geodata/build_countries.py /tmp/ne/geopandas-0.14.4-py3-none-any.whl

A small reader of the two shapefile parts needed (.shp polygons, .dbf attributes), so nothing
beyond the standard library is installed for it. Coordinates are rounded to 0.01° (about 1 km:
below the 1:110m source's own precision).
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path

PREFIX = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = Path(__file__).with_name("countries_110m.geojson")


def read_dbf(data: bytes) -> list[dict[str, str]]:
    n, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields, i = [], 32
    while data[i] != 0x0D:
        name = data[i : i + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[i + 16]))
        i += 32
    rows = []
    for r in range(n):
        at = header_len + r * record_len + 1  # first byte: deletion flag
        row = {}
        for name, size in fields:
            row[name] = data[at : at + size].decode("utf-8", "replace").strip()
            at += size
        rows.append(row)
    return rows


def read_polygons(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """Each record's rings (shape type 5: polygon), as (lon, lat) lists."""
    out, at = [], 100
    while at < len(data):
        _, length = struct.unpack(">ii", data[at : at + 8])
        body = data[at + 8 : at + 8 + 2 * length]
        at += 8 + 2 * length
        if struct.unpack("<i", body[:4])[0] != 5:
            out.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44 : 44 + 4 * n_parts]))
        base = 44 + 4 * n_parts
        pts = [struct.unpack("<dd", body[base + 16 * k : base + 16 * k + 16]) for k in range(n_points)]
        bounds = [*parts, n_points]
        out.append([pts[bounds[k] : bounds[k + 1]] for k in range(n_parts)])
    return out


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as z:
        rows = read_dbf(z.read(PREFIX + ".dbf"))
        shapes = read_polygons(z.read(PREFIX + ".shp"))
    features = []
    for row, rings in zip(rows, shapes, strict=True):
        coords = [[[round(x, 2), round(y, 2)] for x, y in ring] for ring in rings]
        features.append(
            {
                "type": "Feature",
                "properties": {"name": row["name"], "iso_a3": row["iso_a3"], "continent": row["continent"]},
                "geometry": {"type": "MultiLineString", "coordinates": coords},
            }
        )
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))
    print(f"{len(features)} countries → {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
