"""The Bentley–Ottmann sweep of :mod:`rlgen.geometry.bentley_ottmann`, compiled by numba.

Same events, same status, same answer; what changes is the arithmetic:

* Orientation tests on input endpoints (does a segment cross another, which way does it leave an event
  point) use Shewchuk's adaptive predicates (:mod:`rlgen.geometry.expansions`): exact, so shared endpoints,
  vertical and overlapping segments are decided exactly as before.
* A crossing in the interior of both segments is kept as a float approximation with a proven bound on the
  error of each coordinate. Every comparison that involves such a point (event order, which side of a
  segment it lies on) is decided by a filter that is certain when the bound says so.
* When a filter cannot decide (two distinct crossings closer than their error bounds, three segments through
  one interior point, a segment's end on another's crossing) the compiled sweep gives up, and the caller
  reruns the exact rational sweep. Random input never comes near that (crossings there are ~10^-6 apart, the
  bounds ~10^-15); crafted degenerate input pays the rational price and gets the same exact answer.
* Reported crossing coordinates are rounded once from the exact rational (Python integers), so they equal
  the rational sweep's to the last bit.

The status is a treap (:mod:`rlgen.geometry.treap`): at each event one walk down splits off the segments
below the event point, the run through it is taken from the front of the rest, and the pieces are merged back
with the re-ordered run in between, O(log n) expected per event, so O((n + k) log n) in all. ``sweep(seg,
False)`` keeps the status in a sorted array instead (binary search, then one block move: O(status size) per
event), the earlier version, which ``python -m rlgen.bench geometry`` runs beside it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from rlgen.geometry.expansions import CCW_ERRBOUND, EPSILON, SAFE_RANGE, orient, two_product, two_sum
from rlgen.geometry.treap import EMPTY, LEFT, RIGHT, attach, chain, first, merge, new_treap, without_first

UNCERTAIN = 2  # a comparison the float filter could not decide
ERROR_MARGIN = 2.0  # the crossing error bounds are multiplied by this to cover second-order terms


@njit(cache=True)
def _orient(ax, ay, bx, by, cx, cy) -> int:  # pragma: no cover - compiled
    """The adaptive orientation (one out-of-line copy, so the sweep compiles quickly)."""
    return orient(ax, ay, bx, by, cx, cy)


@njit(cache=True)
def _compare_values(v1, e1, v2, e2) -> int:  # pragma: no cover - compiled
    """-1 / 0 / +1 / UNCERTAIN for two numbers known within e1 and e2 (0: exact)."""
    if v1 + e1 < v2 - e2:
        return -1
    if v1 - e1 > v2 + e2:
        return 1
    return UNCERTAIN if e1 != 0.0 or e2 != 0.0 else 0


@njit(cache=True)
def _compare(x1, y1, ex1, ey1, x2, y2, ex2, ey2) -> int:  # pragma: no cover - compiled
    """-1 / 0 / +1: point 1 before / at / after point 2 in (x, y) order, or UNCERTAIN. Each point is a float
    approximation within (ex, ey) of the true point; (0, 0) means exact."""
    by_x = _compare_values(x1, ex1, x2, ex2)
    return by_x if by_x != 0 else _compare_values(y1, ey1, y2, ey2)


@njit(cache=True)
def _checked(comparison, flag) -> int:  # pragma: no cover - compiled
    """The comparison, with the give-up flag raised when it is UNCERTAIN."""
    if comparison == UNCERTAIN:
        flag[0] = 1
    return comparison


@njit(cache=True)
def _event_compare(ev, e1, e2, flag) -> int:  # pragma: no cover - compiled
    return _checked(_compare(ev[e1, 0], ev[e1, 1], ev[e1, 2], ev[e1, 3], ev[e2, 0], ev[e2, 1], ev[e2, 2], ev[e2, 3]),
                    flag)


@njit(cache=True)
def _heap_push(heap, size, ev, e, flag) -> int:  # pragma: no cover - compiled
    k = size
    heap[k] = e
    while k > 0:
        parent = (k - 1) // 2
        if _event_compare(ev, heap[k], heap[parent], flag) != -1:
            break
        heap[k], heap[parent] = heap[parent], heap[k]
        k = parent
    return size + 1


@njit(cache=True)
def _heap_pop(heap, size, ev, flag) -> int:  # pragma: no cover - compiled
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    k = 0
    while True:
        child = 2 * k + 1
        if child >= size:
            break
        if child + 1 < size and _event_compare(ev, heap[child + 1], heap[child], flag) == -1:
            child += 1
        if _event_compare(ev, heap[child], heap[k], flag) != -1:
            break
        heap[k], heap[child] = heap[child], heap[k]
        k = child
    return top


@njit(cache=True)
def _crossing(seg, i, j, out) -> bool:  # pragma: no cover - compiled
    """The single common point of segments i and j into out = (x, y, error x, error y), or False (disjoint,
    or collinear: an overlap starts at an endpoint event anyway). Touching ends are exact."""
    ax, ay, bx, by = seg[i, 0], seg[i, 1], seg[i, 2], seg[i, 3]
    cx, cy, dx, dy = seg[j, 0], seg[j, 1], seg[j, 2], seg[j, 3]
    d1, d2 = _orient(cx, cy, dx, dy, ax, ay), _orient(cx, cy, dx, dy, bx, by)
    if d1 == 0 and d2 == 0:
        return False
    if d1 * d2 > 0:
        return False
    d3, d4 = _orient(ax, ay, bx, by, cx, cy), _orient(ax, ay, bx, by, dx, dy)
    if d3 * d4 > 0:
        return False
    out[2] = out[3] = 0.0
    if d1 == 0:
        out[0], out[1] = ax, ay
    elif d2 == 0:
        out[0], out[1] = bx, by
    elif d3 == 0:
        out[0], out[1] = cx, cy
    elif d4 == 0:
        out[0], out[1] = dx, dy
    elif not _exactly(ax, ay, bx, by, cx, cy, dx, dy, out):
        _interior_crossing(ax, ay, bx, by, cx, cy, dx, dy, out)
    return True


@njit(cache=True)
def _interior_crossing(ax, ay, bx, by, cx, cy, dx, dy, out) -> None:  # pragma: no cover - compiled
    """a + t (b − a), t = (c − a) × (d − c) / ((b − a) × (d − c)) in floats, with a bound on each coordinate's
    error: every difference and product is within one rounding (relative EPSILON) of its exact value."""
    ux, uy, vx, vy, wx, wy = bx - ax, by - ay, dx - cx, dy - cy, cx - ax, cy - ay
    den = ux * vy - uy * vx
    num = wx * vy - wy * vx
    e_den = 8.0 * EPSILON * (abs(ux * vy) + abs(uy * vx))
    e_num = 8.0 * EPSILON * (abs(wx * vy) + abs(wy * vx))
    if abs(den) <= 4.0 * e_den:  # nearly parallel: t is not known well; make every comparison uncertain
        out[0], out[1] = ax + 0.5 * ux, ay + 0.5 * uy
        out[2], out[3] = abs(ux) + 1.0, abs(uy) + 1.0
        return
    t = num / den
    dt = (abs(num) * e_den + abs(den) * e_num) / (abs(den) * (abs(den) - e_den)) + EPSILON * abs(t)
    x, y = ax + t * ux, ay + t * uy
    out[0], out[1] = x, y
    out[2] = ERROR_MARGIN * (dt * abs(ux) + 2.0 * EPSILON * abs(t * ux) + EPSILON * abs(x)) + 1e-300
    out[3] = ERROR_MARGIN * (dt * abs(uy) + 2.0 * EPSILON * abs(t * uy) + EPSILON * abs(y)) + 1e-300
    for px, py, qx, qy in ((ax, ay, bx, by), (cx, cy, dx, dy)):  # on a vertical or horizontal segment
        if px == qx:
            out[0], out[2] = px, 0.0
        if py == qy:
            out[1], out[3] = py, 0.0


@njit(cache=True)
def _exact_quotient(a, b, c, d, e, f, g, h) -> tuple:  # pragma: no cover - compiled
    """(a·b + c·d) / (e·f − g·h) when every product, sum and the quotient are exact in floats (so the
    crossing is an exact float, as lattice input often gives), else (nan, False)."""
    p1, r1 = two_product(a, b)
    p2, r2 = two_product(c, d)
    q1, r3 = two_product(e, f)
    q2, r4 = two_product(g, h)
    top, r5 = two_sum(p1, p2)
    bottom, r6 = two_sum(q1, -q2)
    if r1 != 0.0 or r2 != 0.0 or r3 != 0.0 or r4 != 0.0 or r5 != 0.0 or r6 != 0.0 or bottom == 0.0:
        return np.nan, False
    quotient = top / bottom
    back, r7 = two_product(quotient, bottom)
    return quotient, back == top and r7 == 0.0


@njit(cache=True)
def _exact_difference(a, b) -> tuple:  # pragma: no cover - compiled
    difference, rest = two_sum(a, -b)
    return difference, rest == 0.0


@njit(cache=True)
def _exactly(ax, ay, bx, by, cx, cy, dx, dy, out) -> bool:  # pragma: no cover - compiled
    """Is the crossing a + (num/den)(b − a) exactly a float point? If so, write it (error 0) into out.
    x = (a_x·den + num·u_x) / den with u = b − a, v = d − c, w = c − a, den = u × v, num = w × v."""
    ux, e1 = _exact_difference(bx, ax)
    uy, e2 = _exact_difference(by, ay)
    vx, e3 = _exact_difference(dx, cx)
    vy, e4 = _exact_difference(dy, cy)
    wx, e5 = _exact_difference(cx, ax)
    wy, e6 = _exact_difference(cy, ay)
    if not (e1 and e2 and e3 and e4 and e5 and e6):
        return False
    num, exact_num = _exact_quotient(wx, vy, -wy, vx, 1.0, 1.0, 0.0, 0.0)
    if not exact_num:
        return False
    den = ux * vy - uy * vx
    x, x_exact = _exact_quotient(ax, den, num, ux, ux, vy, uy, vx)
    if not x_exact:
        return False
    y, y_exact = _exact_quotient(ay, den, num, uy, ux, vy, uy, vx)
    if not y_exact:
        return False
    out[0], out[1], out[2], out[3] = x, y, 0.0, 0.0
    return True


@njit(cache=True)
def _side(seg, k, px, py, ex, ey, known, n_known, flag) -> int:  # pragma: no cover - compiled
    """-1 / 0 / +1: segment k passes below / through / above the event point (exact, or within (ex, ey))."""
    for m in range(n_known):
        if known[m] == k:
            return 0
    ax, ay, bx, by = seg[k, 0], seg[k, 1], seg[k, 2], seg[k, 3]
    if ax == bx:  # vertical: an interval of the sweep line
        if by < py - ey:
            return -1
        if ay > py + ey:
            return 1
        if ey != 0.0 and not (ay < py - ey and by > py + ey):
            flag[0] = 1
        return 0
    if ex == 0.0 and ey == 0.0:
        return -_orient(ax, ay, bx, by, px, py)
    left = (ax - px) * (by - py)
    right = (ay - py) * (bx - px)
    det = left - right
    bound = CCW_ERRBOUND * (abs(left) + abs(right)) + (abs(by - ay) * ex + abs(bx - ax) * ey) * 1.000001
    if abs(det) > 2.0 * bound:
        return -1 if det > 0.0 else 1
    flag[0] = 1
    return 0


@njit(cache=True)
def _leaves_before(seg, s, t) -> bool:  # pragma: no cover - compiled
    """Two segments through the current event point: is s below t just right of it? Verticals go last; a
    non-vertical t is above s when t's right end is left of the line through s (exact orientation)."""
    s_vertical, t_vertical = seg[s, 0] == seg[s, 2], seg[t, 0] == seg[t, 2]
    if s_vertical or t_vertical:
        return t_vertical and (not s_vertical or s < t)
    turn = _orient(seg[s, 0], seg[s, 1], seg[s, 2], seg[s, 3], seg[t, 2], seg[t, 3])
    return turn > 0 or (turn == 0 and s < t)


