"""Plotly figures for the lab: point clouds, vector fields as arrows, sampler paths, loss and NLL curves, digits."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rlgen.genlab.autoregressive import SIDE

DATA_COLOR = "rgba(120,120,120,0.35)"
SAMPLE_COLOR = "#d62728"
SDE_COLOR = "#1f77b4"
LIMIT = 3.5
MAX_LIMIT = 6.0  # VE starts from N(0, 3²): show where the paths begin, but keep the data readable
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]


def _square(fig: go.Figure, rows: int = 1, cols: int = 1, limit: float = LIMIT) -> go.Figure:
    """The same fixed square window on every panel, so frames of a live stream line up."""
    grid = {} if rows * cols == 1 else {"row": None, "col": None}
    fig.update_xaxes(range=[-limit, limit], title_text="x₁", **grid)
    fig.update_yaxes(range=[-limit, limit], title_text="x₂", **grid)
    fig.update_layout(margin=dict(l=40, r=10, t=50, b=40), legend=dict(orientation="h", y=-0.15))
    return fig


def _cloud(points: np.ndarray, name: str, color: str, size: int = 3, showlegend: bool = True) -> go.Scattergl:
    return go.Scattergl(x=points[:, 0], y=points[:, 1], mode="markers", name=name, showlegend=showlegend,
                        marker=dict(size=size, color=color))


def samples_figure(data: np.ndarray, samples: np.ndarray | None, title: str) -> go.Figure:
    fig = go.Figure([_cloud(data, "data", DATA_COLOR)])
    if samples is not None:
        fig.add_trace(_cloud(samples, "model samples", SAMPLE_COLOR))
    fig.update_layout(title=title, height=420)
    return _square(fig)


def _arrow_segments(points: np.ndarray, vectors: np.ndarray, length: float) -> tuple[list, list]:
    """Line segments with a two-stroke head for every arrow, separated by None (one trace draws them all).
    Arrow lengths grow with √‖v‖, the longest ``length`` long: a score is huge far from the data and tiny on
    it, and a linear scale would hide the arrows that matter."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    shown = np.sqrt(norms / max(float(norms.max()), 1e-12))
    scaled = vectors / np.maximum(norms, 1e-12) * shown * length
    xs: list = []
    ys: list = []
    for (x, y), (dx, dy) in zip(points, scaled):
        tip = np.array([x + dx, y + dy])
        back = -np.array([dx, dy]) * 0.3
        left = tip + np.array([back[0] * 0.87 - back[1] * 0.5, back[0] * 0.5 + back[1] * 0.87])
        right = tip + np.array([back[0] * 0.87 + back[1] * 0.5, -back[0] * 0.5 + back[1] * 0.87])
        xs += [x, tip[0], None, left[0], tip[0], right[0], None]
        ys += [y, tip[1], None, left[1], tip[1], right[1], None]
    return xs, ys


def grid_points(n: int = 15, limit: float = 3.0) -> np.ndarray:
    axis = np.linspace(-limit, limit, n)
    gx, gy = np.meshgrid(axis, axis)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def arrows(points: np.ndarray, vectors: np.ndarray, name: str, color: str, length: float = 0.38) -> go.Scatter:
    xs, ys = _arrow_segments(points, vectors, length)
    return go.Scatter(x=xs, y=ys, mode="lines", name=name, line=dict(color=color, width=1.3), hoverinfo="skip")


def field_figure(points: np.ndarray, vectors: np.ndarray, data: np.ndarray, title: str) -> go.Figure:
    fig = go.Figure([_cloud(data, "data", DATA_COLOR), arrows(points, vectors, "learned field", SDE_COLOR)])
    fig.update_layout(title=title, height=420)
    return _square(fig)


