"""Convex hull: Andrew's monotone chain, Graham scan, and a vectorized front end for millions of points.

Monotone chain: sort by (x, y); sweep left to right keeping a stack whose last two points and the new one
must turn left, orient(s[-2], s[-1], p) > 0, else pop; the lower and upper chains joined are the hull.
Graham scan: sort by polar angle around the lowest point, then the same stack rule. Both run in O(n log n).
With ``keep_collinear`` the pop test becomes orient < 0, so points on hull edges stay on the hull.

:func:`convex_hull` first throws away the points strictly inside the octagon of the eight extreme points
(Akl–Toussaint), tested with comparisons and filtered exact orientation only, then runs the exact monotone
chain on the survivors: on 10^6 random points a few thousand remain.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cmp_to_key

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.predicates import ROBUST, Predicates, orient_adaptive, orient_many
from rlgen.geometry.steps import Step, dots, path

Point = tuple[float, float]


def as_points(points, *, name: str = "points") -> np.ndarray:
    """An (n, 2) float array of finite coordinates, or a ValueError a person can act on."""
    array = np.asarray(points, dtype=float)
    if array.size == 0:
        return np.zeros((0, 2))
    if array.ndim != 2 or array.shape[1] != 2:
        raise InputError("The {name} must be an (n, 2) array of x, y pairs (got shape {shape}).",
                         name=name, shape=array.shape)
    if not np.isfinite(array).all():
        raise InputError("The {name} contain a NaN or an infinite coordinate.", name=name)
    return array


def _chain(points: list[Point], orient, keep_collinear: bool) -> list[Point]:
    stack: list[Point] = []
    for p in points:
        while len(stack) >= 2:
            turn = orient(stack[-2], stack[-1], p)
            if turn < 0 or (turn == 0 and not keep_collinear):
                stack.pop()
            else:
                break
        stack.append(p)
    return stack


def _join(lower: list[Point], upper: list[Point], keep_collinear: bool, unique: list[Point]) -> list[Point]:
    hull = lower[:-1] + upper[:-1]
    if keep_collinear and len(hull) == 2 * len(unique) - 2 and len(unique) > 2:
        # All points collinear: each chain walked the whole line; the line once, both ends included.
        return unique
    return hull


def monotone_chain(points, *, keep_collinear: bool = False, pred: Predicates = ROBUST) -> np.ndarray:
    """Andrew's monotone chain: hull vertices counter-clockwise from the lowest-leftmost point."""
    unique = sorted(set(map(tuple, as_points(points).tolist())))
    if len(unique) <= 2:
        return np.array(unique, dtype=float).reshape(-1, 2)
    lower = _chain(unique, pred.orient, keep_collinear)
    upper = _chain(unique[::-1], pred.orient, keep_collinear)
    return np.array(_join(lower, upper, keep_collinear, unique), dtype=float)


def _graham_order(unique: list[Point], pred: Predicates, keep_collinear: bool) -> list[Point]:
    pivot = min(unique, key=lambda p: (p[1], p[0]))
    rest = [p for p in unique if p != pivot]

    def by_angle(p: Point, q: Point) -> int:
        turn = pred.orient(pivot, p, q)
        if turn:
            return -turn
        # Same ray from the pivot: nearer first.
        dp = (p[0] - pivot[0]) ** 2 + (p[1] - pivot[1]) ** 2
        dq = (q[0] - pivot[0]) ** 2 + (q[1] - pivot[1]) ** 2
        return (dp > dq) - (dp < dq)

    rest.sort(key=cmp_to_key(by_angle))
    if keep_collinear and rest:
        # The last ray's points must come farthest-first, so that the scan closes back along that edge.
        k = len(rest) - 1
        while k > 0 and pred.orient(pivot, rest[k - 1], rest[-1]) == 0:
            k -= 1
        if k > 0:
            rest[k:] = rest[k:][::-1]
    return [pivot, *rest]


def graham_scan(points, *, keep_collinear: bool = False, pred: Predicates = ROBUST) -> np.ndarray:
    """Graham scan: sort by angle around the lowest point, then keep left turns only."""
    unique = sorted(set(map(tuple, as_points(points).tolist())))
    if len(unique) <= 2:
        return np.array(unique, dtype=float).reshape(-1, 2)
    stack = _chain(_graham_order(unique, pred, keep_collinear), pred.orient, keep_collinear)
    return np.array(_rotate_to_lowest_left(stack), dtype=float)


