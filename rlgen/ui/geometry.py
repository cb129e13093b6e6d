"""The Geometry sketchpad tab: click points and shapes, pick an algorithm, watch it run step by step.

The handlers below are pure functions of (state, inputs) returning new state and outputs; :func:`build` only
wires them to components. Click handling is :func:`handle_click` (sketch, mode, snap, x, y), which the
``select`` event of the canvas calls with the pixel it received.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from types import SimpleNamespace

import gradio as gr

from rlgen.errors import InputError
from rlgen.geometry import catalog
from rlgen.geometry import sketch as pad
from rlgen.geometry.bowyer_watson import warm_up
from rlgen.geometry.predicates import PREDICATE_KINDS, Predicates, orientation_grid
from rlgen.geometry.render import HEIGHT, WIDTH, render, render_sign_grid
from rlgen.geometry.steps import Step
from rlgen.progress import paced
from rlgen.ui.geometry3d import build_hull3d
from rlgen.ui.i18n import say, tr
from rlgen.ui.links import linked
from rlgen.ui.widgets import (
    Number,
    advanced,
    check_choice,
    check_number,
    resolve_seed,
    seed_controls,
    session_state,
    user_errors,
)

TITLE = "Geometry"
DESCRIPTION = ("Click points, polygons, segments and half-planes onto a canvas and watch convex hulls, rotating "
               "calipers, closest pair, enclosing circles, Delaunay/Voronoi and sweeps run step by step.")

FIRST_POINTS = 60  # the preset the canvas opens with
MAX_FRAMES = 150  # Play shows at most this many frames (evenly spaced) per run
LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]

INTRO = """
## Geometry sketchpad
Click on the canvas to add input in the chosen **mode** (points; polygon vertices — click the first vertex
again to close it; segments and half-planes take two clicks each, a half-plane being the **left** side of
its arrow; the query point). Or load a preset. Then choose an algorithm and press **Run**; **Play**,
**Step** and the slider replay it. Coordinates are canvas pixels with y pointing up.

