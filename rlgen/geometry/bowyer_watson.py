"""Compiled Bowyer–Watson: the same algorithm as :mod:`rlgen.geometry.delaunay`, at Qhull's speed.

Same ideas as the animated version: ghost triangles at the hull (no super-triangle), exact predicates
(:mod:`rlgen.geometry.expansions`), points inserted along a Hilbert curve within BRIO rounds (Amenta, Choi and
Rote's biased randomized insertion order: each round is a random sample twice the size of the last), and a
visibility walk from the last new triangle to the next point. The mesh is two int32 arrays, ``vertex[t, k]``
(counter-clockwise) and ``neighbour[t, k]``, the triangle across the edge opposite ``vertex[t, k]``.

Insert p: walk to a triangle containing p (or a ghost whose open outer half-plane holds it); grow the cavity
of triangles whose circumcircle strictly contains p by a depth-first search across edges; join p to each
boundary edge (a, b) of the cavity. New triangle (a, b, p) meets its neighbours at (b, p) and (p, a): the
new triangles that start at b and end at a, found through two per-vertex slots.

The loops that call the exact predicates (the walk in :func:`_locate`, the cavity search in
:func:`triangulate_sorted`) each stay inside one function: numba keeps an atomic reference-count increment and
decrement of every array passed to a compiled function whose body calls the predicates, on each call, and a walk
step and a cavity search as functions of their own made 10^6 points 1.7 times slower. The pieces called per
insertion or per step call no predicate.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from rlgen.geometry.expansions import incircle, orient

GHOST = -1


@njit(cache=True)
def hilbert_keys(x: np.ndarray, y: np.ndarray, bits: int = 16) -> np.ndarray:  # pragma: no cover - compiled
    """Distance along a Hilbert curve of order ``bits`` over the bounding box, per point."""
    n = len(x)
    lo_x, hi_x, lo_y, hi_y = x.min(), x.max(), y.min(), y.max()
    side = (1 << bits) - 1
    sx = side / max(hi_x - lo_x, 1e-300)
    sy = side / max(hi_y - lo_y, 1e-300)
    keys = np.empty(n, dtype=np.int64)
    for i in range(n):
        xi = np.int64((x[i] - lo_x) * sx)
        yi = np.int64((y[i] - lo_y) * sy)
        d = np.int64(0)
        s = np.int64(1) << (bits - 1)
        while s > 0:
            rx = 1 if (xi & s) > 0 else 0
            ry = 1 if (yi & s) > 0 else 0
            d += s * s * ((3 * rx) ^ ry)
            if ry == 0:  # rotate the quadrant so that the curve's pieces join up
                if rx == 1:
                    xi = side - xi
                    yi = side - yi
                xi, yi = yi, xi
            s >>= 1
        keys[i] = d
    return keys


def insertion_order(points: np.ndarray, seed: int = 0) -> np.ndarray:
    """BRIO rounds (the last holds about half the points, the one before a quarter, …), Hilbert order inside
    each round, and the curve's direction alternating from round to round so that each round starts near
    where the last one ended."""
    n = len(points)
    rng = np.random.default_rng(seed)
    # Round r in 0..R-1 with P(round = R-1-k) = 2^-(k+1): the number of trailing coin flips.
    rounds_total = max(1, int(np.ceil(np.log2(max(n, 2)))) - 3)
    depth = np.minimum(np.floor(-np.log2(1.0 - rng.random(n))).astype(np.int64), rounds_total - 1)
    brio = rounds_total - 1 - depth
    keys = hilbert_keys(np.ascontiguousarray(points[:, 0]), np.ascontiguousarray(points[:, 1]))
    keys = np.where(brio % 2 == (rounds_total - 1) % 2, keys, -keys)
    return np.lexsort((keys, brio))


@njit(cache=True)
def _is_ghost(vertex, t) -> bool:  # pragma: no cover - compiled
    """Whether triangle t has the vertex at infinity as a corner."""
    return vertex[t, 0] == GHOST or vertex[t, 1] == GHOST or vertex[t, 2] == GHOST


@njit(cache=True)
def _off_ghost(vertex, neighbour, t):  # pragma: no cover - compiled
    """t if it is a real triangle; for a ghost, the real triangle across its hull edge."""
    for k in range(3):
        if vertex[t, k] == GHOST:
            return neighbour[t, k]
    return t


@njit(cache=True)
def _xorshift(seed):  # pragma: no cover - compiled
    """The next state of a xorshift64 generator."""
    seed ^= seed << np.uint64(13)
    seed ^= seed >> np.uint64(7)
    seed ^= seed << np.uint64(17)
    return seed


@njit(cache=True)
def _twin(x, y, vertex, t, px, py):  # pragma: no cover - compiled
    """The corner of t at exactly (px, py), or -1."""
    for k in range(3):
        v = vertex[t, k]
        if x[v] == px and y[v] == py:
            return v
    return -1


@njit(cache=True)
def _locate(x, y, vertex, neighbour, start, p, state):  # pragma: no cover - compiled
    """A visibility walk from ``start``: a real triangle whose closed area holds point p, or a ghost whose
    outer side holds it. Returns (triangle, duplicate-of vertex or -1). ``state`` is a xorshift seed: the
    first edge tried is random, which keeps the walk from cycling."""
    t = _off_ghost(vertex, neighbour, start)
    px, py = x[p], y[p]
    came_from = -1
    seed = state[0]
    while True:
        seed = _xorshift(seed)
        first = np.int64(seed % np.uint64(3))
        moved = False
        for j in range(3):
            k = (first + j) % 3
            nb = neighbour[t, k]
            if nb == came_from:
                continue
            a = vertex[t, (k + 1) % 3]
            b = vertex[t, (k + 2) % 3]
            if orient(x[a], y[a], x[b], y[b], px, py) < 0:
                came_from = t
                t = nb
                moved = True
                break
        if not moved:
            state[0] = seed
            return t, _twin(x, y, vertex, t, px, py)
        if _is_ghost(vertex, t):
            state[0] = seed
            return t, -1


@njit(cache=True)
def _conflicts(x, y, vertex, t, p):  # pragma: no cover - compiled
    """p strictly inside t's circumcircle; for a ghost (a, b, ∞): p strictly left of a → b (the outer side
    of the hull edge b → a), or on the open edge itself."""
    g = -1
    for k in range(3):
        if vertex[t, k] == GHOST:
            g = k
    if g < 0:
        a, b, c = vertex[t, 0], vertex[t, 1], vertex[t, 2]
        return incircle(x[a], y[a], x[b], y[b], x[c], y[c], x[p], y[p]) > 0
    a = vertex[t, (g + 1) % 3]
    b = vertex[t, (g + 2) % 3]
    turn = orient(x[a], y[a], x[b], y[b], x[p], y[p])
    if turn != 0:
        return turn > 0
    # Collinear with the hull edge: in conflict only strictly between its ends (lexicographic order).
    return _before(x[a], y[a], x[p], y[p]) != _before(x[b], y[b], x[p], y[p]) and not (
        (x[p] == x[a] and y[p] == y[a]) or (x[p] == x[b] and y[p] == y[b]))


@njit(cache=True, inline="always")
def _before(ax, ay, bx, by) -> bool:  # pragma: no cover - compiled
    return ax < bx or (ax == bx and ay < by)


@njit(cache=True)
def _first_triangle(x, y):  # pragma: no cover - compiled
    """The other two corners of the first triangle, which point 0 opens: the first point unequal to point 0
    (i1), then the first point after it off their line (i2); -1 where there is none. Returns (i1, i2)."""
    n = len(x)
    i1 = -1
    for k in range(1, n):
        if x[k] != x[0] or y[k] != y[0]:
            i1 = k
            break
    i2 = -1
    if i1 > 0:
        for k in range(i1 + 1, n):
            if orient(x[0], y[0], x[i1], y[i1], x[k], y[k]) != 0:
                i2 = k
                break
    return i1, i2


@njit(cache=True)
def _seed_mesh(x, y, vertex, neighbour, alive, i1, i2):  # pragma: no cover - compiled
    """Triangle 0 = (0, i1, i2) turned counter-clockwise, and ghosts 1..3 across its edges (b, c), (c, a),
    (a, b), each (v, u, ∞), joined to it and to each other: the mesh's first four triangles, all alive."""
    a, b, c = 0, i1, i2
    if orient(x[a], y[a], x[b], y[b], x[c], y[c]) < 0:
        b, c = c, b
    vertex[0, 0], vertex[0, 1], vertex[0, 2] = a, b, c
    corners = (a, b, c)
    for k in range(3):
        u, v = corners[(k + 1) % 3], corners[(k + 2) % 3]
        g = 1 + k
        vertex[g, 0], vertex[g, 1], vertex[g, 2] = v, u, GHOST
        neighbour[0, k] = g
        neighbour[g, 2] = 0
    _link_ghost_ring(vertex, neighbour)
    for t in range(4):
        alive[t] = True


