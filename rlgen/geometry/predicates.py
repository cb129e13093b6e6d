"""Orientation and in-circle predicates in three flavours the tab can switch between.

* ``float``: the textbook ``sign(cross) with |cross| <= EPS -> 0``. Fast, and wrong near degeneracy.
* ``exact``: the same determinant in ``fractions.Fraction``. Every float is a dyadic rational, so this is the
  true sign for the given coordinates.
* ``adaptive``: Shewchuk's filter. Evaluate in floats; the result is certain when
  ``|det| > errbound * sum(|terms|)``; only when it is not (about one call in millions on random data) fall
  back to the exact evaluation. Same answers as ``exact``, nearly the speed of ``float``.

orient(a, b, c) = (b - a) x (c - a): > 0 when a, b, c turn counter-clockwise, 0 when collinear.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from rlgen.errors import InputError

EPSILON = np.finfo(float).eps / 2  # unit round-off, 2^-53
# Shewchuk (1997), "Adaptive precision floating-point arithmetic and fast robust geometric predicates".
CCW_ERRBOUND = (3.0 + 16.0 * EPSILON) * EPSILON
ICC_ERRBOUND = (10.0 + 96.0 * EPSILON) * EPSILON
# Below this magnitude products may underflow into subnormals, where the relative bound no longer holds.
UNDERFLOW_GUARD = 1e-280

Point = tuple[float, float]


def sign(value: float | Fraction | int) -> int:
    return (value > 0) - (value < 0)


def orient_float(a: Point, b: Point, c: Point, eps: float = 0.0) -> int:
    """sign((b - a) x (c - a)) in floating point; |det| <= eps counts as collinear."""
    det = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    if abs(det) <= eps:
        return 0
    return 1 if det > 0 else -1


def orient_exact(a: Point, b: Point, c: Point) -> int:
    """The true orientation sign, in rational arithmetic."""
    ax, ay = Fraction(a[0]), Fraction(a[1])
    det = (Fraction(b[0]) - ax) * (Fraction(c[1]) - ay) - (Fraction(b[1]) - ay) * (Fraction(c[0]) - ax)
    return sign(det)


def orient_adaptive(a: Point, b: Point, c: Point) -> int:
    """The true orientation sign: a float filter that falls back to :func:`orient_exact`."""
    left = (a[0] - c[0]) * (b[1] - c[1])
    right = (a[1] - c[1]) * (b[0] - c[0])
    det = left - right
    detsum = abs(left) + abs(right)
    if detsum > UNDERFLOW_GUARD and abs(det) > CCW_ERRBOUND * detsum and detsum < float("inf"):
        return 1 if det > 0 else -1
    return orient_exact(a, b, c)


def orient_many(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Vectorized filtered orientation of rows of (k, 2) arrays: +1 / -1 where the float sign is certain,
    0 where it is not (the caller either treats 0 conservatively or asks :func:`orient_exact`)."""
    with np.errstate(over="ignore", invalid="ignore"):  # inf / nan sums are "uncertain" below
        left = (a[:, 0] - c[:, 0]) * (b[:, 1] - c[:, 1])
        right = (a[:, 1] - c[:, 1]) * (b[:, 0] - c[:, 0])
        det = left - right
        detsum = np.abs(left) + np.abs(right)
    certain = (np.abs(det) > CCW_ERRBOUND * detsum) & (detsum > UNDERFLOW_GUARD) & np.isfinite(detsum)
    return np.where(certain, np.sign(det), 0).astype(np.int8)


def _incircle_det(a, b, c, d):
    adx, ady = a[0] - d[0], a[1] - d[1]
    bdx, bdy = b[0] - d[0], b[1] - d[1]
    cdx, cdy = c[0] - d[0], c[1] - d[1]
    alift = adx * adx + ady * ady
    blift = bdx * bdx + bdy * bdy
    clift = cdx * cdx + cdy * cdy
    bc = bdx * cdy - cdx * bdy
    ca = cdx * ady - adx * cdy
    ab = adx * bdy - bdx * ady
    return alift * bc + blift * ca + clift * ab, (alift, blift, clift, bc, ca, ab, adx, ady, bdx, bdy, cdx, cdy)


