"""From tables to deep RL: on the book's 5×5 grid world, value-function approximation (TD-linear with
features, DQN with replay and a target network), REINFORCE and actor-critic, each streamed against its known
answer (v_π or v* from the model)."""

from __future__ import annotations

from collections.abc import Iterator

import gradio as gr

from rlgen.errors import InputError
from rlgen.gridworld.approximation import FEATURES, td_linear_steps
from rlgen.gridworld.dqn import DQNConfig, dqn_steps
from rlgen.gridworld.env import GridWorld
from rlgen.gridworld.figures import draw_grid, learning_figure
from rlgen.gridworld.frames import Frame
from rlgen.gridworld.policy_gradient import actor_critic_steps, reinforce_steps
from rlgen.progress import throttled
from rlgen.ui.i18n import say, tr
from rlgen.ui.links import linked
from rlgen.ui.live import TRAINING_QUEUE
from rlgen.ui.widgets import Number, Opening, advanced, check_number, resolve_seed, seed_controls, user_errors

TITLE = "Tables to deep RL"
DESCRIPTION = ("The bridge from tabular RL to DDPG on the grid world: TD with features, DQN, REINFORCE and "
               "actor-critic, each against the book's known values.")

ALGORITHMS = ("TD-linear", "DQN", "REINFORCE", "QAC", "A2C")
MAX_EPISODES = 2_000
MAX_UPDATES = 10_000
STREAM_EVERY_S = 0.3
PATH_SHOWN = 60  # the last states of the latest episode that the picture draws
# algorithm -> (learning rate, budget, what the budget counts, the metrics drawn)
DEFAULTS = {
    "TD-linear": (0.005, 100, "episodes of 500 steps", ("rmse",)),
    "DQN": (0.001, 2_000, "mini-batch updates", ("value_error", "loss")),
    "REINFORCE": (0.1, 300, "episodes of 50 steps", ("value_error", "episode_return")),
    "QAC": (0.1, 300, "episodes of 50 steps", ("value_error", "episode_return")),
    "A2C": (0.1, 300, "episodes of 50 steps", ("value_error", "episode_return")),
}
METRIC_NAMES = {"rmse": "RMS error to v_π", "value_error": "max error to v*", "loss": "TD loss",
                "episode_return": "discounted return of the episode"}

INTRO = r"""
### From tables to deep RL (Zhao's book, chapters 8–10)
A table keeps one number per state. **Value-function approximation** keeps weights $w$ instead:
**TD-linear** evaluates a policy with $\hat v(s,w)=\phi(s)^\top w$ and
$w \leftarrow w + \alpha\,[r + \gamma\,\phi(s')^\top w - \phi(s)^\top w]\,\phi(s)$; with few features it can only
reach the best fit those features allow (the TD fixed point), not $v_\pi$ itself.
**DQN** fits a network $\hat q(s,a;w)$ to $r + \gamma \max_a \hat q(s',a;w_T)$ on mini-batches from a **replay
buffer**, with a **target network** $w_T$ copied from $w$ every few updates.
**Policy gradient** climbs the return directly: $\theta \leftarrow \theta + \alpha\,\nabla_\theta \ln\pi(a|s,\theta)\,
q_t$, with $q_t$ the Monte-Carlo return (**REINFORCE**), a Sarsa critic's $\hat q(s,a)$ (**QAC**) or the TD error
$\delta = r + \gamma \hat v(s') - \hat v(s)$ (**A2C**). DDPG (next tab) is the last step: a deterministic
actor $\mu(s)$ and a DQN-style critic for actions that cannot be enumerated.
The grid shows $\hat v$ (colours) and the policy (arrows); the curves measure the error against the values
computed from the model: $v_\pi$ of the uniform policy for TD-linear, $v^*$ for the others.
"""


def frames_for(algorithm: str, kind: str, order: float, alpha: float, critic_alpha: float, budget: float,
               seed: int) -> Iterator[Frame]:
    """The algorithm's frame generator with the controls checked (a bad one raises a message naming it)."""
    if algorithm not in DEFAULTS:
        raise InputError(say("Choose one of {names} (got {name!r}).", names=", ".join(ALGORITHMS), name=algorithm))
    env = GridWorld.book_example()
    lr = check_number(alpha, "Learning rate", 1e-6, 1.0)
    if algorithm == "DQN":
        updates = int(check_number(budget, "Updates", 100, MAX_UPDATES, integer=True))
        order_ = int(check_number(order, "Feature order", 1, 8, integer=True))
        config = DQNConfig(kind=kind, order=order_, lr=lr, updates=updates, frame_every=25, seed=seed)
        return dqn_steps(env, config)
    episodes = int(check_number(budget, "Episodes", 1, MAX_EPISODES, integer=True))
    if algorithm == "TD-linear":
        order_ = int(check_number(order, "Feature order", 1, 8, integer=True))
        return td_linear_steps(env, kind=kind, order=order_, alpha=lr, episodes=episodes, seed=seed)
    if algorithm == "REINFORCE":
        return reinforce_steps(env, alpha=lr, episodes=episodes, seed=seed)
    critic_lr = check_number(critic_alpha, "Critic learning rate", 1e-6, 1.0)
    return actor_critic_steps(env, algorithm, alpha=lr, critic_alpha=critic_lr, episodes=episodes, seed=seed)


def picture(frame: Frame | None, caption: str):
    env = GridWorld.book_example()
    if frame is None:
        return draw_grid(env.shape, env.forbidden, [env.target], caption=caption)
    path = None if frame.trajectory is None else frame.trajectory[-PATH_SHOWN:]
    return draw_grid(env.shape, env.forbidden, [env.target], frame.values, frame.policy, trajectory=path,
                     caption=caption)


