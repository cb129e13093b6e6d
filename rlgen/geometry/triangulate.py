"""Ear-clipping triangulation of a simple polygon, O(n²) with the reflex-vertex test.

An ear is a convex vertex b (orient(a, b, c) > 0 for its neighbours a, c in counter-clockwise order) whose
triangle abc holds no other vertex; only reflex vertices can lie inside, so only they are tested. Every
simple polygon with n > 3 vertices has at least two ears (Meisters' two-ears theorem); cutting one leaves a
simple polygon with n − 1 vertices, so n − 2 triangles result.
"""

from __future__ import annotations

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.polygons import as_polygon, find_self_intersection, signed_area
from rlgen.geometry.predicates import ROBUST
from rlgen.geometry.steps import Step, final, path


def _in_triangle(p, a, b, c) -> bool:
    return ROBUST.orient(a, b, p) >= 0 and ROBUST.orient(b, c, p) >= 0 and ROBUST.orient(c, a, p) >= 0


def _simple_polygon(vertices) -> np.ndarray:
    """The vertices as a polygon array, refused unless simple and of non-zero area."""
    poly = as_polygon(vertices)
    crossing = find_self_intersection(poly)
    if crossing is not None:
        i, j = crossing
        raise InputError("Ear clipping needs a simple polygon, but edges {i} and {j} cross or touch "
                         "(or a vertex repeats). Undo the last vertices or start a new polygon.", i=i, j=j)
    if signed_area(poly) == 0:
        raise InputError("The polygon has zero area (all its vertices are collinear).")
    return poly


def ear_clipping_steps(vertices):
    poly = _simple_polygon(vertices)
    pts = list(map(tuple, poly.tolist()))
    ring = list(range(len(pts)))
    if signed_area(poly) < 0:
        ring.reverse()  # work counter-clockwise
    triangles: list[tuple[int, int, int]] = []
    outline = path(pts, "muted", closed=True)

    def drawn():
        return tuple(path([pts[a], pts[b], pts[c]], "candidate", closed=True, width=1, fill=True)
                     for a, b, c in triangles)

    while len(ring) > 3:
        m = len(ring)
        reflex = {ring[k] for k in range(m)
                  if ROBUST.orient(pts[ring[k - 1]], pts[ring[k]], pts[ring[(k + 1) % m]]) < 0}
        for k in range(m):
            a, b, c = ring[k - 1], ring[k], ring[(k + 1) % m]
            turn = ROBUST.orient(pts[a], pts[b], pts[c])
            if turn == 0:
                ring.pop(k)
                yield Step("Vertex {b} lies on the segment between its neighbours: drop it (no area).",
                           (outline, *drawn(), path([pts[a], pts[b], pts[c]], "rejected", width=3)), b=b)
                break
            if turn < 0:
                continue
            blocker = next((v for v in reflex if v not in (a, b, c) and _in_triangle(pts[v], pts[a], pts[b], pts[c])),
                           None)
            if blocker is not None:
                continue
            triangles.append((a, b, c))
            ring.pop(k)
            yield Step("Vertex {b} is an ear (convex, no reflex vertex inside): cut triangle ({a}, {b}, {c}); "
                       "{left} vertices left.",
                       (outline, *drawn(), path([pts[a], pts[b], pts[c]], "active", closed=True, width=3)),
                       a=a, b=b, c=c, left=len(ring))
            break
        else:  # pragma: no cover - the two-ears theorem says this cannot happen for a simple polygon
            raise InputError("No ear found: the polygon is not simple.")
    if ROBUST.orient(*(pts[v] for v in ring)) != 0:
        triangles.append(tuple(ring))
    yield Step("Done: {triangles} triangles (n − 2 for n = {n} non-degenerate vertices).",
               (*drawn(), path(pts, "result", closed=True, width=2)), triangles=len(triangles), n=len(triangles) + 2)
    return np.array(triangles, dtype=int).reshape(-1, 3)


def ear_clipping(vertices) -> np.ndarray:
    """(n − 2, 3) vertex indices of a triangulation of a simple polygon, each triangle counter-clockwise."""
    return final(ear_clipping_steps(vertices))