def incircle_float(a: Point, b: Point, c: Point, d: Point, eps: float = 0.0) -> int:
    """> 0 when d lies inside the circle through a, b, c (given counter-clockwise)."""
    det, _ = _incircle_det(a, b, c, d)
    if abs(det) <= eps:
        return 0
    return 1 if det > 0 else -1


def incircle_exact(a: Point, b: Point, c: Point, d: Point) -> int:
    fa, fb, fc, fd = ((Fraction(p[0]), Fraction(p[1])) for p in (a, b, c, d))
    return sign(_incircle_det(fa, fb, fc, fd)[0])


def incircle_adaptive(a: Point, b: Point, c: Point, d: Point) -> int:
    det, (alift, blift, clift, _, _, _, adx, ady, bdx, bdy, cdx, cdy) = _incircle_det(a, b, c, d)
    permanent = (
        (abs(bdx * cdy) + abs(cdx * bdy)) * alift
        + (abs(cdx * ady) + abs(adx * cdy)) * blift
        + (abs(adx * bdy) + abs(bdx * ady)) * clift
    )
    if permanent > UNDERFLOW_GUARD and abs(det) > ICC_ERRBOUND * permanent and permanent < float("inf"):
        return 1 if det > 0 else -1
    return incircle_exact(a, b, c, d)


PREDICATE_KINDS = ("adaptive", "exact", "float")


@dataclass(frozen=True)
class Predicates:
    """The predicate flavour an algorithm runs with; ``eps`` is used by ``float`` only. Counts nothing,
    holds no state: pass one instance to every algorithm of a run."""

    kind: str = "adaptive"
    eps: float = 1e-9

    def __post_init__(self) -> None:
        if self.kind not in PREDICATE_KINDS:
            raise InputError("Unknown predicate kind {kind!r}; choose one of {predicate_kinds}.",
                             kind=self.kind, predicate_kinds=', '.join(PREDICATE_KINDS))
        if not (self.eps >= 0 and np.isfinite(self.eps)):
            raise InputError("EPS must be a finite number >= 0 (got {eps}).", eps=self.eps)

    def orient(self, a: Point, b: Point, c: Point) -> int:
        if self.kind == "adaptive":
            return orient_adaptive(a, b, c)
        if self.kind == "exact":
            return orient_exact(a, b, c)
        return orient_float(a, b, c, self.eps)

    def incircle(self, a: Point, b: Point, c: Point, d: Point) -> int:
        if self.kind == "adaptive":
            return incircle_adaptive(a, b, c, d)
        if self.kind == "exact":
            return incircle_exact(a, b, c, d)
        return incircle_float(a, b, c, d, self.eps)


ROBUST = Predicates("adaptive")


def orientation_grid(size: int = 256, eps: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Kettner et al.'s classroom example ("Classroom examples of robustness problems in geometric
    computations", 2008): orient(p, q, r) for q = (12, 12), r = (24, 24) and p on a size x size grid of
    neighbouring floats around (0.5, 0.5), step 2^-53. All of them lie within a few ulps of the line y = x,
    so the exact answer is a clean diagonal split; the float answer is noise.

    Returns (float_signs, exact_signs), each (size, size) of -1/0/+1, row j = y offset, column i = x offset.
    """
    if not 2 <= size <= 512:
        raise InputError("The grid side must be between 2 and 512 (got {size}).", size=size)
    step = 2.0**-53
    offsets = np.arange(size) * step
    px = 0.5 + offsets[None, :] + np.zeros((size, 1))
    py = 0.5 + offsets[:, None] + np.zeros((1, size))
    qx = qy = 12.0
    rx = ry = 24.0
    det = (qx - px) * (ry - py) - (qy - py) * (rx - px)
    float_signs = np.where(np.abs(det) <= eps, 0, np.sign(det)).astype(np.int8)
    # Exact: scale by 2^53 so every coordinate is an integer, then Python's big ints.
    scale = 2**53
    qi, ri = 12 * scale, 24 * scale
    ints = [int(0.5 * scale) + i for i in range(size)]  # 0.5 + i * 2^-53, scaled
    exact_signs = np.empty((size, size), dtype=np.int8)
    for j, py_i in enumerate(ints):
        for i, px_i in enumerate(ints):
            exact_signs[j, i] = sign((qi - px_i) * (ri - py_i) - (qi - py_i) * (ri - px_i))
    return float_signs, exact_signs
