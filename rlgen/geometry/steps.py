"""What a step generator yields: a caption and a few drawable layers in world coordinates.

The layers are plain data (no PIL, no gradio); :mod:`rlgen.geometry.render` draws them. Colours are names
from :data:`PALETTE` so the algorithms say *what* a layer is, and the renderer decides how it looks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Point = tuple[float, float]

PALETTE = {
    "result": (37, 99, 235),      # the answer: hull, circle, triangles
    "active": (234, 88, 12),      # what the algorithm is looking at now
    "candidate": (22, 163, 74),   # accepted so far / kept
    "rejected": (220, 38, 38),    # popped, discarded, outside
    "muted": (148, 163, 184),     # context: sweep line, strip, helper shapes
    "accent": (147, 51, 234),     # second answer: Voronoi, width, Minkowski sum
}


@dataclass(frozen=True)
class Dots:
    points: tuple[Point, ...]
    color: str = "active"
    radius: float = 5.0


@dataclass(frozen=True)
class Path:
    """A polyline (closed: a polygon outline), optionally filled with a translucent colour."""

    points: tuple[Point, ...]
    color: str = "result"
    closed: bool = False
    width: int = 2
    fill: bool = False


@dataclass(frozen=True)
class Lines:
    """Independent segments (p, q)."""

    segments: tuple[tuple[Point, Point], ...]
    color: str = "muted"
    width: int = 1


@dataclass(frozen=True)
class Circle:
    center: Point
    radius: float
    color: str = "result"
    width: int = 2


@dataclass(frozen=True)
class Step:
    """One frame: a caption, and its layers as a tuple or as a zero-argument function returning one (lazy:
    the Delaunay animation keeps a snapshot per step and draws it only if that step is shown)."""

    caption: str
    layers: tuple | Callable[[], tuple] = field(default_factory=tuple)


def _points(points) -> tuple[Point, ...]:
    """A tuple of (x, y); lists of tuples pass through cheaply (generators call this on every step)."""
    if isinstance(points, np.ndarray):
        return tuple(map(tuple, points.reshape(-1, 2).tolist()))
    return tuple(points)


def dots(points, color: str = "active", radius: float = 5.0) -> Dots:
    return Dots(_points(points), color, radius)


def path(points, color: str = "result", *, closed: bool = False, width: int = 2, fill: bool = False) -> Path:
    return Path(_points(points), color, closed, width, fill)


def lines(segments, color: str = "muted", width: int = 1) -> Lines:
    if isinstance(segments, np.ndarray):
        segments = [(tuple(p), tuple(q)) for p, q in segments.reshape(-1, 2, 2).tolist()]
    return Lines(tuple(segments), color, width)


def final(generator):
    """Run a step generator to its end and return what it returns (its result)."""
    while True:
        try:
            next(generator)
        except StopIteration as stop:
            return stop.value