@njit(cache=True)
def _sorted_by_departure(seg, items, count) -> None:  # pragma: no cover - compiled
    for a in range(1, count):  # insertion sort: a handful of segments per event
        item = items[a]
        b = a - 1
        while b >= 0 and _leaves_before(seg, item, items[b]):
            items[b + 1] = items[b]
            b -= 1
        items[b + 1] = item


@njit(cache=True)
def _added(items, count, item) -> int:  # pragma: no cover - compiled
    for m in range(count):
        if items[m] == item:
            return count
    items[count] = item
    return count + 1


@njit(cache=True)
def _grown(array, rows):  # pragma: no cover - compiled
    bigger = np.empty((rows,) + array.shape[1:], dtype=array.dtype)
    bigger[:len(array)] = array
    return bigger


@njit(cache=True)
def _queued_endpoints(seg, flag):  # pragma: no cover - compiled
    """The event queue with both ends of every segment: events as (x, y, error x, error y) and their segments,
    start (k, -1), end (-1, -1), crossing (i, j); the heap of event numbers; its size."""
    n = len(seg)
    ev = np.zeros((4 * n + 16, 4))
    ev_seg = np.full((4 * n + 16, 2), -1, dtype=np.int64)
    heap = np.empty(4 * n + 16, dtype=np.int64)
    size = 0
    for k in range(n):
        for end in range(2):
            e = 2 * k + end
            ev[e, 0], ev[e, 1] = seg[k, 2 * end], seg[k, 2 * end + 1]
            if end == 0:
                ev_seg[e, 0] = k
            size = _heap_push(heap, size, ev, e, flag)
    return ev, ev_seg, heap, size


