"""Rotating calipers on a convex polygon: diameter, width and the minimum-area bounding rectangle.

Walk the hull's edges counter-clockwise while a second pointer advances to the vertex farthest from the
current edge (the antipodal vertex); that pointer only moves forward, so all of it is O(h) after the hull.
Width = min over edges of the antipodal distance; the minimum-area rectangle has a side flush with a hull edge
(Freeman & Shapira 1975), with extent along the edge from the dot-product extremes.
"""

from __future__ import annotations

import math

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.hull import convex_hull
from rlgen.geometry.steps import Step, dots, final, lines, path


def _hull(points) -> list[tuple[float, float]]:
    h = convex_hull(points)
    if len(h) == 0:
        raise InputError("No points: add some first.")
    return list(map(tuple, h.tolist()))


def _area2(a, b, c) -> float:
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))


def _dist2(a, b) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def diameter_steps(points):
    h = _hull(points)
    n = len(h)
    if n == 1:
        yield Step("One distinct point: diameter 0.", (dots(h, "result"),))
        return (h[0], h[0], 0.0)
    if n == 2:
        d = math.dist(h[0], h[1])
        yield Step("Two distinct points: diameter {d:.4g}.", (lines([(h[0], h[1])], "result", 3),), d=d)
        return (h[0], h[1], d)
    outline = path(h, "muted", closed=True)
    best = (h[0], h[1], 0.0)
    j = 1
    for i in range(n):
        a, b = h[i], h[(i + 1) % n]
        # Advance j while the triangle (a, b, h[j+1]) is larger: h[j+1] is farther from edge ab.
        while _area2(a, b, h[(j + 1) % n]) > _area2(a, b, h[j]):
            j = (j + 1) % n
        for c in (a, b):
            d = math.sqrt(_dist2(c, h[j]))
            if d > best[2]:
                best = (c, h[j], d)
        yield Step("Edge {i}: antipodal vertex {j}; best diameter so far {best:.4g}.",
                   (outline, lines([(a, b)], "active", 3), lines([(a, h[j]), (b, h[j])], "candidate"),
                    dots([h[j]], "active"), lines([(best[0], best[1])], "result", 3)), i=i, j=j, best=best[2])
    yield Step("Diameter = {d:.6g}.", (outline, lines([(best[0], best[1])], "result", 3),
                                       dots([best[0], best[1]], "result")), d=best[2])
    return best


def diameter(points) -> tuple[np.ndarray, np.ndarray, float]:
    """(p, q, |pq|) for the farthest pair of points."""
    p, q, d = final(diameter_steps(points))
    return np.array(p), np.array(q), float(d)


def _edge_sweep(h):
    """For each hull edge: (unit direction, the antipodal distance (height), min/max of projections)."""
    n = len(h)
    j = 1
    for i in range(n):
        a, b = h[i], h[(i + 1) % n]
        while _area2(a, b, h[(j + 1) % n]) > _area2(a, b, h[j]):
            j = (j + 1) % n
        length = math.dist(a, b)
        u = ((b[0] - a[0]) / length, (b[1] - a[1]) / length)
        height = _area2(a, b, h[j]) / length
        yield i, a, b, u, height, j


def width_steps(points):
    h = _hull(points)
    if len(h) < 3:
        yield Step("The hull is a point or a segment: width 0.", (path(h, "result"),))
        return 0.0
    outline = path(h, "muted", closed=True)
    best = (math.inf, None)
    for i, a, b, u, height, j in _edge_sweep(h):
        normal = (-u[1], u[0])
        foot = (h[j][0] - normal[0] * height, h[j][1] - normal[1] * height)
        if height < best[0]:
            best = (height, (foot, h[j]))
        yield Step("Edge {i}: distance to antipodal vertex {j} = {height:.4g}; narrowest so far {best:.4g}.",
                   (outline, lines([(a, b)], "active", 3), lines([(foot, h[j])], "candidate", 2),
                    lines([best[1]], "accent", 3)), i=i, j=j, height=height, best=best[0])
    yield Step("Width = {w:.6g}: the narrowest slab that holds the points.",
               (outline, lines([best[1]], "accent", 3)), w=best[0])
    return best[0]


def width(points) -> float:
    return float(final(width_steps(points)))


def _rectangle(hull: np.ndarray, a, u, height):
    normal = (-u[1], u[0])
    proj = (hull - a) @ np.array(u)
    lo, hi = float(proj.min()), float(proj.max())
    corners = [
        (a[0] + u[0] * t + normal[0] * s, a[1] + u[1] * t + normal[1] * s)
        for t, s in ((lo, 0.0), (hi, 0.0), (hi, height), (lo, height))
    ]
    return (hi - lo) * height, corners


def min_area_rectangle_steps(points):
    h = _hull(points)
    if len(h) < 3:
        yield Step("The hull is a point or a segment: the rectangle has zero area.", (path(h, "result"),))
        return 0.0, np.array(h + h[-1:] * (4 - len(h)))[:4]
    outline = path(h, "muted", closed=True)
    hull = np.array(h)
    best = (math.inf, None)
    for i, a, _, u, height, _ in _edge_sweep(h):
        # Extent along the edge: a vectorized O(h) here for clarity (two more calipers make it O(1) amortized).
        area, corners = _rectangle(hull, a, u, height)
        if area < best[0]:
            best = (area, corners)
        yield Step("Edge {i}: flush rectangle area {area:.4g}; smallest so far {best:.4g}.",
                   (outline, path(corners, "active", closed=True), path(best[1], "result", closed=True, width=3)),
                   i=i, area=area, best=best[0])
    yield Step("Minimum-area bounding rectangle: area {area:.6g}.",
               (outline, path(best[1], "result", closed=True, width=3, fill=True)), area=best[0])
    return best[0], np.array(best[1])


def min_area_rectangle(points) -> tuple[float, np.ndarray]:
    """(area, 4 corners counter-clockwise) of the smallest-area rectangle enclosing the points."""
    area, corners = final(min_area_rectangle_steps(points))
    return float(area), corners
