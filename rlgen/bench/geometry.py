"""`python -m rlgen.bench geometry [--json PATH] [--quick]`: rlgen.geometry against Qhull (scipy.spatial) and
GEOS (shapely), measured in the same run.

* convex hull of 10^5 and 10^6 uniform points: ours vs scipy.spatial.ConvexHull vs shapely convex_hull;
  target: ours on 10^6 in at most half of Qhull's time;
* exactness: 10^5 points on a circle of radius 10^-3 around (1000, 1000) — every one is a hull vertex of
  the float input (checked by an exact integer monotone chain); Qhull's tolerance drops some, ours must not;
* Delaunay of 10^4, 10^5 and 10^6 points vs scipy.spatial.Delaunay (compiled Bowyer–Watson), target within
  2x of Qhull, and the same triangles; the one-off JIT cost (cold compile, and loading numba's disk cache);
* Bentley–Ottmann on n = 10^3..10^5 short random segments (about 2n crossings) vs shapely's noding
  (unary_union, GEOS) and vs brute force over all pairs (numpy, up to 10^4), the pairs checked against an
  STRtree "intersects" query; target: no slower than shapely at every size; its JIT cost too;
* the sweep's status, a treap against the sorted array it replaced, on n = 10^4..10^5 long nearly horizontal
  segments (the status holds them all at mid-sweep, about n crossings), and shapely on the same lines;
* closest pair of 10^5 points, target under 1 s, checked against scipy's cKDTree.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

import numpy as np

from rlgen.bench._report import best_time, parse_args, report, versus


def exact_hull_size(points: np.ndarray) -> int:
    """Hull vertex count (no collinear points) by monotone chain on exact integers: every float is m·2^e, so
    scaling all coordinates by the largest denominator makes them integers, and Python's ints are exact."""
    unique = sorted(set(map(tuple, points.tolist())))
    denominator = max(Fraction(v).denominator for p in unique for v in p)
    q = [(int(Fraction(x) * denominator), int(Fraction(y) * denominator)) for x, y in unique]

    def chain(seq):
        stack = []
        for p in seq:
            while len(stack) >= 2:
                (ax, ay), (bx, by) = stack[-2], stack[-1]
                if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) > 0:
                    break
                stack.pop()
            stack.append(p)
        return stack

    return len(chain(q)) + len(chain(q[::-1])) - 2


