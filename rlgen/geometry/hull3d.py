"""Convex hull of points in space, incrementally (the 3-D chapter's method), with exact orientation.

3-D vectors: the cross product u × v = (u_y v_z − u_z v_y, u_z v_x − u_x v_z, u_x v_y − u_y v_x) is normal to
u and v with length = the area of their parallelogram; the triple product (b − a) · ((c − a) × (d − a)) is six
times the signed volume of the tetrahedron abcd: orient3d(a, b, c, d) > 0 when d lies on the side of the
counter-clockwise face abc that its normal points to (above it).

Incremental hull: start from a tetrahedron of four non-coplanar points, faces oriented outward. For each
further point p, the faces it sees (orient3d(face, p) > 0) are removed; the edges between a seen and an unseen
face form the *horizon*, and each horizon edge (u, v) gets a new face (u, v, p). A point that sees no face is
inside (or on) the hull. O(n · h) face tests here, with a float filter and exact rationals when unsure.
Volume = Σ_faces a · (b × c) / 6 (divergence theorem, faces outward).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from rlgen.errors import InputError

EPSILON = 2.0**-53
O3D_ERRBOUND = (7.0 + 56.0 * EPSILON) * EPSILON  # Shewchuk (1997), orient3d stage A
MAX_POINTS_3D = 400


def as_points_3d(points) -> np.ndarray:
    array = np.asarray(points, dtype=float)
    if array.size == 0:
        return np.zeros((0, 3))
    if array.ndim != 2 or array.shape[1] != 3:
        raise InputError("Points in space must be an (n, 3) array of x, y, z (got shape {shape}).", shape=array.shape)
    if not np.isfinite(array).all():
        raise InputError("The points contain a NaN or an infinite coordinate.")
    return array


def cross(u, v) -> tuple[float, float, float]:
    return (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])


def orient3d_exact(a, b, c, d) -> int:
    a, b, c, d = ([Fraction(v) for v in p] for p in (a, b, c, d))
    u = [b[k] - a[k] for k in range(3)]
    v = [c[k] - a[k] for k in range(3)]
    w = [d[k] - a[k] for k in range(3)]
    det = sum(x * y for x, y in zip(w, cross(u, v)))
    return (det > 0) - (det < 0)


def orient3d(a, b, c, d) -> int:
    """sign of (b − a) × (c − a) · (d − a): > 0 when d is above the counter-clockwise triangle abc."""
    adx, ady, adz = a[0] - d[0], a[1] - d[1], a[2] - d[2]
    bdx, bdy, bdz = b[0] - d[0], b[1] - d[1], b[2] - d[2]
    cdx, cdy, cdz = c[0] - d[0], c[1] - d[1], c[2] - d[2]
    bdxcdy, cdxbdy = bdx * cdy, cdx * bdy
    cdxady, adxcdy = cdx * ady, adx * cdy
    adxbdy, bdxady = adx * bdy, bdx * ady
    det = adz * (bdxcdy - cdxbdy) + bdz * (cdxady - adxcdy) + cdz * (adxbdy - bdxady)
    permanent = ((abs(bdxcdy) + abs(cdxbdy)) * abs(adz) + (abs(cdxady) + abs(adxcdy)) * abs(bdz)
                 + (abs(adxbdy) + abs(bdxady)) * abs(cdz))
    # Shewchuk's determinant is the negative of the triple product (b − a) × (c − a) · (d − a).
    if abs(det) > O3D_ERRBOUND * permanent and permanent > 1e-280 and permanent < float("inf"):
        return -1 if det > 0 else 1
    return orient3d_exact(a, b, c, d)


@dataclass(frozen=True)
class HullStep:
    """One frame: the faces so far (index triples, outward), the faces the new point sees, and the point. The
    caption is an English template and its named values (as :class:`rlgen.geometry.steps.Step`'s), so that a UI
    can say it in its reader's language (:meth:`text`); :attr:`caption` is the English."""

    template: str
    faces: tuple[tuple[int, int, int], ...]
    seen: tuple[tuple[int, int, int], ...] = ()
    point: int | None = None
    step: int = 0
    total: int = 0
    values: dict = field(default_factory=dict, hash=False)

    @property
    def caption(self) -> str:
        return self.text()

    def text(self, say: Callable[..., str] | None = None) -> str:
        """The caption filled in; ``say(template, **values)`` (a UI's) says it in another language."""
        return (say or str.format)(self.template, **self.values)


def _start(pts: list) -> tuple[int, int, int, int] | None:
    """Four non-coplanar points: the first, the farthest from it, the farthest from their line, then off the
    plane. None when all points are coplanar."""
    a = 0
    b = next((k for k in range(len(pts)) if pts[k] != pts[a]), None)
    if b is None:
        return None
    u = [pts[b][k] - pts[a][k] for k in range(3)]
    c = next((k for k in range(len(pts))
              if any(Fraction(x) != 0 for x in _cross_exact(u, [pts[k][i] - pts[a][i] for i in range(3)]))), None)
    if c is None:
        return None
    d = next((k for k in range(len(pts)) if orient3d(pts[a], pts[b], pts[c], pts[k]) != 0), None)
    if d is None:
        return None
    return a, b, c, d


def _cross_exact(u, v):
    u = [Fraction(x) for x in u]
    v = [Fraction(x) for x in v]
    return cross(u, v)


def convex_hull_3d_steps(points, seed: int = 0) -> Iterator[HullStep]:
    """Incremental hull in a random order (``seed``): one frame per point; returns the (k, 3) outward faces."""
    p = as_points_3d(points)
    order = np.random.default_rng(seed).permutation(len(p))
    pts = [tuple(p[i]) for i in order.tolist()]
    total = len(pts)
    start = _start(pts)
    if start is None:
        yield HullStep("All points are coplanar (or collinear, or equal): the hull has no volume.", (), step=total,
                       total=total)
        return np.zeros((0, 3), dtype=int)
    a, b, c, d = start
    if orient3d(pts[a], pts[b], pts[c], pts[d]) > 0:
        b, c = c, b  # make d lie below abc, so abc faces outward
    faces = {(a, b, c), (a, d, b), (b, d, c), (c, d, a)}
    names = order.tolist()

    def named(fs):
        return tuple((names[i], names[j], names[k]) for i, j, k in fs)

    yield HullStep("Start: a tetrahedron of four points not in one plane, faces oriented outward "
                   "(orient3d(face, inside point) < 0).", named(faces), step=4, total=total)
    for count, k in enumerate((k for k in range(total) if k not in start), start=5):
        q = pts[k]
        seen = {f for f in faces if orient3d(pts[f[0]], pts[f[1]], pts[f[2]], q) > 0}
        if not seen:
            yield HullStep("Point {name} ({count}/{total}) sees no face: it is inside the hull.", named(faces),
                           point=names[k], step=count, total=total,
                           values=dict(name=names[k], count=count, total=total))
            continue
        edges = {(f[i], f[(i + 1) % 3]) for f in seen for i in range(3)}
        horizon = [(u, v) for u, v in edges if (v, u) not in edges]
        yield HullStep("Point {name} ({count}/{total}) sees {seen} face(s); the horizon has {horizon} edges.",
                       named(faces), named(seen), names[k], count, total,
                       values=dict(name=names[k], count=count, total=total, seen=len(seen), horizon=len(horizon)))
        faces -= seen
        faces |= {(u, v, k) for u, v in horizon}
    result = np.array(sorted(named(faces)), dtype=int).reshape(-1, 3)
    yield HullStep("Hull: {faces} triangular faces on {vertices} vertices, volume {volume}.", named(faces), step=total,
                   total=total, values=dict(faces=len(result), vertices=len(np.unique(result)),
                                            volume=f"{volume(p, result):.6g}"))
    return result


def convex_hull_3d(points, seed: int = 0) -> np.ndarray:
    """(k, 3) outward-oriented triangles (indices into ``points``) of the convex hull; empty if coplanar.
    Points in the interior of hull faces or edges are left out."""
    generator = convex_hull_3d_steps(points, seed)
    while True:
        try:
            next(generator)
        except StopIteration as stop:
            return stop.value


def volume(points, faces) -> float:
    """Σ a · (b × c) / 6 over outward faces: the enclosed volume."""
    p = np.asarray(points, dtype=float)
    if len(faces) == 0:
        return 0.0
    a, b, c = (p[np.asarray(faces)[:, k]] for k in range(3))
    return float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0)


