"""The sketchpad's handlers as pure functions: clicks, undo, clear, presets, runs, replay, and bad input."""

from __future__ import annotations

import gradio as gr
import numpy as np
import pytest
from PIL import Image

from rlgen.geometry import catalog
from rlgen.geometry import sketch as pad
from rlgen.geometry.render import HEIGHT, WIDTH, render
from rlgen.ui import geometry as tab
from rlgen.ui.widgets import user_errors

OPTIONS = catalog.Options()


def clicked(sketch, mode, *pixels, snap=False):
    for x, y in pixels:
        sketch, image, status, run = tab.handle_click(sketch, mode, snap, x, y)
        assert isinstance(image, Image.Image) and image.size == (WIDTH, HEIGHT)
        assert run is None
    return sketch, status


def test_clicks_add_points_in_world_coordinates_and_redraw_the_canvas():
    sketch, status = clicked(pad.Sketch(), "points", (100, 100), (200, 300))
    assert sketch.points == ((100.0, HEIGHT - 100.0), (200.0, HEIGHT - 300.0))
    assert "2 point(s)" in status
    before = np.asarray(render(pad.Sketch()))
    after = np.asarray(tab.canvas(sketch))
    assert (before != after).any()


def test_polygon_closes_on_its_first_vertex_and_undo_reopens_it():
    sketch, status = clicked(pad.Sketch(), "polygon", (100, 100), (300, 100), (300, 300), (104, 103))
    assert sketch.polygon_closed and len(sketch.polygon) == 3 and "closed" in status
    sketch, status = clicked(sketch, "polygon", (50, 50))
    assert "closed" in status and len(sketch.polygon) == 3
    sketch, _, _, _ = tab.handle_undo(sketch)
    assert not sketch.polygon_closed and len(sketch.polygon) == 3


def test_segments_and_half_planes_take_two_clicks_and_snap_to_the_grid():
    sketch, _ = clicked(pad.Sketch(), "segments", (10, 10), (95, 118), snap=True)
    assert sketch.segments == (((0.0, 480.0), (80.0, 360.0)),) and sketch.pending is None
    sketch, _ = clicked(sketch, "half-planes", (100, 100))
    assert sketch.pending == (100.0, 380.0) and not sketch.halfplanes
    sketch, status = clicked(sketch, "half-planes", (100, 100))
    assert "differ" in status and not sketch.halfplanes
    sketch, _ = clicked(sketch, "half-planes", (300, 100))
    assert sketch.halfplanes == (((100.0, 380.0), (300.0, 380.0)),)


def test_clear_and_undo_restore_everything():
    sketch, _ = clicked(pad.Sketch(), "points", (1, 1), (2, 2))
    sketch, _ = clicked(sketch, "query point", (5, 5))
    cleared, _, status, _ = tab.handle_clear(sketch, "everything")
    assert cleared.points == () and cleared.query is None
    restored, _, _, _ = tab.handle_undo(cleared)
    assert restored.points == sketch.points and restored.query == sketch.query
    empty, _, status, _ = tab.handle_undo(pad.Sketch())
    assert "Nothing to undo" in status


@pytest.mark.parametrize("name", pad.PRESETS)
def test_every_preset_loads_within_the_canvas(name):
    sketch, image, status, _, seed = tab.handle_preset(pad.Sketch(), name, 50, 3, False)
    assert seed == 3 and name in status
    shapes = [*sketch.points, *sketch.polygon, *(p for s in sketch.segments for p in s),
              *(p for h in sketch.halfplanes for p in h)]
    assert shapes and all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in shapes)


def test_presets_are_reproducible_and_capped():
    a = tab.handle_preset(pad.Sketch(), "gaussian", 100, 7, False)[0]
    b = tab.handle_preset(pad.Sketch(), "gaussian", 100, 7, False)[0]
    assert a.points == b.points
    with pytest.raises(ValueError, match="2,000"):
        tab.handle_preset(pad.Sketch(), "uniform", 2001, 0, False)


@pytest.mark.parametrize("mode, x, y, message", [
    ("points", -1, 10, "outside"),
    ("points", 10, HEIGHT + 5, "outside"),
    ("circle", 10, 10, "Unknown mode"),
])
def test_bad_clicks_raise_a_message(mode, x, y, message):
    with pytest.raises(ValueError, match=message):
        tab.handle_click(pad.Sketch(), mode, False, x, y)


def test_bad_clicks_reach_the_person_as_gr_error():
    with pytest.raises(gr.Error, match="outside"):
        user_errors(tab.handle_click)(pad.Sketch(), "points", False, -5, 0)


def test_point_cap_is_stated():
    full = pad.Sketch(points=tuple((float(i % 700), float(i % 400)) for i in range(pad.MAX_POINTS)))
    sketch, status = clicked(full, "points", (10, 10))
    assert len(sketch.points) == pad.MAX_POINTS and "2,000" in status


def loaded():
    sketch = pad.Sketch()
    for name in ("uniform", "star polygon", "random segments", "random half-planes"):
        sketch = pad.preset(sketch, name, 40, 1)[0]
    return pad.click(sketch, "query point", 360, 240)[0]


