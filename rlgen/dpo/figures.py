"""Plotly figures for the tab: TRL's DPO metrics with the KL estimate as training runs, and the reward-vs-KL
frontier with a live run placed on it."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rlgen.dpo.training import DPOFrame

BETA_COLOURS = ["#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2"]


def training_figure(frame: DPOFrame | None) -> go.Figure:
    """Three panels sharing the step axis: implicit rewards (chosen, rejected, margin), preference accuracy and
    loss, and KL(π‖π_ref) with the sampled replies' ground-truth reward."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=(
        "implicit rewards β·log π/π_ref", "accuracy and loss", "KL(π‖π_ref) and true reward of samples"),
        specs=[[{}, {}, {"secondary_y": True}]])
    if frame is not None and frame.steps:
        m, x = frame.metrics, frame.steps
        for key, colour in (("rewards/chosen", "#54a24b"), ("rewards/rejected", "#e45756"),
                            ("rewards/margins", "#4c78a8")):
            if key in m:
                fig.add_trace(go.Scatter(x=x, y=m[key], name=key, line={"color": colour}), row=1, col=1)
        if "rewards/accuracies" in m:
            fig.add_trace(go.Scatter(x=x, y=m["rewards/accuracies"], name="rewards/accuracies",
                                     line={"color": "#b279a2"}), row=1, col=2)
        fig.add_trace(go.Scatter(x=x, y=m["loss"], name="loss", line={"color": "#333"}), row=1, col=2)
        if frame.kl:
            fig.add_trace(go.Scatter(x=frame.kl_steps, y=frame.kl, name="KL (nats)", mode="lines+markers",
                                     line={"color": "#f58518"}), row=1, col=3)
            fig.add_trace(go.Scatter(x=frame.kl_steps, y=frame.sample_reward, name="true reward",
                                     mode="lines+markers", line={"color": "#54a24b", "dash": "dot"}),
                          row=1, col=3, secondary_y=True)
    for col in (1, 2, 3):
        fig.update_xaxes(title_text="DPO step", row=1, col=col)
    fig.update_yaxes(title_text="nats × β", row=1, col=1)
    fig.update_yaxes(title_text="accuracy / loss", row=1, col=2)
    fig.update_yaxes(title_text="KL (nats)", row=1, col=3)
    fig.update_yaxes(title_text="mean lexicon reward", row=1, col=3, secondary_y=True)
    fig.update_layout(height=330, margin={"l": 40, "r": 40, "t": 40, "b": 40}, legend={"orientation": "h", "y": -0.25})
    return fig


def frontier_figure(points: list[dict], live: list[tuple[float, float, int]] | None = None,
                    live_label: str = "your run") -> go.Figure:
    """Mean ground-truth reward against KL(π‖π_ref) on held-out prompts: one line per β through its run
    (measured along training), the reference at KL 0, and the live run's (KL, reward, step) points on top."""
    fig = go.Figure()
    reference = [p for p in points if p["loss_type"] == "reference"]
    betas = sorted({p["beta"] for p in points if p["loss_type"] != "reference"})
    for i, beta in enumerate(betas):
        run = reference + sorted((p for p in points if p["beta"] == beta and p["loss_type"] != "reference"),
                                 key=lambda p: p["step"])
        fig.add_trace(go.Scatter(x=[p["kl"] for p in run], y=[p["reward"] for p in run], mode="lines+markers",
                                 name=f"β = {beta:g}", line={"color": BETA_COLOURS[i % len(BETA_COLOURS)]},
                                 text=[f"step {p['step']}, distinct-2 {p['distinct_2']:.2f}" for p in run],
                                 hovertemplate="KL %{x:.2f}, reward %{y:.2f}<br>%{text}<extra></extra>"))
    if reference:
        fig.add_trace(go.Scatter(x=[0], y=[reference[0]["reward"]], mode="markers", name="π_ref (SFT)",
                                 marker={"size": 12, "color": "#333", "symbol": "diamond"}))
    if live:
        fig.add_trace(go.Scatter(x=[p[0] for p in live], y=[p[1] for p in live], mode="lines+markers",
                                 name=live_label, marker={"size": 10, "color": "#e45756", "symbol": "star"},
                                 line={"color": "#e45756", "width": 3},
                                 text=[f"step {p[2]}" for p in live],
                                 hovertemplate="KL %{x:.2f}, reward %{y:.2f}<br>%{text}<extra></extra>"))
    fig.update_layout(title="Reward vs KL frontier (held-out prompts)", xaxis_title="KL(π‖π_ref), nats per reply",
                      yaxis_title="mean ground-truth reward", height=380,
                      margin={"l": 50, "r": 20, "t": 50, "b": 40})
    return fig
