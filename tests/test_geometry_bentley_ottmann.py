"""Bentley–Ottmann against brute force over all pairs (exact rationals) and shapely, on random and
degenerate segment sets: shared endpoints, vertical and overlapping segments, many lines through a point."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rlgen.errors import InputError
from rlgen.geometry.bentley_ottmann import (
    _compiled,
    bentley_ottmann,
    bentley_ottmann_steps,
    intersection_points,
    steps_for,
)
from rlgen.geometry.steps import final
from rlgen.geometry.sweep import all_intersections


def first_common_point(s, t):
    """The lexicographically smallest point two segments share, in exact rationals, or None: brute force."""
    (a, b), (c, d) = (sorted(map(tuple, map(lambda p: tuple(map(Fraction, p)), seg))) for seg in (s, t))

    def cross(o, p, q):
        return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])

    d1, d2, d3, d4 = cross(c, d, a), cross(c, d, b), cross(a, b, c), cross(a, b, d)
    if d1 == d2 == 0:  # collinear: the overlap, if any, starts at the later left end
        start, end = max(a, c), min(b, d)
        return start if start <= end else None
    if (d1 > 0 and d2 > 0) or (d1 < 0 and d2 < 0) or (d3 > 0 and d4 > 0) or (d3 < 0 and d4 < 0):
        return None
    t_ = cross(a, c, d) / (cross(a, c, d) - cross(b, c, d))
    return (a[0] + t_ * (b[0] - a[0]), a[1] + t_ * (b[1] - a[1]))


def brute_force(segs):
    pairs, points = [], []
    for i, j in itertools.combinations(range(len(segs)), 2):
        point = first_common_point(segs[i], segs[j])
        if point is not None:
            pairs.append((i, j))
            points.append((float(point[0]), float(point[1])))
    return pairs, np.array(points, dtype=float).reshape(-1, 2)


small = st.integers(0, 6).map(float)
segment_sets = st.lists(st.tuples(st.tuples(small, small), st.tuples(small, small)), min_size=2, max_size=14)


@settings(max_examples=150, deadline=None)
@given(segment_sets)
def test_bentley_ottmann_equals_brute_force_on_lattice_segments(segs):
    """Small integer coordinates: shared ends, verticals, overlaps and concurrent lines are the rule."""
    assume(all(p != q for p, q in segs))
    pairs, points = bentley_ottmann(segs)
    expected_pairs, expected_points = brute_force(segs)
    assert pairs == expected_pairs
    assert np.array_equal(points, expected_points)
    assert pairs == all_intersections(segs)[0]


@pytest.mark.parametrize("seed", range(3))
def test_bentley_ottmann_equals_brute_force_and_shapely_on_random_segments(seed):
    rng = np.random.default_rng(seed)
    start = rng.random((100, 2))
    segs = np.stack((start, start + rng.normal(0, 0.15, (100, 2))), axis=1)
    pairs, points = bentley_ottmann(segs)
    expected_pairs, expected_points = brute_force(segs.tolist())
    assert pairs == expected_pairs and np.array_equal(points, expected_points)
    lines = shapely.linestrings(segs)
    tree = shapely.STRtree(lines)
    left, right = tree.query(lines, predicate="intersects")
    assert pairs == sorted({(int(i), int(j)) for i, j in zip(left, right) if i < j})


def test_degenerate_sets():
    star = [((-1.0, -k), (1.0, k)) for k in range(-3, 4)] + [((0.0, -5.0), (0.0, 5.0))]  # 8 lines through 0
    points = intersection_points(star)
    assert points == [((0.0, 0.0), list(range(8)))]
    overlapping = [((0.0, 0.0), (4.0, 0.0)), ((2.0, 0.0), (6.0, 0.0)), ((4.0, 0.0), (5.0, 0.0)),
                   ((3.0, -1.0), (3.0, 1.0)), ((0.0, 0.0), (4.0, 0.0))]
    pairs, first = bentley_ottmann(overlapping)
    assert pairs == brute_force(overlapping)[0]
    assert dict(zip(pairs, map(tuple, first.tolist())))[(0, 1)] == (2.0, 0.0)
    verticals = [((1.0, 0.0), (1.0, 3.0)), ((1.0, 2.0), (1.0, 5.0)), ((0.0, 1.0), (2.0, 1.0)),
                 ((0.0, 4.0), (2.0, 4.0)), ((1.0, 5.0), (3.0, 5.0))]
    assert bentley_ottmann(verticals)[0] == brute_force(verticals)[0]


def test_crossings_at_non_float_points_are_found():
    # 0.1 has no exact float; the three crossings are rationals the sweep must order exactly.
    segs = [((0.0, 0.0), (3.0, 1.0)), ((0.0, 1.0), (3.0, 0.0)), ((1.0, -1.0), (1.4, 2.0)),
            ((0.1, 0.3), (2.9, 0.2))]
    assert bentley_ottmann(segs)[0] == brute_force(segs)[0]


def test_animation_and_bad_input():
    segs = np.random.default_rng(9).random((40, 2, 2))
    frames = list(steps_for(segs))
    crossings = len(intersection_points(segs))  # random segments: every one a crossing of exactly two
    assert len(frames) == 80 + crossings + 1 and f"{crossings} intersection point(s)" in frames[-1].caption
    start = np.random.default_rng(9).random((2000, 1, 2))
    assert len(list(steps_for(start + [[0, 0], [0.01, 0.01]]))) <= 402  # thinned to at most MAX_STEPS
    with pytest.raises(InputError, match="at least 2"):
        list(bentley_ottmann_steps([((0, 0), (1, 1))]))
    with pytest.raises(InputError, match="distinct ends"):
        bentley_ottmann([((0, 0), (0, 0)), ((1, 1), (2, 2))])


def rational_sweep(segs):
    return final(bentley_ottmann_steps(segs))


@pytest.mark.parametrize("case", ["random", "shared ends", "verticals", "overlaps", "star", "huge", "tiny"])
def test_compiled_sweep_answers_degenerate_sets_and_equals_the_rational_sweep(case):
    """The numba sweep decides these itself (no fallback) and reports the same points, bit for bit."""
    rng = np.random.default_rng(4)
    start = rng.random((150, 2))
    random_segs = np.stack((start, start + rng.normal(0, 0.1, (150, 2))), axis=1)
    sets = {
        "random": random_segs,
        "shared ends": [((0.0, 0.0), (2.0, 1.0)), ((2.0, 1.0), (3.0, 0.0)), ((0.0, 0.0), (1.0, 3.0)),
                        ((2.0, 1.0), (2.5, 4.0)), ((0.5, 2.0), (3.0, -1.0))],
        "verticals": [((1.0, 0.0), (1.0, 3.0)), ((1.0, 2.0), (1.0, 5.0)), ((0.0, 1.0), (2.0, 1.0)),
                      ((0.0, 4.0), (2.0, 4.0)), ((1.0, 5.0), (3.0, 5.0)), ((0.3, 0.1), (1.7, 2.9))],
        "overlaps": [((0.0, 0.0), (4.0, 0.0)), ((2.0, 0.0), (6.0, 0.0)), ((4.0, 0.0), (5.0, 0.0)),
                     ((3.0, -1.0), (3.0, 1.0)), ((0.0, 0.0), (4.0, 0.0)), ((0.0, 0.0), (3.0, 3.0)),
                     ((1.0, 1.0), (2.0, 2.0)), ((0.5, -1.0), (1.5, 1.0))],
        "star": [((-1.0, -k), (1.0, k)) for k in range(-3, 4)] + [((0.0, -5.0), (0.0, 5.0))],
        "huge": random_segs * 2.0**80 + 2.0**81,  # every coordinate above 2^81: the exact rounding scales down
        "tiny": random_segs * 2.0**-90,
    }
    segs = sets[case]
    assert _compiled(segs) is not None
    assert intersection_points(segs) == rational_sweep(segs)
    pairs, points = bentley_ottmann(segs)
    expected_pairs, expected_points = brute_force(np.asarray(segs).tolist())
    assert pairs == expected_pairs and np.array_equal(points, expected_points)


def test_compiled_sweep_gives_way_where_its_filters_cannot_decide():
    # Three segments through (1/3, 1/3), not a float: the compiled filters cannot tell the crossings apart,
    # so the rational sweep answers, with the same contract.
    segs = [((0.0, 0.0), (1.0, 1.0)), ((0.0, 0.5), (1.0, 0.0)), ((0.0, 1.0), (1.0, -1.0))]
    assert _compiled(segs) is None
    assert intersection_points(segs) == [((1 / 3, 1 / 3), [0, 1, 2])]
    assert bentley_ottmann(segs)[0] == [(0, 1), (0, 2), (1, 2)]
    doubled = [((0.0, 0.0), (4.0, 0.0)), ((0.0, 0.0), (4.0, 0.0)), ((0.1, -0.3), (5.5, 0.7))]  # 1.72 isn't a float
    assert _compiled(doubled) is None and bentley_ottmann(doubled)[0] == [(0, 1), (0, 2), (1, 2)]
    outside = [((0.0, 0.0), (1e60, 1.0)), ((0.0, 1.0), (1e60, 0.0))]  # beyond the predicates' exact range
    assert _compiled(outside) is None and bentley_ottmann(outside)[0] == [(0, 1)]


def test_compiled_sweep_on_thousands_of_segments_matches_shapely():
    """Large enough that the compiled sweep's queue and its table of tested pairs grow several times."""
    rng = np.random.default_rng(11)
    start = rng.random((3000, 2))
    segs = np.stack((start, start + rng.normal(0, 2 / np.sqrt(3000), (3000, 2))), axis=1)
    assert _compiled(segs) is not None
    pairs, points = bentley_ottmann(segs)
    lines = shapely.linestrings(segs)
    left, right = shapely.STRtree(lines).query(lines, predicate="intersects")
    assert pairs == sorted({(int(i), int(j)) for i, j in zip(left, right) if i < j})
    shared = shapely.intersection(lines[[i for i, _ in pairs]], lines[[j for _, j in pairs]])
    assert np.allclose(points, shapely.get_coordinates(shared), rtol=0, atol=1e-12)