@njit(cache=True)
def _events_at_point(heap, size, ev, ev_seg, flag, upper, known):  # pragma: no cover - compiled
    """Pop every event at the next point: U(p) into upper, the segments whose crossing made p into known.
    Returns (queue size, an event at p, |U(p)|, number known, the pair that made an inexact p or (-1, -1))."""
    e = _heap_pop(heap, size, ev, flag)
    size -= 1
    inexact = ev[e, 2] != 0.0 or ev[e, 3] != 0.0
    n_upper = n_known = 0
    maker_i = maker_j = -1
    while True:
        if ev_seg[e, 1] >= 0:
            n_known = _added(known, n_known, ev_seg[e, 0])
            n_known = _added(known, n_known, ev_seg[e, 1])
            if inexact:
                maker_i, maker_j = ev_seg[e, 0], ev_seg[e, 1]
        elif ev_seg[e, 0] >= 0:
            upper[n_upper] = ev_seg[e, 0]
            n_upper += 1
        if size == 0 or _event_compare(ev, heap[0], e, flag) != 0:
            return size, e, n_upper, n_known, maker_i, maker_j
        e = _heap_pop(heap, size, ev, flag)
        size -= 1


@njit(cache=True)
def _recorded(found, n_found, point, maker_i, maker_j, upper, n_upper, through):  # pragma: no cover - compiled
    """Append the point and the sorted segments through it to found = (points, makers, offsets, members)."""
    points, makers, offsets, members = found
    if n_found + 1 >= len(points):
        points, makers = _grown(points, 2 * len(points)), _grown(makers, 2 * len(points))
        offsets = _grown(offsets, 2 * len(points) + 1)
    start, stop = offsets[n_found], offsets[n_found] + n_upper + len(through)
    while stop > len(members):
        members = _grown(members, 2 * len(members))
    points[n_found, 0], points[n_found, 1] = point[0], point[1]
    makers[n_found, 0], makers[n_found, 1] = maker_i, maker_j
    members[start:start + n_upper] = upper[:n_upper]
    members[start + n_upper:stop] = through
    members[start:stop].sort()
    offsets[n_found + 1] = stop
    return points, makers, offsets, members


