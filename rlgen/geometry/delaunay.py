"""Delaunay triangulation by Bowyer–Watson, and the Voronoi diagram as its dual.

Insert the points one at a time. The triangles whose circumcircle strictly contains the new point p (the
"cavity", found by a walk to p and a search across edges) are removed, and p is joined to every edge of
the cavity's boundary. in-circle(a, b, c, d) = det[[a−d, |a−d|²], [b−d, |b−d|²], [c−d, |c−d|²]] > 0.

The hull is handled with ghost triangles (Shewchuk): each hull edge ab carries a triangle (a, b, ∞) whose
"circle" is the open half-plane outside ab, plus the open segment ab itself. So there is no super-triangle
whose finite corners could cut hull triangles away. Predicates are adaptive-exact, so cocircular and
collinear inputs (lattices, circles) give a valid Delaunay triangulation. Points are inserted along a Hilbert
curve, which keeps the walks short.

:func:`delaunay` runs the same algorithm compiled (:mod:`rlgen.geometry.bowyer_watson`); the generator here
is the animated, pure-Python version for small inputs.

Voronoi: each triangle's circumcentre is a Voronoi vertex; two triangles sharing an edge give a Voronoi
edge, a hull edge gives a ray from its triangle's circumcentre, outward and perpendicular to the edge.
"""

from __future__ import annotations

import numpy as np

from rlgen.geometry.bowyer_watson import delaunay_triangles
from rlgen.geometry.expansions import SAFE_RANGE
from rlgen.geometry.hull import as_points
from rlgen.geometry.predicates import incircle_adaptive, orient_adaptive
from rlgen.geometry.steps import Step, dots, final, lines, path

GHOST = -1


def hilbert_order(points: np.ndarray, bits: int = 16) -> np.ndarray:
    """Indices sorting the points along a Hilbert curve over their bounding box."""
    lo = points.min(axis=0)
    span = np.maximum(points.max(axis=0) - lo, 1e-300)
    side = (1 << bits) - 1
    x = ((points[:, 0] - lo[0]) / span[0] * side).astype(np.int64)
    y = ((points[:, 1] - lo[1]) / span[1] * side).astype(np.int64)
    d = np.zeros(len(points), dtype=np.int64)
    s = 1 << (bits - 1)
    while s > 0:
        rx = (x & s) > 0
        ry = (y & s) > 0
        d += s * s * ((3 * rx) ^ ry)
        # Rotate the quadrant so the curve's pieces join up.
        flip = ~ry
        swap_x = np.where(flip & rx, side - x, x)
        swap_y = np.where(flip & rx, side - y, y)
        x, y = np.where(flip, swap_y, swap_x), np.where(flip, swap_x, swap_y)
        s >>= 1
    return np.argsort(d, kind="stable")


class _Triangulation:
    """Triangles stored by directed edge: apex[(u, v)] = w for each counter-clockwise triangle (u, v, w)."""

    def __init__(self, pts: list[tuple[float, float]]):
        self.pts = pts
        self.apex: dict[tuple[int, int], int] = {}
        self.last: tuple[int, int, int] | None = None

    def add(self, u: int, v: int, w: int) -> None:
        self.apex[(u, v)] = w
        self.apex[(v, w)] = u
        self.apex[(w, u)] = v

    def remove(self, t: tuple[int, int, int]) -> None:
        u, v, w = t
        del self.apex[(u, v)], self.apex[(v, w)], self.apex[(w, u)]

    def conflicts(self, t: tuple[int, int, int], p: tuple[float, float]) -> bool:
        """p lies strictly inside t's circumcircle (for a ghost: strictly outside its hull edge, or on the
        open edge)."""
        if GHOST not in t:
            return incircle_adaptive(self.pts[t[0]], self.pts[t[1]], self.pts[t[2]], p) > 0
        k = t.index(GHOST)
        a, b = self.pts[t[(k + 1) % 3]], self.pts[t[(k + 2) % 3]]
        turn = orient_adaptive(a, b, p)
        if turn != 0:
            return turn > 0
        return min(a, b) < p < max(a, b)  # collinear: strictly between the two ends, lexicographically

    def locate(self, p: tuple[float, float], start: tuple[int, int, int]) -> tuple[int, int, int] | None:
        """Walk from ``start`` to a triangle whose circle contains p; None if p is already a vertex."""
        u, v, w = start
        for _ in range(4 * len(self.apex) + 10):
            for a, b in ((u, v), (v, w), (w, u)):
                if orient_adaptive(self.pts[a], self.pts[b], p) < 0:
                    c = self.apex[(b, a)]
                    if c == GHOST:
                        return (b, a, GHOST)
                    u, v, w = b, a, c
                    break
            else:
                if p in (self.pts[u], self.pts[v], self.pts[w]):
                    return None
                return (u, v, w)
        raise RuntimeError("point location did not terminate")  # pragma: no cover

    def insert(self, i: int):
        """Insert point i; returns (cavity triangles, new triangles), or None for a duplicate point."""
        p = self.pts[i]
        seed = self.locate(p, self.last)
        if seed is None:
            return None
        cavity = {_canonical(seed)}
        stack = [seed]
        boundary = []
        while stack:
            t = stack.pop()
            for a, b in ((t[0], t[1]), (t[1], t[2]), (t[2], t[0])):
                neighbour = (b, a, self.apex[(b, a)])
                if _canonical(neighbour) in cavity:
                    continue
                if self.conflicts(neighbour, p):  # depends on p only, so each neighbour is decided once
                    cavity.add(_canonical(neighbour))
                    stack.append(neighbour)
                else:
                    boundary.append((a, b))
        for t in cavity:
            self.remove(t)
        created = []
        for a, b in boundary:
            self.add(a, b, i)
            created.append((a, b, i))
            if GHOST not in (a, b):
                self.last = (a, b, i)
        return cavity, created

    def triangles(self) -> list[tuple[int, int, int]]:
        return _listed(self.apex)


