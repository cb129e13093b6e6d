"""The 3-D convex hull against Qhull (scipy.spatial.ConvexHull), exact orient3d against rationals, and the
sketchpad's 3-D handler with bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import ConvexHull

from rlgen.errors import InputError
from rlgen.geometry import hull3d
from rlgen.geometry.hull3d import convex_hull_3d, orient3d, orient3d_exact, volume
from rlgen.ui.geometry3d import hull3d_frames

coordinate = st.integers(-3, 3).map(float)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(coordinate, coordinate, coordinate), min_size=4, max_size=4))
def test_orient3d_filter_equals_rationals(quad):
    assert orient3d(*quad) == orient3d_exact(*quad)


def test_orient3d_sign_convention_and_near_degenerate_points():
    a, b, c = (0.0, 0.0, 0.0), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0)
    assert orient3d(a, b, c, (0.0, 0.0, 1.0)) == 1 and orient3d(a, b, c, (0.3, 0.3, -1.0)) == -1
    # Points within an ulp of the plane x + y + z = 1.5 through three points that are not axis-aligned.
    rng = np.random.default_rng(0)
    p, q, r = (0.5, 0.5, 0.5), (1.5, 0.0, 0.0), (0.0, 0.25, 1.25)
    for _ in range(300):
        x, y = rng.random(2)
        d = (x, y, float(np.nextafter(1.5 - x - y, rng.choice([-9.0, 9.0]))))
        assert orient3d(p, q, r, d) == orient3d_exact(p, q, r, d)


@pytest.mark.parametrize("shape, n", [("ball", 200), ("sphere", 120), ("cube", 150)])
def test_hull_matches_qhull(shape, n):
    points = hull3d.sample(shape, n, seed=3)
    faces = convex_hull_3d(points, seed=1)
    qhull = ConvexHull(points)
    assert volume(points, faces) == pytest.approx(qhull.volume, rel=1e-12)
    centre = points.mean(axis=0)
    for f in faces:  # outward: the centroid is strictly below every face
        assert orient3d(*(tuple(points[v]) for v in f), tuple(centre)) < 0
    ours = set(np.unique(faces).tolist())
    if shape == "cube":  # the corners; points on the faces may stay as flat vertices
        assert set(qhull.vertices.tolist()) <= ours
    else:
        assert ours == set(qhull.vertices.tolist()) and len(faces) == 2 * len(ours) - 4


def test_degenerate_clouds():
    flat = np.column_stack((np.random.default_rng(0).random((20, 2)), np.zeros(20)))
    assert convex_hull_3d(flat).shape == (0, 3)
    sphere = hull3d.sample("sphere", 30, 2)
    points = np.vstack((sphere, sphere[:10], [[0, 0, 0]]))
    used = np.unique(convex_hull_3d(points))
    assert len(used) == 30 and 40 not in used  # each duplicate once (either copy), the centre left out
    assert {tuple(v) for v in points[used].tolist()} == {tuple(v) for v in sphere.tolist()}


def test_handler_streams_and_compares_with_qhull():
    frames = list(hull3d_frames("ball", 40, 5, False))
    assert len(frames) >= 1
    figure, status, seed = frames[-1]
    assert seed == 5 and "Qhull" in status and len(figure.data) >= 2
    with pytest.raises(InputError, match="between 4 and 400"):
        list(hull3d_frames("ball", 1000, 0, False))
    with pytest.raises(InputError, match="Unknown cloud"):
        list(hull3d_frames("torus", 40, 0, False))
