"""Plotly figures of a DDPG run: learning curve, critic loss and mean Q, the actor's torque and the critic's
value over the state plane, and a deterministic-vs-noisy comparison."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rlgen.ddpg.agent import ContinuousAgent
from rlgen.ddpg.training import SOLVED, Episode, TrainFrame

TRAIN_COLOUR, EVAL_COLOUR, LINE_COLOUR = "#7f8fa6", "#1f77b4", "#2ca02c"
NOISY_COLOUR = "#ff7f0e"
GRID = "#EBF0F8"
# A few lines of plotly_white: naming a built-in template costs ~50 ms per figure (it is validated anew each
# time), too slow for a live stream of figures.
LIGHT = {"layout": {"plot_bgcolor": "white", "paper_bgcolor": "white", "font": {"color": "#2a3f5f"},
                    "xaxis": {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": GRID},
                    "yaxis": {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": GRID}}}
EMPTY_RANGE = {"Pendulum-v1": [-1800, 0], "MountainCarContinuous-v0": [-60, 100]}  # the returns' usual span


def _figure() -> go.Figure:
    return go.Figure(layout={"template": LIGHT})


def _layout(fig: go.Figure, title: str, height: int = 340) -> go.Figure:
    fig.update_layout(title=title, height=height, margin=dict(l=60, r=20, t=50, b=45),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0))
    return fig


def learning_curve(frame: TrainFrame | None, env_id: str) -> go.Figure:
    """Training-episode returns (with exploration noise) and deterministic evaluation mean ± std, against env
    steps, with the environment's "solved" line (−200 for Pendulum)."""
    fig = _figure()
    if frame is not None and frame.episode_returns:
        fig.add_scatter(x=frame.episode_steps, y=frame.episode_returns, mode="markers", name="training episode",
                        marker=dict(color=TRAIN_COLOUR, size=5))
    if frame is not None and frame.eval_means:
        mean, std = np.asarray(frame.eval_means), np.asarray(frame.eval_stds)
        fig.add_scatter(x=frame.eval_steps + frame.eval_steps[::-1], y=list(mean + std) + list((mean - std)[::-1]),
                        mode="lines", fill="toself", fillcolor="rgba(31,119,180,0.15)", line=dict(width=0),
                        hoverinfo="skip", showlegend=False)
        fig.add_scatter(x=frame.eval_steps, y=frame.eval_means, mode="lines+markers", name="evaluation (μ, mean ± std)",
                        line=dict(color=EVAL_COLOUR, width=2))
    if env_id in SOLVED:
        fig.add_hline(y=SOLVED[env_id], line=dict(color=LINE_COLOUR, dash="dash"),
                      annotation_text=f"solved ({SOLVED[env_id]:g})", annotation_position="bottom right")
    fig.update_xaxes(title="environment step", rangemode="tozero")
    fig.update_yaxes(title="episode return")
    if not fig.data and env_id in EMPTY_RANGE:  # no returns yet: show where the solved line will sit
        fig.update_yaxes(range=EMPTY_RANGE[env_id])
    return _layout(fig, "Learning curve")


def loss_curves(frame: TrainFrame | None) -> go.Figure:
    """Critic TD loss (log scale) and the actor's objective, mean Q(s, μ(s)) over the batch."""
    titles = ("critic loss  (y − Q(s,a))²", "actor objective  mean Q(s, μ(s))")
    fig = make_subplots(figure=_figure(), rows=1, cols=2, subplot_titles=titles)
    if frame is not None and frame.update_steps:
        fig.add_scatter(x=frame.update_steps, y=frame.critic_losses, mode="lines", name="critic loss",
                        line=dict(color="#d62728"), row=1, col=1)
        fig.add_scatter(x=frame.update_steps, y=frame.mean_qs, mode="lines", name="mean Q",
                        line=dict(color="#9467bd"), row=1, col=2)
    fig.update_yaxes(type="log", row=1, col=1)
    fig.update_xaxes(title="environment step")
    fig.update_layout(showlegend=False)
    return _layout(fig, "", height=300)


@dataclass
class StatePlane:
    """A 2-D grid over the state that the heatmaps are drawn on, and the observations it maps to."""

    x_label: str
    y_label: str
    xs: np.ndarray
    ys: np.ndarray
    observations: np.ndarray  # (len(ys) * len(xs), obs_dim), row-major over (y, x)


