"""Shewchuk's robust orientation and in-circle predicates, compiled by numba.

A float filter decides almost every call: the sign of the float determinant is certain when
|det| > errbound · (sum of the absolute terms) (Shewchuk 1997, stage A bounds, as in
:mod:`rlgen.geometry.predicates`). When it is not, the determinant is evaluated *exactly* as a floating-point
expansion: a sum of non-overlapping doubles whose largest component carries the sign. Two-Sum and
Two-Product (Dekker's split) give every sum and product of doubles exactly as two doubles.

Exact as long as no product underflows or overflows: the fast Delaunay calls these only when every non-zero
coordinate has magnitude in [1e-50, 1e50] (:data:`SAFE_RANGE`); other input takes the rational path.
"""

from __future__ import annotations

import numpy as np
from numba import njit

EPSILON = 2.0**-53
CCW_ERRBOUND = (3.0 + 16.0 * EPSILON) * EPSILON
ICC_ERRBOUND = (10.0 + 96.0 * EPSILON) * EPSILON
SPLITTER = 134217729.0  # 2^27 + 1: splits a double into two 26-bit halves (Dekker)
SAFE_RANGE = (1e-50, 1e50)


@njit(cache=True, inline="always")
def two_sum(a: float, b: float):  # pragma: no cover - compiled
    """a + b = x + y exactly, x = fl(a + b) (Knuth)."""
    x = a + b
    bv = x - a
    av = x - bv
    return x, (a - av) + (b - bv)


@njit(cache=True, inline="always")
def _split(a: float):  # pragma: no cover - compiled
    c = SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


@njit(cache=True, inline="always")
def two_product(a: float, b: float):  # pragma: no cover - compiled
    """a · b = x + y exactly, x = fl(a · b) (Dekker)."""
    x = a * b
    ahi, alo = _split(a)
    bhi, blo = _split(b)
    err = x - ahi * bhi
    err -= alo * bhi
    err -= ahi * blo
    return x, alo * blo - err


@njit(cache=True)
def _difference(a: float, b: float) -> np.ndarray:  # pragma: no cover - compiled
    """a − b as an expansion (one or two components, zeros dropped)."""
    x, y = two_sum(a, -b)
    if y != 0.0:
        return np.array([y, x])
    if x != 0.0:
        return np.array([x])
    return np.zeros(0)


@njit(cache=True)
def _kept(h: np.ndarray, count: int, component: float) -> int:  # pragma: no cover - compiled
    """Append a component to h[:count] unless it is zero (Shewchuk's zero elimination); the new count."""
    if component != 0.0:
        h[count] = component
        return count + 1
    return count


@njit(cache=True)
def _closed(h: np.ndarray, count: int, q: float) -> np.ndarray:  # pragma: no cover - compiled
    """h[:count] closed by its largest component q (kept when zero only if the expansion is otherwise empty)."""
    if q != 0.0 or count == 0:
        h[count] = q
        count += 1
    return h[:count]