@pytest.mark.parametrize("name", list(catalog.ALGORITHMS))
def test_every_algorithm_runs_shows_numbers_and_replays(name):
    sketch = loaded()
    run, last, table, explanation, notes = tab.run_algorithm(sketch, name, OPTIONS)
    assert run.total >= 1 and last.caption
    assert table.startswith("| quantity | value |") and table.count("\n") >= 2
    assert "$" in explanation or "O(" in explanation
    middle = tab.step_at(run, run.total // 2)
    assert middle.caption
    image = np.asarray(tab.canvas(sketch, middle))
    assert (image != np.asarray(tab.canvas(sketch))).any(), "a step must draw something"
    assert tab.step_at(run, run.total - 1).caption == last.caption


def test_hull_numbers_report_the_hull_and_float_disagreement():
    sketch = pad.Sketch(points=((0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (2.0, -1e-10)))
    run, last, table, _, notes = tab.run_algorithm(sketch, "Convex hull — Andrew's monotone chain", OPTIONS)
    assert "| hull vertices | 5 |" in table and "| area | 16 |" in table
    options = tab.options_from("float", 1e-6, False, "ray", 0)
    run, last, table, _, notes = tab.run_algorithm(sketch, "Convex hull — Andrew's monotone chain", options)
    assert "| hull vertices | 4 |" in table and "| exact hull vertices | 5 |" in table
    assert any("different hull" in note for note in notes)


@pytest.mark.parametrize("sketch, name, message", [
    (pad.Sketch(), "Convex hull — Graham scan", "No points"),
    (pad.Sketch(points=((1.0, 1.0),)), "Closest pair — divide and conquer", "at least 2"),
    (pad.Sketch(points=((1.0, 1.0), (2.0, 2.0))), "Delaunay triangulation — Bowyer–Watson", "at least 3"),
    (pad.Sketch(), "Ear-clipping triangulation", "closed polygon"),
    (pad.Sketch(polygon=((0.0, 0.0), (200.0, 200.0), (200.0, 0.0), (0.0, 200.0)), polygon_closed=True),
     "Ear-clipping triangulation", "simple polygon"),
    (pad.Sketch(polygon=((0.0, 0.0), (2.0, 0.0), (0.0, 2.0)), polygon_closed=True),
     "Point in polygon — ray casting / winding", "query point"),
    (pad.Sketch(), "Half-plane intersection — sort + deque", "No half-planes"),
    (pad.Sketch(segments=(((0.0, 0.0), (1.0, 1.0)),)), "Segment intersection — Shamos–Hoey (any)", "2 segments"),
    (pad.Sketch(segments=(((0.0, 0.0), (1.0, 1.0)),)), "Segment intersection — Bentley–Ottmann (all points)",
     "2 segments"),
    (pad.Sketch(points=((1.0, 1.0),)), "Manhattan ↔ Chebyshev — farthest pair", "at least 2"),
    (pad.Sketch(points=((1.0, 1.0),)), "Inversion about a circle", "needs a centre"),
    (pad.Sketch(query=(5.0, 5.0)), "Inversion about a circle", "something to invert"),
    (pad.Sketch(points=((5.0, 5.0),), query=(5.0, 5.0)), "Inversion about a circle", "no image"),
    (pad.Sketch(query=(230.0, 220.0)), "Inversion — Apollonius circles through a point", "outside both"),
])
def test_degenerate_input_gets_a_message_not_a_traceback(sketch, name, message):
    with pytest.raises(ValueError, match=message):
        tab.run_algorithm(sketch, name, OPTIONS)


def test_collinear_and_duplicate_points_warn_but_run():
    sketch = pad.preset(pad.Sketch(), "collinear", 30, 0)[0]
    sketch = pad.Sketch(points=sketch.points + sketch.points[:3])
    run, last, table, _, notes = tab.run_algorithm(sketch, "Delaunay triangulation — Bowyer–Watson", OPTIONS)
    assert "| triangles | 0 |" in table
    assert any("collinear" in n for n in notes) and any("duplicate" in n for n in notes)
    run, last, table, _, notes = tab.run_algorithm(sketch, "Convex hull — Andrew's monotone chain", OPTIONS)
    assert "| hull vertices | 2 |" in table


def test_self_intersecting_polygon_area_warns():
    sketch = pad.Sketch(polygon=((0.0, 0.0), (200.0, 200.0), (200.0, 0.0), (0.0, 200.0)), polygon_closed=True)
    _, _, table, _, notes = tab.run_algorithm(sketch, "Polygon — area, centroid, convexity, Pick", OPTIONS)
    assert "| simple | False |" in table and any("crosses itself" in n for n in notes)


def test_pick_counts_grid_squares_on_a_snapped_polygon():
    sketch, _ = clicked(pad.Sketch(), "polygon", (40, 440), (200, 440), (40, 280), (40, 440), snap=True)
    _, _, table, _, _ = tab.run_algorithm(sketch, "Polygon — area, centroid, convexity, Pick", OPTIONS)
    # Right triangle with legs 4 grid squares: B = 12, A = 8, so I = 8 - 6 + 1 = 3.
    assert "| Pick: interior lattice points (grid squares) | 3 |" in table
    assert "| Pick: boundary lattice points (grid squares) | 12 |" in table


def test_play_frames_are_capped_and_end_on_the_last_step():
    sketch = pad.preset(pad.Sketch(), "uniform", 500, 0)[0]
    run = tab.run_algorithm(sketch, "Convex hull — Andrew's monotone chain", OPTIONS)[0]
    frames = tab.play_frames(run, 0)
    assert run.total > tab.MAX_FRAMES and len(frames) <= tab.MAX_FRAMES + 1 and frames[-1] == run.total - 1
    assert tab.play_frames(run, run.total - 3) == [run.total - 3, run.total - 2, run.total - 1]
    with pytest.raises(ValueError, match="outside this run"):
        tab.step_at(run, run.total)


def test_options_are_checked():
    with pytest.raises(ValueError, match="EPS"):
        tab.options_from("float", float("nan"), False, "ray", 0)
    with pytest.raises(ValueError, match="Unknown predicates"):
        tab.options_from("interval", 0.0, False, "ray", 0)


def test_tab_builds():
    with gr.Blocks():
        tab.build()