def cold_compile_seconds(module: str = "rlgen.geometry.bowyer_watson") -> tuple[float, float]:
    """A module's kernels (its ``warm_up``) compiled from scratch in a fresh process with an empty numba cache:
    (wall seconds, CPU seconds of that process; on a shared machine the CPU figure is the steadier one)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        code = f"from {module} import warm_up; warm_up()"
        start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.perf_counter() - start, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime


def bench_delaunay(quick: bool, repeats: int, rows: list) -> dict:
    from scipy.spatial import Delaunay

    from rlgen.geometry.bowyer_watson import warm_up
    from rlgen.geometry.delaunay import delaunay

    start = time.perf_counter()
    warm_up()
    figures = {"jit_cache_load_s": time.perf_counter() - start, "sizes": [], "clock": "process_time"}
    if not quick:
        figures["jit_cold_compile_s"], figures["jit_cold_compile_cpu_s"] = cold_compile_seconds()
    rng = np.random.default_rng(1)
    for n in (2000, 10**4) if quick else (10**4, 10**5, 10**6):
        pts = rng.random((n, 2))
        times = 1 if n >= 10**6 else repeats
        ours = best_time(lambda pts=pts: delaunay(pts), times, clock=time.process_time)
        qhull = best_time(lambda pts=pts: Delaunay(pts), times, clock=time.process_time)
        same = ({tuple(sorted(t)) for t in delaunay(pts).tolist()}
                == {tuple(sorted(t)) for t in Delaunay(pts).simplices.tolist()})
        rows.append({"task": f"Delaunay, {n:,} uniform", "ours_s": ours, "qhull_s": qhull, "shapely_s": None,
                     "qhull/ours": qhull / ours, "shapely/ours": None, "same vertices": f"same triangles {same}"})
        figures["sizes"].append({"n": n, "ours_s": ours, "qhull_s": qhull, "same_triangles": same})
    return figures


def random_segments(n: int, rng: np.random.Generator) -> np.ndarray:
    """n segments from uniform starts with normal offsets of scale 2/√n: about 2n crossings in the unit square."""
    start = rng.random((n, 2))
    return np.stack((start, start + rng.normal(0.0, 2.0 / np.sqrt(n), (n, 2))), axis=1)


def brute_force_pairs(segs: np.ndarray) -> int:
    """Intersecting pairs by testing all n(n−1)/2 pairs (float orientations, numpy rows of one segment
    against all later ones): the peer a person writes first."""
    a, b = segs[:, 0], segs[:, 1]
    count = 0
    for i in range(len(segs) - 1):
        c, d = a[i + 1:], b[i + 1:]

        def orient(p, q, r):
            return np.sign((q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1])
                           - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0]))

        d1, d2 = orient(c, d, a[i]), orient(c, d, b[i])
        d3, d4 = orient(a[i], b[i], c), orient(a[i], b[i], d)
        count += int(np.count_nonzero((d1 * d2 <= 0) & (d3 * d4 <= 0)))
    return count


def bench_bentley_ottmann(quick: bool, repeats: int, rows: list) -> dict:
    import shapely

    from rlgen.geometry.bentley_ottmann import bentley_ottmann
    from rlgen.geometry.bentley_ottmann_fast import warm_up

    start = time.perf_counter()
    warm_up()
    figures = {"jit_cache_load_s": time.perf_counter() - start, "sizes": [], "clock": "process_time"}
    if not quick:
        figures["jit_cold_compile_s"], figures["jit_cold_compile_cpu_s"] = cold_compile_seconds(
            "rlgen.geometry.bentley_ottmann_fast")
    rng = np.random.default_rng(2)
    for n in (300, 1000) if quick else (10**3, 10**4, 10**5):
        segs = random_segments(n, rng)
        pairs, _ = bentley_ottmann(segs)
        times = repeats if n <= 10**4 else 1  # the small sizes take milliseconds: best of a few, both sides
        ours = best_time(lambda segs=segs: bentley_ottmann(segs), times, clock=time.process_time)
        lines = shapely.linestrings(segs)
        geos = best_time(lambda lines=lines: shapely.unary_union(lines), times, clock=time.process_time)
        tree = shapely.STRtree(lines)
        left, right = tree.query(lines, predicate="intersects")
        same = pairs == sorted({(int(i), int(j)) for i, j in zip(left, right) if i < j})
        brute = (best_time(lambda segs=segs: brute_force_pairs(segs), 1, clock=time.process_time)
                 if n <= 10**4 else None)
        versus_brute = f"brute force {brute:.3g} s = {brute / ours:.1f}x ours" if brute else "brute force not run"
        rows.append({"task": f"Bentley–Ottmann, {n:,} segments, {len(pairs):,} pairs", "ours_s": ours,
                     "qhull_s": None, "shapely_s": geos, "qhull/ours": None, "shapely/ours": geos / ours,
                     "same vertices": f"{versus_brute}, same pairs as STRtree {same}"})
        figures["sizes"].append({"n": n, "pairs": len(pairs), "ours_s": ours, "shapely_unary_union_s": geos,
                                 "shapely/ours": geos / ours, "brute_force_s": brute,
                                 "brute/ours": brute / ours if brute else None, "same_pairs_as_strtree": same})
    return figures


def long_segments(n: int, rng: np.random.Generator) -> np.ndarray:
    """n long, nearly horizontal segments: left ends in [0, 1/2), right ends in [1/2, 1), heights uniform with
    slopes of scale 1/n. Every segment crosses the line x = 1/2, so the status grows to n, with about n
    crossings: the case where a status kept in a sorted array pays O(n) per event."""
    x0, x1, y0 = 0.5 * rng.random(n), 0.5 + 0.5 * rng.random(n), rng.random(n)
    return np.stack((np.column_stack((x0, y0)), np.column_stack((x1, y0 + rng.normal(0.0, 1.0 / n, n)))), axis=1)


def bench_status(quick: bool, rows: list) -> list[dict]:
    """The compiled sweep with its status in a treap (O(log n) per event) and in a sorted array (the earlier
    version, O(status size) per event) on :func:`long_segments`, and shapely's noding of the same lines."""
    import shapely

    from rlgen.geometry.bentley_ottmann import _as_rows
    from rlgen.geometry.bentley_ottmann_fast import sweep

    rng = np.random.default_rng(3)
    sizes = []
    for n in (1000, 3000) if quick else (10**4, 3 * 10**4, 10**5):
        segs = long_segments(n, rng)
        rows_ = _as_rows(segs)
        tree = best_time(lambda rows_=rows_: sweep(rows_, True), 1, clock=time.process_time)
        array = best_time(lambda rows_=rows_: sweep(rows_, False), 1, clock=time.process_time)
        balanced, sorted_array = sweep(rows_, True), sweep(rows_, False)
        same = all(np.array_equal(a, b) for a, b in zip(balanced, sorted_array))
        lines = shapely.linestrings(segs)
        geos = best_time(lambda lines=lines: shapely.unary_union(lines), 1, clock=time.process_time)
        points = len(balanced[1])
        rows.append({"task": f"Bentley–Ottmann, {n:,} long segments, {points:,} points", "ours_s": tree,
                     "qhull_s": None, "shapely_s": geos, "qhull/ours": None, "shapely/ours": geos / tree,
                     "same vertices": f"sorted-array status {array:.3g} s = {array / tree:.1f}x the treap's, "
                                      f"same answer {same}"})
        sizes.append({"n": n, "points": points, "treap_s": tree, "sorted_array_s": array,
                      "array/treap": array / tree, "shapely_unary_union_s": geos, "shapely/treap": geos / tree,
                      "same_answer": same})
    return sizes


