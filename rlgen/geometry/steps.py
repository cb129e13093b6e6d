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


@dataclass(frozen=True, init=False)
class Step:
    """One frame: a caption, and its layers as a tuple or as a zero-argument function returning one (lazy:
    the Delaunay animation keeps a snapshot per step and draws it only if that step is shown).

    The caption is an English template and its named values, ``Step("Edge {i}: width {w:.4g}.", layers, i=i, w=w)``,
    so that a UI can say it in its reader's language (:meth:`text`); :attr:`caption` is the English."""

    template: str
    layers: tuple | Callable[[], tuple] = field(default_factory=tuple)
    values: dict = field(default_factory=dict, hash=False)

    def __init__(self, template: str, layers: tuple | Callable[[], tuple] = (), /, **values) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "values", values)

    @property
    def caption(self) -> str:
        """The caption in English."""
        return self.text()

    def text(self, say: Callable[..., str] | None = None) -> str:
        """The caption filled in; ``say(template, **values)`` (a UI's) says it in another language, and says the
        values that are words too (a chain's name, an orientation). A template without values is taken as it is."""
        if say is None:
            return self.template.format(**self.values) if self.values else self.template
        return say(self.template, **{name: say(value) if isinstance(value, str) else value
                                     for name, value in self.values.items()})


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
