"""The DDPG control tab: watch a shipped agent swing up the pendulum (or drive the car up the hill), compare
its deterministic and noisy policies, and train one live while the critic's value map takes shape."""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from rlgen.ddpg import figures
from rlgen.ddpg.agent import DDPGAgent, DDPGConfig
from rlgen.ddpg.animation import save_gif
from rlgen.ddpg.checkpoint import SHIPPED, load_pretrained, shipped_run, training_info
from rlgen.ddpg.compare import ALGORITHMS, ComparisonFrame, side_by_side_configs, train_side_by_side
from rlgen.ddpg.recipes import LIVE_STEPS, live_config, recipe
from rlgen.ddpg.training import TrainFrame, noisy_rollouts, rollout, train
from rlgen.errors import InputError
from rlgen.progress import throttled
from rlgen.ui.i18n import LANGUAGES, language, say, say_in, tr
from rlgen.ui.links import linked
from rlgen.ui.live import TRAINING_QUEUE, OwnModels
from rlgen.ui.widgets import (
    SESSION_TTL_S,
    Number,
    advanced,
    check_number,
    resolve_seed,
    seed_controls,
    session_state,
    user_errors,
)

TITLE = "DDPG control"
DESCRIPTION = "Watch a DDPG actor–critic swing up a pendulum, and train one live while its critic learns the value map."

ENVIRONMENTS = SHIPPED  # env id -> its shipped agent's checkpoint
SHIPPED, MINE = "shipped agent", "my live-trained agent"
LIVE_MAX_STEPS = 50_000  # a live run on a shared 2-core CPU: a few minutes at most
HIDDEN_CHOICES = ["32,32", "64,64", "128,128", "256,256", "400,300"]
STREAM_EVERY_S = 0.3  # send a frame at most this often: the status moves ~3 times a second
LOSSES_EVERY_S = 1.0
HEATMAP_EVERY_S = 2.0  # the heatmaps cost the most to draw and change slowly: redraw them every 2 s
COMPARE_MAX_STEPS = 20_000  # per algorithm; three side by side share one core
# each person's live-trained agent stays on the server, at most this many in all (their state holds a reference)
OWN_AGENTS = OwnModels(SESSION_TTL_S, capacity=64, what="live-trained agent")
GIF_DIR = Path(tempfile.mkdtemp(prefix="rlgen-ddpg-"))
FIRST_GIFS = Path(tempfile.mkdtemp(prefix="rlgen-ddpg-first-"))  # out of the pruned folder: shown on every load
GIFS_KEPT = 16  # gradio copies a returned file into its own cache at once; older animations here can go

INTRO = """
**Deep Deterministic Policy Gradient** learns a deterministic actor μ(s) — a torque, not a distribution over
torques — and a critic Q(s, a) from a replay buffer of past transitions.
The critic regresses on the target **y = r + γ (1 − d) Q′(s′, μ′(s′))**, where the primed networks are slow copies
updated after every step by **θ′ ← τ θ + (1 − τ) θ′**; a time-limit cut is not a terminal (d = 0).
The actor climbs the critic: **∇J ≈ mean over the batch of ∇ₐQ(s, a)|ₐ₌μ(s) · ∇μ(s)**.
Exploration adds Gaussian or Ornstein–Uhlenbeck noise to μ(s); evaluation uses μ(s) alone.
Pendulum counts as solved at a mean return of −200 over 10 episodes; MountainCar at +90.
"""


def env_key(env_id: str) -> str:
    if env_id not in ENVIRONMENTS:
        raise InputError(say("Choose one of {choices} (got {got!r}).", choices=", ".join(ENVIRONMENTS), got=env_id))
    return ENVIRONMENTS[env_id]


def pick_agent(env_id: str, source: str, mine: dict | None) -> DDPGAgent:
    """The shipped agent for ``env_id``, or the person's own live-trained one (which must match the env)."""
    if source == MINE:
        agent = OWN_AGENTS.get(mine, say("You have no live-trained agent yet: start a run under “Train live” first."))
        if agent.config.env_id != env_id:
            raise InputError(say("Your live-trained agent is for {env}; switch the environment to it.",
                                 env=agent.config.env_id))
        return agent
    try:
        return load_pretrained(env_key(env_id))
    except (FileNotFoundError, ValueError) as exc:
        raise InputError(say("No shipped agent for {env} ({why}).", env=env_id, why=exc)) from exc