@njit(cache=True)
def _leaving(seg, through, point, upper, n_upper, entering) -> int:  # pragma: no cover - compiled
    """U(p) ∪ C(p) into entering, in their order just right of p; returns how many."""
    count = n_upper
    entering[:n_upper] = upper[:n_upper]
    exact = point[2] == 0.0 and point[3] == 0.0
    for k in through:
        if not (exact and seg[k, 2] == point[0] and seg[k, 3] == point[1]):  # L(p) ends here
            entering[count] = k
            count += 1
    _sorted_by_departure(seg, entering, count)
    return count


@njit(cache=True)
def _neighbour_pairs(below, above, entering, count, pairs) -> int:  # pragma: no cover - compiled
    """The pairs that became neighbours at the event: the outer ends of the re-inserted run with the segments
    just below and above it, or those two when no segment runs on (EMPTY: none). Written to pairs; returns
    how many."""
    n_pairs = 0
    if count == 0:
        if below != EMPTY and above != EMPTY:
            pairs[0, 0], pairs[0, 1] = below, above
            n_pairs = 1
        return n_pairs
    if below != EMPTY:
        pairs[n_pairs, 0], pairs[n_pairs, 1] = below, entering[0]
        n_pairs += 1
    if above != EMPTY:
        pairs[n_pairs, 0], pairs[n_pairs, 1] = entering[count - 1], above
        n_pairs += 1
    return n_pairs