def graham_scan_steps(points, *, keep_collinear: bool = False, pred: Predicates = ROBUST) -> Iterator[Step]:
    """Graham scan, one push or pop per step; returns the hull (see :func:`rlgen.geometry.steps.final`)."""
    unique = sorted(set(map(tuple, as_points(points).tolist())))
    if len(unique) <= 2:
        yield Step("{n} distinct point(s): the hull is the points themselves.", (dots(unique, "result"),),
                   n=len(unique))
        return np.array(unique, dtype=float).reshape(-1, 2)
    order = _graham_order(unique, pred, keep_collinear)
    pivot = order[0]
    yield Step(
        "Pivot = lowest point; the others sorted by the angle of (p − pivot), ties nearest first.",
        (path([pivot, *order[1:]], "muted", width=1), dots([pivot], "active", 7)),
    )
    stack: list[Point] = []
    for p in order:
        while len(stack) >= 2:
            turn = pred.orient(stack[-2], stack[-1], p)
            if turn < 0 or (turn == 0 and not keep_collinear):
                popped = stack.pop()
                yield Step(
                    "orient(s[-2], s[-1], p) = {turn:+d}: not a left turn, pop ({x:.4g}, {y:.4g}).",
                    (path(stack + [popped, p], "rejected"), path(stack, "candidate"), dots([p], "active")),
                    turn=turn, x=popped[0], y=popped[1],
                )
            else:
                break
        stack.append(p)
        yield Step("Push; the stack holds {n} point(s).", (path(stack, "candidate"), dots([p], "active")),
                   n=len(stack))
    if keep_collinear and len(stack) == 2 * len(unique) - 2 and len(unique) > 2:
        stack = unique  # every point collinear
    hull = _rotate_to_lowest_left(stack)
    yield Step("Closed the hull: {n} vertices.", (path(hull, "result", closed=True, fill=True),), n=len(hull))
    return np.array(hull, dtype=float)


def monotone_chain_steps(points, *, keep_collinear: bool = False, pred: Predicates = ROBUST) -> Iterator[Step]:
    """Andrew's monotone chain, one push or pop per step; returns the hull."""
    unique = sorted(set(map(tuple, as_points(points).tolist())))
    if len(unique) <= 2:
        yield Step("{n} distinct point(s): the hull is the points themselves.", (dots(unique, "result"),),
                   n=len(unique))
        return np.array(unique, dtype=float).reshape(-1, 2)
    yield Step("Sort by x (then y); sweep left to right for the lower chain, back for the upper.", ())
    chains: list[list[Point]] = []
    for chain, sequence in (("lower chain", unique), ("upper chain", unique[::-1])):
        stack: list[Point] = []
        done = [path(c, "candidate") for c in chains]
        for p in sequence:
            while len(stack) >= 2:
                turn = pred.orient(stack[-2], stack[-1], p)
                if turn < 0 or (turn == 0 and not keep_collinear):
                    popped = stack.pop()
                    yield Step(
                        "{chain}: orient = {turn:+d}, not a left turn — pop ({x:.4g}, {y:.4g}).",
                        (*done, path(stack + [popped, p], "rejected"), path(stack, "candidate"), dots([p], "active")),
                        chain=chain, turn=turn, x=popped[0], y=popped[1],
                    )
                else:
                    break
            stack.append(p)
            yield Step("{chain}: push; {n} on the stack.",
                       (*done, path(stack, "candidate"), dots([p], "active")), chain=chain, n=len(stack))
        chains.append(stack)
    hull = _join(chains[0], chains[1], keep_collinear, unique)
    yield Step("Lower + upper chain = the hull: {n} vertices.",
               (path(hull, "result", closed=True, fill=True),), n=len(hull))
    return np.array(hull, dtype=float)


def _rotate_to_lowest_left(vertices: list[Point]) -> list[Point]:
    start = min(range(len(vertices)), key=lambda i: vertices[i])
    return vertices[start:] + vertices[:start]


_REFINE_DIRECTIONS = 64


