"""Simple polygons given as vertex lists (either orientation, not repeating the first vertex).

Shoelace: 2A = Σ (x_i y_{i+1} − x_{i+1} y_i), positive counter-clockwise. Centroid:
C = (1 / 6A) Σ (p_i + p_{i+1}) (x_i y_{i+1} − x_{i+1} y_i). Pick's theorem for lattice polygons:
A = I + B/2 − 1, with B = Σ gcd(|Δx|, |Δy|) over the edges, so I = A − B/2 + 1.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.hull import as_points
from rlgen.geometry.predicates import ROBUST, Point, Predicates
from rlgen.geometry.steps import Step, dots, lines, path
from rlgen.geometry.vectors import on_segment, segments_intersect


def as_polygon(vertices, *, minimum: int = 3) -> np.ndarray:
    polygon = as_points(vertices, name="polygon vertices")
    if len(polygon) < minimum:
        raise InputError("A polygon needs at least {minimum} vertices (got {n_vertices}).",
                         minimum=minimum, n_vertices=len(polygon))
    return polygon


def signed_area(vertices) -> float:
    p = as_polygon(vertices)
    x, y = p[:, 0], p[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2.0


def polygon_area(vertices) -> float:
    return abs(signed_area(vertices))


def perimeter(vertices) -> float:
    p = as_polygon(vertices, minimum=2)
    return float(np.hypot(*(np.roll(p, -1, axis=0) - p).T).sum())


def centroid(vertices) -> Point:
    p = as_polygon(vertices)
    x, y = p[:, 0], p[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    w = x * y1 - x1 * y
    a = w.sum() / 2.0
    if a == 0:
        raise InputError("The polygon has zero area, so its centroid is undefined.")
    return (float(((x + x1) * w).sum() / (6 * a)), float(((y + y1) * w).sum() / (6 * a)))


def is_convex(vertices, pred: Predicates = ROBUST) -> bool:
    """Every turn has the same sign (collinear vertices allowed), and the boundary winds once."""
    p = list(map(tuple, as_polygon(vertices).tolist()))
    n = len(p)
    turns = [pred.orient(p[i - 1], p[i], p[(i + 1) % n]) for i in range(n)]
    if any(t > 0 for t in turns) and any(t < 0 for t in turns):
        return False
    if not any(turns):
        return False  # all collinear: not a proper polygon
    return is_simple(p, pred)


def is_simple(vertices, pred: Predicates = ROBUST) -> bool:
    """No two non-adjacent edges meet, adjacent edges meet only at their shared vertex. O(n²)."""
    return find_self_intersection(vertices, pred) is None


def find_self_intersection(vertices, pred: Predicates = ROBUST) -> tuple[int, int] | None:
    """The first pair of edges (i, j) (edge i runs from vertex i to i+1) that make the polygon non-simple."""
    p = list(map(tuple, as_polygon(vertices).tolist()))
    n = len(p)
    if len(set(p)) < n:
        first = next(i for i, v in enumerate(p) if p.count(v) > 1)
        return (first, first)
    for i in range(n):
        a, b = p[i], p[(i + 1) % n]
        for j in range(i + 1, n):
            c, d = p[j], p[(j + 1) % n]
            if j == i + 1 or (i == 0 and j == n - 1):
                # Adjacent edges share one vertex; they may not fold back over each other.
                shared, other_a, other_c = (b, a, d) if j == i + 1 else (a, b, c)
                if pred.orient(other_a, shared, other_c) == 0 and (
                    on_segment(other_c, shared, other_a, pred) or on_segment(other_a, shared, other_c, pred)
                ):
                    return (i, j)
                continue
            if segments_intersect(a, b, c, d, pred):
                return (i, j)
    return None


def point_in_polygon_ray(q: Point, vertices) -> int:
    """Ray casting: +1 inside, 0 on the boundary, -1 outside. A horizontal ray to the right crosses the
    boundary an odd number of times from inside; half-open edges ((y_i > y) != (y_j > y)) count vertices once."""
    p = list(map(tuple, as_polygon(vertices).tolist()))
    q = (float(q[0]), float(q[1]))
    inside = False
    for i in range(len(p)):
        a, b = p[i], p[(i + 1) % len(p)]
        if on_segment(q, a, b):
            return 0
        if (a[1] > q[1]) != (b[1] > q[1]):
            # x where the edge crosses the ray's height, compared exactly.
            t = Fraction(q[1]) - Fraction(a[1])
            x = Fraction(a[0]) + t * (Fraction(b[0]) - Fraction(a[0])) / (Fraction(b[1]) - Fraction(a[1]))
            if Fraction(q[0]) < x:
                inside = not inside
    return 1 if inside else -1


def winding_number(q: Point, vertices, pred: Predicates = ROBUST) -> int:
    """How many times the boundary winds counter-clockwise around q (Sunday's crossing rule)."""
    p = list(map(tuple, as_polygon(vertices).tolist()))
    w = 0
    for i in range(len(p)):
        a, b = p[i], p[(i + 1) % len(p)]
        if a[1] <= q[1] < b[1] and pred.orient(a, b, q) > 0:
            w += 1
        elif b[1] <= q[1] < a[1] and pred.orient(a, b, q) < 0:
            w -= 1
    return w


def point_in_polygon(q: Point, vertices, *, method: str = "winding") -> int:
    """+1 inside, 0 on the boundary, -1 outside, by ``"winding"`` (non-zero rule) or ``"ray"`` (even-odd)."""
    if method == "ray":
        return point_in_polygon_ray(q, vertices)
    if method != "winding":
        raise InputError("Unknown method {method!r}; use 'winding' or 'ray'.", method=method)
    p = list(map(tuple, as_polygon(vertices).tolist()))
    if any(on_segment(tuple(q), p[i], p[(i + 1) % len(p)]) for i in range(len(p))):
        return 0
    return 1 if winding_number(q, p) != 0 else -1


def point_in_polygon_steps(q: Point, vertices, *, method: str = "ray"):
    """Ray casting, one edge at a time: which edges the ray to the right crosses."""
    p = list(map(tuple, as_polygon(vertices).tolist()))
    q = (float(q[0]), float(q[1]))
    far = max(v[0] for v in p) + 1.0 + abs(q[0])
    ray = lines([(q, (max(far, q[0] + 1.0), q[1]))], "muted", 1)
    crossings = 0
    w = 0
    outline = path(p, "result", closed=True)
    for i in range(len(p)):
        a, b = p[i], p[(i + 1) % len(p)]
        edge = lines([(a, b)], "active", 3)
        if on_segment(q, a, b):
            yield Step("q lies on edge {i}: on the boundary.", (outline, edge, dots([q], "active", 6)), i=i)
            return 0
        if method == "ray":
            if (a[1] > q[1]) != (b[1] > q[1]):
                x = a[0] + (q[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
                if q[0] < x:
                    crossings += 1
                    yield Step("Edge {i} crosses the ray at x = {x:.4g}: {crossings} crossing(s) so far.",
                               (outline, ray, edge, dots([(x, q[1])], "rejected", 5), dots([q], "active", 6)),
                               i=i, x=x, crossings=crossings)
                    continue
            yield Step("Edge {i} does not cross the ray.", (outline, ray, edge, dots([q], "active", 6)), i=i)
        else:
            if a[1] <= q[1] < b[1] and ROBUST.orient(a, b, q) > 0:
                w += 1
            elif b[1] <= q[1] < a[1] and ROBUST.orient(a, b, q) < 0:
                w -= 1
            yield Step("Edge {i}: winding number so far {w}.", (outline, ray, edge, dots([q], "active", 6)), i=i, w=w)
    result = (1 if crossings % 2 else -1) if method == "ray" else (1 if w else -1)
    ending = ("q is {side}: {crossings} crossings (odd = inside)." if method == "ray"
              else "q is {side}: winding number {w}.")
    yield Step(ending, (path(p, "result", closed=True, fill=result > 0), dots([q], "active", 6)),
               side="inside" if result > 0 else "outside", crossings=crossings, w=w)
    return result


def lattice_points(vertices) -> tuple[int, int]:
    """(interior, boundary) lattice points of a polygon with integer vertices, by Pick's theorem."""
    p = as_polygon(vertices)
    if not np.all(p == np.round(p)):
        raise InputError("Pick's theorem needs integer (lattice) vertices; snap the polygon to the lattice.")
    if not is_simple(p):
        raise InputError("Pick's theorem needs a simple polygon; this one crosses itself.")
    q = [(int(x), int(y)) for x, y in p.tolist()]
    n = len(q)
    boundary = sum(math.gcd(abs(q[(i + 1) % n][0] - q[i][0]), abs(q[(i + 1) % n][1] - q[i][1])) for i in range(n))
    twice_area = abs(sum(q[i][0] * q[(i + 1) % n][1] - q[(i + 1) % n][0] * q[i][1] for i in range(n)))
    # A = I + B/2 - 1  =>  I = (2A - B + 2) / 2
    interior = (twice_area - boundary + 2) // 2
    return interior, boundary
