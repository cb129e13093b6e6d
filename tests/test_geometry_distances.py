"""Manhattan ↔ Chebyshev: the rotation preserves the distances it should, and the O(n) farthest pair equals
brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rlgen.geometry.distances import (
    chebyshev,
    manhattan,
    manhattan_farthest_pair,
    manhattan_farthest_pair_brute,
    manhattan_farthest_pair_steps,
    to_chebyshev,
    to_manhattan,
)
from rlgen.geometry.steps import final

integers = st.integers(-1000, 1000).map(float)
point_sets = st.lists(st.tuples(integers, integers), min_size=2, max_size=40)


@settings(max_examples=100, deadline=None)
@given(point_sets)
def test_rotation_turns_manhattan_into_chebyshev_and_back(pts):
    p = np.array(pts)
    uv = to_chebyshev(p)
    for i in range(len(p)):
        for j in range(i + 1, min(len(p), i + 5)):
            assert manhattan(p[i], p[j]) == chebyshev(uv[i], uv[j])
            assert chebyshev(p[i], p[j]) == manhattan(to_manhattan(p)[i], to_manhattan(p)[j])
    assert np.array_equal(to_manhattan(uv), p)


@settings(max_examples=100, deadline=None)
@given(point_sets)
def test_farthest_pair_through_the_rotation_equals_brute_force(pts):
    i, j, d = manhattan_farthest_pair(pts)
    assert d == manhattan_farthest_pair_brute(pts)[2] == manhattan(pts[i], pts[j])


def test_farthest_pair_book_example_and_steps():
    # Corners of a 3 × 4 rectangle with an inner point: the farthest pair is a diagonal, 3 + 4 = 7.
    pts = [(0.0, 0.0), (3.0, 4.0), (3.0, 0.0), (1.0, 1.0)]
    assert manhattan_farthest_pair(pts) == (0, 1, 7.0)
    frames = list(manhattan_farthest_pair_steps(pts))
    assert len(frames) == 3 and "7" in frames[-1].caption
    assert final(manhattan_farthest_pair_steps(pts)) == (0, 1, 7.0)
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        manhattan_farthest_pair([1.0, 2.0, 3.0])