@njit(cache=True)
def _link_ghost_ring(vertex, neighbour):  # pragma: no cover - compiled
    """Join the three first ghosts to each other: ghost (v, u, ∞) meets (w, v, ∞) across (v, ∞), opposite u,
    and (u, w, ∞) across (∞, u), opposite v."""
    for k in range(3):
        g = 1 + k
        v, u = vertex[g, 0], vertex[g, 1]
        for h in range(3):
            if h == k:
                continue
            other = 1 + h
            if vertex[other, 1] == v:
                neighbour[g, 1] = other
            if vertex[other, 0] == u:
                neighbour[g, 0] = other


@njit(cache=True)
def _scratch(cap):  # pragma: no cover - compiled
    """Work space of one insertion, an entry per triangle slot: the cavity search's stack, the cavity's
    triangles, and its boundary edges a → b (a, b, the triangle outside, that triangle's slot facing in)."""
    return (np.empty(cap, dtype=np.int32), np.empty(cap, dtype=np.int32), np.empty(cap, dtype=np.int32),
            np.empty(cap, dtype=np.int32), np.empty(cap, dtype=np.int32), np.empty(cap, dtype=np.int32))


@njit(cache=True)
def _boundary_edge(vertex, neighbour, t, k, e, edge_a, edge_b, edge_out, edge_slot):  # pragma: no cover - compiled
    """Record edge k of cavity triangle t as boundary edge e: its ends a → b, the triangle across it, and
    the slot of that triangle that points back at t."""
    nb = neighbour[t, k]
    edge_a[e] = vertex[t, (k + 1) % 3]
    edge_b[e] = vertex[t, (k + 2) % 3]
    edge_out[e] = nb
    for j in range(3):
        if neighbour[nb, j] == t:
            edge_slot[e] = j