def curves(algorithm: str, steps: list[int], history: dict[str, list[float]]):
    unit = say("update") if algorithm == "DQN" else say("episode")
    series = {say(METRIC_NAMES[name]): values for name, values in history.items()}
    return learning_figure(steps, series, unit, algorithm)


@user_errors
def run_bridge(algorithm: str, kind: str, order: float, alpha: float, critic_alpha: float, budget: float,
               seed: float, randomize: bool):
    """Stream one run: the grid a few times a second and the curves with it; the last frame always."""
    used_seed = resolve_seed(seed, randomize)
    frames = frames_for(algorithm, kind, order, alpha, critic_alpha, budget, used_seed)
    metrics = DEFAULTS[algorithm][3]
    steps: list[int] = []
    history: dict[str, list[float]] = {name: [] for name in metrics}
    yield picture(None, f"{algorithm}: starting"), curves(algorithm, [], history), say("starting"), used_seed

    def recorded(source: Iterator[Frame]) -> Iterator[Frame]:
        for frame in source:  # every frame goes into the curves, even those the stream skips
            steps.append(frame.step)
            for name in metrics:
                history[name].append(frame.metrics[name])
            yield frame

    for frame in throttled(recorded(frames), STREAM_EVERY_S):
        numbers = ", ".join(f"{say(METRIC_NAMES[n])} {history[n][-1]:.3g}" for n in metrics)
        status = f"{algorithm} · {say(DEFAULTS[algorithm][2])}: {frame.step:,} · {numbers}"
        yield picture(frame, f"{algorithm} — {frame.step:,}"), curves(algorithm, steps, history), status, used_seed


@user_errors
def algorithm_defaults(algorithm: str) -> tuple:
    """The learning rate and budget that suit the algorithm, and which controls it uses."""
    if algorithm not in DEFAULTS:
        raise InputError(say("Choose one of {names} (got {name!r}).", names=", ".join(ALGORITHMS), name=algorithm))
    lr, budget, unit, _ = DEFAULTS[algorithm]
    uses_features = algorithm in ("TD-linear", "DQN")
    label = say("Budget: {unit} (≤ {max:,})", unit=say(unit), max=MAX_UPDATES if algorithm == "DQN" else MAX_EPISODES)
    kind = "one-hot" if algorithm == "DQN" else "polynomial"
    return (gr.update(value=lr), gr.update(value=budget, label=label), gr.update(visible=uses_features, value=kind),
            gr.update(visible=uses_features), gr.update(visible=algorithm in ("QAC", "A2C")))


def opening_run() -> tuple:
    """The default run (TD-linear, polynomial features of order 2, 100 episodes, seed 0) to its end: what the tab
    opens on."""
    *_, (grid, plot, status, _) = run_bridge("TD-linear", "polynomial", 2, 0.005, 0.2, 100, 0, False)
    return grid, plot, status


def build() -> None:
    opening = Opening(opening_run)
    with gr.Row():
        algorithm = gr.Radio(list(ALGORITHMS), value="TD-linear", label=tr("Algorithm"))
        kind = gr.Dropdown([(tr(name), name) for name in FEATURES], value="polynomial", label=tr("Features φ(s)"))
        order = Number(value=2, precision=0, minimum=1, maximum=8, label=tr("Feature order (1–8)"))
    with advanced(open=True):
        with gr.Row():
            alpha = Number(value=0.005, label=tr("Learning rate α (actor's α_θ for policy gradient)"))
            critic_alpha = Number(value=0.2, label=tr("Critic's learning rate α_w"), visible=False)
            budget = Number(value=100, precision=0, label=tr("Budget: episodes of 500 steps (≤ {max:,})",
                                                            max=MAX_EPISODES))
        seed, randomize = seed_controls(0)
    link_opened = linked("deeprl", algo=algorithm, seed=seed)
    with gr.Row():
        start = gr.Button(tr("Run"), variant="primary")
        stop = gr.Button(tr("Stop"), variant="stop")
    status = gr.Textbox(label=tr("Status"), interactive=False, elem_classes="rlgen-status", elem_id="deeprl-status",
                        value=tr("Shown: the default run (TD-linear, 100 episodes, seed 0) at its end. Press Run to "
                                 "watch it learn."))
    with gr.Row():
        grid = gr.Image(value=opening.part(0, picture(None, "book example — press Run")),
                        label=tr("Estimated values and policy"), interactive=False, height=420, scale=1)
        plot = gr.Plot(value=opening.part(1, curves("TD-linear", [], {"rmse": []})),
                       label=tr("Error against the known answer"), scale=2)
    # the explanation under the controls and their result: Run sits above the fold on a 720-px screen
    gr.Markdown(tr(INTRO), elem_classes="rlgen-explain", latex_delimiters=[{"left": "$", "right": "$", "display": False}])
    algorithm.change(algorithm_defaults, algorithm, [alpha, budget, kind, order, critic_alpha])
    run_inputs = [algorithm, kind, order, alpha, critic_alpha, budget, seed, randomize]
    run = start.click(run_bridge, run_inputs, [grid, plot, status, seed], show_progress_on=[status], **TRAINING_QUEUE)
    # a link's algorithm with its own settings (as choosing it sets them), then run
    linked_run = link_opened.change(algorithm_defaults, algorithm, [alpha, budget, kind, order, critic_alpha],
                                    api_visibility="private").then(
        run_bridge, run_inputs, [grid, plot, status, seed], show_progress_on=[status], api_visibility="private",
        **TRAINING_QUEUE)
    stop.click(None, None, None, cancels=[run, linked_run]).then(lambda: say("stopped."), None, status)