def state_plane(env_id: str, resolution: int = 61) -> StatePlane | None:
    """(θ, θ̇) for Pendulum (observation cos θ, sin θ, θ̇), (position, velocity) for MountainCar; None for
    environments whose state is not a plane."""
    if env_id == "Pendulum-v1":
        xs, ys = np.linspace(-np.pi, np.pi, resolution), np.linspace(-8.0, 8.0, resolution)
        theta, theta_dot = np.meshgrid(xs, ys)
        obs = np.stack([np.cos(theta), np.sin(theta), theta_dot], axis=-1).reshape(-1, 3)
        return StatePlane("angle θ (rad, 0 = upright)", "angular velocity θ̇ (rad/s)", xs, ys, obs)
    if env_id == "MountainCarContinuous-v0":
        xs, ys = np.linspace(-1.2, 0.6, resolution), np.linspace(-0.07, 0.07, resolution)
        position, velocity = np.meshgrid(xs, ys)
        obs = np.stack([position, velocity], axis=-1).reshape(-1, 2)
        return StatePlane("position x", "velocity ẋ", xs, ys, obs)
    return None


def policy_and_value(agent: ContinuousAgent, env_id: str, trajectory: Episode | None = None) -> go.Figure:
    """Side by side over the state plane: the actor's action μ(s) and the critic's value Q(s, μ(s)); an
    episode's path through the plane is drawn on both when given."""
    plane = state_plane(env_id)
    if plane is None:
        fig = _figure()
        fig.add_annotation(text=f"{env_id}'s state is not a 2-D plane: no heatmap.", showarrow=False)
        return _layout(fig, "")
    shape = (len(plane.ys), len(plane.xs))
    torque = agent.act(plane.observations)[:, 0].reshape(shape)
    value = agent.q_value(plane.observations).reshape(shape)
    action_name = "torque" if env_id == "Pendulum-v1" else "force"
    fig = make_subplots(figure=_figure(), rows=1, cols=2, horizontal_spacing=0.14,
                        subplot_titles=(f"actor: {action_name} μ(s)", "critic: value Q(s, μ(s))"))
    fig.add_heatmap(x=plane.xs, y=plane.ys, z=torque, colorscale="RdBu", zmid=0.0, zmin=float(agent.low[0]),
                    zmax=float(agent.high[0]), colorbar=dict(title=action_name, x=0.43, len=0.9), row=1, col=1,
                    hovertemplate="x=%{x:.2f}<br>y=%{y:.2f}<br>μ=%{z:.2f}<extra></extra>")
    fig.add_heatmap(x=plane.xs, y=plane.ys, z=value, colorscale="Viridis", colorbar=dict(title="Q", x=1.0, len=0.9),
                    row=1, col=2, hovertemplate="x=%{x:.2f}<br>y=%{y:.2f}<br>Q=%{z:.1f}<extra></extra>")
    if trajectory is not None:
        px, py = plane_coordinates(trajectory.observations, env_id)
        for col in (1, 2):
            fig.add_scatter(x=px, y=py, mode="lines", line=dict(color="black", width=1.5), name="episode",
                            showlegend=col == 1, row=1, col=col)
    fig.update_xaxes(title=plane.x_label)
    fig.update_yaxes(title=plane.y_label, col=1)
    fig.update_layout(showlegend=False)
    return _layout(fig, "", height=380)


def plane_coordinates(observations: np.ndarray, env_id: str) -> tuple[np.ndarray, np.ndarray]:
    """Observations as (x, y) on the state plane; pendulum angles wrap, so the path breaks (NaN) at ±π."""
    if env_id == "Pendulum-v1":
        theta = np.arctan2(observations[:, 1], observations[:, 0])
        x, y = theta.astype(float), observations[:, 2].astype(float)
        jumps = np.flatnonzero(np.abs(np.diff(x)) > np.pi) + 1
        return np.insert(x, jumps, np.nan), np.insert(y, jumps, np.nan)
    return observations[:, 0].astype(float), observations[:, 1].astype(float)


