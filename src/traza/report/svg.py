"""Charts and maps as hand-built SVG.

Why not matplotlib: the figures are simple bars, the SVG stays small and deterministic,
labels are the report's own formatted numbers (1.305 / 1,305) in the page's font, and the
same file renders in a browser and in WeasyPrint with no extra backend or import cost.
Maps use the district and department polygons in ``traza/data/geo`` (no tiles, no network).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from html import escape
from typing import Any

from traza.core.paths import data_dir

PALETTE = ("#1b5e8c", "#e0a526", "#5b8c3a", "#b03a2e", "#6d4c8d", "#7f7f7f")
RAMP = ("#fde8c8", "#f9c57c", "#ef8f3b", "#cc5a1e", "#8c2d04")  # light to dark, colour-blind safe


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="t d" font-family="DejaVu Sans, Arial, sans-serif" '
        'font-size="12">',
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def bar_chart(title: str, desc: str, categories: Sequence[str],
              series: Sequence[tuple[str, Sequence[float]]], fmt: Callable[[float], str],
              width: int = 640) -> str:
    """Horizontal grouped bars: one group per category, one bar per series, each labelled
    with its formatted value, and a legend when there is more than one series."""
    bar, gap, label_w, top = 16, 12, 170, 34 if len(series) > 1 else 12
    group = bar * len(series) + gap
    height = top + group * len(categories) + 8
    peak = max([v for _, vals in series for v in vals] + [0.0]) or 1.0
    span = width - label_w - 90
    out = _open(width, height, title, desc)
    if len(series) > 1:
        x = label_w
        for i, (name, _) in enumerate(series):
            out.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                       f'<text x="{x + 16}" y="18">{escape(name)}</text>')
            x += 24 + 7 * len(name)
    for ci, cat in enumerate(categories):
        y0 = top + ci * group
        short = cat if len(cat) <= 26 else cat[:25] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y0 + bar * len(series) / 2 + 4:.0f}" '
                   f'text-anchor="end">{escape(short)}</text>')
        for si, (_, vals) in enumerate(series):
            v = vals[ci]
            w = max(span * v / peak, 0.0)
            y = y0 + si * bar
            out.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 2}" '
                       f'fill="{PALETTE[si % len(PALETTE)]}"/>'
                       f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 5}">{escape(fmt(v))}</text>')
    out.append(f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 6}" stroke="#444"/>')
    out.append("</svg>")
    return "".join(out)


@cache
def _features(level: str) -> tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """(code, rings) per polygon feature of ``peru_<level>_simple.geojson``."""
    path = data_dir() / "geo" / f"peru_{level}_simple.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for f in data["features"]:
        props: dict[str, Any] = f["properties"]
        code = str(props.get("IDDIST") or props.get("FIRST_IDDP") or "")
        geom = f["geometry"]
        if not geom:  # a few districts of the source have no polygon
            continue
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rings = tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for poly in polys for ring in poly)
        out.append((code, rings))
    return tuple(out)


def _bbox(rings: Sequence[Sequence[tuple[float, float]]]) -> tuple[float, float, float, float]:
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    return min(xs), min(ys), max(xs), max(ys)


def district_map(title: str, desc: str, values: Mapping[str, float], fmt: Callable[[float], str],
                 shaded: frozenset[str] = frozenset(), shaded_label: str = "",
                 points: Sequence[tuple[float, float]] = (), unit: str = "", width: int = 560) -> str:
    """Districts coloured by value (five classes up to the maximum), ``shaded`` districts in
    grey (e.g. the coca valleys), optional points; the view frames what carries data, with
    the departments' borders for orientation."""
    districts = {code: rings for code, rings in _features("distrital")}
    focus = [r for c in set(values) | set(shaded) for r in districts.get(c, ())]
    focus += [((lon, lat),) for lon, lat in points]
    if not focus:
        focus = [r for _, rings in _features("departamental") for r in rings]
    x0, y0, x1, y1 = _bbox(focus)
    pad = max(x1 - x0, y1 - y0) * 0.08 + 0.05
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    kx = math.cos(math.radians((y0 + y1) / 2))
    scale = (width - 20) / max((x1 - x0) * kx, 1e-9)
    map_h = int((y1 - y0) * scale) + 20
    height = map_h + 44

    def path(rings: Sequence[Sequence[tuple[float, float]]]) -> str:
        parts = []
        for ring in rings:
            pts, last = [], (math.inf, math.inf)
            for lon, lat in ring:
                p = (round(10 + (lon - x0) * kx * scale, 1), round(10 + (y1 - lat) * scale, 1))
                if abs(p[0] - last[0]) + abs(p[1] - last[1]) >= 1.2:  # drop sub-pixel detail
                    pts.append(p)
                    last = p
            if len(pts) >= 3:
                parts.append("M" + "L".join(f"{x},{y}" for x, y in pts) + "Z")
        return "".join(parts)

    def inside(rings: Sequence[Sequence[tuple[float, float]]]) -> bool:
        a, b, c, d = _bbox(rings)
        return not (c < x0 or a > x1 or d < y0 or b > y1)

    peak = max(values.values(), default=0.0) or 1.0
    out = _open(width, height, title, desc)
    out.append(f'<rect x="0" y="0" width="{width}" height="{map_h}" fill="#eef3f7"/>')
    for _, rings in _features("departamental"):
        if inside(rings):
            out.append(f'<path d="{path(rings)}" fill="#fafafa" stroke="#888" stroke-width="0.8"/>')
    for code in sorted(shaded - set(values)):
        if code in districts:
            out.append(f'<path d="{path(districts[code])}" fill="#d0d0d0" stroke="#fff" stroke-width="0.3"/>')
    for code, v in sorted(values.items()):
        if code in districts:
            cls = min(int(5 * v / peak), 4) if v > 0 else 0
            out.append(f'<path d="{path(districts[code])}" fill="{RAMP[cls]}" stroke="#555" stroke-width="0.4">'
                       f'<title>{escape(code)}: {escape(fmt(v))}</title></path>')
    for lon, lat in points:
        cx, cy = 10 + (lon - x0) * kx * scale, 10 + (y1 - lat) * scale
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="#1b5e8c" stroke="#fff" stroke-width="0.8"/>')
    ly, step = map_h + 8, (width - 50) / 3  # three classes a row: long numbers must not overlap
    out.append(f'<text x="10" y="{ly + 10}" font-size="10">{escape(unit)}</text>')
    for i, colour in enumerate(RAMP):
        lo, hi = peak * i / 5, peak * (i + 1) / 5
        x, y = 40 + (i % 3) * step, ly + (i // 3) * 16
        out.append(f'<rect x="{x:.0f}" y="{y}" width="12" height="12" fill="{colour}" stroke="#555" '
                   f'stroke-width="0.4"/><text x="{x + 16:.0f}" y="{y + 10}" font-size="10">'
                   f'{escape(fmt(lo))}–{escape(fmt(hi))}</text>')
    if shaded_label:
        out.append(f'<rect x="{40 + 2 * step:.0f}" y="{ly + 16}" width="12" height="12" fill="#d0d0d0"/>'
                   f'<text x="{56 + 2 * step:.0f}" y="{ly + 26}" font-size="9">{escape(shaded_label)}</text>')
    out.append("</svg>")
    return "".join(out)
