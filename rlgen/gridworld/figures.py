"""Pictures of the grid world: the grid itself (a PIL image, clickable in the UI), the convergence panel
and the mean-estimation plot (plotly). No gradio here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont
from plotly.subplots import make_subplots

from rlgen import lettering
from rlgen.gridworld.actions import ACTION_DELTAS
from rlgen.gridworld.mean_estimation import MeanEstimate
from rlgen.plotting import filled, frame_json

# viridis anchors: dark = low value, yellow = high value (readable in grey-scale and by most colour-blind eyes)
VIRIDIS = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], dtype=float)
FORBIDDEN = (244, 140, 6)
TARGET = (0, 180, 216)
GRID_LINE = (90, 90, 90)
ARROW = (20, 20, 20)
PATH = (220, 20, 60)
IMAGE_SIDE = 640


@dataclass(frozen=True)
class Layout:
    cell: int
    left: int
    top: int
    rows: int
    cols: int

    @property
    def size(self) -> tuple[int, int]:
        return self.left + self.cols * self.cell + 8, self.top + self.rows * self.cell + 40

    def center(self, s: int) -> tuple[float, float]:
        r, c = divmod(int(s), self.cols)
        return self.left + (c + 0.5) * self.cell, self.top + (r + 0.5) * self.cell

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The (row, col) under pixel (x, y), or None off the grid."""
        c, r = (x - self.left) // self.cell, (y - self.top) // self.cell
        if 0 <= r < self.rows and 0 <= c < self.cols:
            return int(r), int(c)
        return None


