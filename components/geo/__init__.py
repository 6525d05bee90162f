"""Country outlines for the maps, read once from the TopoJSON shipped beside this module
(Natural Earth 1:110m through world-atlas, see SOURCE.md): no map is fetched from the internet."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

OUTLINES = Path(__file__).with_name("countries-110m.json")
DECIMALS = 2   # about a kilometre: finer than a 1:110m outline, and a third of the bytes


@dataclass(frozen=True, eq=False)   # hashed by identity: countries() makes each once
class Country:
    alpha_2: str | None             # None for the few Natural Earth units without an ISO code
    map_name: str                   # Natural Earth's short label ("Dem. Rep. Congo")
    geometry: dict                  # GeoJSON Polygon or MultiPolygon, in degrees
    bbox: tuple[float, float, float, float]   # south, west, north, east
    label_at: tuple[float, float]   # (lat, lon) inside the country's largest piece

    def name_places(self, south: float, west: float, north: float, east: float) -> list[tuple[float, float, float]]:
        """Where the country's name could go in a view, best first, each as (lat, lon, width of the
        land there in degrees): its usual place when in view, then the middles of the widest
        stretches of its land at a few latitudes across the part in view."""
        low, high = max(south, self.bbox[0]), min(north, self.bbox[2])
        if low >= high:
            return []
        usual_lat, usual_lon = self.label_at
        latitudes = [low + share * (high - low) for share in (0.5, 0.3, 0.7, 0.15, 0.85)]
        if south <= usual_lat <= north and west <= usual_lon <= east:
            latitudes.insert(0, usual_lat)
        places = []
        for lat in latitudes:
            stretch = self._widest_stretch(lat, west, east)
            if stretch:
                w, e = stretch
                inside = lat == usual_lat and w <= usual_lon <= e
                places.append((lat, usual_lon if inside else (w + e) / 2, e - w))
        return places

    def _widest_stretch(self, lat: float, west: float, east: float) -> tuple[float, float] | None:
        polygons = [self.geometry["coordinates"]] if self.geometry["type"] == "Polygon" else self.geometry["coordinates"]
        stretches = [(max(west, w), min(east, e)) for polygon in polygons if not _across_antimeridian(polygon[0])
                     for w, e in _stretches(polygon[0], lat)]
        return max(((w, e) for w, e in stretches if w < e), key=lambda s: s[1] - s[0], default=None)

    def feature(self, decimals: int = DECIMALS) -> dict:
        """The outline as a GeoJSON feature, coarser when asked (a continent needs no kilometres)."""
        geometry = self.geometry
        if decimals < DECIMALS:
            polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            coarse = [[ring for ring in (_rounded(ring, decimals) for ring in polygon) if len(ring) >= 4]
                      for polygon in polygons]
            coarse = [polygon for polygon in coarse if polygon]
            geometry = {"type": "MultiPolygon", "coordinates": coarse}
        return {"type": "Feature", "properties": {"name": self.map_name}, "geometry": geometry}


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    topology = json.loads(OUTLINES.read_text())
    arcs = _decoded_arcs(topology)
    found = []
    for shape in topology["objects"]["countries"]["geometries"]:
        polygons = [shape["arcs"]] if shape["type"] == "Polygon" else shape["arcs"]
        # Rounding shrinks the tiniest islands and lakes to a point or a line: d3 fails on those.
        rings = [[ring for ring in (_ring(arcs, indices) for indices in polygon) if len(ring) >= 4]
                 for polygon in polygons]
        rings = [polygon for polygon in rings if polygon]
        geometry = ({"type": "Polygon", "coordinates": rings[0]} if len(rings) == 1
                    else {"type": "MultiPolygon", "coordinates": rings})
        points = [point for polygon in rings for point in polygon[0]]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        code = pycountry.countries.get(numeric=shape["id"]) if shape.get("id") else None
        largest = max((polygon[0] for polygon in rings), key=lambda ring: abs(_area(ring)))
        found.append(Country(alpha_2=code.alpha_2 if code else None, map_name=shape["properties"]["name"],
                             geometry=geometry, bbox=(min(lats), min(lons), max(lats), max(lons)),
                             label_at=_label_point(largest)))
    return tuple(found)


def _decoded_arcs(topology: dict) -> list[list[list[float]]]:
    """TopoJSON arcs are quantised and delta-encoded: undo both."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points: list[list[float]] = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            point = [round(x * scale_x + shift_x, DECIMALS), round(y * scale_y + shift_y, DECIMALS)]
            if not points or point != points[-1]:
                points.append(point)
        decoded.append(points)
    return decoded


def _rounded(ring: list[list[float]], decimals: int) -> list[list[float]]:
    points: list[list[float]] = []
    for x, y in ring:
        point = [round(x, decimals), round(y, decimals)]
        if not points or point != points[-1]:
            points.append(point)
    return points


def _ring(arcs: list[list[list[float]]], indices: list[int]) -> list[list[float]]:
    """A ring joins its arcs end to start; a negative index (~i) is arc i backwards."""
    ring: list[list[float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


def _area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def _label_point(ring: list[list[float]]) -> tuple[float, float]:
    """The middle of the widest stretch of land along the latitude of the ring's mean point: inside
    the outline even for a crescent-shaped country, where the centroid can fall outside."""
    if _across_antimeridian(ring):
        ring = [[x + 360 if x < 0 else x, y] for x, y in ring]
    lat = sum(p[1] for p in ring) / len(ring)
    west, east = max(_stretches(ring, lat), key=lambda s: s[1] - s[0])
    lon = (west + east) / 2
    return lat, lon - 360 if lon > 180 else lon


def _stretches(ring: list[list[float]], lat: float) -> list[tuple[float, float]]:
    """The west and east ends of each stretch of the ring's inside along a latitude."""
    crossings = sorted(x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
                       for (x0, y0), (x1, y1) in zip(ring, ring[1:]) if (y0 <= lat) != (y1 <= lat))
    return list(zip(crossings[::2], crossings[1::2]))


def _across_antimeridian(ring: list[list[float]]) -> bool:
    """A ring from one side of 180° to the other (Fiji's islands): its stretches span the globe."""
    return max(p[0] for p in ring) - min(p[0] for p in ring) > 180
