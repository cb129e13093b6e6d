"""Figures for the SD3 experiments (plotly, placed on the page by the UI) and the shipped results they draw
from: ``RESULTS.json`` in the ``diffusion-sd3-experiments`` checkpoint folder, written by
``python -m rlgen train diffusion-sd3-experiments``."""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import plotly.graph_objects as go
import torch
from PIL import Image
from plotly.subplots import make_subplots

from rlgen import runtime
from rlgen.diffusion.generation import labelled_grid
from rlgen.diffusion.pipeline import to_pil
from rlgen.errors import InputError

EXPERIMENTS_CHECKPOINT = "diffusion-sd3-experiments"
COLOURS = ("#1f77b4", "#d62728")
LOG_SCALE = {"training loss", "largest attention logit", "validation loss"}


def experiment_figure(curves: dict[str, dict[str, tuple[list[int], list[float]]]], title: str) -> go.Figure:
    """One panel per metric, one line per arm, training steps on the x axis."""
    metrics = list(dict.fromkeys(m for arm in curves.values() for m in arm))
    fig = make_subplots(rows=1, cols=max(1, len(metrics)), subplot_titles=metrics or ["(no data yet)"])
    for k, (arm, series) in enumerate(curves.items()):
        for j, metric in enumerate(metrics):
            steps, values = series.get(metric, ([], []))
            shown = [v if v is not None and math.isfinite(v) else None for v in values]
            mode = "lines+markers" if len(steps) <= 12 else "lines"
            fig.add_trace(go.Scatter(x=steps, y=shown, name=arm, mode=mode, legendgroup=arm, showlegend=j == 0,
                                     line={"color": COLOURS[k % len(COLOURS)]}), row=1, col=j + 1)
            fig.update_xaxes(title_text="training step", row=1, col=j + 1)
            fig.update_yaxes(title_text=metric, type="log" if metric in LOG_SCALE else "linear", row=1, col=j + 1)
    fig.update_layout(title=title, height=340, margin={"l": 50, "r": 20, "t": 70, "b": 40},
                      legend={"orientation": "h", "y": -0.25})
    return fig


def shipped_results() -> dict:
    """The shipped runs: experiment -> {"curves", "settings", "summary"}. The file is read once while it is
    unchanged (the SD3 tab shows it to every visitor), so the dict is shared: read it, never change it."""
    path = runtime.checkpoint_path(EXPERIMENTS_CHECKPOINT) / "RESULTS.json"
    if not path.exists():
        raise InputError("No shipped SD3 experiment results at {path}; run "
                         "`python -m rlgen train diffusion-sd3-experiments`.", path=path)
    return _read_results(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _read_results(path: Path, mtime_ns: int) -> dict:
    return json.loads(path.read_text())


def short_caption(caption: str) -> str:
    """"a red star on the left on a blue background" -> "red star, left, blue": a grid's column header."""
    words = [w for w in caption.split() if w not in ("a", "an", "the", "background")]
    return " ".join(words).replace(" on ", ", ")


def samples_grid(samples: dict[str, torch.Tensor], captions: list[str]) -> Image.Image:
    """One row per arm, one column per caption (the same noise down each column)."""
    arms = list(samples)
    return labelled_grid([to_pil(samples[arm]) for arm in arms], arms, [short_caption(c) for c in captions], cell=112)


def shipped_samples(name: str) -> Image.Image | None:
    """The shipped run's sample grid of experiment ``name``, where it has one."""
    path = runtime.checkpoint_path(EXPERIMENTS_CHECKPOINT) / f"{name}-samples.png"
    return Image.open(path).convert("RGB") if path.exists() else None
