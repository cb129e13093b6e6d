"""Computational geometry that also shows its work: every algorithm returns plain arrays and floats, and has
a ``*_steps`` generator that yields :class:`~rlgen.geometry.steps.Step` frames for the sketchpad.

No gradio here. Points are (n, 2) array-likes; polygons are vertex lists; segments and half-planes are
(m, 2, 2) arrays of point pairs.
"""

from rlgen.geometry.bentley_ottmann import bentley_ottmann, intersection_points
from rlgen.geometry.calipers import diameter, min_area_rectangle, width
from rlgen.geometry.circle import min_enclosing_circle
from rlgen.geometry.closest import closest_pair
from rlgen.geometry.delaunay import delaunay, voronoi
from rlgen.geometry.distances import manhattan_farthest_pair, to_chebyshev
from rlgen.geometry.halfplanes import half_plane_intersection, minkowski_sum
from rlgen.geometry.hull import convex_hull, graham_scan, monotone_chain
from rlgen.geometry.hull3d import convex_hull_3d
from rlgen.geometry.inversion import apollonius_through_point, invert_circle, invert_line, invert_point
from rlgen.geometry.polygons import (
    centroid,
    is_convex,
    is_simple,
    lattice_points,
    perimeter,
    point_in_polygon,
    polygon_area,
    signed_area,
    winding_number,
)
from rlgen.geometry.predicates import Predicates, orient_adaptive, orient_exact, orient_float
from rlgen.geometry.sweep import all_intersections, any_intersection
from rlgen.geometry.triangulate import ear_clipping

__all__ = [
    "Predicates", "all_intersections", "any_intersection", "apollonius_through_point", "bentley_ottmann",
    "convex_hull_3d", "intersection_points", "invert_circle", "invert_line", "invert_point",
    "manhattan_farthest_pair", "to_chebyshev", "centroid", "closest_pair", "convex_hull", "delaunay",
    "diameter", "ear_clipping", "graham_scan", "half_plane_intersection", "is_convex", "is_simple",
    "lattice_points", "min_area_rectangle", "min_enclosing_circle", "minkowski_sum", "monotone_chain",
    "orient_adaptive", "orient_exact", "orient_float", "perimeter", "point_in_polygon", "polygon_area",
    "signed_area", "voronoi", "width", "winding_number",
]
