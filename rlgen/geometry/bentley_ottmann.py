"""Bentley–Ottmann: every intersection point of n segments in O((n + k) log n), exactly.

A vertical sweep line moves left to right over *event points*: segment endpoints, and crossings discovered on
the way. The *status* lists the segments the line crosses, bottom to top. Only neighbours in the status can
meet next, so each change of neighbours tests one or two pairs and queues their crossing if it lies ahead.
At an event point p (de Berg et al., *Computational Geometry*, ch. 2):

* U(p): segments starting at p; L(p): ending at p; C(p): with p in their interior (found in the status as
  one run of neighbours). If |U ∪ L ∪ C| > 1, p is an intersection point of all of them.
* Remove L ∪ C, re-insert U ∪ C ordered by slope (their order just right of p), test the new outer neighbours.

Degeneracies: events are ordered by (x, y), so a vertical segment is swept bottom to top and sits above every
other segment through the current event; overlapping collinear segments tie and stay adjacent, and their
overlap is reported at its first point. Orientation tests on input endpoints use the adaptive predicates;
crossing points are exact rationals (``fractions.Fraction``), so no event is lost to rounding.

:func:`intersection_points` and :func:`bentley_ottmann` run the same sweep compiled
(:mod:`rlgen.geometry.bentley_ottmann_fast`, faster than shapely's noding at 10^3–10^5 segments, see
``python -m rlgen.bench geometry``) and come back here, to the rational sweep, only where its float filters
cannot decide; the animation (:func:`bentley_ottmann_steps`) always steps through this one. The compiled
sweep keeps its status in a treap, O(log n) per event; the animation's is a Python list (binary search, then a
slice assignment, cheap at the sketchpad's few hundred segments).
"""

from __future__ import annotations

import heapq
from fractions import Fraction
from itertools import combinations

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.bentley_ottmann_fast import compilable, exact_crossings, sweep
from rlgen.geometry.predicates import CCW_ERRBOUND, UNDERFLOW_GUARD, orient_adaptive, sign
from rlgen.geometry.steps import Step, dots, final, lines
from rlgen.geometry.sweep import as_segments

MAX_STEPS = 400  # animation frames; longer sweeps show every k-th event


def _side(segment, p, approx, error: float, known: bool = False) -> int:
    """-1 / 0 / +1: the segment passes below / through / above p on the vertical line through p.

    ``approx`` is p rounded to floats, each coordinate within ``error`` of p. A float filter decides first:
    moving p by at most ``error`` per coordinate moves the orientation determinant by at most
    (|b_x − a_x| + |b_y − a_y|)·error, on top of Shewchuk's rounding bound; only an uncertain sign is
    evaluated exactly in rationals."""
    if known:  # one of the segments whose crossing made this event
        return 0
    (ax, ay), (bx, by) = segment
    if ax == bx:  # vertical: an interval of that line
        return -1 if by < p[1] else (1 if ay > p[1] else 0)
    px, py = approx
    left = (ax - px) * (by - py)
    right = (ay - py) * (bx - px)
    det = left - right
    bound = CCW_ERRBOUND * (abs(left) + abs(right)) + (abs(bx - ax) + abs(by - ay)) * error * 1.000001
    if abs(det) > 2.0 * bound and bound > UNDERFLOW_GUARD:
        return -1 if det > 0 else 1
    if error == 0.0:
        return -orient_adaptive(segment[0], segment[1], p)
    fa, fb = (Fraction(ax), Fraction(ay)), (Fraction(bx), Fraction(by))
    px, py = Fraction(p[0]), Fraction(p[1])
    return -sign((fb[0] - fa[0]) * (py - fa[1]) - (fb[1] - fa[1]) * (px - fa[0]))


def _rounded(p) -> tuple[tuple[float, float], float]:
    """p as floats, and a bound on the rounding of each coordinate (0 when p is already floats)."""
    if type(p[0]) is float and type(p[1]) is float:
        return p, 0.0
    approx = (float(p[0]), float(p[1]))
    return approx, float(np.spacing(max(abs(approx[0]), abs(approx[1]), 1e-300)))


def _slope_key(segment, index: int):
    (ax, ay), (bx, by) = segment
    if ax == bx:
        return (1, 0, index)
    return (0, (Fraction(by) - Fraction(ay)) / (Fraction(bx) - Fraction(ax)), index)