def episode_traces(episode: Episode) -> go.Figure:
    """The action applied at each step and the running return of one episode."""
    fig = make_subplots(figure=_figure(), rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    t = np.arange(1, len(episode.rewards) + 1)
    action_name = "torque" if episode.env_id == "Pendulum-v1" else "force"
    fig.add_scatter(x=t, y=episode.actions[:, 0], mode="lines", name=action_name, row=1, col=1,
                    line=dict(color="#d62728"))
    fig.add_scatter(x=t, y=episode.running_return, mode="lines", name="running return", row=2, col=1,
                    line=dict(color=EVAL_COLOUR))
    fig.update_yaxes(title=action_name, row=1, col=1)
    fig.update_yaxes(title="return so far", row=2, col=1)
    fig.update_xaxes(title="time step", row=2, col=1)
    fig.update_layout(showlegend=False)
    return _layout(fig, f"Episode return {episode.total_return:.1f}", height=380)


def deterministic_vs_noisy(deterministic: Episode, noisy: list[Episode], noise_label: str) -> go.Figure:
    """The deterministic policy μ(s) and its noisy behaviour policy μ(s) + noise from the same start state:
    the state's first coordinate of interest and the action, over time."""
    env_id = deterministic.env_id
    fig = make_subplots(figure=_figure(), rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    state_name = "angle θ (0 = upright)" if env_id == "Pendulum-v1" else "position x"
    action_name = "torque" if env_id == "Pendulum-v1" else "force"
    runs = [(deterministic, "deterministic μ(s)", EVAL_COLOUR, 2.5)]
    runs += [(e, f"noisy #{i + 1}", NOISY_COLOUR, 1.0) for i, e in enumerate(noisy)]
    for episode, name, colour, width in runs:
        x, _ = plane_coordinates(episode.observations, env_id)
        t = np.arange(len(x))
        label = f"{name}: return {episode.total_return:.1f}"
        fig.add_scatter(x=t, y=x, mode="lines", name=label, legendgroup=label, line=dict(color=colour, width=width),
                        opacity=1.0 if width > 2 else 0.6, row=1, col=1)
        fig.add_scatter(x=np.arange(len(episode.actions)), y=episode.actions[:, 0], mode="lines", name=label,
                        legendgroup=label, showlegend=False, line=dict(color=colour, width=width),
                        opacity=1.0 if width > 2 else 0.6, row=2, col=1)
    if env_id == "Pendulum-v1":
        fig.add_hline(y=0, line=dict(color=LINE_COLOUR, dash="dot"), row=1, col=1)
    fig.update_yaxes(title=state_name, row=1, col=1)
    fig.update_yaxes(title=action_name, row=2, col=1)
    fig.update_xaxes(title="time step", row=2, col=1)
    mean_noisy = np.mean([e.total_return for e in noisy]) if noisy else float("nan")
    title = (f"Same start state: deterministic {deterministic.total_return:.1f} vs {noise_label} "
             f"(mean of {len(noisy)}: {mean_noisy:.1f})")
    fig.update_layout(legend=dict(orientation="v", y=1.0, x=1.02, xanchor="left", yanchor="top"))
    return _layout(fig, title, height=440)


ALGORITHM_COLOURS = {"DDPG": "#1f77b4", "TD3": "#d62728", "SAC": "#2ca02c"}


def comparison_curves(frames: dict[str, TrainFrame], env_id: str) -> go.Figure:
    """Each algorithm's deterministic evaluation (mean ± std over its episodes) against env steps."""
    fig = _figure()
    for name, frame in frames.items():
        if not frame.eval_means:
            continue
        colour = ALGORITHM_COLOURS.get(name, "#7f7f7f")
        fig.add_scatter(x=frame.eval_steps, y=frame.eval_means, mode="lines+markers", name=name,
                        line=dict(color=colour, width=2),
                        error_y=dict(type="data", array=frame.eval_stds, color=colour, thickness=1, width=3))
    if env_id in SOLVED:
        fig.add_hline(y=SOLVED[env_id], line=dict(color=LINE_COLOUR, dash="dash"),
                      annotation_text=f"solved ({SOLVED[env_id]:g})", annotation_position="bottom right")
    fig.update_xaxes(title="environment step", rangemode="tozero")
    fig.update_yaxes(title="evaluation return (μ, mean ± std)")
    if not fig.data and env_id in EMPTY_RANGE:
        fig.update_yaxes(range=EMPTY_RANGE[env_id])
    return _layout(fig, "Same budget, same seed: evaluation return")


def overestimation_figure(frames: dict[str, TrainFrame]) -> go.Figure:
    """Left: the critic's estimate Q(s, μ(s)) (solid) against the discounted return actually obtained from s
    (dashed), averaged over the evaluation episodes' states; right: their gap, the over-estimation."""
    titles = ("estimate Q(s, μ(s)) vs Monte-Carlo return G", "over-estimation  Q(s, μ(s)) − G")
    fig = make_subplots(figure=_figure(), rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.12)
    for name, frame in frames.items():
        if not frame.value_estimates:
            continue
        colour = ALGORITHM_COLOURS.get(name, "#7f7f7f")
        fig.add_scatter(x=frame.eval_steps, y=frame.value_estimates, mode="lines+markers", name=f"{name}: Q",
                        line=dict(color=colour, width=2), legendgroup=name, row=1, col=1)
        fig.add_scatter(x=frame.eval_steps, y=frame.value_returns, mode="lines", name=f"{name}: G",
                        line=dict(color=colour, dash="dash"), legendgroup=name, row=1, col=1)
        gap = np.asarray(frame.value_estimates) - np.asarray(frame.value_returns)
        fig.add_scatter(x=frame.eval_steps, y=gap, mode="lines+markers", name=f"{name}: Q − G", showlegend=False,
                        line=dict(color=colour), legendgroup=name, row=1, col=2)
    fig.add_hline(y=0, line=dict(color="#999", dash="dot"), row=1, col=2)
    fig.update_xaxes(title="environment step")
    fig.update_yaxes(title="discounted value", row=1, col=1)
    fig.update_yaxes(title="Q − G", row=1, col=2)
    return _layout(fig, "", height=360)
