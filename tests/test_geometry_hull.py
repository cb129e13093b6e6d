"""Convex hull and predicates against shapely (GEOS), scipy (Qhull) and exact arithmetic, on random and
degenerate inputs."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import ConvexHull

from rlgen.geometry import Predicates, convex_hull, graham_scan, monotone_chain, orient_adaptive, orient_exact
from rlgen.geometry.hull import _throw_away
from rlgen.geometry.predicates import incircle_adaptive, incircle_exact, orient_many, orientation_grid

coordinate = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
lattice = st.integers(-5, 5).map(float)
point_lists = st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=60)
lattice_lists = st.lists(st.tuples(lattice, lattice), min_size=1, max_size=60)


def exact_is_hull(points: np.ndarray, hull: np.ndarray) -> bool:
    """Every hull turn is strictly left and every point is on or left of every hull edge: exact, with the
    float filter deciding the certain cases and Fractions the rest."""
    h = [tuple(v) for v in hull.tolist()]
    if len(h) < 3:
        return True
    for k in range(len(h)):
        a, b = h[k], h[(k + 1) % len(h)]
        if orient_exact(a, b, h[(k + 2) % len(h)]) <= 0:
            return False
        signs = orient_many(np.broadcast_to(a, points.shape), np.broadcast_to(b, points.shape), points)
        if (signs < 0).any():
            return False
        if any(orient_exact(a, b, tuple(p)) < 0 for p in points[signs == 0].tolist()):
            return False
    return True


def shapely_hull_vertices(points: np.ndarray) -> set:
    geometry = shapely.multipoints(points).convex_hull
    if geometry.geom_type == "Polygon":
        return set(map(tuple, np.asarray(geometry.exterior.coords)[:-1].tolist()))
    return set(map(tuple, np.asarray(geometry.coords).tolist()))


@settings(max_examples=150, deadline=None)
@given(lattice_lists)
def test_hull_vertices_equal_shapely_on_integer_lattices(pts):
    points = np.array(pts)
    assert set(map(tuple, convex_hull(points).tolist())) == shapely_hull_vertices(points)


@settings(max_examples=150, deadline=None)
@given(point_lists)
def test_hull_is_exactly_convex_and_contains_every_point(pts):
    points = np.array(pts)
    hull = convex_hull(points)
    assert exact_is_hull(points, hull)
    assert np.array_equal(hull, monotone_chain(points))
    assert set(map(tuple, graham_scan(points).tolist())) == set(map(tuple, hull.tolist()))


@settings(max_examples=80, deadline=None)
@given(point_lists, st.sampled_from([1e-300, 1e-9, 1.0, 1e9, 1e300]))
def test_hull_survives_huge_and_tiny_coordinates(pts, scale):
    points = np.array(pts) * scale
    hull = convex_hull(points)
    assert exact_is_hull(points, hull)
    if len(hull) >= 3 and scale == 1.0:
        assert abs(shapely.multipoints(points).convex_hull.area - shapely.Polygon(hull).area) <= 1e-9 * max(
            1.0, shapely.Polygon(hull).area)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(lattice, lattice), min_size=65, max_size=200))
def test_vectorized_front_end_matches_plain_monotone_chain(pts):
    points = np.array(pts)
    assert np.array_equal(convex_hull(points), monotone_chain(points))
    assert np.array_equal(convex_hull(points, keep_collinear=True), monotone_chain(points, keep_collinear=True))


def test_hull_of_random_points_matches_qhull():
    points = np.random.default_rng(3).normal(size=(20_000, 2))
    ours = set(map(tuple, convex_hull(points).tolist()))
    qhull = set(map(tuple, points[ConvexHull(points).vertices].tolist()))
    assert ours == qhull


def test_points_on_a_tiny_far_circle_are_all_kept_where_qhull_drops_some():
    theta = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    circle = np.column_stack((1000 + 1e-7 * np.cos(theta), 1000 + 1e-7 * np.sin(theta)))
    hull = convex_hull(circle)
    assert exact_is_hull(circle, hull)
    assert len(hull) > len(ConvexHull(circle).vertices)


def test_degenerate_inputs():
    assert convex_hull([]).shape == (0, 2)
    assert convex_hull([(1, 2)]).tolist() == [[1, 2]]
    assert convex_hull([(1, 2)] * 5).tolist() == [[1, 2]]
    line = [(float(i), 2.0 * i) for i in range(10)]
    assert convex_hull(line).tolist() == [[0, 0], [9, 18]]
    assert len(convex_hull(line, keep_collinear=True)) == 10
    assert len(graham_scan(line, keep_collinear=True)) == 10
    square = [(0, 0), (2, 0), (2, 2), (0, 2), (1, 0), (2, 1), (1, 1), (0, 0)]
    assert convex_hull(square).tolist() == [[0, 0], [2, 0], [2, 2], [0, 2]]
    assert convex_hull(square, keep_collinear=True).tolist() == [[0, 0], [1, 0], [2, 0], [2, 1], [2, 2], [0, 2]]
    assert graham_scan(square, keep_collinear=True).tolist() == [[0, 0], [1, 0], [2, 0], [2, 1], [2, 2], [0, 2]]


@pytest.mark.parametrize("bad", [[(0, np.nan)], [(np.inf, 0)] * 100, [[1, 2, 3]]])
def test_bad_coordinates_are_refused_with_a_message(bad):
    with pytest.raises(ValueError, match="NaN|infinite|array"):
        convex_hull(bad)


def test_octagon_filter_only_discards_interior_points():
    points = np.random.default_rng(0).random((50_000, 2))
    kept = _throw_away(points)
    hull = set(map(tuple, convex_hull(points).tolist()))
    assert hull <= set(map(tuple, points[kept].tolist()))
    assert len(kept) < 2_000


@settings(max_examples=200, deadline=None)
@given(st.tuples(coordinate, coordinate), st.tuples(coordinate, coordinate), st.tuples(coordinate, coordinate))
def test_adaptive_orientation_equals_exact(a, b, c):
    assert orient_adaptive(a, b, c) == orient_exact(a, b, c)
    certain = orient_many(np.array([a]), np.array([b]), np.array([c]))[0]
    assert certain in (0, orient_exact(a, b, c))


def test_adaptive_incircle_equals_exact_on_cocircular_lattice_points():
    pts = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (2.0, 2.0), (5.0, 5.0), (0.1, 0.2)]
    for d in pts:
        assert incircle_adaptive(pts[0], pts[1], pts[2], d) == incircle_exact(pts[0], pts[1], pts[2], d)
    assert incircle_exact(pts[0], pts[1], pts[2], pts[3]) == 0


def test_float_and_exact_orientation_disagree_on_kettners_grid():
    float_signs, exact_signs = orientation_grid(64)
    assert (float_signs != exact_signs).sum() > 0
    # Exact: p is left of q→r iff it lies above the line y = x (p_y > p_x).
    i = np.arange(64)
    expected = np.sign(i[:, None] - i[None, :])
    assert np.array_equal(exact_signs, expected)


def test_float_predicate_with_eps_calls_near_collinear_points_collinear():
    a, b, c = (0.0, 0.0), (1.0, 0.0), (0.5, 1e-12)
    assert Predicates("float", eps=1e-9).orient(a, b, c) == 0
    assert Predicates("exact").orient(a, b, c) == 1
    assert Predicates("adaptive").orient(a, b, c) == 1
    with pytest.raises(ValueError, match="EPS"):
        Predicates("float", eps=-1)
    assert Fraction(0.5) == Fraction(1, 2)