def describe_agent(env_id: str, source: str, agent: DDPGAgent, seed: int, total_return: float, text=say) -> str:
    """A line about the agent and this episode, by ``text`` (:func:`say` in an event, :func:`tr` on the page)."""
    if source == MINE:
        return text("Your live-trained agent: {updates:,} updates. This episode (start seed {seed}): return "
                    "{ret:.1f}.", updates=agent.updates, seed=seed, ret=total_return)
    info = training_info(env_key(env_id))
    if not info:
        return text("Shipped agent. This episode (start seed {seed}): return {ret:.1f}.", seed=seed, ret=total_return)
    ev = info["final_eval"]
    return text("Shipped agent: `{command}` — {steps:,} steps in {seconds:.0f} s (seed {train_seed}); evaluation over "
                "{episodes} episodes: **{mean:.1f} ± {std:.1f}**. This episode (start seed {seed}): return {ret:.1f}.",
                command=info["command"], steps=info["steps"], seconds=info["seconds"], train_seed=info["seed"],
                episodes=ev["episodes"], mean=ev["mean"], std=ev["std"], seed=seed, ret=total_return)


def prune(folder: Path, keep: int) -> None:
    """Delete all but the ``keep`` newest files of ``folder`` (each play writes one animation)."""
    files = sorted(folder.glob("*.gif"))  # names start with the time they were written
    for old in files[:-keep]:
        old.unlink(missing_ok=True)


def first_animations() -> dict[str, str]:
    """The shipped agent's first Pendulum episode drawn once in each language (its caption's words)."""
    episode = rollout(pick_agent("Pendulum-v1", SHIPPED, None), "Pendulum-v1", seed=0)
    return {lang: str(save_gif(episode, FIRST_GIFS / f"pendulum-{lang}.gif", text=say_in(lang))) for lang in LANGUAGES}


@user_errors
def play(env_id: str, source: str, start_seed: float, mine: dict | None, text=say) -> tuple:
    """One deterministic episode: the animation, the action and running return over time, the path on the
    actor/critic maps and a line about the agent (made by ``text``: :func:`tr` when the page is built)."""
    seed = int(check_number(start_seed, say("Start-state seed"), 0, 1_000_000, integer=True))
    agent = pick_agent(env_id, source, mine)
    episode = rollout(agent, env_id, seed=seed)
    gif = save_gif(episode, GIF_DIR / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}-{env_key(env_id)}.gif", text=say)
    prune(GIF_DIR, GIFS_KEPT)
    summary = describe_agent(env_id, source, agent, seed, episode.total_return, text)
    return str(gif), figures.episode_traces(episode), figures.policy_and_value(agent, env_id, episode), summary


@user_errors
def compare(env_id: str, source: str, start_seed: float, noise: str, noise_std: float, runs: float,
            mine: dict | None):
    """The deterministic policy beside ``runs`` noisy roll-outs from the same start state."""
    seed = int(check_number(start_seed, say("Start-state seed"), 0, 1_000_000, integer=True))
    std = check_number(noise_std, say("Noise σ"), 0.0, 2.0)
    count = int(check_number(runs, say("Noisy runs"), 1, 10, integer=True))
    kind = {"Gaussian": "gaussian", "Ornstein–Uhlenbeck": "ou"}.get(noise)
    if kind is None:
        raise InputError(say("Noise must be Gaussian or Ornstein–Uhlenbeck (got {got!r}).", got=noise))
    agent = pick_agent(env_id, source, mine)
    deterministic = rollout(agent, env_id, seed=seed)
    noisy = noisy_rollouts(agent, env_id, seed, kind, std, count)
    return figures.deterministic_vs_noisy(deterministic, noisy, f"{say(noise)} σ={std:g}")


