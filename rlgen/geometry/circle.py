"""Minimum enclosing circle by Welzl's random incremental algorithm, expected O(n).

Shuffle. Keep the circle of the first i points; when p_i falls outside, p_i is on the new circle's boundary:
rebuild with p_i fixed, and for each p_j outside that, with p_i and p_j fixed (the circle through three
points is their circumcircle). Circumcentre of a, b, c: with b' = b − a, c' = c − a, D = 2 (b' × c'),
u = (c'_y |b'|² − b'_y |c'|², b'_x |c'|² − c'_x |b'|²) / D, centre = a + u.
"""

from __future__ import annotations

import math

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.hull import as_points
from rlgen.geometry.steps import Circle, Step, dots, final

# Points within this relative slack of the radius count as inside (the centre is a rounded float).
SLACK = 1e-12


def circumcircle(a, b, c) -> tuple[float, float, float] | None:
    bx, by = b[0] - a[0], b[1] - a[1]
    cx, cy = c[0] - a[0], c[1] - a[1]
    d = 2.0 * (bx * cy - by * cx)
    if d == 0:
        return None
    b2, c2 = bx * bx + by * by, cx * cx + cy * cy
    ux = (cy * b2 - by * c2) / d
    uy = (bx * c2 - cx * b2) / d
    return (a[0] + ux, a[1] + uy, math.hypot(ux, uy))


def _diametral(a, b) -> tuple[float, float, float]:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, math.dist(a, b) / 2)


def _inside(c, p, scale: float) -> bool:
    return math.dist((c[0], c[1]), p) <= c[2] + SLACK * scale


def _three(a, b, c):
    """The smallest circle with a, b, c all on or inside it, a and b on its boundary... or the circumcircle."""
    circle = circumcircle(a, b, c)
    if circle is None:  # collinear: the two farthest apart span it
        return max((_diametral(a, b), _diametral(a, c), _diametral(b, c)), key=lambda t: t[2])
    return circle


def min_enclosing_circle_steps(points, seed: int = 0):
    p = as_points(points)
    if len(p) == 0:
        raise InputError("The minimum enclosing circle needs at least one point.")
    pts = list(map(tuple, p.tolist()))
    rng = np.random.default_rng(seed)
    pts = [pts[k] for k in rng.permutation(len(pts))]
    scale = max(1.0, float(np.abs(p).max()))

    def shown(c, colour="candidate"):
        return Circle((c[0], c[1]), c[2], colour)

    c = (pts[0][0], pts[0][1], 0.0)
    for i in range(1, len(pts)):
        if _inside(c, pts[i], scale):
            continue
        c = (pts[i][0], pts[i][1], 0.0)
        yield Step("Point {i} lies outside: it must be on the boundary; restart with it alone.",
                   (shown(c), dots([pts[i]], "rejected", 6)), i=i)
        for j in range(i):
            if _inside(c, pts[j], scale):
                continue
            c = _diametral(pts[i], pts[j])
            yield Step("Point {j} outside: circle on the diameter p{i} p{j}, r = {r:.4g}.",
                       (shown(c), dots([pts[i], pts[j]], "rejected", 6)), i=i, j=j, r=c[2])
            for k in range(j):
                if _inside(c, pts[k], scale):
                    continue
                c = _three(pts[i], pts[j], pts[k])
                yield Step("Point {k} outside: circle through p{i}, p{j}, p{k}, r = {r:.4g}.",
                           (shown(c), dots([pts[i], pts[j], pts[k]], "rejected", 6)), i=i, j=j, k=k, r=c[2])
    yield Step("Minimum enclosing circle: centre ({x:.5g}, {y:.5g}), radius {r:.6g}.",
               (shown(c, "result"), dots([(c[0], c[1])], "result", 3)), x=c[0], y=c[1], r=c[2])
    return c


def min_enclosing_circle(points, seed: int = 0) -> tuple[float, float, float]:
    """(cx, cy, r) of the smallest circle containing every point (the shuffle's seed changes only the path)."""
    cx, cy, r = final(min_enclosing_circle_steps(points, seed))
    return (float(cx), float(cy), float(r))
