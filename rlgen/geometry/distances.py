"""Manhattan and Chebyshev distance, and the 45° rotation that turns one into the other.

d₁(p, q) = |Δx| + |Δy| and d∞(p, q) = max(|Δx|, |Δy|). With u = x + y, v = x − y,
|Δx| + |Δy| = max(|Δx + Δy|, |Δx − Δy|) = max(|Δu|, |Δv|), so the Manhattan distance of two points is the
Chebyshev distance of their images. Back: x = (u + v)/2, y = (u − v)/2 turns Chebyshev into half a Manhattan
distance. The farthest pair in Manhattan distance is then max(max u − min u, max v − min v): O(n).
"""

from __future__ import annotations

import numpy as np

from rlgen.geometry.hull import as_points
from rlgen.geometry.steps import Step, dots, lines, path


def manhattan(p, q) -> float:
    return abs(p[0] - q[0]) + abs(p[1] - q[1])


def chebyshev(p, q) -> float:
    return max(abs(p[0] - q[0]), abs(p[1] - q[1]))


def to_chebyshev(points) -> np.ndarray:
    """(x, y) ↦ (x + y, x − y): Manhattan distances become Chebyshev distances."""
    p = as_points(points)
    return np.column_stack((p[:, 0] + p[:, 1], p[:, 0] - p[:, 1]))


def to_manhattan(points) -> np.ndarray:
    """(u, v) ↦ ((u + v)/2, (u − v)/2), the inverse: Chebyshev distances become Manhattan distances."""
    p = as_points(points)
    return np.column_stack(((p[:, 0] + p[:, 1]) / 2, (p[:, 0] - p[:, 1]) / 2))


def manhattan_farthest_pair(points) -> tuple[int, int, float]:
    """(i, j, d₁) of a farthest pair in Manhattan distance, in O(n) through the rotation."""
    uv = to_chebyshev(points)
    if len(uv) < 2:
        return 0, 0, 0.0
    best = (0, 0, -1.0)
    for axis in (0, 1):
        lo, hi = int(uv[:, axis].argmin()), int(uv[:, axis].argmax())
        spread = float(uv[hi, axis] - uv[lo, axis])
        if spread > best[2]:
            best = (min(lo, hi), max(lo, hi), spread)
    i, j, _ = best
    p = as_points(points)
    return i, j, manhattan(p[i], p[j])  # the same value, measured in the original coordinates


def manhattan_farthest_pair_brute(points) -> tuple[int, int, float]:
    """The same by comparing all pairs, O(n²): the check."""
    p = as_points(points)
    d = np.abs(p[:, None, :] - p[None, :, :]).sum(axis=2)
    i, j = np.unravel_index(int(d.argmax()), d.shape)
    return int(min(i, j)), int(max(i, j)), float(d[i, j])


def _diamond(centre, r):
    cx, cy = centre
    return [(cx + r, cy), (cx, cy + r), (cx - r, cy), (cx, cy - r)]


def _square(centre, r):
    cx, cy = centre
    return [(cx + r, cy + r), (cx - r, cy + r), (cx - r, cy - r), (cx + r, cy - r)]


def manhattan_farthest_pair_steps(points):
    """Show the rotation, the extreme u and v, and the farthest pair with its Manhattan ball."""
    p = as_points(points)
    centre = p.mean(axis=0)
    # Drawn at half scale about the centre: (u, v)/2 is a 45° rotation scaled by 1/√2, so it stays on the
    # canvas; the Chebyshev distance between drawn images is half the Manhattan distance between the points.
    uv = to_chebyshev(p - centre) / 2 + centre
    links = [(tuple(a), tuple(b)) for a, b in zip(p.tolist(), uv.tolist())]
    yield Step("Map each point to (u, v) = (x + y, x − y) (drawn at half scale about the centre): a 45° "
               "rotation times √2. Manhattan distance between points = Chebyshev distance between images.",
               (lines(links, "muted", 1), dots(p, "active", 4), dots(uv, "accent", 4)))
    i, j, d = manhattan_farthest_pair(p)
    spans = [float(np.ptp(uv[:, k])) * 2 for k in (0, 1)]
    axis = int(spans[1] > spans[0])
    lo, hi = int(uv[:, axis].argmin()), int(uv[:, axis].argmax())
    yield Step("max u − min u = {du:.6g}, max v − min v = {dv:.6g}: the larger is the Manhattan diameter; its "
               "extremes are points {lo} and {hi}.",
               (dots(p, "muted", 3), dots(uv, "accent", 3), dots([uv[lo], uv[hi]], "active", 7),
                path(_square(uv[lo], spans[axis] / 2), "accent", closed=True, width=1)),
               du=spans[0], dv=spans[1], lo=lo, hi=hi)
    a, b = p[i], p[j]
    corner = (b[0], a[1])
    yield Step("Farthest pair in Manhattan distance: {i} and {j}, |Δx| + |Δy| = {d:.6g}. Every point lies in the "
               "diamond (the Manhattan ball) of that radius around either end.",
               (dots(p, "muted", 3), path([tuple(a), corner, tuple(b)], "result", width=3),
                path(_diamond(a, d), "accent", closed=True, width=1), dots([a, b], "active", 7)), i=i, j=j, d=d)
    return i, j, d