def config_from_controls(env_id: str, steps: float, actor_lr: float, critic_lr: float, gamma: float, tau: float,
                         batch_size: float, buffer_size: float, learning_starts: float, noise: str,
                         noise_std: float, hidden: str, seed: int) -> DDPGConfig:
    """A checked config from the live-training controls; a ``ValueError`` names the bad control and its range."""
    env_key(env_id)
    total = int(check_number(steps, say("Training steps"), 1_000, LIVE_MAX_STEPS, integer=True))
    numbers = {"Actor learning rate": actor_lr, "Critic learning rate": critic_lr, "γ": gamma, "τ": tau,
               "Noise σ": noise_std}
    for name, value in numbers.items():
        check_number(value, say(name), float("-inf"), float("inf"))
    batch = int(check_number(batch_size, say("Batch size"), 1, 4096, integer=True))
    buffer = int(check_number(buffer_size, say("Replay buffer size"), 1, 1_000_000, integer=True))
    starts = int(check_number(learning_starts, say("Warm-up steps"), 0, LIVE_MAX_STEPS, integer=True))
    if hidden not in HIDDEN_CHOICES:
        raise InputError(say("Hidden layers must be one of {choices} (got {got!r}).", choices=", ".join(HIDDEN_CHOICES),
                             got=hidden))
    config = live_config(
        env_id, total, seed=seed, hidden=tuple(int(h) for h in hidden.split(",")), actor_lr=float(actor_lr),
        critic_lr=float(critic_lr), gamma=float(gamma), tau=float(tau), batch_size=batch, buffer_size=buffer,
        learning_starts=starts, noise="ou" if noise == "Ornstein–Uhlenbeck" else "gaussian", noise_std=float(noise_std))
    return config.validate()


def status_line(frame: TrainFrame, stopped: bool = False) -> str:
    last = frame.last_eval
    ev = say(" · evaluation {mean:.1f} ± {std:.1f}", mean=last[0], std=last[1]) if last else ""
    state = say("done") if frame.done else (say("stopped") if stopped else say("training"))
    recent = say(" · last episode {ret:.1f}", ret=frame.episode_returns[-1]) if frame.episode_returns else ""
    return say("{state}: step {step:,}/{total:,} in {seconds:.1f} s{recent}{ev} · noise σ {noise:.2f} · "
               "{updates:,} updates", state=state, step=frame.step, total=frame.total_steps, seconds=frame.seconds,
               recent=recent, ev=ev, noise=frame.noise_scale, updates=frame.agent.updates)


@user_errors
def start_training(env_id, steps, actor_lr, critic_lr, gamma, tau, batch_size, buffer_size, learning_starts, noise,
                   noise_std, hidden, seed, randomize, mine):
    """Stream a live run: the status a few times a second, the learning curve when an episode or evaluation
    is added, the losses at most once a second and the heatmaps every two seconds (figures cost the most to
    build); the agent is kept in :data:`OWN_AGENTS` and the person's state holds a reference to it, so Stop
    keeps the agent as it was at the last frame."""
    used_seed = resolve_seed(seed, randomize)
    config = config_from_controls(env_id, steps, actor_lr, critic_lr, gamma, tau, batch_size, buffer_size,
                                  learning_starts, noise, noise_std, hidden, used_seed)
    yield (say("starting: seed {seed}", seed=used_seed), figures.learning_curve(None, env_id), figures.loss_curves(None),
           gr.skip(), mine, used_seed)
    last_losses = last_heatmap = 0.0
    drawn_points = 0
    # warm-up frames come in bursts; the browser needs only a few a second
    for frame in throttled(train(config), STREAM_EVERY_S, keep=lambda f: f.done):
        now = time.perf_counter()
        curve = losses = heatmaps = gr.skip()
        points = len(frame.episode_returns) + len(frame.eval_means)
        if frame.done or points != drawn_points:
            curve, drawn_points = figures.learning_curve(frame, env_id), points
        if frame.done or now - last_losses >= LOSSES_EVERY_S:
            losses, last_losses = figures.loss_curves(frame), now
        if frame.done or now - last_heatmap >= HEATMAP_EVERY_S:
            heatmaps, last_heatmap = figures.policy_and_value(frame.agent, env_id), now
        mine = OWN_AGENTS.keep(frame.agent, mine, env_id=env_id, updates=frame.agent.updates)
        yield status_line(frame), curve, losses, heatmaps, mine, used_seed


