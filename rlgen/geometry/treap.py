"""A treap in numba arrays: the compiled Bentley–Ottmann sweep's status, O(log n) expected per operation.

A treap is a binary search tree whose nodes also carry a priority, kept in heap order (a parent's priority is
above its children's). With priorities drawn at random its shape is that of a random binary search tree, so
its expected depth is O(log n) (Seidel and Aragon, *Randomized search trees*, 1996), whatever the order of
insertions. Every operation here is a walk down one or two root-to-leaf paths.

The status needs no keys: a node's place is decided by walking down and asking the geometry which side to
take (see ``_split_below`` in :mod:`rlgen.geometry.bentley_ottmann_fast`); merging two treaps whose nodes
are already in order needs only the priorities. Nodes are the segments themselves (a segment is in the status
at most once), so the tree is one (3, n) int64 array: ``tree[LEFT, k]`` and ``tree[RIGHT, k]`` are node k's
children (-1 for none) and ``tree[PRIORITY, k]`` a fixed hash of k (deterministic, yet as good as random here).
"""

from __future__ import annotations

import numpy as np
from numba import njit

LEFT, RIGHT, PRIORITY = 0, 1, 2
EMPTY = -1


@njit(cache=True)
def new_treap(n: int) -> np.ndarray:  # pragma: no cover - compiled
    """Room for nodes 0..n-1, none of them linked yet; priorities from a multiply–xorshift hash of the node."""
    tree = np.full((3, n), EMPTY, dtype=np.int64)
    for k in range(n):
        z = (k + 1) * 0x5851F42D4C957F2D  # int64 multiplication wraps: a cheap mixing hash
        z ^= (z >> 31) & 0x1FFFFFFFF
        z *= 0x2545F4914F6CDD1D
        tree[PRIORITY, k] = z ^ ((z >> 29) & 0x7FFFFFFFF)
    return tree


@njit(cache=True, inline="always")
def attach(tree, root, parent, side, node) -> int:  # pragma: no cover - compiled
    """Hang node under parent on the given side (LEFT or RIGHT); returns the root (node itself when no parent)."""
    if parent == EMPTY:
        return node
    tree[side, parent] = node
    return root


@njit(cache=True)
def merge(tree, a: int, b: int) -> int:  # pragma: no cover - compiled
    """The treap of a's nodes followed by b's (every node of a comes before every node of b in order). Walks
    down a's right spine and b's left spine, the higher priority on top at each step."""
    root = parent = EMPTY
    side = LEFT
    while a != EMPTY and b != EMPTY:
        if tree[PRIORITY, a] > tree[PRIORITY, b]:  # a stays on top; its right subtree merges with b
            root = attach(tree, root, parent, side, a)
            parent, side, a = a, RIGHT, tree[RIGHT, a]
        else:  # b stays on top; a merges with its left subtree
            root = attach(tree, root, parent, side, b)
            parent, side, b = b, LEFT, tree[LEFT, b]
    return attach(tree, root, parent, side, a if a != EMPTY else b)


@njit(cache=True)
def chain(tree, items, count: int) -> int:  # pragma: no cover - compiled
    """A treap of items[:count], in that order (each merged on the right: O(count log count))."""
    root = EMPTY
    for m in range(count):
        node = items[m]
        tree[LEFT, node] = tree[RIGHT, node] = EMPTY
        root = merge(tree, root, node)
    return root


@njit(cache=True)
def first(tree, root: int) -> int:  # pragma: no cover - compiled
    """The first node in order (EMPTY for an empty treap)."""
    if root == EMPTY:
        return EMPTY
    while tree[LEFT, root] != EMPTY:
        root = tree[LEFT, root]
    return root


@njit(cache=True)
def without_first(tree, root: int) -> int:  # pragma: no cover - compiled
    """The treap with its first node removed (its right subtree takes its place; heap order holds)."""
    parent, node = EMPTY, root
    while tree[LEFT, node] != EMPTY:
        parent, node = node, tree[LEFT, node]
    if parent == EMPTY:
        return tree[RIGHT, node]
    tree[LEFT, parent] = tree[RIGHT, node]
    return root
