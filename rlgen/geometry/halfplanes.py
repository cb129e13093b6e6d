"""Half-plane intersection (sort by angle + deque) and the Minkowski sum of convex polygons.

A half-plane is a directed line p → q and everything on its left: orient(p, q, x) >= 0. Sort the lines by
the angle of q − p (of two parallel ones keep the inner); push each onto a deque, first popping from the
back while the intersection of the last two lies outside the new line, then from the front likewise; at the
end trim the back against the front. Consecutive lines of the deque meet at the polygon's vertices. Every
intersection point and test is computed in exact rationals, so the answer's combinatorics are exact.

Minkowski sum A ⊕ B = {a + b}: for convex A and B, start at both lowest points and merge the two edge
sequences by polar angle (a merge of two sorted lists), O(|A| + |B|).
"""

from __future__ import annotations

import math
from collections import deque
from fractions import Fraction
from functools import cmp_to_key

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.hull import as_points, convex_hull
from rlgen.geometry.predicates import sign
from rlgen.geometry.steps import Step, dots, final, lines, path

Line = tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]


def _half(v) -> int:
    return 0 if v[1] > 0 or (v[1] == 0 and v[0] > 0) else 1


def _direction(line: Line):
    (px, py), (qx, qy) = line
    return (qx - px, qy - py)


def _cross(u, v):
    return u[0] * v[1] - u[1] * v[0]


def _compare_angle(l1: Line, l2: Line) -> int:
    u, v = _direction(l1), _direction(l2)
    if _half(u) != _half(v):
        return _half(u) - _half(v)
    return -sign(_cross(u, v))


def _side(line: Line, point) -> int:
    """+1 left of the line (inside), 0 on it, -1 right (outside)."""
    (px, py), _ = line
    return sign(_cross(_direction(line), (point[0] - px, point[1] - py)))


def _meet(l1: Line, l2: Line):
    (px, py), _ = l1
    (rx, ry), _ = l2
    u, v = _direction(l1), _direction(l2)
    t = _cross((rx - px, ry - py), v) / _cross(u, v)
    return (px + t * u[0], py + t * u[1])


def _as_lines(halfplanes) -> list[Line]:
    array = np.asarray(halfplanes, dtype=float)
    if array.size == 0:
        return []
    if array.ndim != 3 or array.shape[1:] != (2, 2):
        raise InputError("Half-planes must be an (m, 2, 2) array of directed lines p -> q (got {shape}).",
                         shape=array.shape)
    if not np.isfinite(array).all():
        raise InputError("A half-plane has a NaN or an infinite coordinate.")
    result = []
    for (px, py), (qx, qy) in array.tolist():
        if (px, py) == (qx, qy):
            raise InputError("A half-plane's two points coincide; click two different points for its line.")
        result.append(((Fraction(px), Fraction(py)), (Fraction(qx), Fraction(qy))))
    return result


def box_halfplanes(xmin: float, ymin: float, xmax: float, ymax: float) -> list:
    """The four half-planes whose intersection is the box, counter-clockwise."""
    return [((xmin, ymin), (xmax, ymin)), ((xmax, ymin), (xmax, ymax)), ((xmax, ymax), (xmin, ymax)),
            ((xmin, ymax), (xmin, ymin))]


def _shown(line: Line):
    """A half-plane's boundary line, drawn far past the canvas."""
    (px, py), (qx, qy) = line
    dx, dy = float(qx - px), float(qy - py)
    return ((float(px) - 1e4 * dx, float(py) - 1e4 * dy), (float(px) + 1e4 * dx, float(py) + 1e4 * dy))


def _drop_cut_off(dq: deque, line: Line, keep: int, *, back_only: bool = False, front_only: bool = False) -> None:
    """Pop from the back, then the front, of the deque every line whose corner with its neighbour lies outside
    ``line``, while more than ``keep`` - 1 lines remain."""
    if not front_only:
        while len(dq) >= keep and _side(line, _meet(dq[-1], dq[-2])) < 0:
            dq.pop()
    if not back_only:
        while len(dq) >= keep and _side(line, _meet(dq[0], dq[1])) < 0:
            dq.popleft()


def _distinct_corners(dq: deque) -> list:
    """The corners of consecutive lines around the deque, repeated corners merged."""
    polygon = []
    for v in (_meet(dq[k], dq[(k + 1) % len(dq)]) for k in range(len(dq))):
        if not polygon or v != polygon[-1]:
            polygon.append(v)
    if len(polygon) > 1 and polygon[0] == polygon[-1]:
        polygon.pop()
    return polygon