Caps: {points:,} points (clicked or preset) for animated runs, {polygon} polygon vertices,
{segments} segments, {halfplanes} half-planes. Play shows at most {frames} frames of a run.
"""

FLOAT_FAILS = """
Every point of this 256 × 256 grid lies within a few units in the last place of the line y = x through
q = (12, 12) and r = (24, 24): p = (0.5 + i·2⁻⁵³, 0.5 + j·2⁻⁵³). Colour = sign of
$\\operatorname{orient}(p, q, r)$: blue left, red right, white collinear (Kettner et al., 2008).
**Exact** arithmetic gives the clean diagonal; **float** gives noise, so a hull or a triangulation built on it
can come out wrong. The *adaptive* predicates of this tab evaluate in floats, prove the sign with an error
bound $|\\det| > (3 + 16\\varepsilon)\\varepsilon \\sum|\\text{terms}|$, and fall back to exact rationals only
when they cannot: the exact answers at nearly float speed. An EPS does not fix it: it turns wrong signs into
"collinear" for a whole band of points (try EPS = 1e-12 below).
"""


@dataclass(frozen=True)
class Run:
    """What the step slider and Play need to replay a run: which algorithm on which sketch, and how many
    steps it has (the steps themselves are recomputed on demand, not stored per session)."""

    algorithm: str
    options: catalog.Options
    sketch: pad.Sketch
    total: int


def canvas(sketch: pad.Sketch, step: Step | None = None):
    return render(sketch, step)


def handle_click(sketch: pad.Sketch, mode: str, snap: bool, x: float, y: float):
    """(sketch, mode, snap, x, y) → (sketch, image, status, cleared run)."""
    sketch, message = pad.click(sketch, mode, x, y, snap_to_grid=snap)
    return sketch, canvas(sketch), say("{message}  Now: {counts}.", message=message, counts=sketch.counts()), None


def handle_undo(sketch: pad.Sketch):
    sketch, message = pad.undo(sketch)
    return sketch, canvas(sketch), say("{message}  Now: {counts}.", message=message, counts=sketch.counts()), None


def handle_clear(sketch: pad.Sketch, what: str):
    sketch, message = pad.clear(sketch, what)
    return sketch, canvas(sketch), say("{message}  Now: {counts}.", message=message, counts=sketch.counts()), None


def handle_preset(sketch: pad.Sketch, name: str, n: float, seed: float, randomize: bool):
    n = check_number(n, "The number of points", 1, pad.MAX_POINTS, integer=True)
    used = resolve_seed(seed, randomize)
    sketch, message = pad.preset(sketch, name, n, used)
    return (sketch, canvas(sketch), say("{message} (seed {seed}).  Now: {counts}.", message=message, seed=used,
                                        counts=sketch.counts()), None, used)


def options_from(kind: str, eps: float, keep_collinear: bool, pip_method: str, seed: float) -> catalog.Options:
    if kind not in PREDICATE_KINDS:
        raise InputError(say("Unknown predicates {kind!r}; choose one of {kinds}.", kind=kind,
                             kinds=", ".join(PREDICATE_KINDS)))
    eps = check_number(eps, "EPS", 0.0, 1e6)
    seed = check_number(seed, "The seed", 0, 2**31 - 1, integer=True)
    return catalog.Options(Predicates(kind, eps), bool(keep_collinear), int(seed), pip_method)


def _warnings(sketch: pad.Sketch, algorithm: catalog.Algorithm, numbers: dict) -> list[str]:
    notes = []
    if "points" in algorithm.needs:
        distinct = len(set(sketch.points))
        if distinct < len(sketch.points):
            notes.append(say("{n} duplicate point(s) count once.", n=len(sketch.points) - distinct))
        if distinct >= 2 and len(catalog.hull.convex_hull(sketch.points)) == 2:
            notes.append(say("All points are collinear: the hull is a segment and there are no triangles."))
    if numbers.get("float agrees with exact") is False:
        notes.append(say("The float predicate (with this EPS) gives a different hull from the exact one."))
    if algorithm.needs.startswith("polygon") and sketch.polygon_closed and not catalog.polygons.is_simple(sketch.polygon):
        notes.append(say("The polygon crosses itself: its signed area adds the loops with their orientation."))
    return notes


def run_algorithm(sketch: pad.Sketch, name: str, options: catalog.Options):
    """Run to the end: (Run, last step, numbers as markdown, explanation, warnings). ValueError for input
    the algorithm cannot take, with what to do about it."""
    if name not in catalog.ALGORITHMS:
        raise InputError(say("Unknown algorithm {name!r}.", name=name))
    algorithm = catalog.ALGORITHMS[name]
    generator = algorithm.steps(sketch, options)
    total, last = 0, None
    while True:
        try:
            last = next(generator)
            total += 1
        except StopIteration as stop:
            result = stop.value
            break
    numbers = algorithm.numbers(sketch, options, result)
    table = say("| quantity | value |") + "\n|---|---|\n" + "\n".join(
        f"| {k} | {_fmt(v)} |" for k, v in numbers.items())
    return (Run(name, options, sketch, total), last, table, say(algorithm.explanation),
            _warnings(sketch, algorithm, numbers))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def step_at(run: Run, index: int) -> Step:
    """Step ``index`` of a run, by replaying its generator (cheap at the capped sizes)."""
    if not 0 <= index < run.total:
        raise InputError(say("Step {index} is outside this run (it has {total} steps).", index=index, total=run.total))
    generator = catalog.ALGORITHMS[run.algorithm].steps(run.sketch, run.options)
    return next(itertools.islice(generator, index, None))


def play_frames(run: Run, start: int) -> list[int]:
    """The step indices Play shows from ``start`` to the end: at most MAX_FRAMES, evenly spaced, last included."""
    remaining = list(range(start, run.total))
    if len(remaining) <= MAX_FRAMES:
        return remaining
    stride = len(remaining) / MAX_FRAMES
    picked = sorted({remaining[int(k * stride)] for k in range(MAX_FRAMES)} | {remaining[-1]})
    return picked


def _caption(step: Step, index: int, total: int) -> str:
    return say("Step {index} of {total}: {caption}", index=index + 1, total=total, caption=step.text(say))


def explain(name: str) -> str:
    """What the chosen algorithm does and costs."""
    return say(catalog.ALGORITHMS[check_choice(name, catalog.ALGORITHMS, "Algorithm")].explanation)


def build() -> None:
    # Compile (or load from numba's disk cache) the Delaunay kernels while the page loads.
    threading.Thread(target=warm_up, name="geometry-jit-warm-up", daemon=True).start()
    # the canvas opens with points on it, so Run shows an algorithm at once
    first, _ = pad.preset(pad.Sketch(), "uniform", FIRST_POINTS, 0)
    sketch_state = session_state(first)
    run_state = session_state(None)
    gr.Markdown(tr(INTRO, points=pad.MAX_POINTS, polygon=pad.MAX_POLYGON, segments=pad.MAX_SEGMENTS,
                   halfplanes=pad.MAX_HALFPLANES, frames=MAX_FRAMES), elem_classes=["rlgen-explain"])
    with gr.Row():
        view = _canvas_column(first)
        side = _side_column()
    grid = _float_fails_section()
    _wire_edits(sketch_state, run_state, view, side)
    _wire_run(sketch_state, run_state, view, side)
    _wire_replay(run_state, view)
    _wire_grid(grid)
    with gr.Accordion(tr("In space: the 3-D convex hull"), open=False):
        build_hull3d()


def _canvas_column(first: pad.Sketch) -> SimpleNamespace:
    """The canvas, the current step's caption, Play / Step / Stop, the step slider and speed, and the status."""
    with gr.Column(scale=3):
        image = gr.Image(value=canvas(first), type="pil", format="png", interactive=False,
                         label=tr("Canvas ({width}×{height}) — click to add", width=WIDTH, height=HEIGHT), elem_id="geometry-canvas",
                         buttons=["download"], height=HEIGHT + 20, width=WIDTH)
        caption = gr.Textbox(label=tr("Current step"), interactive=False, elem_classes=["rlgen-status"])
        with gr.Row():
            play = gr.Button(tr("▶ Play"), variant="secondary", elem_id="geometry-play")
            step = gr.Button(tr("Step ›"), elem_id="geometry-step")
            stop = gr.Button(tr("■ Stop"))
        with gr.Row():  # a row of its own: beside three buttons the slider was squeezed until its max read "3"
            slider = gr.Slider(0, 1, value=0, step=1, label=tr("Step of the run"), elem_id="geometry-slider",
                               scale=2)
            fps = gr.Slider(1, 30, value=8, step=1, label=tr("Frames per second"), scale=1, min_width=200)
        status = gr.Textbox(label=tr("Status"), interactive=False, elem_classes=["rlgen-status"],
                            value=tr("{n} random points to start with: press Run, or click on the canvas to add "
                                     "your own.", n=FIRST_POINTS), elem_id="geometry-status")
    return SimpleNamespace(image=image, caption=caption, play=play, step=step, stop=stop, slider=slider, fps=fps,
                           status=status)