@njit(cache=True)
def _retire(cavity, n_cavity, alive, free, n_free):  # pragma: no cover - compiled
    """Mark the cavity's triangles dead and push their slots onto the free list; returns its new length."""
    for k in range(n_cavity):
        alive[cavity[k]] = False
        free[n_free] = cavity[k]
        n_free += 1
    return n_free


@njit(cache=True)
def _slot(v, n):  # pragma: no cover - compiled
    """Vertex v's index in ``starts`` and ``ends``: v, or n for the vertex at infinity."""
    return v if v >= 0 else n


@njit(cache=True)
def _fan(vertex, neighbour, alive, free, n_free, used, p, edge_a, edge_b, edge_out, edge_slot, n_edges,
         starts, ends, last):  # pragma: no cover - compiled
    """Fan p over the cavity's boundary: (a, b, p) for each boundary edge a → b, in a slot from the free list
    (else a new one), joined to the triangle outside the edge and noted in ``starts[a]`` and ``ends[b]``.
    Returns (free-list length, slots used, the last new real triangle: where the next walk starts)."""
    n = len(starts) - 1
    for e in range(n_edges):
        if n_free > 0:
            n_free -= 1
            t = free[n_free]
        else:
            t = used
            used += 1
        a, b = edge_a[e], edge_b[e]
        vertex[t, 0], vertex[t, 1], vertex[t, 2] = a, b, p
        alive[t] = True
        neighbour[t, 2] = edge_out[e]
        neighbour[edge_out[e], edge_slot[e]] = t
        starts[_slot(a, n)] = t
        ends[_slot(b, n)] = t
        if a >= 0 and b >= 0:
            last = t
    return n_free, used, last


@njit(cache=True)
def _link_fan(neighbour, edge_a, edge_b, edge_out, edge_slot, n_edges, starts, ends):  # pragma: no cover - compiled
    """Join the fan's triangles to each other: (a, b, p) meets the new triangle that starts at b across
    (b, p), and the one that ends at a across (p, a)."""
    n = len(starts) - 1
    for e in range(n_edges):
        t = neighbour[edge_out[e], edge_slot[e]]
        a, b = edge_a[e], edge_b[e]
        neighbour[t, 0] = starts[_slot(b, n)]  # across (b, p)
        neighbour[t, 1] = ends[_slot(a, n)]  # across (p, a)


@njit(cache=True)
def _real_triangles(vertex, alive, used):  # pragma: no cover - compiled
    """The live triangles without a ghost corner, in slot order: a (k, 3) array."""
    count = 0
    for t in range(used):
        if alive[t] and not _is_ghost(vertex, t):
            count += 1
    triangles = np.empty((count, 3), dtype=np.int32)
    count = 0
    for t in range(used):
        if alive[t] and not _is_ghost(vertex, t):
            triangles[count, 0] = vertex[t, 0]
            triangles[count, 1] = vertex[t, 1]
            triangles[count, 2] = vertex[t, 2]
            count += 1
    return triangles