def _strictly_inside(polygon: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Rows of q that the orientation filter proves strictly left of every edge of the closed ``polygon``.
    For any closed polygon of input points (convex or not) such a point has winding number >= 1, so it
    lies strictly inside the hull; an uncertain orientation keeps the point."""
    if len(np.unique(polygon, axis=0)) < 3:
        return np.zeros(len(q), dtype=bool)  # a point or a segment has no interior
    inside = np.ones(len(q), dtype=bool)
    for k in range(len(polygon)):
        a, b = polygon[k], polygon[(k + 1) % len(polygon)]
        if a[0] == b[0] and a[1] == b[1]:
            continue
        inside &= orient_many(np.broadcast_to(a, q.shape), np.broadcast_to(b, q.shape), q) > 0
    return inside


def _throw_away(p: np.ndarray) -> np.ndarray:
    """Akl–Toussaint: the points that may be hull vertices (a superset), for an (n, 2) array."""
    x, y = p[:, 0].copy(), p[:, 1].copy()  # contiguous columns: the scans below run ~3x faster
    s, d = x + y, x - y
    # Counter-clockwise: min y, max x−y, max x, max x+y, max y, min x−y, min x, min x+y.
    extremes = np.array([y.argmin(), d.argmax(), x.argmax(), s.argmax(), y.argmax(), d.argmin(), x.argmin(),
                         s.argmin()])
    ex, ey = x[extremes], y[extremes]
    if not (np.isfinite(ex).all() and np.isfinite(ey).all() and np.isfinite(s[extremes]).all()
            and np.isfinite(d[extremes]).all()):
        raise InputError("The points contain a NaN or an infinite coordinate.")
    # An axis-parallel box inside the octagon: its left side right of every vertex of the left chain, and so
    # on. Only comparisons of input coordinates, so "strictly inside the box" is exact.
    left, right = ex[[5, 6, 7]].max(), ex[[1, 2, 3]].min()
    bottom, top = ey[[7, 0, 1]].max(), ey[[3, 4, 5]].min()
    if left < right and bottom < top:
        inside_box = (x > left) & (x < right)
        inside_box &= y > bottom
        inside_box &= y < top
        candidates = np.flatnonzero(~inside_box)
    else:
        candidates = np.arange(len(p))
    q = p[candidates]
    candidates = candidates[~_strictly_inside(p[extremes], q)]
    if len(candidates) > 4 * _REFINE_DIRECTIONS:
        # A second, finer polygon: the extreme survivor in each of 64 directions, counter-clockwise.
        q = p[candidates]
        theta = np.linspace(0.0, 2 * np.pi, _REFINE_DIRECTIONS, endpoint=False)
        best = np.argmax(q @ np.array([np.cos(theta), np.sin(theta)]), axis=0)
        best = best[np.r_[True, best[1:] != best[:-1]]]
        candidates = candidates[~_strictly_inside(q[best], q)]
    return candidates


def convex_hull(points, *, keep_collinear: bool = False) -> np.ndarray:
    """Exact convex hull, vertices counter-clockwise starting at the lowest-leftmost, collinear boundary
    points dropped unless ``keep_collinear``. Degenerate input: no points → (0, 2); all collinear → the two
    ends (or every point on the segment with ``keep_collinear``)."""
    p = np.asarray(points, dtype=float)
    if p.ndim == 2 and p.shape[1] == 2 and len(p) > 64:
        p = p[_throw_away(p)]  # also rejects NaN / inf
    else:
        p = as_points(p)
    if len(p) == 0:
        return p
    order = np.lexsort((p[:, 1], p[:, 0]))
    sorted_points = p[order]
    distinct = np.ones(len(sorted_points), dtype=bool)
    distinct[1:] = np.any(sorted_points[1:] != sorted_points[:-1], axis=1)
    unique = list(map(tuple, sorted_points[distinct].tolist()))
    if len(unique) <= 2:
        return np.array(unique, dtype=float).reshape(-1, 2)
    lower = _chain(unique, orient_adaptive, keep_collinear)
    upper = _chain(unique[::-1], orient_adaptive, keep_collinear)
    return np.array(_join(lower, upper, keep_collinear, unique), dtype=float)


def hull_indices(points, hull: np.ndarray) -> np.ndarray:
    """Indices into ``points`` of the hull vertices (the first occurrence of each)."""
    index = {}
    for i, p in enumerate(map(tuple, as_points(points).tolist())):
        index.setdefault(p, i)
    return np.array([index[tuple(v)] for v in hull.tolist()], dtype=int)