def _listed(apex: dict[tuple[int, int], int]) -> list[tuple[int, int, int]]:
    """Each real triangle once, as the rotation that starts at its smallest index."""
    return [(u, v, w) for (u, v), w in apex.items() if u < v and u < w and u != GHOST]


def _canonical(t: tuple[int, int, int]) -> tuple[int, int, int]:
    k = t.index(min(t))
    return t[k:] + t[:k]


def delaunay_steps(points, stride: int = 1):
    """Bowyer–Watson, one step per inserted point (or per ``stride`` points, for long animations)."""
    p = as_points(points)
    pts = list(map(tuple, p.tolist()))
    n = len(pts)
    if n < 3:
        yield Step("{n} point(s): no triangle can be formed.", (dots(pts, "result"),), n=n)
        return np.zeros((0, 3), dtype=int)
    order = [int(k) for k in hilbert_order(p)]
    i0 = order[0]
    i1 = next((k for k in order if pts[k] != pts[i0]), None)
    i2 = None if i1 is None else next((k for k in order if orient_adaptive(pts[i0], pts[i1], pts[k]) != 0), None)
    if i2 is None:
        yield Step("All points are collinear (or equal): a Delaunay triangulation has no triangles.",
                   (dots(pts, "rejected"),))
        return np.zeros((0, 3), dtype=int)
    if orient_adaptive(pts[i0], pts[i1], pts[i2]) < 0:
        i1, i2 = i2, i1
    tri = _Triangulation(pts)
    tri.add(i0, i1, i2)
    for a, b in ((i0, i1), (i1, i2), (i2, i0)):
        tri.add(b, a, GHOST)
    tri.last = (i0, i1, i2)
    yield Step("Start from a first triangle of three non-collinear points; hull edges get ghost triangles.",
               (path([pts[i0], pts[i1], pts[i2]], "candidate", closed=True, fill=True),))
    duplicates = 0
    for count, i in enumerate((k for k in order if k not in (i0, i1, i2)), start=4):
        result = tri.insert(i)
        if result is None:
            duplicates += 1
            continue
        if count % stride and count != n:
            continue
        cavity, created = result
        snapshot = dict(tri.apex)  # a C-level copy; the triangles are listed only if this step is drawn
        real_cavity = [t for t in cavity if GHOST not in t]
        yield Step(
            "Insert point {i} ({count}/{n}): {cavity} triangle(s) have it inside their circumcircle (ghosts "
            "included); re-fan the cavity with {created} new ones.",
            lambda snapshot=snapshot, real_cavity=real_cavity, created=created, i=i: (
                lines(_edges(pts, _listed(snapshot)), "muted", 1),
                *(path([pts[v] for v in t], "rejected", closed=True, width=2) for t in real_cavity),
                *(path([pts[v] for v in t], "active", closed=True, width=2) for t in created if GHOST not in t),
                dots([pts[i]], "active", 6),
            ),
            i=i, count=count, n=n, cavity=len(cavity), created=len(created),
        )
    triangles = np.array(sorted(tri.triangles()), dtype=int).reshape(-1, 3)
    done = ("Delaunay triangulation: {n} triangles ({duplicates} duplicate point(s) skipped)." if duplicates
            else "Delaunay triangulation: {n} triangles.")
    yield Step(done, (lines(_edges(pts, triangles.tolist()), "result", 1),), n=len(triangles), duplicates=duplicates)
    return triangles