@njit(cache=True)
def expansion_sum(e: np.ndarray, f: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """e + f for non-overlapping expansions sorted by increasing magnitude (Shewchuk's fast-expansion-sum,
    zeros eliminated)."""
    m, n = len(e), len(f)
    if m == 0:
        return f.copy()
    if n == 0:
        return e.copy()
    merged = np.empty(m + n)
    i = j = 0
    for k in range(m + n):  # merge by magnitude
        if j >= n or (i < m and abs(e[i]) < abs(f[j])):
            merged[k] = e[i]
            i += 1
        else:
            merged[k] = f[j]
            j += 1
    h = np.empty(m + n)
    count = 0
    q = merged[0]
    for k in range(1, m + n):
        q, err = two_sum(merged[k], q)
        count = _kept(h, count, err)
    return _closed(h, count, q)


@njit(cache=True)
def scale_expansion(e: np.ndarray, b: float) -> np.ndarray:  # pragma: no cover - compiled
    """e · b exactly (Shewchuk's scale-expansion, zeros eliminated)."""
    m = len(e)
    h = np.empty(2 * m + 1)
    if m == 0 or b == 0.0:
        return h[:0]
    q, err = two_product(e[0], b)
    count = _kept(h, 0, err)
    for i in range(1, m):
        p1, p0 = two_product(e[i], b)
        s, err = two_sum(q, p0)
        count = _kept(h, count, err)
        q, err = two_sum(p1, s)  # |p1| >= |s|: Fast-Two-Sum would do; Two-Sum is safe either way
        count = _kept(h, count, err)
    return _closed(h, count, q)


@njit(cache=True)
def expansion_product(e: np.ndarray, f: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    total = np.zeros(0)
    for j in range(len(f)):
        total = expansion_sum(total, scale_expansion(e, f[j]))
    return total


@njit(cache=True)
def _sign_of(e: np.ndarray) -> int:  # pragma: no cover - compiled
    for k in range(len(e) - 1, -1, -1):  # the largest non-zero component decides
        if e[k] > 0.0:
            return 1
        if e[k] < 0.0:
            return -1
    return 0


@njit(cache=True)
def orient_exact(ax, ay, bx, by, cx, cy) -> int:  # pragma: no cover - compiled
    """sign((a − c) × (b − c)), exactly."""
    left = expansion_product(_difference(ax, cx), _difference(by, cy))
    right = expansion_product(_difference(ay, cy), _difference(bx, cx))
    return _sign_of(expansion_sum(left, -right))


@njit(cache=True, inline="always")
def orient(ax, ay, bx, by, cx, cy) -> int:  # pragma: no cover - compiled
    """> 0 when a, b, c turn counter-clockwise; the float filter first, the exact expansion when needed."""
    left = (ax - cx) * (by - cy)
    right = (ay - cy) * (bx - cx)
    det = left - right
    if abs(det) > CCW_ERRBOUND * (abs(left) + abs(right)):
        return 1 if det > 0.0 else -1
    return orient_exact(ax, ay, bx, by, cx, cy)


@njit(cache=True)
def _lift(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    return expansion_sum(expansion_product(dx, dx), expansion_product(dy, dy))


@njit(cache=True)
def _cross(ux: np.ndarray, uy: np.ndarray, vx: np.ndarray, vy: np.ndarray) -> np.ndarray:  # pragma: no cover
    return expansion_sum(expansion_product(ux, vy), -expansion_product(vx, uy))


@njit(cache=True)
def incircle_exact(ax, ay, bx, by, cx, cy, dx, dy) -> int:  # pragma: no cover - compiled
    """sign of det[[a−d, |a−d|²], [b−d, |b−d|²], [c−d, |c−d|²]], exactly."""
    adx, ady = _difference(ax, dx), _difference(ay, dy)
    bdx, bdy = _difference(bx, dx), _difference(by, dy)
    cdx, cdy = _difference(cx, dx), _difference(cy, dy)
    det = expansion_product(_lift(adx, ady), _cross(bdx, bdy, cdx, cdy))
    det = expansion_sum(det, expansion_product(_lift(bdx, bdy), _cross(cdx, cdy, adx, ady)))
    det = expansion_sum(det, expansion_product(_lift(cdx, cdy), _cross(adx, ady, bdx, bdy)))
    return _sign_of(det)


@njit(cache=True, inline="always")
def incircle(ax, ay, bx, by, cx, cy, dx, dy) -> int:  # pragma: no cover - compiled
    """> 0 when d lies strictly inside the circle through the counter-clockwise a, b, c."""
    adx, ady = ax - dx, ay - dy
    bdx, bdy = bx - dx, by - dy
    cdx, cdy = cx - dx, cy - dy
    bdxcdy, cdxbdy = bdx * cdy, cdx * bdy
    cdxady, adxcdy = cdx * ady, adx * cdy
    adxbdy, bdxady = adx * bdy, bdx * ady
    alift = adx * adx + ady * ady
    blift = bdx * bdx + bdy * bdy
    clift = cdx * cdx + cdy * cdy
    det = alift * (bdxcdy - cdxbdy) + blift * (cdxady - adxcdy) + clift * (adxbdy - bdxady)
    permanent = ((abs(bdxcdy) + abs(cdxbdy)) * alift + (abs(cdxady) + abs(adxcdy)) * blift
                 + (abs(adxbdy) + abs(bdxady)) * clift)
    if abs(det) > ICC_ERRBOUND * permanent:
        return 1 if det > 0.0 else -1
    return incircle_exact(ax, ay, bx, by, cx, cy, dx, dy)