def half_plane_intersection_steps(halfplanes, box=None):
    """``box`` = (xmin, ymin, xmax, ymax) adds four bounding half-planes so the answer is a bounded polygon."""
    user = _as_lines(halfplanes)
    if box is not None:
        user += _as_lines(box_halfplanes(*box))
    if len(user) < 3:
        raise InputError("Half-plane intersection needs at least 3 half-planes (or a bounding box).")
    ordered = sorted(user, key=cmp_to_key(_compare_angle))
    show = _shown
    dq: deque[Line] = deque()
    for line in ordered:
        _drop_cut_off(dq, line, 2)
        if dq and _cross(_direction(line), _direction(dq[-1])) == 0:
            u, v = _direction(line), _direction(dq[-1])
            if u[0] * v[0] + u[1] * v[1] < 0:
                yield Step("Two opposite half-planes leave nothing between them: the intersection is empty.",
                           (lines([show(line), show(dq[-1])], "rejected", 2),))
                return np.zeros((0, 2))
            if _side(line, dq[-1][0]) >= 0:
                continue  # same direction, and the one already kept is the inner one
            dq.pop()
        dq.append(line)
        corners = [_meet(dq[k], dq[k + 1]) for k in range(len(dq) - 1)]
        angle = math.degrees(math.atan2(float(_direction(line)[1]), float(_direction(line)[0])))
        yield Step("Add the half-plane at angle {angle:.1f}°; the deque holds {n}.",
                   (lines([show(dq_line) for dq_line in dq], "muted"), lines([show(line)], "active", 2),
                    path([(float(x), float(y)) for x, y in corners], "candidate", width=3)), angle=angle, n=len(dq))
    _drop_cut_off(dq, dq[0], 3, back_only=True)
    if len(dq) >= 3:
        _drop_cut_off(dq, dq[-1], 3, front_only=True)
    if len(dq) < 3:
        yield Step("Fewer than three half-planes survive: the intersection is empty.", ())
        return np.zeros((0, 2))
    polygon = _distinct_corners(dq)
    result = np.array([(float(x), float(y)) for x, y in polygon], dtype=float).reshape(-1, 2)
    if len(result) < 3:
        yield Step("The half-planes meet in a point or a segment only: zero area.", (dots(result, "result"),))
        return result
    area = abs(np.dot(result[:, 0], np.roll(result[:, 1], -1)) - np.dot(np.roll(result[:, 0], -1), result[:, 1])) / 2
    yield Step("Intersection: a convex polygon with {n} vertices, area {area:.6g}.",
               (path(result, "result", closed=True, fill=True, width=3),), n=len(result), area=area)
    return result


def half_plane_intersection(halfplanes, box=None) -> np.ndarray:
    """Vertices (counter-clockwise) of the intersection of the left sides of the directed lines; (0, 2)
    when it is empty. Pass ``box`` when the half-planes alone may leave an unbounded region."""
    return final(half_plane_intersection_steps(halfplanes, box))


def _lowest_first(polygon: np.ndarray) -> np.ndarray:
    start = int(np.lexsort((polygon[:, 0], polygon[:, 1]))[0])
    return np.roll(polygon, -start, axis=0)


def minkowski_sum_steps(a, b):
    """A ⊕ B for the convex hulls of a and b; one step per merged edge."""
    pa, pb = as_points(a, name="first polygon"), as_points(b, name="second polygon")
    if len(pa) == 0 or len(pb) == 0:
        raise InputError("The Minkowski sum needs two non-empty point sets.")
    ha, hb = _lowest_first(convex_hull(pa)), _lowest_first(convex_hull(pb))
    ea = [tuple(v) for v in (np.roll(ha, -1, axis=0) - ha).tolist()] if len(ha) > 1 else []
    eb = [tuple(v) for v in (np.roll(hb, -1, axis=0) - hb).tolist()] if len(hb) > 1 else []
    current = tuple((ha[0] + hb[0]).tolist())
    vertices = [current]
    i = j = 0
    while i < len(ea) or j < len(eb):
        if j == len(eb) or (i < len(ea) and _compare_angle(((0, 0), ea[i]), ((0, 0), eb[j])) <= 0):
            edge, i, source = ea[i], i + 1, "A"
        else:
            edge, j, source = eb[j], j + 1, "B"
        current = (current[0] + edge[0], current[1] + edge[1])
        vertices.append(current)
        yield Step("Next edge by polar angle comes from {source}.",
                   (path(ha, "muted", closed=True), path(hb, "muted", closed=True), path(vertices, "accent", width=3)),
                   source=source)
    result = convex_hull(np.array(vertices[:-1] if len(vertices) > 1 else vertices))
    yield Step("A ⊕ B: {n} vertices (at most |A| + |B| = {most}).",
               (path(ha, "muted", closed=True), path(hb, "muted", closed=True),
                path(result, "accent", closed=True, fill=True, width=3)), n=len(result), most=len(ha) + len(hb))
    return result


def minkowski_sum(a, b) -> np.ndarray:
    """Vertices (counter-clockwise, no collinear ones) of conv(a) ⊕ conv(b)."""
    return final(minkowski_sum_steps(a, b))