def _side_column() -> SimpleNamespace:
    """Beside the canvas: the algorithm and its options, the click controls, the presets (the fields a link
    sets), the run's numbers and the algorithm's explanation."""
    with gr.Column(scale=2):
        algorithm, run, options = _algorithm_controls()
        edit = _edit_controls()
        preset = _preset_controls()
        link_opened = linked("geometry", preset=preset.name, n=preset.n, algo=algorithm, seed=preset.seed)
        numbers = gr.Markdown(tr("Run an algorithm to see its numbers."), elem_id="geometry-numbers")
        explanation = gr.Markdown(tr(catalog.ALGORITHMS[next(iter(catalog.ALGORITHMS))].explanation),
                                  latex_delimiters=LATEX, elem_classes=["rlgen-explain"])
    return SimpleNamespace(algorithm=algorithm, run=run, options=options, edit=edit, preset=preset,
                           link_opened=link_opened, numbers=numbers, explanation=explanation)


def _algorithm_controls() -> tuple:
    """The algorithm and Run first, where a 720-px screen shows them, then the predicates and hull options:
    (algorithm, Run, [predicates, EPS, keep collinear, point in polygon by])."""
    with gr.Group():
        algorithm = gr.Dropdown([(tr(a), a) for a in catalog.ALGORITHMS], value=next(iter(catalog.ALGORITHMS)),
                                label=tr("Algorithm"), elem_id="geometry-algorithm")
        run = gr.Button(tr("Run"), variant="primary", elem_id="geometry-run")
    with advanced(open=True):
        with gr.Row():
            kind = gr.Radio([(tr(k), k) for k in PREDICATE_KINDS], value="adaptive",
                            label=tr("Predicates (hulls, polygon)"))
            eps = Number(value=1e-9, label=tr("EPS (float only)"), minimum=0)
        with gr.Row():
            keep = gr.Checkbox(value=False, label=tr("Keep collinear hull points"))
            pip = gr.Radio([(tr("ray"), "ray"), (tr("winding"), "winding")], value="ray",
                           label=tr("Point in polygon by"))
    return algorithm, run, [kind, eps, keep, pip]


