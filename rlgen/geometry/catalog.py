"""The algorithms the sketchpad offers: what input each needs, its step generator, its numbers, and a short
explanation with the key formula. No gradio here; the tab reads this table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry import (
    calipers,
    circle,
    closest,
    distances,
    halfplanes,
    hull,
    inversion,
    polygons,
    sweep,
    triangulate,
)
from rlgen.geometry.bentley_ottmann import steps_for as bentley_ottmann_steps
from rlgen.geometry.delaunay import delaunay_steps, voronoi_steps
from rlgen.geometry.predicates import Predicates
from rlgen.geometry.render import HEIGHT, WIDTH
from rlgen.geometry.sketch import MAX_POINTS, Sketch
from rlgen.geometry.steps import Step


@dataclass(frozen=True)
class Options:
    predicates: Predicates = Predicates()
    keep_collinear: bool = False
    seed: int = 0
    pip_method: str = "ray"


@dataclass(frozen=True)
class Algorithm:
    label: str
    needs: str  # which part of the sketch it reads
    explanation: str
    steps: Callable[[Sketch, Options], Iterator[Step]]
    numbers: Callable[[Sketch, Options, object], dict]


def _points(sketch: Sketch, minimum: int, what: str) -> np.ndarray:
    n = len(sketch.points)
    if n == 0:
        raise InputError("No points yet: click on the canvas in 'points' mode or load a preset ({what}).", what=what)
    if n < minimum:
        raise InputError("{what} needs at least {minimum} points (there are {n}).", what=what, minimum=minimum, n=n)
    if n > MAX_POINTS:
        raise InputError("Animated runs are capped at {max_points:,} points (there are {n}).",
                         max_points=MAX_POINTS, n=n)
    return np.array(sketch.points, dtype=float)


def _polygon(sketch: Sketch, what: str) -> np.ndarray:
    if not sketch.polygon_closed or len(sketch.polygon) < 3:
        raise InputError("{what} needs a closed polygon: in 'polygon' mode click at least 3 vertices, then "
                         "click the first vertex again to close it (or load a polygon preset).", what=what)
    return np.array(sketch.polygon, dtype=float)


def _simple_polygon(sketch: Sketch, what: str) -> np.ndarray:
    poly = _polygon(sketch, what)
    crossing = polygons.find_self_intersection(poly)
    if crossing is not None:
        raise InputError("{what} needs a simple polygon, but edges {first} and {second} cross or touch. "
                         "Undo and redraw it without crossings.", what=what, first=crossing[0], second=crossing[1])
    return poly


def _hull_numbers(sketch, options, result) -> dict:
    pts = np.array(sketch.points, dtype=float)
    exact = hull.monotone_chain(pts, keep_collinear=options.keep_collinear, pred=Predicates("exact"))
    numbers = {"hull vertices": len(result), "distinct points": len(set(sketch.points))}
    if len(result) >= 3:
        numbers["area"] = polygons.polygon_area(result)
        numbers["perimeter"] = polygons.perimeter(result)
    if options.predicates.kind == "float":
        numbers["exact hull vertices"] = len(exact)
        numbers["float agrees with exact"] = bool(len(exact) == len(result) and np.array_equal(exact, result))
    return numbers


def _hull_warning_free(sketch: Sketch, name: str):
    return _points(sketch, 1, name)


def _monotone(sketch, o):
    return hull.monotone_chain_steps(_hull_warning_free(sketch, "The convex hull"), keep_collinear=o.keep_collinear,
                                     pred=o.predicates)


def _graham(sketch, o):
    return hull.graham_scan_steps(_hull_warning_free(sketch, "The convex hull"), keep_collinear=o.keep_collinear,
                                  pred=o.predicates)


def _polygon_numbers(sketch, options, result) -> dict:
    poly = np.array(sketch.polygon, dtype=float)
    numbers = {
        "signed area": polygons.signed_area(poly),
        "perimeter": polygons.perimeter(poly),
        "convex": polygons.is_convex(poly),
        "simple": polygons.is_simple(poly),
    }
    if numbers["signed area"] != 0:
        numbers["centroid"] = tuple(round(c, 3) for c in polygons.centroid(poly))
    if numbers["simple"]:
        from rlgen.geometry.render import GRID

        on_grid = bool(np.all(poly % GRID == 0))
        lattice = poly / GRID if on_grid else poly
        if not np.all(lattice == np.round(lattice)):
            numbers["Pick"] = "needs integer vertices"
        else:
            interior, boundary = polygons.lattice_points(lattice)
            unit = "grid squares" if on_grid else "pixels"
            numbers[f"Pick: interior lattice points ({unit})"] = interior
            numbers[f"Pick: boundary lattice points ({unit})"] = boundary
            numbers[f"Pick: I + B/2 − 1 ({unit}²)"] = interior + boundary / 2 - 1
    return numbers


def _polygon_steps(sketch, o):
    poly = _polygon(sketch, "Polygon measures")
    pts = list(map(tuple, poly.tolist()))
    from rlgen.geometry.steps import dots, path

    total = 0.0
    n = len(pts)
    for i in range(n):
        a, b = pts[i], pts[(i + 1) % n]
        term = a[0] * b[1] - b[0] * a[1]
        total += term
        yield Step("Shoelace term {i}: x_i·y_(i+1) − x_(i+1)·y_i = {term:.6g}; running 2A = {total:.6g}.",
                   (path(pts, "muted", closed=True), path([(0.0, 0.0), a, b], "active" if term >= 0 else "rejected",
                                                          closed=True, fill=True, width=1), dots([a, b], "active")),
                   i=i, term=term, total=total)
    c = polygons.centroid(poly) if total != 0 else None
    yield Step("Signed area = {area:.6g} ({orientation}).",
               (path(pts, "result", closed=True, fill=True, width=3), *( [dots([c], "accent", 6)] if c else [])),
               area=total / 2, orientation="counter-clockwise" if total > 0 else "clockwise")
    return total / 2


def _pip(sketch, o):
    poly = _polygon(sketch, "Point in polygon")
    if sketch.query is None:
        raise InputError("Point in polygon needs a query point: switch to 'query point' mode and click.")
    return polygons.point_in_polygon_steps(sketch.query, poly, method=o.pip_method)


def _pip_numbers(sketch, options, result) -> dict:
    poly = np.array(sketch.polygon, dtype=float)
    words = {1: "inside", 0: "on the boundary", -1: "outside"}
    return {
        "ray casting (even–odd)": words[polygons.point_in_polygon(sketch.query, poly, method="ray")],
        "winding number": polygons.winding_number(sketch.query, poly),
        "non-zero rule": words[polygons.point_in_polygon(sketch.query, poly, method="winding")],
    }


def _halfplanes(sketch, o):
    if not sketch.halfplanes:
        raise InputError("No half-planes yet: in 'half-planes' mode click two points per directed line "
                         "(the half-plane is the left side of the arrow), or load the half-plane preset.")
    canvas_box = (0.0, 0.0, float(WIDTH), float(HEIGHT))
    return halfplanes.half_plane_intersection_steps(list(sketch.halfplanes), box=canvas_box)


def _area_numbers(sketch, options, result) -> dict:
    result = np.asarray(result)
    return {"vertices": len(result), "area": polygons.polygon_area(result) if len(result) >= 3 else 0.0}


def _minkowski(sketch, o):
    pts = _points(sketch, 1, "The Minkowski sum")
    poly = _polygon(sketch, "The Minkowski sum")
    # Shift B so its centroid sits at the origin: A ⊕ (B − c) stays on the canvas, around A.
    centre = np.mean(hull.convex_hull(poly), axis=0)
    return halfplanes.minkowski_sum_steps(pts, poly - centre)


def _segments(sketch, what):
    if len(sketch.segments) < 2:
        raise InputError("{what} needs at least 2 segments: in 'segments' mode click two endpoints per segment, "
                         "or load the 'random segments' preset.", what=what)
    return list(sketch.segments)


def _numbers_any(sketch, options, result) -> dict:
    return {"intersection found": result is not None, "pair": result if result is not None else "none"}


def _numbers_all(sketch, options, result) -> dict:
    pairs, _ = result
    return {"intersecting pairs": len(pairs), "segments": len(sketch.segments)}


def _numbers_points(sketch, options, result) -> dict:
    return {"intersection points": len(result), "segments": len(sketch.segments),
            "intersecting pairs": sum(len(k) * (len(k) - 1) // 2 for _, k in result)}


def _manhattan_numbers(sketch, options, result) -> dict:
    i, j, d = result
    return {"i": i, "j": j, "Manhattan distance": d,
            "brute force over all pairs": distances.manhattan_farthest_pair_brute(sketch.points)[2]}


INVERSION_RADIUS = 120.0
APOLLONIUS_CIRCLES = (((230.0, 220.0), 70.0), ((480.0, 260.0), 90.0))


def _centre(sketch: Sketch, what: str):
    if sketch.query is None:
        raise InputError("{what} needs a centre: switch to 'query point' mode and click where it should be.", what=what)
    return sketch.query


def _inversion(sketch, o):
    centre = _centre(sketch, "Inversion")
    if not sketch.points and not sketch.segments:
        raise InputError("Inversion needs something to invert: add points or segments (or load a preset).")
    if any(p == centre for p in sketch.points):
        raise InputError("A point sits on the centre of inversion, which has no image: move one of them.")
    return inversion.inversion_steps(centre, INVERSION_RADIUS, list(sketch.points), list(sketch.segments))


def _inversion_numbers(sketch, options, result) -> dict:
    return {"points inverted": len(result["points"]), "segments on lines through O": result["lines through the centre"],
            "segments whose lines become circles": len(result["image circles"])}


def _apollonius(sketch, o):
    (c1, r1), (c2, r2) = APOLLONIUS_CIRCLES
    return inversion.apollonius_steps(_centre(sketch, "The Apollonius construction"), c1, r1, c2, r2)


def _apollonius_numbers(sketch, options, result) -> dict:
    numbers = {"tangent circles through P": len(result)}
    for k, (centre, radius) in enumerate(result, start=1):
        numbers[f"circle {k}: centre, radius"] = f"({centre[0]:.1f}, {centre[1]:.1f}), {radius:.1f}"
    return numbers


def _diameter_numbers(sketch, options, result) -> dict:
    return {"diameter": result[2], "hull vertices": len(hull.convex_hull(sketch.points))}


def _mec_numbers(sketch, options, result) -> dict:
    cx, cy, r = result
    return {"centre x": cx, "centre y": cy, "radius": r}


def _closest_numbers(sketch, options, result) -> dict:
    i, j, d = result
    return {"i": i, "j": j, "distance": d}


def _delaunay_numbers(sketch, options, result) -> dict:
    h = len(hull.convex_hull(sketch.points, keep_collinear=True))
    distinct = len(set(sketch.points))
    return {"triangles": len(result), "distinct points": distinct, "hull points (incl. collinear)": h,
            "2n − 2 − h": 2 * distinct - 2 - h if len(result) else 0}


def _voronoi_numbers(sketch, options, result) -> dict:
    if result is None:
        return {"Voronoi vertices": 0}
    return {"Voronoi vertices": len(result["vertices"]), "finite edges": len(result["edges"]),
            "rays": len(result["rays"])}


def _stride(sketch: Sketch) -> int:
    return max(1, len(sketch.points) // 300)


ALGORITHMS: dict[str, Algorithm] = {
    "Convex hull — Andrew's monotone chain": Algorithm(
        "Convex hull — Andrew's monotone chain", "points",
        "Sort by (x, y); build the lower chain left to right and the upper chain back, popping the stack's top "
        "while the last two points and the new one fail to turn left:\n\n"
        "$$\\operatorname{orient}(a,b,c) = (b-a)\\times(c-a) = (b_x-a_x)(c_y-a_y)-(b_y-a_y)(c_x-a_x) > 0.$$\n\n"
        "O(n log n). With *keep collinear points* the pop test is `< 0`, so points on hull edges stay.",
        _monotone, _hull_numbers),
    "Convex hull — Graham scan": Algorithm(
        "Convex hull — Graham scan", "points",
        "Take the lowest point as pivot, sort the rest by the angle of $p - \\text{pivot}$ (compared exactly with "
        "the cross product, ties nearest first), then scan with a stack keeping only left turns, "
        "$(b-a)\\times(c-a) > 0$. O(n log n).", _graham, _hull_numbers),
    "Rotating calipers — diameter": Algorithm(
        "Rotating calipers — diameter", "points",
        "On the hull, walk the edges while a second pointer moves to the vertex farthest from the current edge "
        "(the triangle area $|(b-a)\\times(c-a)|/2$ grows until it does not). The farthest pair is among these "
        "antipodal pairs: O(h) after the hull.",
        lambda s, o: calipers.diameter_steps(_points(s, 1, "The diameter")), _diameter_numbers),
    "Rotating calipers — width": Algorithm(
        "Rotating calipers — width", "points",
        "Width = the narrowest slab holding every point = $\\min_{\\text{edges } ab} \\max_c "
        "\\frac{|(b-a)\\times(c-a)|}{|b-a|}$, with the antipodal vertex c found by the same rotating pointer.",
        lambda s, o: calipers.width_steps(_points(s, 1, "The width")), lambda s, o, r: {"width": r}),
    "Rotating calipers — minimum-area rectangle": Algorithm(
        "Rotating calipers — minimum-area rectangle", "points",
        "The smallest enclosing rectangle has a side flush with a hull edge (Freeman–Shapira). For each edge "
        "direction $u$: height = antipodal distance, length = $\\max_p u\\cdot p - \\min_p u\\cdot p$.",
        lambda s, o: calipers.min_area_rectangle_steps(_points(s, 1, "The rectangle")),
        lambda s, o, r: {"area": r[0]}),
    "Closest pair — divide and conquer": Algorithm(
        "Closest pair — divide and conquer", "points",
        "Split at the median x, solve both halves, $\\delta = \\min(\\delta_L, \\delta_R)$. A closer pair crosses "
        "the split inside the strip $|x - x_{mid}| < \\delta$; sorted by y, each strip point needs comparing with "
        "at most 7 successors. $T(n) = 2T(n/2) + O(n)$ = O(n log n).",
        lambda s, o: closest.closest_pair_steps(_points(s, 2, "The closest pair")), _closest_numbers),
    "Minimum enclosing circle — Welzl": Algorithm(
        "Minimum enclosing circle — Welzl", "points",
        "Shuffle; keep the smallest circle of the points so far. A point outside must lie on the new circle: "
        "rebuild with it fixed, then with two fixed (circle on their diameter), then three (circumcircle). "
        "Expected O(n). Circumcentre: $u = \\frac{(c_y|b|^2 - b_y|c|^2,\\; b_x|c|^2 - c_x|b|^2)}{2\\,(b\\times c)}$ "
        "with $b, c$ relative to $a$.",
        lambda s, o: circle.min_enclosing_circle_steps(_points(s, 1, "The enclosing circle"), seed=o.seed),
        _mec_numbers),
    "Delaunay triangulation — Bowyer–Watson": Algorithm(
        "Delaunay triangulation — Bowyer–Watson", "points",
        "Insert points one by one; delete every triangle whose circumcircle strictly contains the new point and "
        "re-fan the hole. In-circle test:\n\n$$\\det\\begin{pmatrix} a_x-d_x & a_y-d_y & |a-d|^2\\\\ b_x-d_x & "
        "b_y-d_y & |b-d|^2\\\\ c_x-d_x & c_y-d_y & |c-d|^2\\end{pmatrix} > 0.$$\n\nGhost triangles at the hull "
        "replace the usual super-triangle; predicates are exact, so lattices and circles work. "
        "For n points with h on the hull: $2n - 2 - h$ triangles.",
        lambda s, o: delaunay_steps(_points(s, 3, "A triangulation"), stride=_stride(s)), _delaunay_numbers),
    "Voronoi diagram (dual of Delaunay)": Algorithm(
        "Voronoi diagram (dual of Delaunay)", "points",
        "Each Delaunay triangle's circumcentre is a Voronoi vertex (equidistant from three sites); triangles "
        "sharing an edge give a Voronoi edge on that edge's perpendicular bisector "
        "$\\{x : 2(q-p)\\cdot x = |q|^2 - |p|^2\\}$, hull edges give rays.",
        lambda s, o: voronoi_steps(_points(s, 3, "A Voronoi diagram")), _voronoi_numbers),
    "Polygon — area, centroid, convexity, Pick": Algorithm(
        "Polygon — area, centroid, convexity, Pick", "polygon",
        "Shoelace: $2A = \\sum_i (x_i y_{i+1} - x_{i+1} y_i)$, positive counter-clockwise. Centroid "
        "$C = \\frac{1}{6A}\\sum_i (p_i + p_{i+1})(x_i y_{i+1} - x_{i+1} y_i)$. Pick's theorem on lattice "
        "polygons: $A = I + B/2 - 1$ with $B = \\sum \\gcd(|\\Delta x|, |\\Delta y|)$ (tick *snap to grid* to "
        "count in grid squares).", _polygon_steps, _polygon_numbers),
    "Point in polygon — ray casting / winding": Algorithm(
        "Point in polygon — ray casting / winding", "polygon + query point",
        "Ray casting: cast a ray to the right; the point is inside when it crosses the boundary an odd number "
        "of times (edges are half-open in y, so vertices count once). Winding number: add +1 for each upward "
        "edge with q on its left, −1 for each downward edge with q on its right; non-zero = inside. An edge from "
        "$a$ to $b$ crosses the ray at $x = a_x + (q_y - a_y)\\frac{b_x - a_x}{b_y - a_y}$.",
        _pip, _pip_numbers),
    "Ear-clipping triangulation": Algorithm(
        "Ear-clipping triangulation", "polygon",
        "An ear is a convex vertex whose triangle with its two neighbours holds no other (reflex) vertex. Every "
        "simple polygon with n > 3 vertices has two ears (Meisters), so cutting ears one at a time gives "
        "n − 2 triangles. O(n²).",
        lambda s, o: triangulate.ear_clipping_steps(_simple_polygon(s, "Ear clipping")),
        lambda s, o, r: {"triangles": len(r), "polygon area": polygons.polygon_area(s.polygon),
                         "sum of triangle areas": float(sum(polygons.polygon_area(np.array(s.polygon)[t])
                                                            for t in r))}),
    "Half-plane intersection — sort + deque": Algorithm(
        "Half-plane intersection — sort + deque", "half-planes",
        "Each half-plane is the left side of a directed line: $(q-p)\\times(x-p) \\ge 0$. Sort by the angle of "
        "$q - p$, push onto a deque while popping back and front lines whose corner falls outside the new one; "
        "O(m log m). The canvas border adds four half-planes, so the answer is bounded. Exact rationals.",
        _halfplanes, _area_numbers),
    "Minkowski sum — hull(points) ⊕ polygon": Algorithm(
        "Minkowski sum — hull(points) ⊕ polygon", "points + polygon",
        "$A \\oplus B = \\{a + b\\}$. For convex polygons, merge the two edge sequences by polar angle starting "
        "from both lowest vertices: O(|A| + |B|). Here A = hull of the points, B = the (convex hull of the) polygon "
        "moved so its centroid is the origin, so the sum surrounds A.",
        _minkowski, _area_numbers),
    "Segment intersection — Shamos–Hoey (any)": Algorithm(
        "Segment intersection — Shamos–Hoey (any)", "segments",
        "Sweep a vertical line over the endpoints, keeping the crossed segments ordered by y. Intersecting "
        "segments become neighbours before the sweep passes their leftmost common point, so only neighbours "
        "need testing: O(n log n). Segment test: $\\operatorname{orient}(c,d,a)\\cdot\\operatorname{orient}(c,d,b) "
        r"< 0$ and $\\operatorname{orient}(a,b,c)\\cdot\\operatorname{orient}(a,b,d) < 0$, plus the collinear cases.",
        lambda s, o: sweep.any_intersection_steps(_segments(s, "Shamos–Hoey")), _numbers_any),
    "Segment intersection — all pairs by sweep": Algorithm(
        "Segment intersection — all pairs by sweep", "segments",
        "The same sweep, testing each entering segment against every segment still active (whose x-range "
        "overlaps): O(n log n + overlapping pairs); touching and overlapping pairs count.",
        lambda s, o: sweep.all_intersections_steps(_segments(s, "All intersections")), _numbers_all),
    "Segment intersection — Bentley–Ottmann (all points)": Algorithm(
        "Segment intersection — Bentley–Ottmann (all points)", "segments",
        "Sweep left to right over *events*: endpoints and the crossings found so far, in (x, y) order. The status "
        "keeps the segments the line crosses, bottom to top; only neighbours can meet next, so each change of "
        "neighbours tests one or two pairs and queues their crossing "
        r"$a + t(b-a),\ t = \frac{(c-a)\times(d-c)}{(b-a)\times(d-c)}$ (exact rationals) if it lies ahead. "
        "At an event p the segments starting, ending and passing through p all meet there; those continuing "
        "are re-inserted in slope order. O((n + k) log n) for k intersection points.",
        lambda s, o: bentley_ottmann_steps(_segments(s, "Bentley–Ottmann")), _numbers_points),
    "Manhattan ↔ Chebyshev — farthest pair": Algorithm(
        "Manhattan ↔ Chebyshev — farthest pair", "points",
        r"Rotating by 45° and scaling, $(x, y) \mapsto (x + y,\ x - y)$, turns Manhattan distance into "
        r"Chebyshev distance: $|x_1-x_2| + |y_1-y_2| = \max(|u_1-u_2|, |v_1-v_2|)$. So the farthest pair in "
        r"Manhattan distance is $\max(\max u - \min u,\ \max v - \min v)$: O(n), no pairs compared. The "
        "canvas shows the points, their images (u, v)/2 about the centre, and the unit balls: the Manhattan "
        "diamond becomes the Chebyshev square.",
        lambda s, o: distances.manhattan_farthest_pair_steps(_points(s, 2, "The farthest pair")),
        _manhattan_numbers),
    "Inversion about a circle": Algorithm(
        "Inversion about a circle", "query point + points / segments",
        r"Centre O = the query point, radius r = 120 px: $P \mapsto O + r^2\frac{P - O}{|P - O|^2}$, so "
        r"$|OP|\cdot|OP'| = r^2$. Inside and outside swap; a line through O stays itself, any other line becomes "
        "a circle through O (each segment an arc of it), and a circle through O becomes a line. Angles are "
        "kept, which makes tangency problems easy (see the Apollonius preset).",
        _inversion, _inversion_numbers),
    "Inversion — Apollonius circles through a point": Algorithm(
        "Inversion — Apollonius circles through a point", "query point",
        "Preset: two fixed circles; P = the query point (outside both). Wanted: circles through P tangent to "
        "both. Invert about P: the wanted circles pass through P, so their images are *lines* tangent to both "
        "image circles — their common tangents (up to four). Inverting the tangents back gives the circles. "
        r"A circle $(c, \rho)$ not through O maps to centre $O + s(c - O)$, radius $|s|\rho$, "
        r"$s = \frac{r^2}{|c - O|^2 - \rho^2}$.",
        _apollonius, _apollonius_numbers),
}