def _crossing(s, t):
    """The single common point of two segments, exactly, or None (disjoint, or an overlap of collinear
    segments, whose first point is an endpoint event anyway)."""
    a, b = s
    c, d = t
    d1, d2 = orient_adaptive(c, d, a), orient_adaptive(c, d, b)
    d3, d4 = orient_adaptive(a, b, c), orient_adaptive(a, b, d)
    if d1 == d2 == 0:
        return None  # collinear
    if d1 * d2 > 0 or d3 * d4 > 0:
        return None
    for end, turn in ((a, d1), (b, d2)):
        if turn == 0:
            return end
    for end, turn in ((c, d3), (d, d4)):
        if turn == 0:
            return end
    ax, ay, bx, by = map(Fraction, (*a, *b))
    cx, cy, dx, dy = map(Fraction, (*c, *d))
    # a + t (b − a) with t = (c − a) × (d − c) / ((b − a) × (d − c)).
    t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / ((bx - ax) * (dy - cy) - (by - ay) * (dx - cx))
    return _simplest(ax + t * (bx - ax)), _simplest(ay + t * (by - ay))


def _simplest(value: Fraction):
    """A float when the rational is one exactly (cheaper to compare), else the Fraction."""
    as_float = float(value)
    return as_float if Fraction(as_float) == value else value


class _RationalSweep:
    """The sweep's state: the event queue (points, with the segments starting at each), the status (segment
    indices bottom to top), and the pairs already tested."""

    def __init__(self, segs):
        self.segs = segs
        self.starts: dict = {}
        self.queue: list = []
        for k, (p, q) in enumerate(segs):
            for point in (p, q):
                self._queue(point)
            self.starts[p].append(k)
        self.status: list[int] = []
        self.crossings: dict[tuple[int, int], object] = {}
        self.makers: dict = {}  # crossing event → the segments known to pass through it

    def _queue(self, point) -> None:
        if point not in self.starts:
            self.starts[point] = []
            heapq.heappush(self.queue, point)

    def _through(self, p, approx, error, known) -> tuple[int, int]:
        """status[first:last]: the segments through p (binary search, then a scan)."""
        segs, status = self.segs, self.status
        lo, hi = 0, len(status)
        while lo < hi:
            mid = (lo + hi) // 2
            if _side(segs[status[mid]], p, approx, error, status[mid] in known) < 0:
                lo = mid + 1
            else:
                hi = mid
        last = lo
        while last < len(status) and _side(segs[status[last]], p, approx, error, status[last] in known) == 0:
            last += 1
        return lo, last

    def _schedule(self, i: int, j: int, p) -> None:
        pair = (i, j) if i < j else (j, i)
        if pair in self.crossings:  # the pair was neighbours before: its crossing is queued or passed
            return
        point = self.crossings[pair] = _crossing(self.segs[i], self.segs[j])
        if point is not None and point > p:
            self._queue(point)
            self.makers.setdefault(point, set()).update(pair)

    def next_event(self):
        """Handle the next event point p: returns (p, U(p), L(p) ∪ C(p), C(p))."""
        p = heapq.heappop(self.queue)
        upper = self.starts.pop(p)
        approx, error = _rounded(p)
        first, last = self._through(p, approx, error, self.makers.pop(p, ()))
        status = self.status
        through = status[first:last]
        keep = [k for k in through if self.segs[k][1] != p]  # C(p): continues past p
        entering = sorted(upper + keep, key=lambda k: _slope_key(self.segs[k], k))
        status[first:last] = entering
        if entering:
            if first > 0:
                self._schedule(status[first - 1], entering[0], p)
            end = first + len(entering)
            if end < len(status):
                self._schedule(entering[-1], status[end], p)
        elif 0 < first < len(status):
            self._schedule(status[first - 1], status[first], p)
        return p, upper, through, keep


