"""`python -m rlgen.bench geometry [--json PATH] [--quick]`: rlgen.geometry against Qhull (scipy.spatial) and
GEOS (shapely), measured in the same run.

* convex hull of 10^5 and 10^6 uniform points: ours vs scipy.spatial.ConvexHull vs shapely convex_hull;
  target: ours on 10^6 in at most half of Qhull's time;
* exactness: 10^5 points on a circle of radius 10^-3 around (1000, 1000) — every one is a hull vertex of
  the float input (checked by an exact integer monotone chain); Qhull's tolerance drops some, ours must not;
* Delaunay of 10^4 points vs scipy.spatial.Delaunay (pure-Python Bowyer–Watson: the ratio is the price);
* closest pair of 10^5 points, target under 1 s, checked against scipy's cKDTree.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from rlgen.bench._report import best_time, parse_args, report


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


def main(argv: list[str]) -> int:
    args = parse_args(argv, __doc__)
    import shapely
    from scipy.spatial import ConvexHull, Delaunay, cKDTree

    from rlgen.geometry import closest_pair, convex_hull, delaunay

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

    k = 2000 if args.quick else 10**4
    pts = rng.random((k, 2))
    ours = best_time(lambda: delaunay(pts), 1)
    scipy_time = best_time(lambda: Delaunay(pts), repeats)
    same = len(delaunay(pts)) == len(Delaunay(pts).simplices)
    rows.append({"task": f"Delaunay, {k:,} uniform", "ours_s": ours, "qhull_s": scipy_time, "shapely_s": None,
                 "qhull/ours": scipy_time / ours, "shapely/ours": None, "same vertices": same})
    figures["delaunay"] = {"n": k, "ours_s": ours, "scipy_s": scipy_time, "same_triangle_count": same}

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
