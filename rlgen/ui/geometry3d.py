"""The sketchpad's 3-D section: the incremental convex hull of a point cloud, streamed into a plotly 3-D view."""

from __future__ import annotations

from collections.abc import Iterator

import gradio as gr

from rlgen.geometry import hull3d
from rlgen.progress import throttled
from rlgen.ui.i18n import say, tr
from rlgen.ui.live import HEAVY
from rlgen.ui.widgets import check_number, resolve_seed, seed_controls, user_errors

INTRO = r"""
**Convex hull in space.** Cross product $u \times v = (u_y v_z - u_z v_y,\ u_z v_x - u_x v_z,\ u_x v_y - u_y v_x)$:
normal to both, as long as the area of their parallelogram. Triple product
$\operatorname{orient3d}(a, b, c, d) = \big((b - a) \times (c - a)\big) \cdot (d - a) = 6 \cdot$ the signed volume of
tetrahedron $abcd$: positive when $d$ is above the counter-clockwise face $abc$. Incremental hull: start from a
tetrahedron; each new point removes the faces it sees ($\operatorname{orient3d} > 0$, red) and joins the
*horizon* (edges between seen and unseen faces) to itself. Volume $= \frac16 \sum_\text{faces} a \cdot (b \times c)$.
Exact predicates (float filter, rationals when unsure). Compared with Qhull (`scipy.spatial.ConvexHull`).
"""


def hull3d_frames(shape: str, n: float, seed: float, randomize: bool) -> Iterator[tuple]:
    """(figure, status, seed) frames of the incremental hull, thinned to a few a second, the last one always."""
    from scipy.spatial import ConvexHull

    n = int(check_number(n, "The number of points", 4, hull3d.MAX_POINTS_3D, integer=True))
    used = resolve_seed(seed, randomize)
    points = hull3d.sample(shape, n, used)
    previous = None
    for step in throttled(hull3d.convex_hull_3d_steps(points, seed=used)):
        if previous is not None:
            yield hull3d.figure(points, previous), previous.text(say), used
        previous = step
    qhull = ConvexHull(points)
    faces = [tuple(f) for f in previous.faces]
    ours = len({v for f in faces for v in f})
    yield (hull3d.figure(points, previous),
           previous.text(say) + say(" Qhull: {qhull} vertices, volume {qhull_volume:.6g}; ours: {ours} vertices, volume "
                                  "{volume:.6g}.", qhull=len(qhull.vertices), qhull_volume=qhull.volume, ours=ours,
                                  volume=hull3d.volume(points, faces)), used)


def build_hull3d() -> None:
    gr.Markdown(tr(INTRO), latex_delimiters=[{"left": "$", "right": "$", "display": False}])
    with gr.Row():
        with gr.Column(scale=3):
            plot = gr.Plot(label=tr("Hull (x, y, z)"), elem_id="geometry-hull3d-plot")
            status = gr.Textbox(label=tr("Current step"), interactive=False, elem_id="geometry-hull3d-status")
        with gr.Column(scale=1):
            shape = gr.Dropdown([(tr(s), s) for s in hull3d.SHAPES], value="ball", label=tr("Point cloud"))
            n = gr.Slider(4, hull3d.MAX_POINTS_3D, value=60, step=1,
                          label=tr("Points (4 to {max})", max=hull3d.MAX_POINTS_3D))
            seed, randomize = seed_controls(0)
            run = gr.Button(tr("Build the hull"), variant="primary", elem_id="geometry-hull3d-run")
            stop = gr.Button(tr("■ Stop"))
    event = run.click(user_errors(hull3d_frames), [shape, n, seed, randomize], [plot, status, seed],
                      concurrency_limit=HEAVY, show_progress_on=[status])
    stop.click(None, None, None, cancels=[event])
