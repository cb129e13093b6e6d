"""The compiled Delaunay (numba Bowyer–Watson, Shewchuk expansions): exact predicates against rationals,
triangulations against scipy (Qhull) and the animated version, degenerate input, Voronoi against scipy."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import Delaunay, Voronoi

from rlgen.geometry import convex_hull, delaunay, voronoi
from rlgen.geometry.bowyer_watson import delaunay_triangles, hilbert_keys, insertion_order, triangulate_sorted
from rlgen.geometry.delaunay import delaunay_steps
from rlgen.geometry.expansions import incircle, orient
from rlgen.geometry.predicates import incircle_exact, orient_exact
from rlgen.geometry.steps import final

coordinate = st.one_of(st.integers(-4, 4).map(float), st.floats(-1e3, 1e3, allow_subnormal=False).filter(
    lambda v: v == 0 or 1e-40 < abs(v)))


def near_line(rng, k):
    """Points within a few ulps of the line y = x (Kettner et al.): the float determinant's sign is noise."""
    base = 0.5 + rng.integers(0, 64, (k, 2)) * 2.0**-53
    return [tuple(p) for p in base.tolist()]


def test_orient_expansion_equals_rationals_where_floats_fail():
    rng = np.random.default_rng(0)
    q, r = (12.0, 12.0), (24.0, 24.0)
    for p in near_line(rng, 400):
        assert orient(*p, *q, *r) == orient_exact(p, q, r)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(coordinate, coordinate), min_size=4, max_size=4))
def test_incircle_and_orient_expansions_equal_rationals(quad):
    a, b, c, d = quad
    assert orient(*a, *b, *c) == orient_exact(a, b, c)
    assert incircle(*a, *b, *c, *d) == incircle_exact(a, b, c, d)


def test_incircle_expansion_on_cocircular_and_perturbed_points():
    rng = np.random.default_rng(1)
    # Points of a circle of radius 5 through lattice points, then moved by one ulp.
    circle = [(3.0, 4.0), (-4.0, 3.0), (-3.0, -4.0), (5.0, 0.0), (0.0, -5.0)]
    a, b, c = circle[:3]
    for d in circle[3:]:
        assert incircle(*a, *b, *c, *d) == 0 == incircle_exact(a, b, c, d)
    for _ in range(200):
        d = tuple(np.nextafter(np.array(circle[3]), rng.choice([-1e9, 1e9], 2)).tolist())
        assert incircle(*a, *b, *c, *d) == incircle_exact(a, b, c, d) != 0


def canonical(triangles):
    return {tuple(sorted(t)) for t in np.asarray(triangles).tolist()}


@pytest.mark.parametrize("n", [3, 10, 2000])
def test_compiled_delaunay_equals_qhull_on_random_points(n):
    points = np.random.default_rng(n).random((n, 2))
    assert canonical(delaunay_triangles(points)) == canonical(Delaunay(points).simplices)


def test_compiled_kernel_output_is_unchanged_on_random_duplicate_and_collinear_points():
    """The kernel's exact output, triangles in their order and each point's duplicate, on 326 points: random
    ones, a row and a column of collinear points, a lattice (cocircular fours), and repeats of all three. The
    digest was recorded before the kernel was split into named functions; an intended change to the
    algorithm (not to its layout) records it again."""
    rng = np.random.default_rng(11)
    scattered = rng.random((200, 2))
    row = np.column_stack((np.arange(30) / 32, np.full(30, 0.5)))
    column = np.column_stack((np.full(10, 0.25), np.arange(10) / 16))
    lattice = np.array([(i / 8, j / 8) for i in range(6) for j in range(6)])
    points = np.vstack((scattered, row, column, lattice, scattered[::5], row[::3]))
    order = insertion_order(points, 0)
    triangles, same_as = triangulate_sorted(np.ascontiguousarray(points[order, 0]),
                                            np.ascontiguousarray(points[order, 1]))
    assert triangles.shape == (509, 3) and int((same_as != np.arange(len(points))).sum()) == 61
    digest = hashlib.sha256(triangles.astype(np.int32).tobytes() + same_as.astype(np.int64).tobytes())
    assert digest.hexdigest() == "bd9576bc309deb89361f7f6b6a83917dbe52e8216fcf9a580b63fa3645423d05"


