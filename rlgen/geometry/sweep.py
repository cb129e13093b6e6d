"""Segment intersection by plane sweep.

Shamos–Hoey (any intersection, O(n log n)): sweep a vertical line left to right over the endpoints; keep
the segments it crosses ordered by y. Two segments that intersect become neighbours in that order before
the sweep passes their leftmost common point, so it suffices to test each newly inserted segment against
its neighbours, and the two that become neighbours when a segment leaves.

All intersections: the same sweep, but each entering segment is tested against every segment still
active (those whose x-range overlaps it): O(n log n + overlapping pairs), exact tests, and it reports
touching and overlapping pairs too. Comparisons along the sweep line use exact rationals.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.steps import Step, dots, final, lines
from rlgen.geometry.vectors import segment_intersection, segments_intersect


def as_segments(segments) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    array = np.asarray(segments, dtype=float)
    if array.size == 0:
        return []
    if array.ndim != 3 or array.shape[1:] != (2, 2):
        raise InputError("Segments must be an (m, 2, 2) array of endpoint pairs (got shape {shape}).",
                         shape=array.shape)
    if not np.isfinite(array).all():
        raise InputError("A segment has a NaN or an infinite coordinate.")
    result = []
    for p, q in array.tolist():
        p, q = tuple(p), tuple(q)
        if p == q:
            raise InputError("Segment {n_result} has both endpoints at {p}; a segment needs two distinct ends.",
                             n_result=len(result), p=p)
        result.append((p, q) if p <= q else (q, p))  # left (lower) endpoint first
    return result


def _y_at(segment, x: Fraction) -> Fraction:
    (x1, y1), (x2, y2) = segment
    if x1 == x2:
        return Fraction(y1)
    return Fraction(y1) + (Fraction(y2) - Fraction(y1)) * (x - Fraction(x1)) / (Fraction(x2) - Fraction(x1))


def _events(segs):
    events = []
    for k, (p, q) in enumerate(segs):
        events.append((p[0], 0, p[1], k))  # at equal x, insertions before removals: touching counts
        events.append((q[0], 1, q[1], k))
    return sorted(events)


def _sweep_view(segs, active, x, y_lo, y_hi):
    return (lines([((x, y_lo), (x, y_hi))], "muted", 1), lines(segs, "muted", 1),
            lines([segs[k] for k in active], "candidate", 2))


def any_intersection_steps(segments):
    segs = as_segments(segments)
    if len(segs) < 2:
        raise InputError("Intersection tests need at least 2 segments (got {n_segments}).", n_segments=len(segs))
    ys = [v for s in segs for v in (s[0][1], s[1][1])]
    y_lo, y_hi = min(ys) - 10, max(ys) + 10
    status: list[int] = []

    def found(i, j, x):
        point = segment_intersection(*segs[i], *segs[j])
        return Step("Segments {i} and {j} are neighbours on the sweep line and intersect.",
                    (*_sweep_view(segs, status, x, y_lo, y_hi), lines([segs[i], segs[j]], "rejected", 3),
                     dots([point], "rejected", 6)), i=min(i, j), j=max(i, j)), (min(i, j), max(i, j))

    for x, kind, _, k in _events(segs):
        fx = Fraction(x)
        if kind == 0:
            key = (_y_at(segs[k], fx), _y_at(segs[k], fx + 1))
            pos = 0
            while pos < len(status) and (_y_at(segs[status[pos]], fx), _y_at(segs[status[pos]], fx + 1)) < key:
                pos += 1
            status.insert(pos, k)
            yield Step("x = {x:.4g}: segment {k} enters at position {pos} of {n}; test its neighbours.",
                       (*_sweep_view(segs, status, x, y_lo, y_hi), lines([segs[k]], "active", 3)),
                       x=x, k=k, pos=pos, n=len(status))
            for other in (pos - 1, pos + 1):
                if 0 <= other < len(status) and segments_intersect(*segs[k], *segs[status[other]]):
                    step, pair = found(k, status[other], x)
                    yield step
                    return pair
        else:
            pos = status.index(k)
            status.pop(pos)
            yield Step("x = {x:.4g}: segment {k} leaves; its former neighbours become adjacent.",
                       (*_sweep_view(segs, status, x, y_lo, y_hi), lines([segs[k]], "muted", 3)), x=x, k=k)
            if 0 < pos < len(status) and segments_intersect(*segs[status[pos - 1]], *segs[status[pos]]):
                step, pair = found(status[pos - 1], status[pos], x)
                yield step
                return pair
    yield Step("The sweep passed every endpoint: no two segments intersect.", (lines(segs, "result", 2),))
    return None


def any_intersection(segments) -> tuple[int, int] | None:
    """Shamos–Hoey: a pair (i, j) of intersecting segments (touching counts), or None."""
    return final(any_intersection_steps(segments))


def all_intersections_steps(segments):
    segs = as_segments(segments)
    if len(segs) < 2:
        raise InputError("Intersection tests need at least 2 segments (got {n_segments}).", n_segments=len(segs))
    ys = [v for s in segs for v in (s[0][1], s[1][1])]
    y_lo, y_hi = min(ys) - 10, max(ys) + 10
    active: list[int] = []
    pairs: list[tuple[int, int]] = []
    points: list[tuple[float, float]] = []
    for x, kind, _, k in _events(segs):
        if kind == 1:
            active.remove(k)
            continue
        hits = []
        for other in active:
            if segments_intersect(*segs[k], *segs[other]):
                pairs.append((min(k, other), max(k, other)))
                hits.append(segment_intersection(*segs[k], *segs[other]))
        points.extend(hits)
        active.append(k)
        yield Step("x = {x:.4g}: segment {k} enters, tested against {active} active: {hits} new intersection(s), "
                   "{pairs} in all.",
                   (*_sweep_view(segs, active, x, y_lo, y_hi), lines([segs[k]], "active", 3),
                    dots(points, "result", 4), dots(hits, "rejected", 6)),
                   x=x, k=k, active=len(active) - 1, hits=len(hits), pairs=len(pairs))
    yield Step("{pairs} intersecting pair(s).", (lines(segs, "muted", 2), dots(points, "result", 5)),
               pairs=len(pairs))
    order = sorted(range(len(pairs)), key=pairs.__getitem__)
    return [pairs[k] for k in order], np.array([points[k] for k in order], dtype=float).reshape(-1, 2)


def all_intersections(segments) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Every intersecting pair (i < j, sorted) and one common point per pair (for an overlap, an endpoint
    of the overlap)."""
    pairs, points = final(all_intersections_steps(segments))
    return pairs, points