def _edit_controls() -> SimpleNamespace:
    """What a click adds, snapping to the grid, and Undo / Clear."""
    with gr.Group():
        mode = gr.Radio([(tr(m), m) for m in pad.MODES], value="points", label=tr("Click mode"),
                        elem_id="geometry-mode")
        snap = gr.Checkbox(value=False, label=tr("Snap clicks to the grid (40 px; Pick counts grid squares)"))
        clear_what = gr.Dropdown([(tr(m), m) for m in ("everything", *pad.MODES)], value="everything",
                                 label=tr("What Clear removes"))
        with gr.Row():
            undo = gr.Button(tr("Undo"))
            clear = gr.Button(tr("Clear"))
    return SimpleNamespace(mode=mode, snap=snap, clear_what=clear_what, undo=undo, clear=clear)


def _preset_controls() -> SimpleNamespace:
    """A preset point set: its name, size and seed, and Load."""
    with gr.Group():
        name = gr.Dropdown([(tr(p), p) for p in pad.PRESETS], value="uniform", label=tr("Preset"))
        n = gr.Slider(1, pad.MAX_POINTS, value=60, step=1,
                      label=tr("Preset size (points ≤ {max:,})", max=pad.MAX_POINTS))
        seed, randomize = seed_controls(0)
        load = gr.Button(tr("Load preset"))
    return SimpleNamespace(name=name, n=n, seed=seed, randomize=randomize, load=load)


def _float_fails_section() -> SimpleNamespace:
    """Float against exact orientation on a grid of points a few ulps from a line, with an EPS to try."""
    with gr.Accordion(tr("When floating point fails: float vs exact orientation"), open=False):
        gr.Markdown(tr(FLOAT_FAILS), latex_delimiters=LATEX)
        with gr.Row():
            eps = Number(value=0.0, label=tr("EPS for the float panel"), minimum=0)
            button = gr.Button(tr("Draw both"))
        with gr.Row():
            float_image = gr.Image(label=tr("float"), interactive=False, format="png")
            exact_image = gr.Image(label=tr("exact"), interactive=False, format="png")
        disagree = gr.Markdown()
    return SimpleNamespace(eps=eps, button=button, outputs=[float_image, exact_image, disagree])


def _edit_outputs(sketch_state, run_state, view: SimpleNamespace) -> list:
    """What an edit of the sketch updates: the sketch, the canvas, the status, and the run (cleared)."""
    return [sketch_state, view.image, view.status, run_state]


def _preset_inputs(sketch_state, preset: SimpleNamespace) -> list:
    """What loading a preset reads: the sketch, and the preset's name, size, seed and whether to draw a new seed."""
    return [sketch_state, preset.name, preset.n, preset.seed, preset.randomize]


def _wire_edits(sketch_state, run_state, view: SimpleNamespace, side: SimpleNamespace) -> None:
    """Clicks on the canvas, Undo, Clear and Load preset."""
    edit_outputs = _edit_outputs(sketch_state, run_state, view)

    def on_select(sketch, mode_value, snap_value, evt: gr.SelectData):
        x, y = evt.index
        return handle_click(sketch, mode_value, snap_value, x, y)

    view.image.select(user_errors(on_select), [sketch_state, side.edit.mode, side.edit.snap], edit_outputs)
    side.edit.undo.click(user_errors(handle_undo), [sketch_state], edit_outputs)
    side.edit.clear.click(user_errors(handle_clear), [sketch_state, side.edit.clear_what], edit_outputs)
    side.preset.load.click(user_errors(handle_preset), _preset_inputs(sketch_state, side.preset),
                           [*edit_outputs, side.preset.seed])