def _edges(pts, triangles) -> list:
    seen = set()
    for a, b, c in triangles:
        for u, v in ((a, b), (b, c), (c, a)):
            seen.add((min(u, v), max(u, v)))
    return [(pts[u], pts[v]) for u, v in seen]


def delaunay(points) -> np.ndarray:
    """(m, 3) counter-clockwise triangle indices of a Delaunay triangulation (a duplicated point is named by
    one of its indices; collinear input gives no triangles). Compiled (:mod:`rlgen.geometry.bowyer_watson`)
    when every non-zero coordinate lies in its exact range, else the animated version in rationals."""
    p = as_points(points)
    magnitudes = np.abs(p[p != 0])
    low, high = SAFE_RANGE
    if len(magnitudes) == 0 or (magnitudes.min() >= low and magnitudes.max() <= high):
        return delaunay_triangles(p)
    return final(delaunay_steps(p, stride=max(1, len(p))))


def circumcenters(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    a, b, c = (points[triangles[:, k]] for k in range(3))
    bx, by = (b - a).T
    cx, cy = (c - a).T
    d = 2.0 * (bx * cy - by * cx)
    b2, c2 = bx * bx + by * by, cx * cx + cy * cy
    return np.column_stack((a[:, 0] + (cy * b2 - by * c2) / d, a[:, 1] + (bx * c2 - cx * b2) / d))


def voronoi(points) -> dict:
    """The Voronoi diagram: ``vertices`` (k, 2) circumcentres, ``edges`` (e, 2) pairs of vertex indices,
    ``rays`` (r, 2) vertex index + ``directions`` (r, 2) unit outward directions, one per hull edge, and
    ``ridge_points`` (e + r, 2): the two input points each edge or ray separates."""
    p = as_points(points)
    triangles = delaunay(p)
    centres = circumcenters(p, triangles) if len(triangles) else np.zeros((0, 2))
    owner = {}
    for t, (a, b, c) in enumerate(triangles.tolist()):
        for u, v in ((a, b), (b, c), (c, a)):
            owner[(u, v)] = t
    edges, rays, directions, ridges_edges, ridges_rays = [], [], [], [], []
    for (u, v), t in owner.items():
        other = owner.get((v, u))
        if other is not None:
            if u < v:
                edges.append((t, other))
                ridges_edges.append((u, v))
        else:
            d = p[v] - p[u]
            normal = np.array([d[1], -d[0]]) / np.hypot(*d)  # right of u→v: outside the hull
            rays.append(t)
            directions.append(normal)
            ridges_rays.append((u, v))
    return {
        "vertices": centres,
        "edges": np.array(edges, dtype=int).reshape(-1, 2),
        "rays": np.array(rays, dtype=int),
        "directions": np.array(directions, dtype=float).reshape(-1, 2),
        "ridge_points": np.array(ridges_edges + ridges_rays, dtype=int).reshape(-1, 2),
        "triangles": triangles,
    }


def voronoi_steps(points):
    """The Delaunay steps, then the dual: circumcentres joined across shared edges, rays at the hull."""
    triangles = yield from delaunay_steps(points, stride=max(1, len(np.asarray(points)) // 150))
    p = as_points(points)
    if len(triangles) == 0:
        yield Step("No triangles, so no Voronoi vertices: the cells are slabs between parallel bisectors.", ())
        return None
    diagram = voronoi(p)
    v = diagram["vertices"]
    span = float(np.ptp(p, axis=0).max()) or 1.0
    far = [(tuple(v[t]), tuple(v[t] + 10 * span * d)) for t, d in zip(diagram["rays"], diagram["directions"])]
    finite = [(tuple(v[a]), tuple(v[b])) for a, b in diagram["edges"]]
    yield Step("Voronoi diagram: {vertices} vertices (circumcentres), {edges} edges, {rays} rays.",
               (lines(_edges(list(map(tuple, p.tolist())), triangles.tolist()), "muted", 1),
                lines(finite + far, "accent", 2), dots(v, "accent", 2)),
               vertices=len(v), edges=len(finite), rays=len(far))
    return diagram
