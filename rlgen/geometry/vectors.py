"""Vectors, lines and segments: the vocabulary every other module speaks.

Points and vectors are pairs (x, y). A line is given by two distinct points on it; a segment by its two
endpoints. dot(u, v) = |u||v| cos θ, cross(u, v) = u_x v_y - u_y v_x = |u||v| sin θ (signed area of the
parallelogram), rotation by θ: (x cos θ - y sin θ, x sin θ + y cos θ).
"""

from __future__ import annotations

import math

from rlgen.errors import InputError
from rlgen.geometry.predicates import ROBUST, Point, Predicates


def sub(p: Point, q: Point) -> Point:
    return (p[0] - q[0], p[1] - q[1])


def dot(u: Point, v: Point) -> float:
    return u[0] * v[0] + u[1] * v[1]


def cross(u: Point, v: Point) -> float:
    return u[0] * v[1] - u[1] * v[0]


def length(u: Point) -> float:
    return math.hypot(u[0], u[1])


def distance(p: Point, q: Point) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def angle(u: Point, v: Point | None = None) -> float:
    """The direction of u in radians, (-π, π]; with v, the signed angle from u to v (atan2 of cross, dot)."""
    if v is None:
        return math.atan2(u[1], u[0])
    return math.atan2(cross(u, v), dot(u, v))


def rotate(u: Point, theta: float, about: Point = (0.0, 0.0)) -> Point:
    x, y = u[0] - about[0], u[1] - about[1]
    c, s = math.cos(theta), math.sin(theta)
    return (about[0] + x * c - y * s, about[1] + x * s + y * c)


def project(p: Point, a: Point, b: Point) -> Point:
    """The orthogonal projection of p onto the line through a and b: a + ((p-a)·d / d·d) d."""
    d = sub(b, a)
    dd = dot(d, d)
    if dd == 0:
        raise InputError("The line's two points coincide; a line needs two distinct points.")
    t = dot(sub(p, a), d) / dd
    return (a[0] + t * d[0], a[1] + t * d[1])


def are_parallel(a: Point, b: Point, c: Point, d: Point, pred: Predicates = ROBUST) -> bool:
    """Lines ab and cd are parallel (or the same line): (b - a) x (d - c) = 0, decided by ``pred``."""
    return pred.orient((0.0, 0.0), sub(b, a), sub(d, c)) == 0


def are_collinear(a: Point, b: Point, c: Point, pred: Predicates = ROBUST) -> bool:
    return pred.orient(a, b, c) == 0


def line_intersection(a: Point, b: Point, c: Point, d: Point) -> Point | None:
    """Where line ab meets line cd: a + t (b - a) with t = (c - a) x (d - c) / ((b - a) x (d - c));
    None for parallel lines."""
    r, s = sub(b, a), sub(d, c)
    denom = cross(r, s)
    if denom == 0:
        return None
    t = cross(sub(c, a), s) / denom
    return (a[0] + t * r[0], a[1] + t * r[1])


def on_segment(p: Point, a: Point, b: Point, pred: Predicates = ROBUST) -> bool:
    """p lies on the closed segment ab."""
    return (
        pred.orient(a, b, p) == 0
        and min(a[0], b[0]) <= p[0] <= max(a[0], b[0])
        and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])
    )


def segments_intersect(a: Point, b: Point, c: Point, d: Point, pred: Predicates = ROBUST) -> bool:
    """Closed segments ab and cd share at least one point (touching and overlapping count)."""
    d1, d2 = pred.orient(c, d, a), pred.orient(c, d, b)
    d3, d4 = pred.orient(a, b, c), pred.orient(a, b, d)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return True
    return (
        (d1 == 0 and on_segment(a, c, d, pred))
        or (d2 == 0 and on_segment(b, c, d, pred))
        or (d3 == 0 and on_segment(c, a, b, pred))
        or (d4 == 0 and on_segment(d, a, b, pred))
    )


def segment_intersection(a: Point, b: Point, c: Point, d: Point, pred: Predicates = ROBUST) -> Point | None:
    """One common point of closed segments ab and cd (for an overlap, the overlap's first endpoint along
    ab), or None."""
    if not segments_intersect(a, b, c, d, pred):
        return None
    point = line_intersection(a, b, c, d)
    if point is not None:
        return point
    # Collinear overlap: of the four endpoints, those on both segments; the one nearest a.
    shared = [p for p in (a, b, c, d) if on_segment(p, a, b, pred) and on_segment(p, c, d, pred)]
    return min(shared, key=lambda p: distance(p, a))


def point_segment_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the closed segment ab: to the projection if it falls inside, else to an end."""
    d = sub(b, a)
    dd = dot(d, d)
    if dd == 0:
        return distance(p, a)
    t = max(0.0, min(1.0, dot(sub(p, a), d) / dd))
    return distance(p, (a[0] + t * d[0], a[1] + t * d[1]))


def point_line_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the line through a and b: |(b - a) x (p - a)| / |b - a|."""
    d = sub(b, a)
    n = length(d)
    if n == 0:
        raise InputError("The line's two points coincide; a line needs two distinct points.")
    return abs(cross(d, sub(p, a))) / n