def bentley_ottmann_steps(segments, every: int | None = None):
    """The sweep, one step per event point (every ``every``-th event for long runs); returns the list of
    intersection points, each as ((x, y), sorted segment indices through it)."""
    segs = as_segments(segments)
    if len(segs) < 2:
        raise InputError("Intersection tests need at least 2 segments (got {n_segments}).", n_segments=len(segs))
    sweep_state = _RationalSweep(segs)
    found: list = []
    ys = [v for s in segs for v in (s[0][1], s[1][1])]
    y_lo, y_hi = min(ys) - 10, max(ys) + 10
    events = 0
    while sweep_state.queue:
        p, upper, through, keep = sweep_state.next_event()
        if len(upper) + len(through) > 1:
            found.append(((float(p[0]), float(p[1])), sorted(upper + through)))
        events += 1
        if every is not None and (events % every == 0 or not sweep_state.queue):
            x = float(p[0])
            yield Step(
                "Event ({x:.4g}, {y:.4g}): {start} start, {end} end, {through} pass through; status holds {status}; "
                "{found} intersection point(s) so far.",
                (lines([((x, y_lo), (x, y_hi))], "muted", 1), lines(segs, "muted", 1),
                 lines([segs[k] for k in sweep_state.status], "candidate", 2),
                 lines([segs[k] for k in upper], "active", 3), dots([f[0] for f in found], "result", 4)),
                x=x, y=float(p[1]), start=len(upper), end=len(through) - len(keep), through=len(keep),
                status=len(sweep_state.status), found=len(found))
    if every is not None:
        pairs = sum(len(k) * (len(k) - 1) // 2 for _, k in found)
        yield Step("{found} intersection point(s), {pairs} segment pair(s) meeting there.",
                   (lines(segs, "muted", 2), dots([f[0] for f in found], "result", 5)), found=len(found), pairs=pairs)
    return found


def _as_rows(segments) -> np.ndarray | None:
    """Segments as rows (x1, y1, x2, y2), left (then lower) end first, validated like :func:`as_segments`;
    None when there are too few for a sweep (the rational sweep then raises the message)."""
    array = np.asarray(segments, dtype=float)
    if array.ndim != 3 or array.shape[1:] != (2, 2) or len(array) < 2:
        return None
    if not np.isfinite(array).all() or (array[:, 0] == array[:, 1]).all(axis=1).any():
        return None
    p, q = array[:, 0], array[:, 1]
    swap = (q[:, 0] < p[:, 0]) | ((q[:, 0] == p[:, 0]) & (q[:, 1] < p[:, 1]))
    return np.ascontiguousarray(np.where(swap[:, None], np.hstack((q, p)), np.hstack((p, q))))


def _compiled(segments):
    """The compiled sweep's answer as (points, groups of segment indices), or None where it does not apply
    (invalid input, coordinates outside the exact range) or gave way to the rational sweep."""
    rows = _as_rows(segments)
    if rows is None or not compilable(rows):
        return None
    ok, points, makers, offsets, members = sweep(rows, True)
    if not ok:
        return None
    inexact = makers[:, 0] >= 0
    if inexact.any():
        points = points.copy()
        points[inexact] = exact_crossings(rows, makers[inexact])
    return points, offsets, members


def intersection_points(segments) -> list[tuple[tuple[float, float], list[int]]]:
    """Every point where two or more segments meet, left to right, with the segments through it (touching
    ends and overlaps included; an overlap is reported at its first point). Coordinates rounded to floats.

    The compiled sweep answers; where one of its float filters cannot decide, the rational sweep does."""
    fast = _compiled(segments)
    if fast is None:
        return final(bentley_ottmann_steps(segments))
    points, offsets, members = fast
    groups = members.tolist()
    bounds = offsets.tolist()
    return [((x, y), groups[bounds[k]:bounds[k + 1]]) for k, (x, y) in enumerate(points.tolist())]


def _first_pairs(points, offsets, members, n: int) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Every pair of segments in a group, each at the first (leftmost) group it appears in."""
    sizes = np.diff(offsets)
    if len(sizes) and sizes.max() == 2:  # the usual case: two segments per point
        i, j, group = members[0::2], members[1::2], np.arange(len(sizes))
    else:
        rows = [(a, b, g) for g in range(len(sizes))
                for a, b in combinations(members[offsets[g]:offsets[g + 1]].tolist(), 2)]
        i, j, group = (np.array(column, dtype=np.int64) for column in zip(*rows)) if rows else (
            np.zeros(0, dtype=np.int64),) * 3
    keys, first = np.unique(i * n + j, return_index=True)
    pairs = list(zip((keys // n).tolist(), (keys % n).tolist()))
    return pairs, points[group[first]].reshape(-1, 2)


def bentley_ottmann(segments) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Every intersecting pair (i < j, sorted) with the leftmost (then lowest) point they share — the same
    answer as :func:`rlgen.geometry.sweep.all_intersections`, in O((n + k) log n)."""
    fast = _compiled(segments)
    if fast is not None:
        return _first_pairs(*fast, len(segments))
    first_point: dict[tuple[int, int], tuple[float, float]] = {}
    for point, through in intersection_points(segments):
        for pair in combinations(through, 2):
            first_point.setdefault(pair, point)
    pairs = sorted(first_point)
    return pairs, np.array([first_point[q] for q in pairs], dtype=float).reshape(-1, 2)


def steps_for(segments):
    """The animation, thinned to at most :data:`MAX_STEPS` frames."""
    n = len(segments)
    return bentley_ottmann_steps(segments, every=max(1, (2 * n) // MAX_STEPS))