@njit(cache=True)
def triangulate_sorted(x: np.ndarray, y: np.ndarray):  # pragma: no cover - compiled
    """Delaunay triangles (k, 3) of the points in insertion order (ids are positions in x, y), and for each
    point the id of an equal earlier point it duplicates (or its own id). No triangles if all collinear."""
    n = len(x)
    same_as = np.arange(n)
    i1, i2 = _first_triangle(x, y)
    if i2 < 0:
        return np.zeros((0, 3), dtype=np.int32), same_as
    cap = 2 * n + 16
    vertex = np.full((cap, 3), GHOST, dtype=np.int32)
    neighbour = np.full((cap, 3), -1, dtype=np.int32)
    alive = np.zeros(cap, dtype=np.bool_)
    in_cavity = np.full(cap, -1, dtype=np.int64)
    tested = np.full(cap, -1, dtype=np.int64)
    starts = np.full(n + 1, -1, dtype=np.int32)  # new triangle whose cavity edge starts at a vertex (ghost = n)
    ends = np.full(n + 1, -1, dtype=np.int32)
    free = np.empty(cap, dtype=np.int32)
    stack, cavity, edge_a, edge_b, edge_out, edge_slot = _scratch(cap)
    state = np.array([np.uint64(0x9E3779B97F4A7C15)])
    _seed_mesh(x, y, vertex, neighbour, alive, i1, i2)
    n_free, used, last = 0, 4, 0
    for p in range(1, n):
        if p == i1 or p == i2:
            continue
        t, twin = _locate(x, y, vertex, neighbour, last, p, state)
        if twin >= 0:
            same_as[p] = twin
            continue
        # The cavity: a depth-first search over the triangles in conflict with p, listing its boundary edges
        # (in this loop, not a function of its own: see the module's docstring).
        n_stack, n_cavity, n_edges = 1, 1, 0
        stack[0] = t
        cavity[0] = t
        in_cavity[t] = p
        while n_stack > 0:
            n_stack -= 1
            t = stack[n_stack]
            for k in range(3):
                nb = neighbour[t, k]
                if in_cavity[nb] == p:
                    continue
                if tested[nb] != p:
                    tested[nb] = p
                    if _conflicts(x, y, vertex, nb, p):
                        in_cavity[nb] = p
                        stack[n_stack] = nb
                        n_stack += 1
                        cavity[n_cavity] = nb
                        n_cavity += 1
                        continue
                _boundary_edge(vertex, neighbour, t, k, n_edges, edge_a, edge_b, edge_out, edge_slot)
                n_edges += 1
        n_free = _retire(cavity, n_cavity, alive, free, n_free)
        n_free, used, last = _fan(vertex, neighbour, alive, free, n_free, used, p, edge_a, edge_b, edge_out,
                                  edge_slot, n_edges, starts, ends, last)
        _link_fan(neighbour, edge_a, edge_b, edge_out, edge_slot, n_edges, starts, ends)
    return _real_triangles(vertex, alive, used), same_as


def delaunay_triangles(points: np.ndarray, seed: int = 0) -> np.ndarray:
    """(m, 3) counter-clockwise Delaunay triangles of an (n, 2) float array whose non-zero coordinates lie in
    :data:`~rlgen.geometry.expansions.SAFE_RANGE`; a duplicated point is named by its lowest index."""
    n = len(points)
    if n < 3:
        return np.zeros((0, 3), dtype=np.int64)
    order = insertion_order(points, seed)
    x = np.ascontiguousarray(points[order, 0])
    y = np.ascontiguousarray(points[order, 1])
    triangles, same_as = triangulate_sorted(x, y)
    names = order.astype(np.int64)
    duplicates = same_as != np.arange(n)
    if duplicates.any():
        np.minimum.at(names, same_as[duplicates], order[duplicates])
    return names[triangles]


def warm_up() -> None:
    """Compile (or load from numba's on-disk cache) the kernels on a tiny input, so that a person's first
    Delaunay does not wait for the JIT; exercises the exact fallback too (four cocircular points).

    Every kernel is ``cache=True``. numba writes the cache beside the source (``__pycache__``); where that
    folder is read-only, as on a Space, it falls back to the user's cache folder (``~/.cache/numba``, or
    ``NUMBA_CACHE_DIR``). The cache is keyed by a hash of the source's text and the CPU, so a fresh clone on
    the same machine reuses it. The geometry tab calls this in a background thread while its page loads."""
    delaunay_triangles(np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.5, 0.25]]))
