"""The treap that holds the compiled sweep's status: order kept through merges, heap order of priorities, a
depth of O(log n) whatever the order of insertion, and the same sweep as with the sorted array it replaced."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rlgen.bench.geometry import long_segments, random_segments
from rlgen.geometry.bentley_ottmann import _as_rows
from rlgen.geometry.bentley_ottmann_fast import sweep
from rlgen.geometry.treap import EMPTY, LEFT, PRIORITY, RIGHT, chain, first, merge, new_treap, without_first


def drained(tree, root) -> list[int]:
    """Every node in order, by taking the first one off until the treap is empty."""
    nodes = []
    while root != EMPTY:
        nodes.append(int(first(tree, root)))
        root = without_first(tree, root)
    return nodes


def depth_and_heap_order(tree, root) -> int:
    """The treap's depth; asserts on the way that every parent's priority is above its children's."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for side in (LEFT, RIGHT):
            child = tree[side, node]
            if child != EMPTY:
                assert tree[PRIORITY, node] > tree[PRIORITY, child]
                stack.append((child, depth + 1))
    return deepest


def test_merged_treaps_keep_their_order_and_a_logarithmic_depth():
    n = 20_000
    tree = new_treap(n)
    assert len(np.unique(tree[PRIORITY])) == n
    order = np.random.default_rng(0).permutation(n)
    left, right = chain(tree, order[: n // 2], n // 2), chain(tree, order[n // 2:], n - n // 2)
    root = merge(tree, left, right)
    # nodes inserted in order one after another: a plain binary search tree would be a path of depth n
    assert depth_and_heap_order(tree, root) < 4 * math.log2(n)
    assert drained(tree, root) == order.tolist()


def test_an_empty_treap_merges_to_the_other_side():
    tree = new_treap(3)
    root = chain(tree, np.array([2, 0, 1]), 3)
    assert merge(tree, EMPTY, root) == root == merge(tree, root, EMPTY)
    assert first(tree, EMPTY) == EMPTY and merge(tree, EMPTY, EMPTY) == EMPTY


@pytest.mark.parametrize("make, n", [(random_segments, 3000), (long_segments, 3000)])
def test_treap_and_sorted_array_statuses_sweep_alike(make, n):
    """Short segments spread over the plane, and long ones that all cross the line x = 1/2 (the status then
    holds every segment): the same points, makers and groups, bit for bit."""
    rows = _as_rows(make(n, np.random.default_rng(n)))
    treap, array = sweep(rows, True), sweep(rows, False)
    assert treap[0] and array[0] and len(treap[1]) > n // 3
    for a, b in zip(treap[1:], array[1:]):
        assert np.array_equal(a, b)


def test_treap_and_sorted_array_statuses_sweep_alike_on_lattice_segments():
    """Shared ends, verticals, overlaps and many segments through one point, where the run through an event
    point is long and the filters give way alike."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        segs = rng.integers(0, 6, (int(rng.integers(2, 30)), 2, 2)).astype(float)
        rows = _as_rows(segs)
        if rows is None:
            continue
        treap, array = sweep(rows, True), sweep(rows, False)
        assert treap[0] == array[0]
        if treap[0]:
            assert all(np.array_equal(a, b) for a, b in zip(treap[1:], array[1:]))