@njit(cache=True)
def _split_below(seg, tree, root, point, known, n_known, flag):  # pragma: no cover - compiled
    """The status treap cut in two at the event point: (the segments passing below it, their last, the rest,
    its first; EMPTY where a part is empty). One walk down: a node below p goes to the first part with its
    left subtree, any other node to the second with its right subtree; the last node put in each part ends
    its inner spine, so it is that part's last (first) node."""
    px, py, ex, ey = point[0], point[1], point[2], point[3]
    below = above = below_last = above_last = EMPTY
    node = root
    while node != EMPTY:
        if _side(seg, node, px, py, ex, ey, known, n_known, flag) < 0:
            below = attach(tree, below, below_last, RIGHT, node)
            below_last, node = node, tree[RIGHT, node]
        else:
            above = attach(tree, above, above_last, LEFT, node)
            above_last, node = node, tree[LEFT, node]
    if below_last != EMPTY:
        tree[RIGHT, below_last] = EMPTY
    if above_last != EMPTY:
        tree[LEFT, above_last] = EMPTY
    return below, below_last, above, above_last


@njit(cache=True)
def _take_through(seg, tree, above, node, point, known, n_known, flag, through):  # pragma: no cover - compiled
    """L(p) ∪ C(p), bottom to top, moved from the front of ``above`` (whose first node is ``node``) into
    through: (the rest, its first node, how many were moved)."""
    px, py, ex, ey = point[0], point[1], point[2], point[3]
    count = 0
    while node != EMPTY and _side(seg, node, px, py, ex, ey, known, n_known, flag) == 0:
        through[count] = node
        count += 1
        above = without_first(tree, above)
        node = first(tree, above)
    return above, node, count


@njit(cache=True)
def _tree_event(seg, tree, root, point, known, n_known, flag, upper, n_upper, through, entering,
                pairs):  # pragma: no cover - compiled
    """The status at an event point p, kept in a treap: split off the segments below p, take the run through p
    from the front of the rest, and merge the three back with U(p) ∪ C(p) in place of the run: O(log n)
    expected, plus the run. Returns (the new root, |L(p) ∪ C(p)|, how many new neighbour pairs)."""
    below, below_last, above, above_first = _split_below(seg, tree, root, point, known, n_known, flag)
    above, above_first, n_through = _take_through(seg, tree, above, above_first, point, known, n_known, flag,
                                                  through)
    count = _leaving(seg, through[:n_through], point, upper, n_upper, entering)
    n_pairs = _neighbour_pairs(below_last, above_first, entering, count, pairs)
    return merge(tree, merge(tree, below, chain(tree, entering, count)), above), n_through, n_pairs


@njit(cache=True)
def _through_array(seg, status, length, point, known, n_known, flag):  # pragma: no cover - compiled
    """status[start:stop]: the segments through the event point, L(p) ∪ C(p) (binary search, then a scan)."""
    px, py, ex, ey = point[0], point[1], point[2], point[3]
    lo, hi = 0, length
    while lo < hi:
        mid = (lo + hi) // 2
        if _side(seg, status[mid], px, py, ex, ey, known, n_known, flag) < 0:
            lo = mid + 1
        else:
            hi = mid
    stop = lo
    while stop < length and _side(seg, status[stop], px, py, ex, ey, known, n_known, flag) == 0:
        stop += 1
    return lo, stop


