"""What a person has drawn on the canvas, and the pure functions that change it: click, undo, clear, presets.

A :class:`Sketch` is immutable; every function returns a new one (plus a message for the person), so the UI
handlers are pure functions of (state, x, y) and tests call them without a browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.render import GRID, HEIGHT, WIDTH, to_world

Point = tuple[float, float]

MAX_POINTS = 2_000       # clicked or preset points for an animated run
MAX_POLYGON = 300        # polygon vertices (ear clipping and the simplicity test are O(n²))
MAX_SEGMENTS = 300
MAX_HALFPLANES = 100
CLOSE_RADIUS = 12.0      # a polygon click this close to the first vertex closes it
MARGIN = 30.0

MODES = ("points", "polygon", "segments", "half-planes", "query point")
POINT_PRESETS = ("uniform", "gaussian", "on a circle", "collinear", "with duplicates", "lattice")
SHAPE_PRESETS = ("star polygon", "comb polygon", "random segments", "random half-planes")
PRESETS = POINT_PRESETS + SHAPE_PRESETS


@dataclass(frozen=True)
class Sketch:
    points: tuple[Point, ...] = ()
    polygon: tuple[Point, ...] = ()
    polygon_closed: bool = False
    segments: tuple[tuple[Point, Point], ...] = ()
    halfplanes: tuple[tuple[Point, Point], ...] = ()
    pending: Point | None = None  # first click of a segment or half-plane
    query: Point | None = None
    history: tuple = ()  # the undo log: (field name, previous value) pairs, newest last

    def counts(self) -> str:
        parts = [f"{len(self.points)} point(s)"]
        if self.polygon:
            parts.append(f"polygon of {len(self.polygon)} vertices ({'closed' if self.polygon_closed else 'open'})")
        if self.segments:
            parts.append(f"{len(self.segments)} segment(s)")
        if self.halfplanes:
            parts.append(f"{len(self.halfplanes)} half-plane(s)")
        if self.query is not None:
            parts.append(f"query point ({self.query[0]:g}, {self.query[1]:g})")
        return ", ".join(parts)


def _change(sketch: Sketch, **fields) -> Sketch:
    """Set fields, remembering their old values so :func:`undo` can restore them in one step."""
    previous = tuple((name, getattr(sketch, name)) for name in fields)
    return replace(sketch, history=sketch.history + (previous,), **fields)


def snap(p: Point) -> Point:
    return (float(round(p[0] / GRID) * GRID), float(round(p[1] / GRID) * GRID))


def click(sketch: Sketch, mode: str, x: float, y: float, *, snap_to_grid: bool = False) -> tuple[Sketch, str]:
    """A click at pixel (x, y) of the canvas in the given mode; returns the new sketch and what happened."""
    if mode not in MODES:
        raise InputError("Unknown mode {mode!r}; choose one of: {modes}.", mode=mode, modes=', '.join(MODES))
    if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
        raise InputError("The click ({x}, {y}) lies outside the {width}×{height} canvas.",
                         x=x, y=y, width=WIDTH, height=HEIGHT)
    p = to_world(x, y)
    if snap_to_grid:
        p = snap(p)
    if mode == "points":
        if len(sketch.points) >= MAX_POINTS:
            return sketch, f"The sketchpad holds at most {MAX_POINTS:,} points; clear some first."
        return _change(sketch, points=sketch.points + (p,)), f"Point ({p[0]:g}, {p[1]:g}) added."
    if mode == "polygon":
        return _polygon_click(sketch, p)
    if mode == "query point":
        return _change(sketch, query=p), f"Query point set to ({p[0]:g}, {p[1]:g})."
    return _two_click_shape(sketch, mode, p)


def _polygon_click(sketch: Sketch, p: Point) -> tuple[Sketch, str]:
    """A vertex added to the open polygon, or the polygon closed by a click near its first vertex."""
    if sketch.polygon_closed:
        return sketch, "The polygon is closed. Clear it (or undo) to draw a new one."
    if len(sketch.polygon) >= 3 and math.dist(p, sketch.polygon[0]) <= CLOSE_RADIUS:
        return _change(sketch, polygon_closed=True), f"Polygon closed with {len(sketch.polygon)} vertices."
    if len(sketch.polygon) >= MAX_POLYGON:
        return sketch, f"A polygon may have at most {MAX_POLYGON} vertices; click the first vertex to close it."
    if sketch.polygon and p == sketch.polygon[-1]:
        return sketch, "Same vertex as the last one; click somewhere else."
    return _change(sketch, polygon=sketch.polygon + (p,)), (
        f"Vertex {len(sketch.polygon) + 1} at ({p[0]:g}, {p[1]:g}); click the first vertex to close."
    )


def _two_click_shape(sketch: Sketch, mode: str, p: Point) -> tuple[Sketch, str]:
    """Segments and half-planes: the first click is remembered, the second adds the shape."""
    name, limit = ("segments", MAX_SEGMENTS) if mode == "segments" else ("halfplanes", MAX_HALFPLANES)
    existing = getattr(sketch, name)
    if sketch.pending is None:
        if len(existing) >= limit:
            return sketch, f"At most {limit} {mode}; clear some first."
        return _change(sketch, pending=p), f"First point ({p[0]:g}, {p[1]:g}); click the second."
    if p == sketch.pending:
        return sketch, "The second point must differ from the first."
    shape = (sketch.pending, p)
    what = "Segment" if mode == "segments" else "Half-plane (the left side of the arrow)"
    return _change(sketch, pending=None, **{name: existing + (shape,)}), f"{what} added."


def undo(sketch: Sketch) -> tuple[Sketch, str]:
    if not sketch.history:
        return sketch, "Nothing to undo."
    previous = dict(sketch.history[-1])
    return replace(sketch, history=sketch.history[:-1], **previous), "Undone."


def clear(sketch: Sketch, what: str = "everything") -> tuple[Sketch, str]:
    """Clear one kind of input (or everything); undo brings it back."""
    empty = Sketch()
    fields = {
        "everything": ("points", "polygon", "polygon_closed", "segments", "halfplanes", "pending", "query"),
        "points": ("points",),
        "polygon": ("polygon", "polygon_closed"),
        "segments": ("segments", "pending"),
        "half-planes": ("halfplanes", "pending"),
        "query point": ("query",),
    }
    if what not in fields:
        raise InputError("Unknown thing to clear {what!r}.", what=what)
    return _change(sketch, **{f: getattr(empty, f) for f in fields[what]}), f"Cleared {what}."


def _inside_canvas(p: np.ndarray) -> np.ndarray:
    return np.clip(p, [MARGIN, MARGIN], [WIDTH - MARGIN, HEIGHT - MARGIN])


def _points_preset(name: str, n: int, rng: np.random.Generator) -> np.ndarray:
    cx, cy = WIDTH / 2, HEIGHT / 2
    if name == "uniform":
        return rng.uniform([MARGIN, MARGIN], [WIDTH - MARGIN, HEIGHT - MARGIN], size=(n, 2))
    if name == "gaussian":
        return _inside_canvas(rng.normal([cx, cy], [WIDTH / 7, HEIGHT / 7], size=(n, 2)))
    if name == "on a circle":
        theta = rng.uniform(0, 2 * np.pi, n)
        return np.column_stack((cx + 200 * np.cos(theta), cy + 200 * np.sin(theta)))
    if name == "collinear":
        k = np.sort(rng.integers(0, 201, n)).astype(float)  # integer steps keep them exactly collinear
        return np.column_stack((MARGIN + 3 * k, MARGIN + 2 * k))
    if name == "with duplicates":
        base = rng.integers(2, [WIDTH // GRID - 1, HEIGHT // GRID - 1], size=(max(1, n // 3), 2)) * GRID
        return base[rng.integers(0, len(base), n)].astype(float)
    side = max(1, int(math.ceil(math.sqrt(n))))  # lattice
    step = max(1, min((WIDTH - 2 * MARGIN) // side, (HEIGHT - 2 * MARGIN) // side))
    ij = np.array([(i, j) for j in range(side) for i in range(side)][:n], dtype=float)
    return MARGIN + ij * step


def _polygon_preset(name: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """A star or comb polygon with integer vertices, so Pick's theorem applies."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    k = max(3, min(n, MAX_POLYGON // 2 if name == "star polygon" else MAX_POLYGON // 4))
    if name == "star polygon":
        angles = np.linspace(0, 2 * np.pi, 2 * k, endpoint=False) + rng.uniform(0, 0.2)
        radii = np.where(np.arange(2 * k) % 2 == 0, 200.0, 200.0 * rng.uniform(0.3, 0.6))
        return np.round(np.column_stack((cx + radii * np.cos(angles), cy + radii * np.sin(angles))))
    teeth = min(k, 12)
    w = (WIDTH - 2 * MARGIN) / (2 * teeth - 1)
    comb = [(MARGIN, MARGIN), (WIDTH - MARGIN, MARGIN)]
    for t in range(teeth - 1, -1, -1):  # right to left along the top: tooth, then the valley
        a = MARGIN + 2 * t * w
        comb += [(a + w, HEIGHT - MARGIN), (a, HEIGHT - MARGIN)]
        if t > 0:
            comb += [(a, cy), (a - w, cy)]
    return np.round(np.array(comb))