def stopped_status(mine: dict | None) -> str:
    if not mine:
        return say("stopped before the first frame: no agent kept.")
    return say("stopped: your agent ({updates:,} updates on {env}) is kept — play it above with “{mine}”.",
               updates=mine["updates"], env=mine["env_id"], mine=say(MINE))


@user_errors
def env_defaults(env_id: str) -> tuple:
    """The live-training controls set to ``env_id``'s recipe (MountainCar: OU noise, a long warm-up)."""
    env_key(env_id)  # a task with a shipped agent, or the message that names them
    config = recipe(env_id)
    noise = "Ornstein–Uhlenbeck" if config.noise == "ou" else "Gaussian"
    return LIVE_STEPS[env_id], noise, config.noise_std, config.learning_starts, config.gamma


COMPARE_INTRO = """
**TD3** (Fujimoto et al., 2018) keeps DDPG's deterministic actor but fights its critic's over-estimation:
two critics and the smaller target **y = r + γ (1 − d) min(Q′₁, Q′₂)(s′, ã′)**, a smoothed target action
**ã′ = clip(μ′(s′) + clip(ε, −c, c))**, and an actor that moves only every second critic step.
**SAC** (Haarnoja et al., 2018) learns a stochastic squashed-Gaussian policy that maximises return plus entropy,
**y = r + γ (1 − d)(min Q′(s′, a′) − α log π(a′|s′))**, and tunes α so the entropy stays near −dim A.
All three share the replay buffer, the budget and the seed. The over-estimation view sets the critic's
**Q(s, μ(s))** against the discounted return **G** that μ then actually collects from the same states (the first
half of each evaluation episode). For SAC, Q is a *soft* value (it counts future entropy bonuses), so its gap is
not a pure bias.
"""


def comparison_status(frame: ComparisonFrame, stopped: bool = False) -> str:
    state = say("done") if frame.done else (say("stopped") if stopped else say("training"))
    parts = []
    for name, run in frame.frames.items():
        ev = say(", eval {mean:.1f}", mean=run.eval_means[-1]) if run.eval_means else ""
        alpha = f", α {run.agent.alpha:.3f}" if hasattr(run.agent, "alpha") else ""
        parts.append(say("{name} step {step:,}{ev}{alpha}", name=name, step=run.step, ev=ev, alpha=alpha))
    return say("{state} ({total:,} steps each): ", state=state, total=frame.total_steps) + " · ".join(parts)