@njit(cache=True)
def _replaced(status, length, start, stop, entering, count) -> int:  # pragma: no cover - compiled
    """status[start:stop] = entering[:count], moving the rest of the status; returns the new length."""
    shift = count - (stop - start)
    if shift > 0:
        for m in range(length - 1, stop - 1, -1):
            status[m + shift] = status[m]
    elif shift < 0:
        for m in range(stop, length):
            status[m + shift] = status[m]
    status[start:start + count] = entering[:count]
    return length + shift


@njit(cache=True)
def _array_event(seg, status, length, point, known, n_known, flag, upper, n_upper, through, entering,
                 pairs):  # pragma: no cover - compiled
    """The same step with the status in a sorted array (binary search, then one block move: O(status size)
    per event). Returns (the new length, |L(p) ∪ C(p)|, how many new neighbour pairs)."""
    start, stop = _through_array(seg, status, length, point, known, n_known, flag)
    n_through = stop - start
    through[:n_through] = status[start:stop]
    count = _leaving(seg, through[:n_through], point, upper, n_upper, entering)
    length = _replaced(status, length, start, stop, entering, count)
    below = status[start - 1] if start > 0 else EMPTY
    above = status[start + count] if start + count < length else EMPTY
    return length, n_through, _neighbour_pairs(below, above, entering, count, pairs)


@njit(cache=True)
def _slot(table, key) -> int:  # pragma: no cover - compiled
    """Where key is, or the empty slot it would go to, in an open-addressing table (-1 marks empty)."""
    mask = len(table) - 1
    h = ((key ^ (key >> 29)) * 0x5851F42D4C957F2D) & mask  # int64 multiplication wraps: a cheap mixing hash
    while table[h] != -1 and table[h] != key:
        h = (h + 1) & mask
    return h


@njit(cache=True)
def _first_time(seen, key):  # pragma: no cover - compiled
    """Add key to the set seen = (table, size); returns (the set, whether key was new)."""
    table, used = seen
    if 2 * (used + 1) > len(table):  # keep the table at most half full
        bigger = np.full(2 * len(table), -1, dtype=np.int64)
        for old in table:
            if old != -1:
                bigger[_slot(bigger, old)] = old
        table = bigger
    h = _slot(table, key)
    if table[h] == key:
        return (table, used), False
    table[h] = key
    return (table, used + 1), True


@njit(cache=True)
def _schedule(seg, i, j, point, queue, flag, seen):  # pragma: no cover - compiled
    """Queue the crossing of i and j if it lies after the event point and the pair was not tested before
    (seen: the pairs tested). queue = (events, their segments, heap, size, count); returns (queue, seen),
    arrays grown when full."""
    ev, ev_seg, heap, size, count = queue
    i, j = min(i, j), max(i, j)
    seen, new = _first_time(seen, i * len(seg) + j)
    if not new:  # the pair was neighbours before: its crossing is queued or passed
        return queue, seen
    crossing = np.empty(4)
    if not _crossing(seg, i, j, crossing):
        return queue, seen
    if _checked(_compare(crossing[0], crossing[1], crossing[2], crossing[3],
                         point[0], point[1], point[2], point[3]), flag) != 1:
        return queue, seen
    if count == len(ev):
        ev, ev_seg, heap = _grown(ev, 2 * count), _grown(ev_seg, 2 * count), _grown(heap, 2 * count)
    ev[count] = crossing
    ev_seg[count, 0], ev_seg[count, 1] = i, j
    size = _heap_push(heap, size, ev, count, flag)
    return (ev, ev_seg, heap, size, count + 1), seen


