"""Plotly figures that many people redraw at once, made cheap.

Building a figure through plotly's graph objects validates every property on every call; for a panel laid out
with ``make_subplots`` that is 30–60 ms of CPU, most of a click's cost when a whole room clicks. The pattern
here: lay the figure out once per shape (cached as JSON, validated by plotly that once), then per call only
fill each trace's numbers into a copy and wrap it without validating again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import plotly.graph_objects as go


def frame_json(figure: go.Figure) -> str:
    """A laid-out figure (its traces may be empty) as the JSON that :func:`filled` fills in."""
    return figure.to_json()


def filled(frame: str, traces: Sequence[dict]) -> go.Figure:
    """The figure of ``frame`` with ``traces[i]``'s keys (``x``, ``y``, ``z``, ...) set on its i-th trace."""
    figure = json.loads(frame)
    if len(traces) != len(figure["data"]):
        raise ValueError(f"the frame has {len(figure['data'])} traces, {len(traces)} were given")
    for trace, data in zip(figure["data"], traces):
        trace.update({key: _plain(value) for key, value in data.items()})
    return go.Figure(figure, _validate=False)


def _plain(value):
    return value.tolist() if hasattr(value, "tolist") else value
