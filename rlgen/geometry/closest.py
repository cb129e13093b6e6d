"""Closest pair of points by divide and conquer, O(n log n).

Split the x-sorted points at the median; solve both halves; δ = the smaller answer. A closer pair across
the split has both points in the strip |x − x_mid| < δ, and, with the strip sorted by y, each point need
only be compared with the next 7 (a δ × 2δ box holds at most 8 points at mutual distance ≥ δ).

:func:`closest_pair` runs the same recursion bottom-up, one level at a time for all blocks at once in numpy
(brute force in blocks of 8, then per level the strips of every block, sorted by (block, y));
:func:`closest_pair_steps` is the same algorithm in plain Python, one step per merge, for the animation.
"""

from __future__ import annotations

import math

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.hull import as_points
from rlgen.geometry.steps import Step, dots, lines, path

LEAF = 8  # block size of the brute-force base case


def _block_argmin(block: np.ndarray, d2: np.ndarray, i: np.ndarray, j: np.ndarray, blocks: int):
    """Per block, the candidate pair with the smallest squared distance (inf where a block has none)."""
    best_d2 = np.full(blocks, np.inf)
    best_i = np.zeros(blocks, dtype=np.int64)
    best_j = np.zeros(blocks, dtype=np.int64)
    np.minimum.at(best_d2, block, d2)
    hit = d2 == best_d2[block]  # ties: whichever is written last wins, all are equally close
    best_i[block[hit]], best_j[block[hit]] = i[hit], j[hit]
    return best_d2, best_i, best_j


