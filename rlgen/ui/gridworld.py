"""The GridWorld tab: edit a grid world, pick a tabular algorithm, and watch values and policy converge."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import asdict
from types import SimpleNamespace

import gradio as gr
import numpy as np

from rlgen.errors import InputError
from rlgen.gridworld import editing
from rlgen.gridworld.algorithms import ALGORITHMS, RunParams, run_steps
from rlgen.gridworld.env import _show
from rlgen.gridworld.figures import convergence_figure, draw_grid, layout, mean_estimation_figure
from rlgen.gridworld.frames import Frame
from rlgen.gridworld.mean_estimation import mean_estimation, mean_estimation_steps
from rlgen.gridworld.planning import value_iteration, warm_up
from rlgen.progress import paced
from rlgen.ui.i18n import say, tr
from rlgen.ui.links import link_choice, linked
from rlgen.ui.live import CLICK_QUEUE, STREAMING, LiveRuns, new_token
from rlgen.ui.widgets import (
    SESSION_TTL_S,
    Number,
    advanced,
    check_choice,
    check_number,
    resolve_seed,
    seed_controls,
    session_state,
    user_errors,
)

TITLE = "GridWorld"
DESCRIPTION = "Tabular RL on the grid world of Zhao's book: value and policy iteration, Monte Carlo, TD, animated."

INTRO = r"""
### Tabular reinforcement learning on a grid world
An agent moves **up, right, down, left** or **stays**. Bumping into the boundary costs $r_{boundary}$,
entering a forbidden (orange) cell costs $r_{forbidden}$, entering or staying on the target (cyan) earns
$r_{target}$. Every algorithm below looks for the policy that maximises the discounted return, whose values
solve the **Bellman optimality equation**
$v^*(s) = \max_a \big[ r(s,a) + \gamma\, v^*(s') \big]$.
Colours are state values, arrows are $\pi(a|s)$ (length = probability, a circle = stay), the red line is the
path the policy takes from the start cell (or the last sampled episode). Click a cell to edit the grid.
"""

KNOBS = ("j_truncate", "episode_length", "iterations", "epsilon", "alpha", "n", "first_visit")
MAX_FPS = 30
SLOW_FRAMES = 12  # a Run shows this many frames at the chosen pace before it speeds up
PATH_SHOWN = 200  # the last states of an episode that the picture draws
PLOT_INTERVAL_S = 1.0  # the convergence panel's redraw period while a run streams


# The running algorithms' generators, one per session, kept on the server (see rlgen.ui.live).
RUNS = LiveRuns(ttl_s=SESSION_TTL_S)


def new_session() -> dict:
    """Per-user state, plain data only: the grid, the run in progress (its settings, how many frames were taken,
    the last frame and the metrics so far) and, from its first run on, the token under which the run's generator
    lives in :data:`RUNS` (minted then, since gradio copies this initial value into every session)."""
    return {"spec": editing.book_spec(), "run": None}


def _edited(session: dict, spec: dict) -> dict:
    """The session with a new grid: any run is over (its generator is dropped)."""
    RUNS.drop(session.get("token"))
    return {"spec": spec, "run": None, **({"token": session["token"]} if session.get("token") else {})}


def run_params(gamma: float, j_truncate: float, episode_length: float, iterations: float, epsilon: float,
               alpha: float, n: float, first_visit: bool, seed: int) -> RunParams:
    """The knobs, checked; each out-of-range value gets a message naming its range."""
    return RunParams(
        gamma=check_number(gamma, "γ", 0.0, 0.999),
        j_truncate=check_number(j_truncate, "j (truncation)", 1, 1000, integer=True),
        episode_length=check_number(episode_length, "Episode length", 1, 1_000_000, integer=True),
        iterations=check_number(iterations, "Iterations / episodes", 1, 100_000, integer=True),
        epsilon=check_number(epsilon, "ε", 0.0, 1.0),
        alpha=check_number(alpha, "α", 1e-4, 1.0),
        n=check_number(n, "n", 1, 100, integer=True),
        first_visit=bool(first_visit),
        seed=seed,
    )


def render(spec: dict, frame: Frame | None, caption: str = ""):
    """The grid as the person edited it, with the frame's values, policy and path when there is one."""
    shape = (spec["rows"], spec["cols"])
    start = spec["start"][0] * spec["cols"] + spec["start"][1]
    if frame is None:
        return draw_grid(shape, spec["forbidden"], spec["targets"], agent=start, caption=caption)
    trajectory = frame.trajectory
    if trajectory is None:
        trajectory = editing.greedy_walk(editing.env_from_spec(spec), frame.policy)
    trajectory = trajectory[-PATH_SHOWN:]
    return draw_grid(shape, spec["forbidden"], spec["targets"], frame.values, frame.policy, trajectory=trajectory,
                     agent=int(trajectory[-1]), caption=caption)


# -- handlers: pure functions of their inputs (testable without a browser) ------------------------------
def click_cell(session: dict, x: float, y: float, click_sets: str):
    """A click at pixel (x, y) of the grid image: cycle the cell, or move the start there."""
    spec = session["spec"]
    cell = layout(spec["rows"], spec["cols"]).cell_at(x, y)
    if cell is None:
        return session, gr.skip(), say("Click inside the grid to edit a cell.")
    if click_sets == "start cell":
        spec = editing.set_start(spec, *cell)
        message = say("Start cell is now {cell}.", cell=_show(cell))
    else:
        spec = editing.cycle_cell(spec, *cell)
        kind = ("target" if list(cell) in spec["targets"] else
                "forbidden" if list(cell) in spec["forbidden"] else "normal")
        kind = {"target": say("a target"), "forbidden": say("forbidden"), "normal": say("normal")}[kind]
        message = say("Cell {cell} is now {kind}.", cell=_show(cell), kind=kind) + _grid_problem(spec)
    session = _edited(session, spec)
    return session, render(spec, None, "edited — press Step or Run"), message


def _grid_problem(spec: dict) -> str:
    try:
        editing.env_from_spec(spec)
    except ValueError as exc:
        return say(" Before running: {problem}", problem=exc)
    return ""


def apply_grid(session: dict, rows: float, cols: float, r_boundary: float, r_forbidden: float, r_target: float,
               r_other: float):
    spec = editing.resize(session["spec"], rows, cols)
    spec = editing.set_rewards(spec, r_boundary, r_forbidden, r_target, r_other)
    session = _edited(session, spec)
    return session, render(spec, None, "grid updated"), say("Grid is {rows}×{cols}.", rows=spec["rows"],
                                                               cols=spec["cols"]) + _grid_problem(spec)


def preset(session: dict, name: str):
    """The book's example, or the same grid with path-finding rewards (every step costs)."""
    spec = editing.book_spec()
    if name == "path":
        spec = editing.set_rewards(spec, -10, -10, 0, -1)
    session = _edited(session, spec)
    return (session, render(spec, None, "book example"), spec["rows"], spec["cols"], spec["r_boundary"],
            spec["r_forbidden"], spec["r_target"], spec["r_other"], say(
                "Loaded the book's 5×5 example." if name == "book" else "Loaded path-finding rewards: each step "
                "−1, boundary and forbidden −10, target 0 (TD methods then learn the shortest path)."))


def _start_or_continue(session: dict, algorithm: str, params: RunParams) -> dict:
    """The session's run for these settings: the one in progress (or finished) if nothing changed, else a new
    one. A finished run stays finished: Step then shows its last frame instead of starting over."""
    config = {"spec": session["spec"], "algorithm": algorithm, "params": asdict(params)}
    run = session.get("run")
    if run is None or run["config"] != config:
        editing.env_from_spec(session["spec"])  # a grid without a target is refused here, with its message
        run = {"id": new_token(), "config": config, "taken": 0, "metrics": {"step": []}, "frame": None,
               "done": False}
        session["run"] = run
    session.setdefault("token", new_token())
    return run


def _live_frames(session: dict, run: dict) -> Iterator[Frame]:
    """The generator behind ``run``; rebuilt and fast-forwarded to where the run was if the server dropped it
    (idle past the TTL, or a restart): the algorithms are deterministic given their seed."""
    live = RUNS.get(session["token"])
    if live is None or live[0] != run["id"]:
        config = run["config"]
        frames = run_steps(editing.env_from_spec(config["spec"]), config["algorithm"], RunParams(**config["params"]))
        for _ in range(run["taken"]):
            next(frames, None)
        live = (run["id"], frames)
        RUNS.put(session["token"], live)
    return live[1]


def _advance(session: dict, run: dict, count: int) -> bool:
    """Take up to ``count`` frames from the run; False when the algorithm has finished. One session's Step, Run
    and Walk queue on its lock, so they never advance the same generator at once."""
    with RUNS.lock(session["token"]):
        if run["done"]:
            return False
        frames = _live_frames(session, run)
        for _ in range(count):
            frame = next(frames, None)
            if frame is None:
                run["done"] = True
                RUNS.drop(session["token"])
                return False
            run["frame"], run["taken"] = frame, run["taken"] + 1
            metrics = run["metrics"]
            metrics["step"].append(frame.step)
            for key, value in frame.metrics.items():
                metrics.setdefault(key, []).append(value)
    return True


def _outputs(session: dict, algorithm: str, with_plot: bool = True):
    run = session["run"]
    frame = run["frame"]
    label = ALGORITHMS[algorithm].label
    unit = ALGORITHMS[algorithm].x_label
    if frame is None:
        return session, render(session["spec"], None), gr.skip(), say("No iterations yet.")
    state = say("converged") if run["done"] else say("running")
    caption = say("{label}, {unit} {step} ({state})", label=say(label), unit=say(unit), step=frame.step, state=state)
    metrics = dict(run["metrics"], x_label=unit)
    status = f"{say(label)}: {say(unit)} {frame.step}. " + ", ".join(
        f"{k} = {v:.4g}" for k, v in frame.metrics.items() if k != "visited_pairs")
    if run["done"]:
        status += say(" — finished. Reset (or change a setting) to run it again.")
    plot = convergence_figure(metrics, label) if with_plot else gr.skip()
    return session, render(session["spec"], frame, caption), plot, status


def step(session: dict, algorithm: str, gamma, j_truncate, episode_length, iterations, epsilon, alpha, n,
         first_visit, seed, randomize):
    """One iteration (or one episode) of the chosen algorithm."""
    params = run_params(gamma, j_truncate, episode_length, iterations, epsilon, alpha, n, first_visit,
                        resolve_seed(seed, randomize))
    run = _start_or_continue(session, algorithm, params)
    _advance(session, run, 1)
    return (*_outputs(session, algorithm), params.seed)


def frame_stride(per_frame: int, frame: int, speed_up: bool) -> int:
    """Iterations in the ``frame``-th frame: ``per_frame`` each, or, speeding up, ``per_frame`` for the first
    SLOW_FRAMES frames (where the values change the most) and then doubling (the error shrinks geometrically,
    so later iterations change little): value iteration's 220 iterations then play in 3 s at 8 fps, not 28 s."""
    if not speed_up or frame < SLOW_FRAMES:
        return per_frame
    return per_frame * 2 ** min(frame - SLOW_FRAMES + 1, 10)


def run(session: dict, algorithm: str, gamma, j_truncate, episode_length, iterations, epsilon, alpha, n,
        first_visit, seed, randomize, fps, per_frame, speed_up: bool = False) -> Iterator[tuple]:
    """Stream frames at ``fps`` pictures per second, ``per_frame`` iterations each (more and more each frame
    with ``speed_up``), until done or stopped."""
    params = run_params(gamma, j_truncate, episode_length, iterations, epsilon, alpha, n, first_visit,
                        resolve_seed(seed, randomize))
    fps = check_number(fps, "Frames per second", 1, MAX_FPS)
    per_frame = check_number(per_frame, "Iterations per frame", 1, 1000, integer=True)
    run_state = _start_or_continue(session, algorithm, params)

    def frames() -> Iterator[tuple]:
        last_plot = 0.0
        frame = 0
        while True:
            started = time.perf_counter()
            going = _advance(session, run_state, frame_stride(per_frame, frame, bool(speed_up)))
            frame += 1
            # The grid redraws every frame; the plotly panel at most once a second (and at the end): a full
            # plotly redraw per frame starved the browser's main thread on a 2-core box.
            with_plot = not going or started - last_plot >= PLOT_INTERVAL_S
            last_plot = started if with_plot else last_plot
            yield (*_outputs(session, algorithm, with_plot), params.seed)
            if not going:
                return

    yield from paced(frames(), fps)


def paused_status(session: dict) -> str:
    run_state = session.get("run")
    if not run_state or run_state["frame"] is None:
        return say("Paused before the first iteration.")
    frame = run_state["frame"]
    return say("Paused at step {step}: press Run to go on, Step for one more, Reset to start over.", step=frame.step)


def reset(session: dict):
    session = _edited(session, session["spec"])
    return (session, render(session["spec"], None, say("reset")), convergence_figure({}, ""),
            say("Reset: press Step or Run."))


def walk_policy(session: dict, fps) -> Iterator[tuple]:
    """Animate the agent following the current policy's most likely action from the start cell."""
    run_state = session.get("run")
    if not run_state or run_state["frame"] is None:
        raise InputError(say("There is no policy yet: press Step or Run first."))
    fps = check_number(fps, "Frames per second", 1, MAX_FPS)
    env = editing.env_from_spec(session["spec"])
    frame = run_state["frame"]
    path = editing.greedy_walk(env, frame.policy)

    def frames() -> Iterator:
        for t in range(1, len(path) + 1):
            shown = Frame(frame.step, frame.values, frame.policy, frame.metrics, trajectory=np.asarray(path[:t]))
            end = say("reached the target") if path[t - 1] == env.to_index(env.target) else say("walking")
            yield render(session["spec"], shown, say("step {step}: {end}", step=t - 1, end=end))

    yield from paced(frames(), fps)


def estimate_mean(name: str, p, n, schedule: str, alpha, seed, randomize, fps) -> Iterator[tuple]:
    seed = resolve_seed(seed, randomize)
    n = check_number(n, "Number of samples", 1, 1_000_000, integer=True)
    fps = check_number(fps, "Frames per second", 1, MAX_FPS)
    estimate = mean_estimation(name, n, seed, schedule, check_number(alpha, "α", 1e-4, 1.0),
                               check_number(p, "P(+1)", 0.0, 1.0))
    for upto in paced(mean_estimation_steps(estimate), fps):
        text = say("k = {k:,}: sample mean {mean:.4f}, incremental {incremental:.4f}, E[X] = {true:g}, LLN "
                   "half-width {band:.4f}", k=upto, mean=estimate.sample_mean[upto - 1],
                   incremental=estimate.incremental[upto - 1], true=estimate.true_mean, band=estimate.band[upto - 1])
        yield mean_estimation_figure(estimate, upto), text, seed


# -- layout ----------------------------------------------------------------------------------------------
def explanation(algorithm: str) -> str:
    """The algorithm's name and update in English: the key of its Chinese text (build: ``tr``; events: ``say``)."""
    spec = ALGORITHMS[algorithm]
    return f"**{spec.label}.** {spec.equation}"


@user_errors
def _explain(algorithm: str) -> tuple:
    spec = ALGORITHMS[check_choice(algorithm, ALGORITHMS, "Algorithm")]
    updates = [gr.update(visible=knob in spec.knobs) for knob in KNOBS]
    return (say(explanation(algorithm)), *updates)


def build() -> None:
    # Compile the numba sweeps while the page loads (a one-off per machine; numba caches it on disk after).
    threading.Thread(target=warm_up, name="gridworld-jit-warm-up", daemon=True).start()
    session = session_state(new_session(), delete_callback=lambda expired: RUNS.drop(expired.get("token")))
    gr.Markdown(tr(INTRO), latex_delimiters=[{"left": "$", "right": "$", "display": False}])
    with gr.Tabs():
        with gr.Tab(tr("Planning & learning")):
            _build_learning(session)
        with gr.Tab(tr("Mean estimation")):
            _build_mean_estimation()


def first_picture():
    """What the tab opens on: the book example with the optimal values and policy that value iteration ends on, so
    the point (colours are v*, arrows π*) is there before any click; Step and Run then start from v = 0."""
    spec = editing.book_spec()
    result = value_iteration(editing.env_from_spec(spec), 0.9)
    return render(spec, result.history[-1], say("the answer: v* and its greedy policy"))


def _build_learning(session: gr.State) -> None:
    """The "Planning & learning" tab: the grid and its plots beside the controls and the grid editor."""
    with gr.Row():
        with gr.Column(scale=3):
            view = _grid_view()
        with gr.Column(scale=2):
            controls = _controls()
            editor = _grid_editor()
    playing = _wire_run_controls(session, view, controls)
    _wire_grid_editing(session, view, controls, editor, playing)


def _grid_view() -> SimpleNamespace:
    """The grid picture, the status line and the convergence plot."""
    grid = gr.Image(value=first_picture,  # made on load: its caption in the reader's language
                    label=tr("Grid world (click a cell to edit it)"), show_label=False, interactive=False,
                    format="png", elem_id="gridworld-grid", buttons=["download"])
    status = gr.Textbox(label=tr("Status"), interactive=False, elem_id="gridworld-status",
                        elem_classes=["rlgen-status"], value=tr("Pick an algorithm and press Step or Run."))
    convergence = gr.Plot(label=tr("Convergence"), elem_id="gridworld-convergence")
    return SimpleNamespace(grid=grid, status=status, convergence=convergence)


def _controls() -> SimpleNamespace:
    """The algorithm, the Step/Run/Pause/Reset buttons, its explanation and knobs, the pace of a run, Walk, and
    the controls a link sets."""
    latex = [{"left": "$", "right": "$", "display": False}]
    algorithm = gr.Dropdown([(tr(a.label), k) for k, a in ALGORITHMS.items()], value="value_iteration",
                            label=tr("Algorithm"), elem_id="gridworld-algorithm")
    # the actions first, where a 720-px screen shows them; the knobs below
    with gr.Row():
        step_button = gr.Button(tr("Step"), elem_id="gridworld-step")
        run_button = gr.Button(tr("Run"), variant="primary", elem_id="gridworld-run")
        stop_button = gr.Button(tr("Pause"), variant="stop", elem_id="gridworld-stop")
        reset_button = gr.Button(tr("Reset"))
    explained = gr.Markdown(tr(explanation("value_iteration")), latex_delimiters=latex,
                            elem_classes=["rlgen-explain"])
    gamma = gr.Slider(0.0, 1.0, value=0.9, step=0.01, label=tr("Discount γ (must stay below 1)"))
    knobs = _knobs()
    with advanced(open=True):
        seed, randomize = seed_controls()
        with gr.Row():
            fps = gr.Slider(1, MAX_FPS, value=8, step=1, label=tr("Frames per second"))
            per_frame = gr.Slider(1, 100, value=1, step=1, label=tr("Iterations per frame"))
            speed_up = gr.Checkbox(value=True, label=tr("Speed up after {n} frames", n=SLOW_FRAMES))
    walk_button = gr.Button(tr("Walk the current policy from the start cell"))
    preset_name = link_choice(("book", "path"), "book")  # the grid a link opens on (?preset=path)
    link_opened = linked("gridworld", preset=preset_name, algo=algorithm, gamma=gamma, seed=seed)
    return SimpleNamespace(algorithm=algorithm, step_button=step_button, run_button=run_button,
                           stop_button=stop_button, reset_button=reset_button, explained=explained, gamma=gamma,
                           knobs=knobs, seed=seed, randomize=randomize, fps=fps, pace=[fps, per_frame, speed_up],
                           walk_button=walk_button, preset_name=preset_name, link_opened=link_opened)


def _knobs() -> list:
    """The algorithms' own knobs, in :data:`KNOBS` order; each shows when the chosen algorithm has it."""
    with gr.Group():
        j_truncate = gr.Slider(1, 100, value=5, step=1, label=tr("j: evaluation sweeps per iteration"),
                               visible=False)
        episode_length = Number(value=100, precision=0, label=tr("Episode length (≤ 1,000,000)"),
                                visible=False)
        iterations = Number(value=500, precision=0, label=tr("Iterations / episodes (≤ 100,000)"),
                            visible=False)
        epsilon = gr.Slider(0.0, 1.0, value=0.1, step=0.01, label=tr("ε (exploration)"), visible=False)
        alpha = gr.Slider(0.01, 1.0, value=0.1, step=0.01, label=tr("α (learning rate)"), visible=False)
        n_step = gr.Slider(1, 20, value=3, step=1, label=tr("n (steps before bootstrapping)"), visible=False)
        first_visit = gr.Checkbox(value=False, label=tr("First-visit (else every-visit)"), visible=False)
    return [j_truncate, episode_length, iterations, epsilon, alpha, n_step, first_visit]


def _grid_editor() -> SimpleNamespace:
    """The folded "Edit the grid" panel: what a click sets, the size and rewards, and the two preset grids."""
    with gr.Accordion(tr("Edit the grid"), open=False):
        click_sets = gr.Radio([(tr("cell type"), "cell type"), (tr("start cell"), "start cell")],
                              value="cell type", label=tr("A click sets"),
                              info=tr("cell type cycles normal → forbidden → target → normal"))
        with gr.Row():
            rows = Number(value=5, precision=0, label=tr("Rows (2–{max})", max=editing.MAX_SIDE))
            cols = Number(value=5, precision=0, label=tr("Columns (2–{max})", max=editing.MAX_SIDE))
        with gr.Row():
            r_boundary = Number(value=-1, label="r_boundary")
            r_forbidden = Number(value=-1, label="r_forbidden")
            r_target = Number(value=1, label="r_target")
            r_other = Number(value=0, label="r_other")
        apply_button = gr.Button(tr("Apply size and rewards"))
        with gr.Row():
            book_button = gr.Button(tr("Book example"))
            path_button = gr.Button(tr("Path-finding rewards"))
    return SimpleNamespace(click_sets=click_sets, grid=[rows, cols, r_boundary, r_forbidden, r_target, r_other],
                           apply_button=apply_button, book_button=book_button, path_button=path_button)


def _wire_run_controls(session: gr.State, view: SimpleNamespace, controls: SimpleNamespace) -> SimpleNamespace:
    """The algorithm's explanation and knobs, Run, Walk, Step, Pause and Reset; the running streams and a run's
    inputs and outputs (the grid editor and a link start or cancel them too)."""
    c = controls
    run_inputs = [session, c.algorithm, c.gamma, *c.knobs, c.seed, c.randomize]
    run_outputs = [session, view.grid, view.convergence, view.status, c.seed]
    c.algorithm.change(_explain, c.algorithm, [c.explained, *c.knobs], api_visibility="private")
    # Streams show their own progress in the status text; no overlay, so Pause (a cancel) leaves no error badge.
    running = c.run_button.click(user_errors(run), [*run_inputs, *c.pace], run_outputs, show_progress="hidden",
                                 api_name="gridworld_run", concurrency_limit=STREAMING)
    walking = c.walk_button.click(user_errors(walk_policy), [session, c.fps], view.grid, show_progress="hidden",
                                  api_name="gridworld_walk", cancels=[running], concurrency_limit=STREAMING)
    # Step pauses a running stream first: one session never advances its run from two events at once.
    c.step_button.click(user_errors(step), run_inputs, run_outputs, show_progress_on=[view.status],
                        api_name="gridworld_step", cancels=[running, walking], **CLICK_QUEUE)
    # A cancelled stream leaves its progress target marked; the follow-up event writes a plain status there.
    c.stop_button.click(None, cancels=[running, walking]).then(paused_status, session, view.status,
                                                               api_visibility="private")
    c.reset_button.click(user_errors(reset), session, [session, view.grid, view.convergence, view.status],
                         cancels=[running, walking], api_name="gridworld_reset", **CLICK_QUEUE)
    return SimpleNamespace(running=running, inputs=run_inputs, outputs=run_outputs)


def _wire_grid_editing(session: gr.State, view: SimpleNamespace, controls: SimpleNamespace,
                       editor: SimpleNamespace, playing: SimpleNamespace) -> None:
    """Clicks on the grid, the size and rewards, the presets, and a link's grid and run."""
    running = playing.running

    def on_select(current: dict, mode: str, evt: gr.SelectData):
        return click_cell(current, evt.index[0], evt.index[1], mode)

    view.grid.select(user_errors(on_select), [session, editor.click_sets], [session, view.grid, view.status],
                     cancels=[running], api_visibility="private")
    editor.apply_button.click(user_errors(apply_grid), [session, *editor.grid], [session, view.grid, view.status],
                              cancels=[running], api_name="gridworld_apply_grid")
    preset_outputs = [session, view.grid, *editor.grid, view.status]
    editor.book_button.click(lambda s: preset(s, "book"), session, preset_outputs, cancels=[running],
                             api_name="gridworld_book_example")
    editor.path_button.click(lambda s: preset(s, "path"), session, preset_outputs, cancels=[running],
                             api_name="gridworld_path_rewards")
    # a link's grid, then its algorithm run as Run runs it
    linked_run = controls.link_opened.change(user_errors(preset), [session, controls.preset_name], preset_outputs,
                                             api_visibility="private").then(
        user_errors(run), [*playing.inputs, *controls.pace], playing.outputs, show_progress="hidden",
        concurrency_limit=STREAMING, api_visibility="private")
    for button in (controls.stop_button, controls.reset_button):
        button.click(None, cancels=[linked_run])


def _build_mean_estimation() -> None:
    gr.Markdown(tr(
        r"Estimate $E[X]$ from samples. The **sample mean** $\bar x_k = \frac1k\sum_{i\le k} x_i$ is also the "
        r"incremental update $w_{k+1} = w_k - \alpha_k (w_k - x_k)$ with $\alpha_k = 1/k$ — the simplest "
        r"**Robbins–Monro** algorithm. Other step sizes with $\sum\alpha_k=\infty$, $\sum\alpha_k^2<\infty$ "
        r"(e.g. $k^{-0.6}$) still converge; a constant $\alpha$ keeps forgetting and only hovers. The band is "
        r"the law of large numbers: $\bar x_k$ stays within $\pm 1.96\,\sigma/\sqrt k$ of $E[X]$ about 95% of the time."),
        latex_delimiters=[{"left": "$", "right": "$", "display": False}],
    )
    with gr.Row():
        with gr.Column(scale=3):
            plot = gr.Plot(label=tr("Estimates against the number of samples"), elem_id="mean-plot")
            text = gr.Textbox(label=tr("Status"), interactive=False, elem_classes=["rlgen-status"])
        with gr.Column(scale=2):
            name = gr.Dropdown([(tr("±1 coin"), "coin"), (tr("uniform [0, 1]"), "uniform"),
                                (tr("normal(2, 1.5²)"), "gaussian"), (tr("exponential(1)"), "exponential")],
                               value="coin", label=tr("Distribution of X"))
            p = gr.Slider(0.0, 1.0, value=0.5, step=0.01, label=tr("Coin: P(X = +1)"))
            n = Number(value=2000, precision=0, label=tr("Samples (≤ 1,000,000)"))
            schedule = gr.Radio([("α_k = 1/k", "one_over_k"), ("α_k = k^−0.6", "power"),
                                 (tr("constant α"), "constant")], value="one_over_k", label=tr("Incremental step size"))
            alpha = gr.Slider(0.01, 1.0, value=0.05, step=0.01, label=tr("Constant α"))
            seed, randomize = seed_controls()
            fps = gr.Slider(1, MAX_FPS, value=12, step=1, label=tr("Frames per second"))
            with gr.Row():
                go = gr.Button(tr("Sample and estimate"), variant="primary", elem_id="mean-run")
                stop = gr.Button(tr("Stop"), variant="stop")
    event = go.click(user_errors(estimate_mean), [name, p, n, schedule, alpha, seed, randomize, fps],
                     [plot, text, seed], show_progress_on=[text], api_name="gridworld_mean_estimation")
    stop.click(None, cancels=[event])