def check_delaunay(points, triangles):
    """Counter-clockwise, empty circumcircles (exact), 2n − 2 − h triangles."""
    pts = [tuple(p) for p in points.tolist()]
    for a, b, c in triangles.tolist():
        assert orient_exact(pts[a], pts[b], pts[c]) > 0
        assert all(incircle_exact(pts[a], pts[b], pts[c], p) <= 0 for p in set(pts))
    distinct = len(set(pts))
    hull = len(convex_hull(points, keep_collinear=True))
    assert len(triangles) == (2 * distinct - 2 - hull if hull > 2 or distinct > hull else 0)


def test_compiled_delaunay_on_degenerate_inputs():
    lattice = np.array([(i, j) for i in range(9) for j in range(9)], dtype=float)
    theta = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    ring = np.column_stack((np.cos(theta), np.sin(theta)))
    cases = {
        "lattice": lattice,
        "lattice with duplicates": np.vstack((lattice, lattice[::3])),
        "cocircular ring and centre": np.vstack((ring, [[0.0, 0.0]], ring[:7])),
        "line plus one point": np.vstack((np.column_stack((np.arange(12.0), np.zeros(12))), [[4.0, 1.0]])),
        "points on the hull's edges": np.vstack(([[0, 0], [8, 0], [8, 8], [0, 8]],
                                                 [[k, 0] for k in range(1, 8)], [[0, k] for k in range(1, 8)])),
        "near the line y = x": np.array(near_line(np.random.default_rng(2), 60) + [(12.0, 12.0), (24.0, 24.0)]),
    }
    for name, points in cases.items():
        triangles = delaunay_triangles(points.astype(float))
        check_delaunay(points.astype(float), triangles)
        assert len(triangles) == len(final(delaunay_steps(points, stride=len(points)))), name


def test_compiled_delaunay_all_collinear_or_equal_gives_no_triangles():
    assert delaunay_triangles(np.column_stack((np.arange(20.0), 2 * np.arange(20.0)))).shape == (0, 3)
    assert delaunay_triangles(np.ones((5, 2))).shape == (0, 3)


def test_duplicates_are_named_by_their_lowest_index():
    points = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [0, 0], [1, 1]], dtype=float)
    used = set(delaunay_triangles(points).ravel().tolist())
    assert used == {0, 1, 2, 3}


def test_out_of_range_coordinates_take_the_rational_path():
    points = np.array([[0, 0], [1e-200, 0], [0, 1e-200], [1e-200, 1e-200], [5e-201, 5e-201]])
    triangles = delaunay(points)
    check_delaunay(points, triangles)


def test_insertion_order_is_a_permutation_and_hilbert_keys_are_local():
    points = np.random.default_rng(3).random((5000, 2))
    order = insertion_order(points, seed=1)
    assert np.array_equal(np.sort(order), np.arange(5000))
    keys = np.argsort(hilbert_keys(points[:, 0].copy(), points[:, 1].copy()))
    steps = np.linalg.norm(np.diff(points[keys], axis=0), axis=1)
    assert steps.mean() < 0.05  # a random order would step ~0.52 on average


def test_voronoi_from_compiled_delaunay_matches_scipy():
    points = np.random.default_rng(7).random((3000, 2))
    ours, theirs = voronoi(points), Voronoi(points)
    a = np.array(sorted(map(tuple, np.round(ours["vertices"], 8).tolist())))
    b = np.array(sorted(map(tuple, np.round(theirs.vertices, 8).tolist())))
    assert a.shape == b.shape and np.allclose(a, b)
    assert canonical(ours["ridge_points"].tolist()) == {tuple(sorted(r)) for r in theirs.ridge_points.tolist()}