def mixture_figure(points: np.ndarray, learned: np.ndarray, exact: np.ndarray, label: str,
                   relative_error: float) -> go.Figure:
    """Learned and exact field side by side, and the pointwise error ‖learned − exact‖ / ‖exact‖ as a heat map."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=("learned", "exact (closed form)",
                                                        f"relative error (mean {100 * relative_error:.1f} %)"))
    fig.add_trace(arrows(points, learned, "learned", SDE_COLOR), row=1, col=1)
    fig.add_trace(arrows(points, exact, "exact", "#2ca02c"), row=1, col=2)
    side = int(round(np.sqrt(len(points))))
    err = np.linalg.norm(learned - exact, axis=1) / np.maximum(np.linalg.norm(exact, axis=1), 1e-12)
    axis = np.unique(points[:, 0])
    fig.add_trace(go.Heatmap(x=axis, y=axis, z=np.minimum(err, 1.0).reshape(side, side), colorscale="Viridis",
                             zmin=0, zmax=1, colorbar=dict(title="rel. err", len=0.8)), row=1, col=3)
    fig.update_layout(title=f"Mixture: learned vs exact at {label}", height=400)
    return _square(fig, 1, 3)


def langevin_figure(chains: np.ndarray, sigmas: np.ndarray, data: np.ndarray) -> go.Figure:
    """Each chain's position after every noise level, from its N(0, σ₁²) start to where it is now."""
    fig = go.Figure([_cloud(data, "data", DATA_COLOR)])
    for i in range(chains.shape[1]):
        color = PALETTE[i % len(PALETTE)]
        fig.add_trace(go.Scatter(x=chains[:, i, 0], y=chains[:, i, 1], mode="lines+markers", showlegend=False,
                                 line=dict(color=color, width=1), marker=dict(size=4, color=color)))
    fig.add_trace(_cloud(chains[0], "start", "black", 7))
    fig.add_trace(_cloud(chains[-1], "now", SAMPLE_COLOR, 8))
    levels = len(chains) - 1
    title = (f"Annealed Langevin: {chains.shape[1]} chains, σ from {sigmas[0]:.2g} down to {sigmas[-1]:.2g}"
             if levels >= len(sigmas) else
             f"Annealed Langevin: {levels} of {len(sigmas)} levels done (σ = {sigmas[max(levels - 1, 0)]:.2g})")
    fig.update_layout(title=title, height=420)
    return _square(fig, limit=min(MAX_LIMIT, max(LIMIT, float(np.abs(chains[0]).max()) + 0.2)))


def _paths(fig: go.Figure, path: np.ndarray, row: int, col: int, color: str | None = None) -> None:
    for i in range(path.shape[1]):
        fig.add_trace(go.Scatter(x=path[:, i, 0], y=path[:, i, 1], mode="lines", showlegend=False,
                                 line=dict(color=color or PALETTE[i % len(PALETTE)], width=1)), row=row, col=col)
    fig.add_trace(go.Scattergl(x=path[0, :, 0], y=path[0, :, 1], mode="markers", showlegend=False,
                               marker=dict(size=5, color="black")), row=row, col=col)
    fig.add_trace(go.Scattergl(x=path[-1, :, 0], y=path[-1, :, 1], mode="markers", showlegend=False,
                               marker=dict(size=6, color=SAMPLE_COLOR)), row=row, col=col)