def _segments_preset(n: int, rng: np.random.Generator) -> np.ndarray:
    m = min(n, MAX_SEGMENTS)
    mid = rng.uniform([MARGIN, MARGIN], [WIDTH - MARGIN, HEIGHT - MARGIN], size=(m, 2))
    angle = rng.uniform(0, np.pi, m)
    half = rng.uniform(20, 120, m)[:, None] * np.column_stack((np.cos(angle), np.sin(angle)))
    return np.stack((_inside_canvas(mid - half), _inside_canvas(mid + half)), axis=1).round(1)


def _halfplanes_preset(n: int, rng: np.random.Generator) -> np.ndarray:
    """Lines tangent to a circle, so the intersection is not empty."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    m = min(max(n, 3), MAX_HALFPLANES)
    theta = np.sort(rng.uniform(0, 2 * np.pi, m))
    r = rng.uniform(120, 200, m)
    foot = np.column_stack((cx + r * np.cos(theta), cy + r * np.sin(theta)))
    direction = np.column_stack((-np.sin(theta), np.cos(theta))) * 40
    return np.stack((foot, foot + direction), axis=1).round(1)


def preset(sketch: Sketch, name: str, n: int, seed: int) -> tuple[Sketch, str]:
    """Replace the points (or polygon, segments, half-planes) with a generated set."""
    if name not in PRESETS:
        raise InputError("Unknown preset {name!r}; choose one of: {presets}.", name=name, presets=', '.join(PRESETS))
    if not 1 <= n <= MAX_POINTS:
        raise InputError("A preset has between 1 and {max_points:,} points (got {n}).", max_points=MAX_POINTS, n=n)
    rng = np.random.default_rng(seed)
    if name in ("star polygon", "comb polygon"):
        poly = _polygon_preset(name, n, rng)
        return _change(sketch, polygon=tuple(map(tuple, poly.tolist())), polygon_closed=True), (
            f"Preset '{name}': a simple polygon of {len(poly)} vertices."
        )
    if name == "random segments":
        segs = _segments_preset(n, rng)
        return _change(sketch, segments=tuple((tuple(a), tuple(b)) for a, b in segs.tolist()), pending=None), (
            f"Preset '{name}': {len(segs)} segments."
        )
    if name == "random half-planes":
        planes = _halfplanes_preset(n, rng)
        return _change(sketch, halfplanes=tuple((tuple(a), tuple(b)) for a, b in planes.tolist()), pending=None), (
            f"Preset '{name}': {len(planes)} half-planes (each keeps the side of its arrow's left)."
        )
    pts = _points_preset(name, n, rng)
    pts = np.round(pts, 2)
    return _change(sketch, points=tuple(map(tuple, pts.tolist()))), f"Preset '{name}': {len(pts)} points."