def layout(rows: int, cols: int) -> Layout:
    cell = int(np.clip(IMAGE_SIDE // max(rows, cols), 10, 96))
    margin = 22 if cell >= 18 else 6
    return Layout(cell, margin, margin, rows, cols)


@cache
def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def value_colors(values: np.ndarray, vmin: float, vmax: float) -> np.ndarray:
    t = np.zeros_like(values, dtype=float) if vmax - vmin < 1e-12 else (values - vmin) / (vmax - vmin)
    pos = np.clip(t, 0, 1) * (len(VIRIDIS) - 1)
    low = np.floor(pos).astype(int).clip(0, len(VIRIDIS) - 2)
    frac = (pos - low)[..., None]
    return (VIRIDIS[low] * (1 - frac) + VIRIDIS[low + 1] * frac).astype(np.uint8)


def draw_grid(
    shape: tuple[int, int],
    forbidden_cells: Sequence[Sequence[int]],
    targets: Sequence[Sequence[int]],
    values: np.ndarray | None = None,
    policy: np.ndarray | None = None,
    trajectory: Sequence[int] | None = None,
    agent: int | None = None,
    caption: str = "",
) -> Image.Image:
    """The grid with state values as colours (and numbers when cells are big enough), policy arrows whose
    length is π(a|s) and a circle for "stay", forbidden cells hatched orange, the target outlined cyan,
    an episode's path in red and the agent as a dot. Any number of targets is drawn, so a grid being edited
    (no target yet, or two) still shows what the person clicked."""
    lay = layout(*shape)
    img = Image.new("RGB", lay.size, "white")
    draw = ImageDraw.Draw(img)
    targets = [tuple(t) for t in targets]
    colors = None
    if values is not None:
        values = np.asarray(values, dtype=float).reshape(shape)
        colors = value_colors(values, float(values.min()), float(values.max()))
    _draw_cells(draw, lay, shape, forbidden_cells, targets, colors)
    _draw_lines_and_outlines(draw, lay, shape, forbidden_cells, targets)
    if colors is not None and lay.cell >= 34:
        _draw_value_numbers(draw, lay, values, colors)
    if policy is not None:
        # arrows in white on dark cells, black on light ones (perceived luminance of the value colour)
        dark = (colors @ np.array([0.299, 0.587, 0.114]) < 110).ravel() if colors is not None else None
        _draw_policy(draw, lay, np.asarray(policy), dark)
    _draw_path_and_agent(draw, lay, trajectory, agent)
    if lay.left >= 18:
        _draw_indices(draw, lay, shape)
    _draw_footer(draw, lay, values, caption)
    return img


def _draw_cells(draw: ImageDraw.ImageDraw, lay: Layout, shape: tuple[int, int],
                forbidden_cells: Sequence[Sequence[int]], targets: list[tuple], colors: np.ndarray | None) -> None:
    """Each cell's fill: its value's colour (forbidden ones hatched over it), else forbidden or target colour."""
    cell = lay.cell
    forbidden = np.zeros(shape, dtype=bool)
    for r, c in forbidden_cells:
        forbidden[r, c] = True
    for r in range(shape[0]):
        for c in range(shape[1]):
            x0, y0 = lay.left + c * cell, lay.top + r * cell
            box = (x0, y0, x0 + cell, y0 + cell)
            if colors is not None:
                draw.rectangle(box, fill=tuple(int(v) for v in colors[r, c]))
                if forbidden[r, c]:
                    for k in range(0, 2 * cell, max(4, cell // 4)):  # hatching keeps the value colour visible
                        draw.line((x0 + max(0, k - cell), y0 + min(k, cell), x0 + min(k, cell),
                                   y0 + max(0, k - cell)), fill=FORBIDDEN, width=max(1, cell // 14))
            elif forbidden[r, c]:
                draw.rectangle(box, fill=FORBIDDEN)
            elif (r, c) in targets:
                draw.rectangle(box, fill=TARGET)


def _draw_lines_and_outlines(draw: ImageDraw.ImageDraw, lay: Layout, shape: tuple[int, int],
                             forbidden_cells: Sequence[Sequence[int]], targets: list[tuple]) -> None:
    rows, cols, cell = shape[0], shape[1], lay.cell
    for r in range(rows + 1):
        draw.line((lay.left, lay.top + r * cell, lay.left + cols * cell, lay.top + r * cell), fill=GRID_LINE)
    for c in range(cols + 1):
        draw.line((lay.left + c * cell, lay.top, lay.left + c * cell, lay.top + rows * cell), fill=GRID_LINE)
    outlines = [((r, c), FORBIDDEN, 2) for r, c in forbidden_cells] + [(t, TARGET, 4) for t in targets]
    for (r, c), color, width in outlines:
        x0, y0 = lay.left + c * cell, lay.top + r * cell
        draw.rectangle((x0 + 1, y0 + 1, x0 + cell - 1, y0 + cell - 1), outline=color,
                       width=max(1, min(width, cell // 6)))


def _draw_value_numbers(draw: ImageDraw.ImageDraw, lay: Layout, values: np.ndarray, colors: np.ndarray) -> None:
    """Each state value written in its cell, white on dark colours and black on light ones."""
    cell = lay.cell
    font = _font(max(9, min(16, cell // 4)))
    for r in range(values.shape[0]):
        for c in range(values.shape[1]):
            dark = colors[r, c].astype(int) @ np.array([299, 587, 114]) < 110_000
            draw.text((lay.left + c * cell + 3, lay.top + r * cell + 2), f"{values[r, c]:.1f}",
                      fill="white" if dark else "black", font=font)


def _draw_path_and_agent(draw: ImageDraw.ImageDraw, lay: Layout, trajectory: Sequence[int] | None,
                         agent: int | None) -> None:
    cell = lay.cell
    if trajectory is not None and len(trajectory) > 1:
        draw.line([lay.center(s) for s in trajectory], fill=PATH, width=max(2, cell // 10), joint="curve")
    if agent is not None:
        x, y = lay.center(agent)
        rad = max(3, cell // 5)
        draw.ellipse((x - rad, y - rad, x + rad, y + rad), fill=PATH, outline="white")


def _draw_indices(draw: ImageDraw.ImageDraw, lay: Layout, shape: tuple[int, int]) -> None:
    """Row and column numbers from 1, as the book prints them (every fifth on a big grid)."""
    rows, cols, cell = shape[0], shape[1], lay.cell
    font = _font(11)
    for c in range(cols):
        if cols <= 20 or c % 5 == 4 or c == 0:
            draw.text((lay.left + (c + 0.5) * cell - 4, 5), str(c + 1), fill="black", font=font)
    for r in range(rows):
        if rows <= 20 or r % 5 == 4 or r == 0:
            draw.text((3, lay.top + (r + 0.5) * cell - 6), str(r + 1), fill="black", font=font)


def _draw_policy(draw: ImageDraw.ImageDraw, lay: Layout, policy: np.ndarray, dark: np.ndarray | None) -> None:
    cell = lay.cell
    width = max(1, cell // 18)
    for s in range(policy.shape[0]):
        x, y = lay.center(s)
        color = "white" if dark is not None and dark[s] else ARROW
        for a in range(4):
            p = float(policy[s, a])
            if p < 0.02:
                continue
            dy, dx = ACTION_DELTAS[a]
            length = 0.42 * cell * p
            tip = (x + dx * length, y + dy * length)
            draw.line((x, y, *tip), fill=color, width=width)
            head = max(2.0, 0.14 * cell * max(p, 0.35))
            # arrowhead: two short strokes back from the tip, ±45° off the shaft
            for side in (-1, 1):
                hx = tip[0] - dx * head + side * dy * head * 0.7
                hy = tip[1] - dy * head + side * dx * head * 0.7
                draw.line((*tip, hx, hy), fill=color, width=width)
        stay = float(policy[s, 4])
        if stay >= 0.02:
            rad = max(1.5, 0.22 * cell * np.sqrt(stay))
            draw.ellipse((x - rad, y - rad, x + rad, y + rad), outline=color, width=width)


def _draw_footer(draw: ImageDraw.ImageDraw, lay: Layout, values: np.ndarray | None, caption: str) -> None:
    y = lay.top + lay.rows * lay.cell + 8
    font = _font(12)
    x = lay.left
    if values is not None:
        bar_w = 140
        strip = value_colors(np.linspace(0, 1, bar_w), 0, 1)
        for i in range(bar_w):
            draw.line((x + i, y, x + i, y + 10), fill=tuple(int(v) for v in strip[i]))
        draw.text((x, y + 12), f"v: {values.min():.2f}", fill="black", font=font)
        draw.text((x + bar_w - 40, y + 12), f"{values.max():.2f}", fill="black", font=font)
        x += bar_w + 14
    if caption:
        draw.text((x, y), caption, fill="black", font=lettering.font(12, caption))


# (metric key, trace kind, legend name, panel row, extra trace properties), in drawing order
_CONVERGENCE_TRACES = (
    ("error", "scatter", "‖v_k − v*‖∞", 1, {"mode": "lines+markers", "marker": {"size": 4}}),
    ("episode_length", "scatter", "episode length", 2, {"mode": "lines"}),
    ("episode_return", "scatter", "discounted return", 2, {"mode": "lines"}),
    ("policy_changes", "bar", "states whose action changed", 2, {}),
)


def convergence_figure(metrics: dict[str, list[float]], title: str) -> go.Figure:
    """Two panels over iterations (or episodes): the distance to the optimum ‖v_k − v*‖∞ (log scale), and the
    algorithm's own counts: policy changes per iteration, or episode length and discounted return.

    Redrawn on every Step by everyone in the room, so it is cheap: the panels are laid out (and validated by
    plotly) once per title and set of curves, and each call only fills in the numbers (35 ms → 2 ms)."""
    shown = tuple(key for key, *_ in _CONVERGENCE_TRACES if metrics.get(key)
                  and not (key == "policy_changes" and metrics.get("episode_length")))
    frame = _convergence_frame(title, _lower_title(metrics), metrics.get("x_label", "iteration k"), shown)
    steps = list(metrics.get("step", []))
    return filled(frame, [{"x": steps, "y": list(metrics[key])} for key in shown])


@lru_cache(maxsize=256)
def _convergence_frame(title: str, lower_title: str, x_label: str, shown: tuple[str, ...]) -> str:
    """The figure without its numbers, as JSON."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("distance to the optimal values ‖v_k − v*‖∞", lower_title))
    for key, kind, name, row, extra in _CONVERGENCE_TRACES:
        if key in shown:
            trace = go.Bar if kind == "bar" else go.Scatter
            fig.add_trace(trace(x=[], y=[], name=name, **extra), row=row, col=1)
    fig.update_yaxes(type="log", exponentformat="power", row=1, col=1)
    fig.update_xaxes(title_text=x_label, row=2, col=1)
    fig.update_layout(title=title, height=430, margin={"l": 50, "r": 10, "t": 60, "b": 40},
                      legend={"orientation": "h", "y": -0.25}, template="plotly_white")
    return frame_json(fig)


def _lower_title(metrics: dict[str, list[float]]) -> str:
    if metrics.get("episode_length"):
        return "episode length and discounted return"
    return "policy changes per iteration"


def mean_estimation_figure(estimate: MeanEstimate, upto: int | None = None, log_x: bool = True) -> go.Figure:
    """Sample mean x̄_k and the incremental estimate w_k against k, with the true mean and the LLN band."""
    n = estimate.k.size if upto is None else int(upto)
    k = estimate.k[:n]
    mu = estimate.true_mean
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=np.r_[k, k[::-1]], y=np.r_[mu + estimate.band[:n], (mu - estimate.band[:n])[::-1]],
                             fill="toself", fillcolor="rgba(100,149,237,0.18)", line={"width": 0},
                             name="LLN band μ ± 1.96σ/√k", hoverinfo="skip"))
    shown = min(n, 300)
    fig.add_trace(go.Scatter(x=k[:shown], y=estimate.samples[:shown], mode="markers", name="samples x_k",
                             marker={"size": 4, "color": "rgba(120,120,120,0.45)"}))
    fig.add_trace(go.Scatter(x=k, y=estimate.sample_mean[:n], mode="lines", name="sample mean x̄_k",
                             line={"width": 3}))
    fig.add_trace(go.Scatter(x=k, y=estimate.incremental[:n], mode="lines", name="incremental w_k (Robbins–Monro)",
                             line={"dash": "dot", "width": 2}))
    fig.add_hline(y=mu, line_dash="dash", line_color="black", annotation_text=f"E[X] = {mu:g}")
    fig.update_layout(title=f"Estimating E[X] for a {estimate.label}: {n:,} samples", template="plotly_white",
                      xaxis_title="number of samples k", yaxis_title="estimate", height=420,
                      legend={"orientation": "h", "y": -0.2}, margin={"l": 50, "r": 10, "t": 50, "b": 40})
    if log_x:
        fig.update_xaxes(type="log")
    return fig


def learning_figure(steps: Sequence[int], series: dict[str, Sequence[float]], x_label: str, title: str) -> go.Figure:
    """One panel per metric of a learning run (an error against the known answer, a loss, a return), against
    episodes or updates; errors and losses on a log scale."""
    names = [name for name, values in series.items() if len(values)] or ["no run yet"]
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=names, horizontal_spacing=0.1)
    for col, name in enumerate(names, start=1):
        values = series.get(name, [])
        if len(values):
            fig.add_trace(go.Scatter(x=list(steps), y=list(values), mode="lines", name=name, showlegend=False),
                          row=1, col=col)
        if "error" in name or "loss" in name:
            fig.update_yaxes(type="log", exponentformat="power", row=1, col=col)
        fig.update_xaxes(title_text=x_label, row=1, col=col)
    fig.update_layout(title=title, height=320, margin={"l": 50, "r": 10, "t": 60, "b": 40}, template="plotly_white")
    return fig
