"""Build timeline/borders.json, the plain map's country borders, from Natural Earth.

Usage: `python scripts/borders.py countries-10m.json` where the file is `countries-10m.json`
of the npm package world-atlas 2.0.2 (Natural Earth 1:10m admin-0 countries as TopoJSON;
Natural Earth is in the public domain). Keeps the borders and coasts of the countries around
the South Caucasus inside the map's region, simplified to about 1 km, each shared border
once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "timeline" / "borders.json"
COUNTRIES = ("Armenia", "Azerbaijan", "Georgia", "Iran", "Turkey", "Russia")
BOX = (42.5, 37.5, 51.5, 42.5)  # lon/lat, a little wider than charts.REGION
TOLERANCE = 0.01  # degrees, about 1 km


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantized and delta-encoded: undo both."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 4), round(y * sy + ty, 4)))
        out.append(points)
    return out


def _used_arcs(geometry: dict) -> set[int]:
    def walk(item) -> set[int]:
        if isinstance(item, int):
            return {item if item >= 0 else ~item}
        return set().union(*(walk(i) for i in item)) if item else set()

    return walk(geometry.get("arcs", []))


def _simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
    far, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
        if d > far:
            far, index = d, i
    if far <= tol:
        return [points[0], points[-1]]
    return _simplify(points[: index + 1], tol)[:-1] + _simplify(points[index:], tol)


def _inside(point: tuple[float, float]) -> bool:
    return BOX[0] <= point[0] <= BOX[2] and BOX[1] <= point[1] <= BOX[3]


def _clip(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The runs of an arc inside BOX (a point beyond each end keeps the line to the edge)."""
    runs, run = [], []
    for i, p in enumerate(points):
        near = _inside(p) or (i > 0 and _inside(points[i - 1]))
        near = near or (i + 1 < len(points) and _inside(points[i + 1]))
        if near:
            run.append(p)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [r for r in runs if len(r) > 1]


def main(path: str) -> None:
    topo = json.loads(Path(path).read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    wanted: set[int] = set()
    for geometry in topo["objects"]["countries"]["geometries"]:
        if geometry.get("properties", {}).get("name") in COUNTRIES:
            wanted |= _used_arcs(geometry)
    lines = []
    for i in sorted(wanted):
        for run in _clip(arcs[i]):
            lines.append([list(p) for p in _simplify(run, TOLERANCE)])
    OUT.write_text(
        json.dumps(
            {
                "source": "Natural Earth 1:10m admin-0 countries (public domain), via world-atlas "
                "2.0.2; simplified to about 1 km",
                "lines": lines,
            },
            separators=(",", ":"),
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{OUT.name}: {len(lines)} lines, {sum(len(x) for x in lines)} points")


if __name__ == "__main__":
    main(sys.argv[1])