def main(argv: list[str]) -> int:
    args = parse_args(argv, __doc__)
    import shapely
    from scipy.spatial import ConvexHull, cKDTree

    from rlgen.geometry import closest_pair, convex_hull

    rng = np.random.default_rng(0)
    repeats = 1 if args.quick else 3
    hull_sizes = (10**4, 10**5) if args.quick else (10**5, 10**6)
    rows, figures = [], {"hull": [], "targets": {}}
    for n in hull_sizes:
        pts = rng.random((n, 2))
        ours = best_time(lambda pts=pts: convex_hull(pts), repeats)
        qhull = best_time(lambda pts=pts: ConvexHull(pts), repeats)
        geos = best_time(lambda pts=pts: shapely.multipoints(pts).convex_hull, repeats)
        same = len(convex_hull(pts)) == len(ConvexHull(pts).vertices)
        rows.append({"task": f"convex hull, {n:,} uniform", "ours_s": ours, "qhull_s": qhull, "shapely_s": geos,
                     "qhull/ours": qhull / ours, "shapely/ours": geos / ours, "same vertices": same})
        figures["hull"].append({"n": n, "ours_s": ours, "qhull_s": qhull, "shapely_s": geos, "same_count": same})
    largest = figures["hull"][-1]
    figures["targets"]["hull_at_most_half_of_qhull"] = largest["ours_s"] <= 0.5 * largest["qhull_s"]

    m = 10**4 if args.quick else 10**5
    theta = np.linspace(0.0, 2 * np.pi, m, endpoint=False)
    circle = np.column_stack((1000 + 1e-3 * np.cos(theta), 1000 + 1e-3 * np.sin(theta)))
    exact = exact_hull_size(circle)
    counts = {"exact": exact, "ours": len(convex_hull(circle)), "qhull": len(ConvexHull(circle).vertices),
              "shapely": len(shapely.multipoints(circle).convex_hull.exterior.coords) - 1}
    rows.append({"task": f"hull of {m:,} points on a circle r=1e-3 at (1000,1000)",
                 "ours_s": None, "qhull_s": None, "shapely_s": None, "qhull/ours": None, "shapely/ours": None,
                 "same vertices": f"exact {exact}, ours {counts['ours']}, qhull {counts['qhull']}, "
                                  f"shapely {counts['shapely']}"})
    figures["circle"] = {"n": m, **counts}
    figures["targets"]["hull_exact_on_circle"] = counts["ours"] == exact

    figures["delaunay"] = bench_delaunay(args.quick, repeats, rows)
    figures["targets"]["delaunay_within_2x_of_qhull"] = all(d["ours_s"] <= 2 * d["qhull_s"]
                                                            for d in figures["delaunay"]["sizes"])
    figures["bentley_ottmann"] = bench_bentley_ottmann(args.quick, repeats, rows)
    figures["targets"]["bentley_ottmann_faster_than_shapely"] = all(
        d["ours_s"] <= d["shapely_unary_union_s"] for d in figures["bentley_ottmann"]["sizes"])
    figures["bentley_ottmann"]["long_segments"] = bench_status(args.quick, rows)

    c = 10**4 if args.quick else 10**5
    pts = rng.random((c, 2))
    ours = best_time(lambda: closest_pair(pts), repeats)
    tree_time = best_time(lambda: cKDTree(pts).query(pts, k=2), repeats)
    distance = closest_pair(pts)[2]
    reference = float(cKDTree(pts).query(pts, k=2)[0][:, 1].min())
    rows.append({"task": f"closest pair, {c:,} uniform", "ours_s": ours, "qhull_s": None, "shapely_s": None,
                 "qhull/ours": None, "shapely/ours": None, "same vertices": f"kd-tree {tree_time:.3g} s, "
                 f"same distance {distance == reference}"})
    figures["closest_pair"] = {"n": c, "ours_s": ours, "kdtree_s": tree_time, "distance": distance,
                               "matches_kdtree": distance == reference}
    figures["targets"]["closest_pair_under_1s"] = ours < 1.0
    report("geometry: rlgen.geometry vs scipy.spatial (Qhull) and shapely (GEOS)", rows, figures, args.json)
    for name, met in figures["targets"].items():
        print(f"target {name}: {'met' if met else 'MISSED'}")
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    rows = []
    hull = max(record["hull"], key=lambda r: r["n"])
    rows.append((f"convex hull of {hull['n']:,} points", f"{versus(hull['ours_s'], hull['qhull_s'], 'Qhull')}, "
                 f"{versus(hull['ours_s'], hull['shapely_s'], 'shapely')}"))
    sizes = record["delaunay"]["sizes"]
    rows.append(("Delaunay triangulation (same triangles as Qhull)", ", ".join(
        f"{versus(r['ours_s'], r['qhull_s'], 'Qhull')} at {r['n']:,} points" for r in sizes)))
    if "bentley_ottmann" in record:
        sizes = record["bentley_ottmann"]["sizes"]
        rows.append(("all segment intersections (Bentley–Ottmann)", ", ".join(
            f"{versus(r['ours_s'], r['shapely_unary_union_s'], 'shapely')} at {r['n']:,} segments" for r in sizes)))
        if "long_segments" in record["bentley_ottmann"]:
            long = record["bentley_ottmann"]["long_segments"]
            rows.append(("Bentley–Ottmann on long segments (status: treap vs the sorted array)", ", ".join(
                f"{versus(r['treap_s'], r['sorted_array_s'], 'the array')} and "
                f"{versus(r['treap_s'], r['shapely_unary_union_s'], 'shapely')} at {r['n']:,}" for r in long)))
    closest = record["closest_pair"]
    rows.append((f"closest pair of {closest['n']:,} points",
                 versus(closest["ours_s"], closest["kdtree_s"], "scipy's k-d tree")))
    return rows