def _bottom_up(p: np.ndarray) -> tuple[float, int, int]:
    """The recursion run level by level over all blocks at once. p is sorted by x; returns (d², i, j) as
    positions in p. Level 0: brute force inside blocks of LEAF points. Level l merges pairs of blocks of
    LEAF·2^(l-1): δ = the better child, then the strip |x − x_mid| < δ, sorted by (block, y), each point
    against its next 7 strip neighbours of the same block."""
    n = len(p)
    pos = np.arange(n)
    x, y = p[:, 0].copy(), p[:, 1].copy()  # contiguous columns: 2-D fancy indexing is ~15x slower
    blocks = -(-n // LEAF)
    cand = [], [], [], []
    for k in range(1, LEAF):
        i, j = pos[:-k], pos[k:]
        same = (i // LEAF) == (j // LEAF)
        d2 = (x[k:] - x[:-k]) ** 2 + (y[k:] - y[:-k]) ** 2
        cand[0].append(i[same] // LEAF), cand[1].append(d2[same]), cand[2].append(i[same]), cand[3].append(j[same])
    best = _block_argmin(*(np.concatenate(c) for c in cand), blocks)
    # All points kept in (block, y) order, like the merge step of the textbook recursion: per level the
    # children's sorted runs are merged by a stable sort (timsort finds the runs) of block · n + rank(y).
    rank_y = np.empty(n, dtype=np.int64)
    rank_y[np.argsort(y, kind="stable")] = pos
    by_y = np.argsort((pos // LEAF) * n + rank_y, kind="stable")
    size = LEAF
    while size < n:
        size *= 2
        blocks = -(-n // size)
        # Children 2b and 2b+1 of block b: δ² = the smaller of their bests.
        d2, bi, bj = (np.append(a, fill) for a, fill in zip(best, (np.inf, 0, 0))) if len(best[0]) % 2 else best
        pick = d2[1::2] < d2[0::2]
        cur = [np.where(pick, a[1::2], a[0::2]) for a in (d2, bi, bj)]
        block = pos // size
        mid_pos = np.minimum(np.arange(blocks) * size + size // 2, n - 1)
        x_mid = x[mid_pos]
        delta = np.sqrt(cur[0])
        key = block * n + rank_y
        by_y = by_y[np.argsort(key[by_y], kind="stable")]
        strip = by_y[np.abs(x[by_y] - x_mid[block[by_y]]) < delta[block[by_y]]]
        if len(strip) > 1:
            sb = block[strip]
            c_block, c_d2, c_i, c_j = [], [], [], []
            for k in range(1, 8):
                if k >= len(strip):
                    break
                a, b = strip[:-k], strip[k:]
                same = sb[:-k] == sb[k:]
                a, b = a[same], b[same]
                c_block.append(sb[:-k][same]), c_d2.append((x[b] - x[a]) ** 2 + (y[b] - y[a]) ** 2)
                c_i.append(a), c_j.append(b)
            s_best = _block_argmin(np.concatenate(c_block), np.concatenate(c_d2), np.concatenate(c_i),
                                   np.concatenate(c_j), blocks)
            better = s_best[0] < cur[0]
            cur = [np.where(better, s, c) for s, c in zip(s_best, cur)]
        best = cur
    return float(best[0][0]), int(best[1][0]), int(best[2][0])


def closest_pair(points) -> tuple[int, int, float]:
    """(i, j, distance) with i < j for the closest two points (distance 0 for duplicates)."""
    p = as_points(points)
    if len(p) < 2:
        raise InputError("The closest pair needs at least 2 points (got {n_points}).", n_points=len(p))
    order = np.lexsort((p[:, 1], p[:, 0]))
    _, a, b = _bottom_up(p[order])
    i, j = sorted((int(order[a]), int(order[b])))
    return i, j, float(math.dist(p[i], p[j]))


def _brute_force_into(best: list, pts, ids: list[int]) -> None:
    """best = [δ, i, j] lowered to the closest pair among ids, all pairs tested."""
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            d = math.dist(pts[ids[a]], pts[ids[b]])
            if d < best[0]:
                best[:] = [d, ids[a], ids[b]]


def _strip_into(best: list, pts, strip: list[int]) -> None:
    """best lowered by the pairs in the strip (sorted by y): each point against the next ≤ 7 closer than δ in y."""
    for a in range(len(strip)):
        for b in range(a + 1, min(a + 8, len(strip))):
            if pts[strip[b]][1] - pts[strip[a]][1] >= best[0]:
                break
            d = math.dist(pts[strip[a]], pts[strip[b]])
            if d < best[0]:
                best[:] = [d, strip[a], strip[b]]


def closest_pair_steps(points):
    """Divide and conquer in plain Python: one step per base case and per strip check."""
    p = as_points(points)
    if len(p) < 2:
        raise InputError("The closest pair needs at least 2 points (got {n_points}).", n_points=len(p))
    pts = list(map(tuple, p.tolist()))
    order = sorted(range(len(pts)), key=lambda i: pts[i])
    y_lo, y_hi = float(p[:, 1].min()), float(p[:, 1].max())
    pad = max(1.0, (y_hi - y_lo) * 0.05)
    best = [math.inf, -1, -1]

    def best_layer():
        return lines([(pts[best[1]], pts[best[2]])], "result", 3) if best[1] >= 0 else lines([], "result")

    def solve(ids: list[int]):
        if len(ids) <= 3:
            _brute_force_into(best, pts, ids)
            yield Step("Base case of {n} points by brute force; δ = {delta:.4g}.",
                       (dots([pts[i] for i in ids], "active"), best_layer()), n=len(ids), delta=best[0])
            return
        mid = len(ids) // 2
        x_mid = pts[ids[mid]][0]
        yield from solve(ids[:mid])
        yield from solve(ids[mid:])
        delta = best[0]
        strip = sorted((i for i in ids if abs(pts[i][0] - x_mid) < delta), key=lambda i: pts[i][1])
        x0, x1 = pts[ids[0]][0], pts[ids[-1]][0]
        band = [(x_mid - delta, y_lo - pad), (x_mid + delta, y_lo - pad), (x_mid + delta, y_hi + pad),
                (x_mid - delta, y_hi + pad)]
        _strip_into(best, pts, strip)
        yield Step(
            "Merge {n} points at x = {x:.4g}: {strip} in the strip |x − x_mid| < δ, each checked against ≤ 7 "
            "neighbours by y; δ = {delta:.4g}.",
            (path(band, "muted", closed=True, fill=True), lines([((x_mid, y_lo - pad), (x_mid, y_hi + pad))]),
             lines([((x0, y_hi + pad), (x1, y_hi + pad))], "active", 2), dots([pts[i] for i in strip], "active", 4),
             best_layer()),
            n=len(ids), x=x_mid, strip=len(strip), delta=best[0],
        )

    yield from solve(order)
    i, j = sorted((best[1], best[2]))
    yield Step("Closest pair: points {i} and {j}, distance {d:.6g}.",
               (lines([(pts[i], pts[j])], "result", 3), dots([pts[i], pts[j]], "result", 6)), i=i, j=j, d=best[0])
    return i, j, best[0]
