"""Closest pair, enclosing circle, calipers, polygons, half-planes, Minkowski sums, sweeps, ear clipping,
Delaunay and Voronoi: against brute force, shapely and scipy.spatial."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.spatial import ConvexHull, Delaunay, Voronoi

from rlgen.geometry import (
    all_intersections,
    any_intersection,
    centroid,
    closest_pair,
    convex_hull,
    delaunay,
    diameter,
    ear_clipping,
    half_plane_intersection,
    is_convex,
    is_simple,
    lattice_points,
    min_area_rectangle,
    min_enclosing_circle,
    minkowski_sum,
    perimeter,
    point_in_polygon,
    polygon_area,
    signed_area,
    voronoi,
    width,
)
from rlgen.geometry.predicates import incircle_adaptive, orient_exact
from rlgen.geometry.steps import final
from rlgen.geometry.vectors import (
    angle,
    are_parallel,
    cross,
    dot,
    line_intersection,
    point_segment_distance,
    project,
    rotate,
    segment_intersection,
)

small = st.integers(0, 12).map(float)
lattice_points_strategy = st.lists(st.tuples(small, small), min_size=2, max_size=40)
float_points = st.lists(st.tuples(st.floats(-100, 100), st.floats(-100, 100)), min_size=2, max_size=40)


@settings(max_examples=120, deadline=None)
@given(st.one_of(lattice_points_strategy, float_points))
def test_closest_pair_equals_brute_force(pts):
    points = np.array(pts)
    i, j, d = closest_pair(points)
    brute = min(math.dist(a, b) for a, b in itertools.combinations(pts, 2))
    assert d == pytest.approx(brute, abs=1e-12)
    assert math.dist(points[i], points[j]) == pytest.approx(d, abs=1e-12) and i < j
    assert final(__import__("rlgen.geometry.closest", fromlist=["x"]).closest_pair_steps(points))[2] == pytest.approx(
        brute, abs=1e-12)


def test_closest_pair_on_many_points_on_one_vertical_line_and_with_duplicates():
    rng = np.random.default_rng(1)
    line = np.column_stack((np.full(3000, 7.0), rng.random(3000)))
    ys = np.sort(line[:, 1])
    assert closest_pair(line)[2] == pytest.approx(np.diff(ys).min())
    dup = np.vstack((rng.random((500, 2)), [[0.25, 0.75], [0.25, 0.75]]))
    assert closest_pair(dup)[2] == 0.0
    with pytest.raises(ValueError, match="at least 2"):
        closest_pair([(1, 1)])


def brute_force_mec(pts):
    best = None
    candidates = []
    for a, b in itertools.combinations(pts, 2):
        candidates.append(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, math.dist(a, b) / 2))
    from rlgen.geometry.circle import circumcircle

    for a, b, c in itertools.combinations(pts, 3):
        circle = circumcircle(a, b, c)
        if circle:
            candidates.append(circle)
    for c in candidates:
        if all(math.dist(c[:2], p) <= c[2] * (1 + 1e-9) + 1e-9 for p in pts) and (best is None or c[2] < best[2]):
            best = c
    return best


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(small, small), min_size=2, max_size=12), st.integers(0, 5))
def test_min_enclosing_circle_equals_brute_force(pts, seed):
    assume(len(set(pts)) >= 2)
    cx, cy, r = min_enclosing_circle(pts, seed=seed)
    assert r == pytest.approx(brute_force_mec(pts)[2], rel=1e-9)
    assert all(math.dist((cx, cy), p) <= r * (1 + 1e-9) for p in pts)


def test_min_enclosing_circle_degenerate():
    assert min_enclosing_circle([(3, 4)]) == (3.0, 4.0, 0.0)
    assert min_enclosing_circle([(0, 0), (2, 0), (4, 0)]) == pytest.approx((2.0, 0.0, 2.0))
    with pytest.raises(ValueError, match="at least one point"):
        min_enclosing_circle([])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(small, small), min_size=3, max_size=30))
def test_calipers_against_brute_force_and_shapely(pts):
    points = np.array(pts)
    hull = convex_hull(points)
    assume(len(hull) >= 3)
    brute = max(math.dist(a, b) for a, b in itertools.combinations(pts, 2))
    assert diameter(points)[2] == pytest.approx(brute)
    edges = [(hull[k], hull[(k + 1) % len(hull)]) for k in range(len(hull))]
    brute_width = min(max(abs(cross(b - a, p - a)) / np.hypot(*(b - a)) for p in hull) for a, b in edges)
    assert width(points) == pytest.approx(brute_width)
    area, corners = min_area_rectangle(points)
    assert area == pytest.approx(shapely.multipoints(points).minimum_rotated_rectangle.area, rel=1e-9)
    assert shapely.Polygon(corners).buffer(1e-7).contains(shapely.multipoints(points))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(small, small), min_size=3, max_size=10, unique=True))
def test_polygon_measures_against_shapely(pts):
    poly = shapely.Polygon(pts)
    assume(poly.is_valid and poly.area > 0)
    assert is_simple(pts)
    assert polygon_area(pts) == pytest.approx(poly.area)
    assert perimeter(pts) == pytest.approx(poly.length)
    assert centroid(pts) == pytest.approx((poly.centroid.x, poly.centroid.y))
    assert is_convex(pts) == (abs(poly.convex_hull.area - poly.area) < 1e-12)
    for q in itertools.product(np.arange(-0.5, 13, 1.5), repeat=2):
        point = shapely.Point(q)
        expected = 0 if poly.boundary.distance(point) == 0 else (1 if poly.contains(point) else -1)
        assert point_in_polygon(q, pts, method="ray") == expected
        assert point_in_polygon(q, pts, method="winding") == expected
    interior, boundary = lattice_points(pts)
    grid = [shapely.Point(x, y) for x in range(13) for y in range(13)]
    assert interior == sum(poly.contains(p) for p in grid)
    assert boundary == sum(poly.boundary.distance(p) == 0 for p in grid)


def test_polygon_orientation_and_self_intersection():
    square = [(0, 0), (1, 0), (1, 1), (0, 1)]
    assert signed_area(square) == 1.0 and signed_area(square[::-1]) == -1.0
    bowtie = [(0, 0), (2, 2), (2, 0), (0, 2)]
    assert not is_simple(bowtie)
    with pytest.raises(ValueError, match="simple polygon"):
        ear_clipping(bowtie)
    with pytest.raises(ValueError, match="integer"):
        lattice_points([(0, 0), (1.5, 0), (0, 1)])
    with pytest.raises(ValueError, match="at least 3"):
        polygon_area([(0, 0), (1, 1)])


# most random point lists are not simple polygons and are filtered out by assume(); that is the point of the test
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(st.tuples(small, small), min_size=3, max_size=14, unique=True))
def test_ear_clipping_triangulates_simple_polygons(pts):
    poly = shapely.Polygon(pts)
    assume(poly.is_valid and poly.area > 0 and is_simple(pts))
    triangles = ear_clipping(pts)
    p = np.array(pts)
    assert sum(polygon_area(p[t]) for t in triangles) == pytest.approx(poly.area)
    for t in triangles:
        assert signed_area(p[t]) > 0
        assert poly.buffer(1e-9).contains(shapely.Polygon(p[t]))


def halfplane_polygon(p, q, big=1e4):
    d = np.subtract(q, p) / np.hypot(*np.subtract(q, p))
    n = np.array([-d[1], d[0]])
    p = np.asarray(p, float)
    return shapely.Polygon([p - big * d, p + big * d, p + big * d + big * n, p - big * d + big * n])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.tuples(small, small), st.tuples(small, small)), min_size=1, max_size=8))
def test_half_plane_intersection_against_shapely(planes):
    assume(all(p != q for p, q in planes))
    box = (-1.0, -1.0, 13.0, 13.0)
    ours = half_plane_intersection(planes, box=box)
    region = shapely.box(*box)
    # each distinct half-plane once, drawn just past the box: GEOS collapsed a 1.04-area triangle to two points
    # when the same 10^4-wide half-plane polygon was intersected twice
    for p, q in dict.fromkeys(planes):
        region = region.intersection(halfplane_polygon(p, q, big=100))
    ours_area = polygon_area(ours) if len(ours) >= 3 else 0.0
    assert ours_area == pytest.approx(region.area, abs=1e-6)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(small, small), min_size=1, max_size=12),
       st.lists(st.tuples(small, small), min_size=1, max_size=12))
def test_minkowski_sum_equals_hull_of_pairwise_sums(a, b):
    sums = np.array([(p[0] + q[0], p[1] + q[1]) for p in a for q in b])
    assert np.array_equal(minkowski_sum(a, b), convex_hull(sums))


segment_strategy = st.lists(st.tuples(st.tuples(small, small), st.tuples(small, small)), min_size=2, max_size=12)


@settings(max_examples=60, deadline=None)
@given(segment_strategy)
def test_sweeps_against_brute_force_with_shapely(segs):
    assume(all(p != q for p, q in segs))
    brute = sorted(
        (i, j) for i, j in itertools.combinations(range(len(segs)), 2)
        if shapely.LineString(segs[i]).intersects(shapely.LineString(segs[j]))
    )
    pairs, points = all_intersections(segs)
    assert pairs == brute
    found = any_intersection(segs)
    assert (found is None) == (not brute)
    if found is not None:
        assert found in brute
    for (i, _), point in zip(pairs, points):
        assert shapely.LineString(segs[i]).distance(shapely.Point(point)) < 1e-9


def empty_circumcircles(points, triangles) -> bool:
    pts = [tuple(p) for p in points.tolist()]
    return all(incircle_adaptive(pts[a], pts[b], pts[c], p) <= 0 for a, b, c in triangles.tolist() for p in pts)


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.lists(st.tuples(small, small), min_size=3, max_size=40),
                 st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=3, max_size=40)))
def test_delaunay_is_a_delaunay_triangulation_of_the_hull(pts):
    points = np.array(pts)
    triangles = delaunay(points)
    hull = convex_hull(points)
    if len(hull) < 3:
        assert len(triangles) == 0
        return
    for a, b, c in triangles.tolist():
        assert orient_exact(tuple(points[a]), tuple(points[b]), tuple(points[c])) > 0
    assert sum(polygon_area(points[t]) for t in triangles) == pytest.approx(polygon_area(hull))
    assert empty_circumcircles(points, triangles)
    # Cocircular inputs may triangulate differently from Qhull, but the count is fixed: 2n − 2 − h.
    distinct = np.unique(points, axis=0)
    assert len(triangles) == 2 * len(distinct) - 2 - len(convex_hull(points, keep_collinear=True))
    if np.all(points == np.round(points)):  # on lattices Qhull is exact too (it merges tiny coordinates)
        assert len(triangles) == len(Delaunay(distinct).simplices)
    used = set(triangles.ravel().tolist())
    assert {tuple(points[i]) for i in used} == set(map(tuple, points.tolist()))


def test_delaunay_matches_scipy_on_random_points():
    points = np.random.default_rng(5).random((500, 2))
    ours = {tuple(sorted(t)) for t in delaunay(points).tolist()}
    theirs = {tuple(sorted(t)) for t in Delaunay(points).simplices.tolist()}
    assert ours == theirs


def test_voronoi_vertices_match_scipy():
    points = np.random.default_rng(6).random((200, 2))
    ours = voronoi(points)
    theirs = Voronoi(points)
    a = np.array(sorted(map(tuple, np.round(ours["vertices"], 9).tolist())))
    b = np.array(sorted(map(tuple, np.round(theirs.vertices, 9).tolist())))
    assert np.allclose(a, b)
    assert len(ours["edges"]) + len(ours["rays"]) == len(theirs.ridge_points)
    assert len(ours["rays"]) == len(ConvexHull(points).vertices)


def test_vectors_and_lines():
    assert dot((1, 2), (3, 4)) == 11 and cross((1, 0), (0, 1)) == 1
    assert angle((1, 0), (0, 1)) == pytest.approx(math.pi / 2)
    assert rotate((1, 0), math.pi / 2) == pytest.approx((0, 1))
    assert project((1, 1), (0, 0), (2, 0)) == pytest.approx((1, 0))
    assert line_intersection((0, 0), (1, 1), (0, 1), (1, 0)) == pytest.approx((0.5, 0.5))
    assert line_intersection((0, 0), (1, 1), (0, 1), (1, 2)) is None
    assert are_parallel((0, 0), (1, 1), (5, 0), (7, 2))
    assert segment_intersection((0, 0), (2, 0), (1, 0), (3, 0)) == (1, 0)
    assert segment_intersection((0, 0), (1, 0), (0, 1), (1, 1)) is None
    assert point_segment_distance((3, 4), (0, 0), (0, 1)) == pytest.approx(math.dist((3, 4), (0, 1)))
    with pytest.raises(ValueError, match="coincide"):
        project((1, 1), (0, 0), (0, 0))
    with pytest.raises(ValueError, match="distinct ends"):
        any_intersection([((0, 0), (0, 0)), ((1, 1), (2, 2))])
