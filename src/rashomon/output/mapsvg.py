"""An offline map of a story's places: an inline SVG, no tiles, no scripts, no network.

The places' bounding box (padded, at least a few degrees wide) is drawn in an equirectangular
projection with a graticule; each place is a dot sized by how many articles name it, labelled with
its GeoNames name and coordinates in its tooltip. Countries are drawn as rings (a country's
coordinates are a centroid, not a spot). Every string is escaped here because the template inserts
the SVG as markup.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any, Sequence

__all__ = ["place_map"]

WIDTH, HEIGHT, PAD = 640, 360, 28
MAX_PLACES = 40


def _nice_step(span: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 30, 45, 60):
        if span / step <= 8:
            return step
    return 90


def place_map(places: Sequence[dict[str, Any]]) -> str:
    pts = [p for p in places if isinstance(p.get("lat"), (int, float)) and isinstance(p.get("lon"), (int, float))]
    pts = pts[:MAX_PLACES]
    if not pts:
        return ""
    # frame the cities and regions: a country's centroid far away (the United States in a story set
    # in Syria) would shrink the scene to a dot; such countries are listed under the map instead
    local = [p for p in pts if p.get("kind") != "country"] or pts
    lats = [p["lat"] for p in local]
    lons = [p["lon"] for p in local]
    lat0, lat1 = min(lats), max(lats)
    lon0, lon1 = min(lons), max(lons)
    # pad, keep a minimum extent, then match the drawing's aspect (longitude shrinks with latitude)
    lat_c, lon_c = (lat0 + lat1) / 2, (lon0 + lon1) / 2
    k = max(math.cos(math.radians(lat_c)), 0.2)
    half_lat = max((lat1 - lat0) / 2 * 1.25, 1.5)
    half_lon = max((lon1 - lon0) / 2 * 1.25, 1.5 / k)
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    if half_lon * k / half_lat > inner_w / inner_h:
        half_lat = half_lon * k * inner_h / inner_w
    else:
        half_lon = half_lat * inner_w / inner_h / k
    south, north = max(lat_c - half_lat, -90.0), min(lat_c + half_lat, 90.0)
    west, east = lon_c - half_lon, lon_c + half_lon

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (PAD + (lon - west) / (east - west) * inner_w, PAD + (north - lat) / (north - south) * inner_h)

    out = [f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
           f'role="img" aria-label="Map of the places the articles name">',
           f'<rect x="{PAD}" y="{PAD}" width="{inner_w}" height="{inner_h}" fill="#eef4f8" stroke="#c9d3dc"/>']
    step = _nice_step(max(north - south, east - west))
    lat = math.ceil(south / step) * step
    while lat <= north:
        _, y = xy(lat, west)
        out.append(f'<line x1="{PAD}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}" stroke="#d7e0e7"/>'
                   f'<text x="4" y="{y + 3:.1f}" font-size="9" fill="#7a8794">{lat:g}°</text>')
        lat += step
    lon = math.ceil(west / step) * step
    while lon <= east:
        x, _ = xy(north, lon)
        out.append(f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{HEIGHT - PAD}" stroke="#d7e0e7"/>'
                   f'<text x="{x - 8:.1f}" y="{HEIGHT - 10}" font-size="9" fill="#7a8794">{lon:g}°</text>')
        lon += step
    inside = [p for p in pts if south <= p["lat"] <= north and west <= p["lon"] <= east]
    outside = [p for p in pts if p not in inside]
    most = max(len(p.get("article_ids") or []) for p in inside) or 1
    labels: list[tuple[float, float, float, float]] = []
    drawn = []
    for p in sorted(inside, key=lambda p: len(p.get("article_ids") or [])):
        x, y = xy(p["lat"], p["lon"])
        n = len(p.get("article_ids") or [])
        r = 3 + 6 * n / most
        name = escape(str(p.get("name", "")))
        tip = escape(f"{p.get('name', '')} ({p.get('kind', '')}) {p['lat']:.3f}, {p['lon']:.3f} — {n} article(s)")
        if p.get("kind") == "country":
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + 4:.1f}" fill="none" stroke="#5d6875" '
                       f'stroke-dasharray="3 2"><title>{tip}</title></circle>')
        else:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#a1262b" fill-opacity=".75">'
                       f'<title>{tip}</title></circle>')
        drawn.append((p, x, y, r, name))
    # labels, most-named places first; one that would overprint an earlier label is left to the tooltip
    for p, x, y, r, name in sorted(drawn, key=lambda d: -len(d[0].get("article_ids") or [])):
        box = (x + r + 2, y - 8, x + r + 4 + 6.2 * len(str(p.get("name", ""))), y + 5)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in labels):
            continue
        labels.append(box)
        out.append(f'<text x="{x + r + 3:.1f}" y="{y + 4:.1f}" font-size="11" fill="#1d232b">{name}</text>')
    out.append("</svg>")
    if outside:
        names = ", ".join(escape(str(p.get("name", ""))) for p in outside)
        out.append(f'<div class="muted">Also named, outside this frame: {names}.</div>')
    return "".join(out)