def sample(shape: str, n: int, seed: int) -> np.ndarray:
    """Preset clouds: ``ball`` (uniform inside), ``sphere`` (on the surface: every point a vertex), ``cube``
    (uniform, with the 8 corners: coplanar points on every face)."""
    if not 4 <= n <= MAX_POINTS_3D:
        raise InputError("The 3-D hull takes between 4 and {max_points_3d} points (got {n}).",
                         max_points_3d=MAX_POINTS_3D, n=n)
    rng = np.random.default_rng(seed)
    if shape == "ball":
        v = rng.normal(size=(n, 3))
        return v / np.linalg.norm(v, axis=1, keepdims=True) * rng.random((n, 1)) ** (1 / 3)
    if shape == "sphere":
        v = rng.normal(size=(n, 3))
        return v / np.linalg.norm(v, axis=1, keepdims=True)
    if shape == "cube":
        corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=float)
        return np.vstack((corners, np.round(rng.uniform(-1, 1, (max(0, n - 8), 3)), 1)))[:n]
    raise InputError("Unknown cloud {shape!r}; choose ball, sphere or cube.", shape=shape)


SHAPES = ("ball", "sphere", "cube")


def figure(points, step: HullStep):
    """A plotly 3-D view: the points, the hull so far (translucent), the faces the new point sees (red)."""
    import plotly.graph_objects as go

    p = np.asarray(points, dtype=float)
    traces = [go.Scatter3d(x=p[:, 0], y=p[:, 1], z=p[:, 2], mode="markers", name="points",
                           marker={"size": 2.5, "color": "rgb(100,116,139)"})]
    for name, faces, colour, opacity in (("hull", step.faces, "rgb(37,99,235)", 0.35),
                                         ("seen faces", step.seen, "rgb(220,38,38)", 0.7)):
        if faces:
            f = np.array(faces)
            traces.append(go.Mesh3d(x=p[:, 0], y=p[:, 1], z=p[:, 2], i=f[:, 0], j=f[:, 1], k=f[:, 2], name=name,
                                    color=colour, opacity=opacity, flatshading=True, showlegend=True))
    if step.point is not None:
        q = p[step.point]
        traces.append(go.Scatter3d(x=[q[0]], y=[q[1]], z=[q[2]], mode="markers", name="new point",
                                   marker={"size": 6, "color": "rgb(234,88,12)"}))
    fig = go.Figure(traces)
    fig.update_layout(height=460, margin={"l": 0, "r": 0, "t": 30, "b": 0}, title=step.caption[:90],
                      scene={"xaxis_title": "x", "yaxis_title": "y", "zaxis_title": "z", "aspectmode": "cube"},
                      legend={"x": 0, "y": 1})
    return fig