@njit(cache=True)
def sweep(seg, balanced):  # pragma: no cover - compiled
    """The sweep over segments given as rows (x1, y1, x2, y2), left (then lower) end first, with the status in
    a treap (``balanced``: O(log n) per event) or a sorted array (O(status size) per event; the earlier
    version, kept for the bench's comparison). Returns (ok, points (x, y), maker pair or (-1, -1) when the
    point is exact, member offsets, members). ok is False when a float filter could not decide; the rest is
    then meaningless."""
    n = len(seg)
    flag = np.zeros(1, dtype=np.int64)
    ev, ev_seg, heap, size = _queued_endpoints(seg, flag)
    queue = (ev, ev_seg, heap, size, 2 * n)
    tree, status = new_treap(n if balanced else 0), np.empty(0 if balanced else n, dtype=np.int64)
    upper, known = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    through, entering = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    held = EMPTY if balanced else 0  # the treap's root, or the array's length
    n_found = 0
    seen = (np.full(1024, -1, dtype=np.int64), 0)
    found = (np.empty((n + 16, 2)), np.empty((n + 16, 2), dtype=np.int64), np.zeros(n + 17, dtype=np.int64),
             np.empty(2 * n + 16, dtype=np.int64))
    pairs = np.empty((2, 2), dtype=np.int64)
    while queue[3] > 0 and flag[0] == 0:
        ev, ev_seg, heap, size, count = queue
        size, e, n_upper, n_known, maker_i, maker_j = _events_at_point(heap, size, ev, ev_seg, flag, upper, known)
        queue = (ev, ev_seg, heap, size, count)
        point = ev[e].copy()
        if balanced:
            held, n_through, n_pairs = _tree_event(seg, tree, held, point, known, n_known, flag, upper, n_upper,
                                                   through, entering, pairs)
        else:
            held, n_through, n_pairs = _array_event(seg, status, held, point, known, n_known, flag, upper, n_upper,
                                                    through, entering, pairs)
        if flag[0] != 0:
            break
        if n_upper + n_through > 1:
            found = _recorded(found, n_found, point, maker_i, maker_j, upper, n_upper, through[:n_through])
            n_found += 1
        for m in range(n_pairs):
            queue, seen = _schedule(seg, pairs[m, 0], pairs[m, 1], point, queue, flag, seen)
    points, makers, offsets, members = found
    return flag[0] == 0, points[:n_found], makers[:n_found], offsets[:n_found + 1], members[:offsets[n_found]]


def compilable(array: np.ndarray) -> bool:
    """The compiled sweep's predicates are exact when every non-zero coordinate lies in SAFE_RANGE."""
    magnitudes = np.abs(array[array != 0.0])
    return bool(magnitudes.size == 0 or (magnitudes.min() >= SAFE_RANGE[0] and magnitudes.max() <= SAFE_RANGE[1]))


def exact_crossings(seg: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """The interior crossing of each pair (i, j), rounded once from the exact rational: every coordinate is
    an integer times 2^-shift, and Python's int / int is correctly rounded."""
    used = np.unique(pairs)
    values = seg[used]
    nonzero = values[values != 0.0]
    shift = 0 if nonzero.size == 0 else int(53 - np.frexp(nonzero)[1].min())
    index = np.searchsorted(used, pairs)
    exact = np.array([int(v) for v in np.ldexp(values, shift).ravel().tolist()], dtype=object).reshape(-1, 4)
    (ax, ay, bx, by), (cx, cy, dx, dy) = exact[index[:, 0]].T, exact[index[:, 1]].T
    ux, uy, vx, vy = bx - ax, by - ay, dx - cx, dy - cy  # numpy applies Python's int arithmetic per element
    den = ux * vy - uy * vx
    num = (cx - ax) * vy - (cy - ay) * vx
    top_x, top_y = ax * den + num * ux, ay * den + num * uy
    if shift >= 0:
        den = den * (1 << shift)
    else:  # every coordinate is a multiple of 2^-shift already
        top_x, top_y = top_x * (1 << -shift), top_y * (1 << -shift)
    return np.column_stack((top_x / den, top_y / den)).astype(float)


def warm_up() -> None:
    """Compile (or load from numba's disk cache) the sweep on a tiny input."""
    sweep(np.array([[0.0, 0.0, 2.0, 2.0], [0.0, 2.0, 2.0, 0.0], [1.0, 0.0, 1.0, 3.0]]), True)