@user_errors
def start_comparison(algorithms: list[str], steps: float, seed: float, randomize: bool):
    """Stream DDPG, TD3 and SAC trained in turn, frame by frame: the status a few times a second, the curves
    when an evaluation lands."""
    used_seed = resolve_seed(seed, randomize)
    total = int(check_number(steps, say("Steps per algorithm"), 1_000, COMPARE_MAX_STEPS, integer=True))
    configs = side_by_side_configs(list(algorithms or []), total, used_seed, eval_every=max(500, total // 10),
                                   frame_every=50)
    empty: dict = {}
    yield (say("starting: {names} with seed {seed}", names=", ".join(configs), seed=used_seed),
           figures.comparison_curves(empty, "Pendulum-v1"),
           figures.overestimation_figure(empty), used_seed)
    drawn = -1
    for frame in throttled(train_side_by_side(configs), STREAM_EVERY_S, keep=lambda f: f.done):
        evaluations = sum(len(run.eval_steps) for run in frame.frames.values())
        curves = overestimation = gr.skip()
        if frame.done or evaluations != drawn:
            drawn = evaluations
            curves = figures.comparison_curves(frame.frames, "Pendulum-v1")
            overestimation = figures.overestimation_figure(frame.frames)
        yield comparison_status(frame), curves, overestimation, used_seed


def build_comparison() -> None:
    gr.Markdown(tr("### DDPG, TD3 and SAC side by side on Pendulum"))
    gr.Markdown(tr(COMPARE_INTRO), elem_classes="rlgen-explain")
    with gr.Row():
        algorithms = gr.CheckboxGroup(list(ALGORITHMS), value=list(ALGORITHMS), label=tr("Algorithms"))
        steps = Number(value=5_000, precision=0, label=tr("Steps per algorithm (1,000 to {n:,})", n=COMPARE_MAX_STEPS))
    with advanced():
        seed, randomize = seed_controls(0)
    with gr.Row():
        start = gr.Button(tr("Train side by side"), variant="primary")
        stop = gr.Button(tr("Stop side by side"), variant="stop")
    status = gr.Textbox(label=tr("Side-by-side status"), interactive=False, elem_classes="rlgen-status")
    curves = gr.Plot(value=figures.comparison_curves({}, "Pendulum-v1"), label=tr("Evaluation return"))
    overestimation = gr.Plot(value=figures.overestimation_figure({}),
                             label=tr("Critic estimate vs the return actually obtained"))
    run = start.click(start_comparison, [algorithms, steps, seed, randomize], [status, curves, overestimation, seed],
                      show_progress_on=[status], **TRAINING_QUEUE)
    stop.click(None, None, None, cancels=[run]).then(lambda: say("stopped: the curves show the runs so far."), None,
                                                      status)


def build() -> None:
    gr.Markdown(tr(INTRO), elem_classes="rlgen-explain")
    mine = session_state(None, delete_callback=OWN_AGENTS.drop)
    env = gr.Radio(list(ENVIRONMENTS), value="Pendulum-v1", label=tr("Environment"))
    watch = _watch_section()
    noisy = _noisy_section()
    link_opened = linked("ddpg", env=env, noise=noisy.kind, seed=watch.start_seed)
    live = _live_section()
    _wire(env, mine, watch, noisy, live, link_opened)
    build_comparison()


def _noises() -> list[tuple[str, str]]:
    return [(tr("Gaussian"), "Gaussian"), ("Ornstein–Uhlenbeck", "Ornstein–Uhlenbeck")]  # (label, value)


def _watch_section() -> SimpleNamespace:
    """The shipped agent's episode: its animation, action and return, and its path on the actor/critic maps."""
    gr.Markdown(tr("### Watch the trained agent"))
    with gr.Row():
        source = gr.Radio([(tr(SHIPPED), SHIPPED), (tr(MINE), MINE)], value=SHIPPED, label=tr("Agent"), scale=2)
        start_seed = Number(value=0, precision=0, minimum=0, label=tr("Start-state seed"), scale=1)
        play_button = gr.Button(tr("Play an episode"), variant="primary", scale=1)
    _, traces0, maps0, summary0 = play("Pendulum-v1", SHIPPED, 0, None, text=tr)
    gifs0 = first_animations()
    summary = gr.Markdown(summary0, elem_id="ddpg-summary")
    with gr.Row():
        animation = gr.Image(value=lambda: gifs0[language()], type="filepath", height=340, show_label=True,
                             label=tr("Episode (drawn from the state)"), interactive=False, scale=1)
        traces = gr.Plot(value=traces0, label=tr("Action and running return"), scale=2)
    maps = gr.Plot(value=maps0, label=tr("Actor and critic over the state plane, with this episode's path"))
    return SimpleNamespace(source=source, start_seed=start_seed, button=play_button,
                           outputs=[animation, traces, maps, summary])


def _noisy_section() -> SimpleNamespace:
    """The deterministic policy beside noisy roll-outs from the same start state."""
    gr.Markdown(tr("### Deterministic vs noisy policy from the same start state"))
    with gr.Row():
        kind = gr.Dropdown(_noises(), value="Gaussian", label=tr("Noise"))
        std = gr.Slider(0.0, 1.0, value=0.3, step=0.05, label=tr("Noise σ (fraction of the action range)"))
        runs = gr.Slider(1, 10, value=3, step=1, label=tr("Noisy runs"))
        button = gr.Button(tr("Compare"))
    plot = gr.Plot(value=compare("Pendulum-v1", SHIPPED, 0, "Gaussian", 0.3, 3, None), label=tr("Comparison"))
    return SimpleNamespace(kind=kind, std=std, runs=runs, button=button, plot=plot)


def _live_section() -> SimpleNamespace:
    """Live training: its controls (the advanced ones folded), and plots that start on the shipped agent's run."""
    gr.Markdown(tr("### Train live"))
    steps = Number(value=10_000, precision=0, label=tr("Training steps (≤ {n:,})", n=LIVE_MAX_STEPS))
    with advanced():
        with gr.Row():
            hidden = gr.Dropdown(HIDDEN_CHOICES, value="64,64", label=tr("Hidden layers (actor and critic)"))
            actor_lr = Number(value=1e-3, label=tr("Actor learning rate"))
            critic_lr = Number(value=1e-3, label=tr("Critic learning rate"))
            gamma = Number(value=0.98, label=tr("γ (discount)"))
            tau = Number(value=0.01, label=tr("τ (soft update)"))
        with gr.Row():
            batch_size = Number(value=128, precision=0, label=tr("Batch size"))
            buffer_size = Number(value=100_000, precision=0, label=tr("Replay buffer size"))
            learning_starts = Number(value=1_000, precision=0, label=tr("Warm-up steps (random actions)"))
            noise = gr.Dropdown(_noises(), value="Gaussian", label=tr("Exploration noise"))
            noise_std = Number(value=0.1, label=tr("Noise σ (fraction of the action range)"))
        seed, randomize = seed_controls(0)
    with gr.Row():
        start = gr.Button(tr("Start"), variant="primary")
        stop = gr.Button(tr("Stop"), variant="stop")
    # before anyone trains, the training plots show how the shipped agent learned (its TRAINING.json) and its maps
    shipped = shipped_run(env_key("Pendulum-v1"))
    status = gr.Textbox(label=tr("Status"), interactive=False, elem_classes="rlgen-status",
                        value=tr("Shown: the shipped agent's own training run. Press Start to train one live."))
    with gr.Row():
        curve = gr.Plot(value=figures.learning_curve(shipped, "Pendulum-v1"), label=tr("Learning curve"))
        losses = gr.Plot(value=figures.loss_curves(shipped), label=tr("Critic loss and mean Q"))
    maps = gr.Plot(value=figures.policy_and_value(shipped.agent, "Pendulum-v1") if shipped else None,
                   label=tr("Actor μ(s) and critic Q(s, μ(s)) over (θ, θ̇) or (x, ẋ), updated as it learns"))
    return SimpleNamespace(
        settings=[steps, actor_lr, critic_lr, gamma, tau, batch_size, buffer_size, learning_starts, noise, noise_std,
                  hidden, seed, randomize],
        env_defaults=[steps, noise, noise_std, learning_starts, gamma], start=start, stop=stop, status=status,
        plots=[curve, losses, maps], seed=seed)


def _wire(env, mine, watch: SimpleNamespace, noisy: SimpleNamespace, live: SimpleNamespace, link_opened) -> None:
    watch_inputs = [env, watch.source, watch.start_seed, mine]
    watch.button.click(play, watch_inputs, watch.outputs)
    compare_inputs = [env, watch.source, watch.start_seed, noisy.kind, noisy.std, noisy.runs, mine]
    noisy.button.click(compare, compare_inputs, noisy.plot)
    # a link's environment, start state and noise: its episode, then the noisy runs beside it
    link_opened.change(play, watch_inputs, watch.outputs, api_visibility="private").then(
        compare, compare_inputs, noisy.plot, api_visibility="private")
    env.change(env_defaults, env, live.env_defaults).then(play, watch_inputs, watch.outputs)
    run = live.start.click(start_training, [env, *live.settings, mine], [live.status, *live.plots, mine, live.seed],
                           show_progress_on=[live.status], **TRAINING_QUEUE)
    # the note goes out in a follow-up event: an output of the cancelling event itself lands on the status box
    # while the cancelled run still owns it, and is lost
    live.stop.click(None, None, None, cancels=[run]).then(stopped_status, mine, live.status)