def paired_paths_figure(left: np.ndarray, right: np.ndarray, data: np.ndarray, titles: tuple[str, str],
                        title: str) -> go.Figure:
    """Two sets of paths from the same starting points side by side (black: start, red: end; same colour = same
    start point)."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles)
    for col, path in ((1, left), (2, right)):
        fig.add_trace(_cloud(data, "data", DATA_COLOR, showlegend=False), row=1, col=col)
        _paths(fig, path, 1, col)
    limit = max(LIMIT, float(np.abs(left[0]).max()) + 0.2, float(np.abs(right[0]).max()) + 0.2)
    fig.update_layout(title=title, height=420, showlegend=False)
    return _square(fig, 1, 2, limit=min(limit, MAX_LIMIT))


def one_step_figure(before: np.ndarray, after: np.ndarray, data: np.ndarray, mmd_before: float,
                    mmd_after: float) -> go.Figure:
    fig = make_subplots(rows=1, cols=2, subplot_titles=(f"1-RF, one Euler step (MMD² {mmd_before:.3g})",
                                                        f"2-RF after reflow, one step (MMD² {mmd_after:.3g})"))
    for col, pts in ((1, before), (2, after)):
        fig.add_trace(_cloud(data, "data", DATA_COLOR, showlegend=col == 1), row=1, col=col)
        fig.add_trace(_cloud(pts, "1-step samples", SAMPLE_COLOR, showlegend=col == 1), row=1, col=col)
    fig.update_layout(title="One-step sampling x₁ = x₀ + v(x₀, 0): before and after reflow", height=420)
    return _square(fig, 1, 2)


def loss_figure(losses: list[float], title: str, boundary: int | None = None) -> go.Figure:
    steps = np.arange(1, len(losses) + 1)
    window = max(1, len(losses) // 50)
    smooth = np.convolve(losses, np.ones(window) / window, mode="valid") if losses else np.array([])
    fig = go.Figure([go.Scatter(x=steps, y=losses, mode="lines", name="loss", line=dict(color="#c7c7c7")),
                     go.Scatter(x=steps[window - 1:], y=smooth, mode="lines", name=f"mean of {window}",
                                line=dict(color=SDE_COLOR))])
    if boundary:
        fig.add_vline(x=boundary, line_dash="dash", annotation_text="reflow starts")
    fig.update_layout(title=title, height=300, xaxis_title="step", yaxis_title="loss",
                      margin=dict(l=40, r=10, t=50, b=40))
    return fig


def nll_figure(history: list[tuple[int, float, float]], baseline_bits: float, name: str) -> go.Figure:
    steps = [h[0] for h in history]
    fig = go.Figure([
        go.Scatter(x=steps, y=[h[1] for h in history], mode="lines", name=f"{name} train"),
        go.Scatter(x=steps, y=[h[2] for h in history], mode="lines+markers", name=f"{name} held-out"),
    ])
    fig.add_hline(y=baseline_bits, line_dash="dash", line_color="black",
                  annotation_text=f"independent Bernoulli: {baseline_bits:.2f}")
    last = history[-1][2] if history else float("nan")
    fig.update_layout(title=f"Held-out NLL {last:.2f} bits/image (baseline {baseline_bits:.2f})", height=340,
                      xaxis_title="step", yaxis_title="−log₂ p(x), bits per image",
                      margin=dict(l=50, r=10, t=50, b=40), legend=dict(orientation="h", y=-0.25))
    return fig


def _pixel_box(index: int) -> dict:
    row, col = divmod(index, SIDE)
    return dict(type="rect", x0=col - 0.5, x1=col + 0.5, y0=row - 0.5, y1=row + 0.5,
                line=dict(color=SAMPLE_COLOR, width=3))


def _digit_axes(fig: go.Figure) -> go.Figure:
    fig.update_xaxes(showticklabels=False, constrain="domain")
    fig.update_yaxes(autorange="reversed", showticklabels=False, scaleanchor="x")
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=50, b=10))
    return fig


def digit_figure(image: np.ndarray, next_index: int | None, title: str) -> go.Figure:
    """The image drawn so far: black/white pixels, grey where not drawn, a red box on the next pixel."""
    z = np.where(image < 0, 0.5, image).reshape(SIDE, SIDE)
    fig = go.Figure(go.Heatmap(z=z, zmin=0, zmax=1, colorscale="Greys", reversescale=True, showscale=False))
    if next_index is not None:
        fig.add_shape(**_pixel_box(next_index))
    fig.update_layout(title=title)
    return _digit_axes(fig)


def probability_figure(probs: np.ndarray, next_index: int | None, p_next: float | None) -> go.Figure:
    """p(x_i = 1 | x_<i) for each drawn pixel, and the next pixel's conditional (boxed)."""
    z = probs.copy()
    if next_index is not None and p_next is not None:
        z[next_index] = p_next
    fig = go.Figure(go.Heatmap(z=z.reshape(SIDE, SIDE), zmin=0, zmax=1, colorscale="RdBu", reversescale=True,
                               colorbar=dict(title="p(=1)"), hovertemplate="p = %{z:.3f}<extra></extra>"))
    title = "p(xᵢ = 1 | x<ᵢ) of each pixel when drawn"
    if next_index is not None and p_next is not None:
        fig.add_shape(**_pixel_box(next_index))
        title = f"next pixel {next_index}: p(= 1 | drawn) = {p_next:.3f}"
    fig.update_layout(title=title)
    return _digit_axes(fig)


def digit_grid(images: np.ndarray, title: str, per_row: int = 8) -> go.Figure:
    """Several 8×8 images tiled with a one-pixel gap."""
    n = len(images)
    rows = int(np.ceil(n / per_row))
    canvas = np.full((rows * (SIDE + 1) - 1, per_row * (SIDE + 1) - 1), np.nan)
    for k, img in enumerate(images):
        r, c = divmod(k, per_row)
        canvas[r * (SIDE + 1):r * (SIDE + 1) + SIDE, c * (SIDE + 1):c * (SIDE + 1) + SIDE] = img.reshape(SIDE, SIDE)
    fig = go.Figure(go.Heatmap(z=canvas, zmin=0, zmax=1, colorscale="Greys", reversescale=True, showscale=False,
                               hoverinfo="skip"))
    fig.update_layout(title=title)
    fig = _digit_axes(fig)
    fig.update_layout(height=80 + 100 * rows)  # about 80 px a digit: readable, and square (scaleanchor)
    return fig