def _wire_run(sketch_state, run_state, view: SimpleNamespace, side: SimpleNamespace) -> None:
    """The algorithm's explanation, Run, and a link: its preset on the canvas, then its algorithm run on it."""
    side.algorithm.change(user_errors(explain), [side.algorithm], [side.explanation])

    @user_errors
    def on_run(sketch, name, kind_value, eps_value, keep_value, pip_value, seed_value):
        options = options_from(kind_value, eps_value, keep_value, pip_value, seed_value)
        run_info, last, table, text, notes = run_algorithm(sketch, name, options)
        for note in notes:
            gr.Warning(note)
        return (run_info, canvas(sketch, last), _caption(last, run_info.total - 1, run_info.total),
                gr.Slider(minimum=0, maximum=max(run_info.total - 1, 1), value=run_info.total - 1), table, text,
                say("{name}: {total} steps.", name=say(name), total=run_info.total))

    run_inputs = [sketch_state, side.algorithm, *side.options, side.preset.seed]
    run_outputs = [run_state, view.image, view.caption, view.slider, side.numbers, side.explanation, view.status]
    side.run.click(on_run, run_inputs, run_outputs)
    side.link_opened.change(user_errors(handle_preset), _preset_inputs(sketch_state, side.preset),
                            [*_edit_outputs(sketch_state, run_state, view), side.preset.seed],
                            api_visibility="private").then(on_run, run_inputs, run_outputs, api_visibility="private")


def _wire_replay(run_state, view: SimpleNamespace) -> None:
    """The slider, Step and Play replay the last run; Stop ends Play."""

    @user_errors
    def on_slider(run_info, index):
        if run_info is None:
            raise InputError(say("Press Run first; the slider replays the last run."))
        index = min(int(index), run_info.total - 1)
        return canvas(run_info.sketch, step_at(run_info, index)), _caption(step_at(run_info, index), index,
                                                                           run_info.total)

    view.slider.release(on_slider, [run_state, view.slider], [view.image, view.caption])

    @user_errors
    def on_step(run_info, index):
        if run_info is None:
            raise InputError(say("Press Run first; Step advances through the last run."))
        index = (int(index) + 1) % run_info.total
        step = step_at(run_info, index)
        return canvas(run_info.sketch, step), _caption(step, index, run_info.total), index

    view.step.click(on_step, [run_state, view.slider], [view.image, view.caption, view.slider])

    @user_errors
    def on_play(run_info, index, fps_value):
        if run_info is None:
            raise InputError(say("Press Run first; Play replays the last run."))
        start = int(index) if int(index) < run_info.total - 1 else 0
        frames = set(play_frames(run_info, start))
        fps_value = check_number(fps_value, "Frames per second", 1, 30)
        generator = catalog.ALGORITHMS[run_info.algorithm].steps(run_info.sketch, run_info.options)
        shown = ((k, step) for k, step in enumerate(generator) if k in frames)
        for k, step in paced(shown, fps_value):
            yield canvas(run_info.sketch, step), _caption(step, k, run_info.total), k

    playing = view.play.click(on_play, [run_state, view.slider, view.fps], [view.image, view.caption, view.slider])
    view.stop.click(None, None, None, cancels=[playing])


def _wire_grid(grid: SimpleNamespace) -> None:
    """Draw both panels of the float-vs-exact grid for the EPS given."""

    @user_errors
    def on_grid(eps_value):
        eps_value = check_number(eps_value, "EPS", 0.0, 1.0)
        float_signs, exact_signs = orientation_grid(256, eps_value)
        wrong = int((float_signs != exact_signs).sum())
        return (render_sign_grid(float_signs), render_sign_grid(exact_signs),
                say("Float and exact disagree on **{wrong:,}** of {size:,} points (EPS = {eps:g}).", wrong=wrong,
                    size=float_signs.size, eps=eps_value))

    grid.button.click(on_grid, [grid.eps], grid.outputs)
