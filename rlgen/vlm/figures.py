"""What the tab shows of the model's inside: the image with its patch grid (how the encoder cuts it), the answer's
attention on the image as an overlay, and the MoE router's choices per token and layer as a heatmap."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw
from plotly.subplots import make_subplots

from rlgen.plotting import filled, frame_json
from rlgen.vlm.chat import Inside
from rlgen.vlm.processor import CELL, MEDIA_PAD, PATCH, ImageInput

VIEW = 384  # the longer side of the views, in screen pixels


def _pixels(image: ImageInput) -> Image.Image:
    """The image exactly as the encoder saw it (after resizing), rebuilt from its patches."""
    h, w = image.grid
    pixels = image.patches.reshape(h, w, 3, PATCH, PATCH).transpose(0, 3, 1, 4, 2).reshape(h * PATCH, w * PATCH, 3)
    return Image.fromarray(np.clip((pixels + 1) * 127.5, 0, 255).astype(np.uint8))


def _scaled(image: Image.Image) -> tuple[Image.Image, float]:
    k = VIEW / max(image.size)
    return image.resize((max(1, round(image.width * k)), max(1, round(image.height * k))),
                        Image.Resampling.NEAREST), k


def patch_grid(image: ImageInput) -> Image.Image:
    """Thin lines between the 16-px patches, thick ones around each 2x2 block that becomes one vision token."""
    view, k = _scaled(_pixels(image))
    draw = ImageDraw.Draw(view)
    h, w = image.grid
    for i in range(w + 1):
        x = min(round(i * PATCH * k), view.width - 1)
        draw.line([(x, 0), (x, view.height)], fill=(255, 255, 255) if i % 2 else (20, 20, 20), width=1 if i % 2 else 2)
    for j in range(h + 1):
        y = min(round(j * PATCH * k), view.height - 1)
        draw.line([(0, y), (view.width, y)], fill=(255, 255, 255) if j % 2 else (20, 20, 20), width=1 if j % 2 else 2)
    return view


def attention_overlay(image: ImageInput, attention: np.ndarray) -> Image.Image:
    """The image with the answer's attention on each vision token painted over it (bright = attended)."""
    base, k = _scaled(_pixels(image))
    weights = attention / (attention.max() or 1.0)
    heat = np.zeros((*weights.shape, 4), dtype=np.uint8)
    heat[..., 0], heat[..., 1], heat[..., 2] = 255, (200 * (1 - weights)).astype(np.uint8), 0
    heat[..., 3] = (200 * weights).astype(np.uint8)
    layer = Image.fromarray(heat, "RGBA").resize(base.size, Image.Resampling.NEAREST)
    dimmed = Image.blend(base, Image.new("RGB", base.size, (0, 0, 0)), 0.35).convert("RGBA")
    out = Image.alpha_composite(dimmed, layer).convert("RGB")
    draw = ImageDraw.Draw(out)
    for i in range(attention.shape[1] + 1):
        x = min(round(i * CELL * k), out.width - 1)
        draw.line([(x, 0), (x, out.height)], fill=(90, 90, 90))
    for j in range(attention.shape[0] + 1):
        y = min(round(j * CELL * k), out.height - 1)
        draw.line([(0, y), (out.width, y)], fill=(90, 90, 90))
    return out


def router_heatmap(inside: Inside, last_tokens: int = 24) -> go.Figure:
    """Router weight per (token, expert) in every MoE layer, for the question and answer's last tokens and the
    vision tokens averaged into one row."""
    layers = sorted(inside.experts)
    image_rows = [i for i, t in enumerate(inside.tokens) if t in ("img", MEDIA_PAD)]
    text_rows = [i for i, t in enumerate(inside.tokens) if t not in ("img", MEDIA_PAD)][-last_tokens:]
    labels = ["vision tokens (mean)"] + [f"{i}: {inside.tokens[i]}" for i in text_rows]
    traces = []
    for layer in layers:
        weights = inside.experts[layer]
        z = np.vstack([weights[image_rows].mean(0) if image_rows else np.zeros(weights.shape[1]), weights[text_rows]])
        traces.append({"z": z, "x": [f"e{e}" for e in range(z.shape[1])], "y": labels})
    return filled(_router_frame(tuple(layers), len(labels)), traces)


@lru_cache(maxsize=64)
def _router_frame(layers: tuple[int, ...], rows: int) -> str:
    """The router panels without their numbers (laid out once per layer count and height)."""
    fig = make_subplots(rows=1, cols=len(layers), shared_yaxes=True, horizontal_spacing=0.02,
                        subplot_titles=[f"layer {layer} (MoE)" for layer in layers])
    for col in range(1, len(layers) + 1):
        fig.add_trace(go.Heatmap(z=[[0.0]], coloraxis="coloraxis",
                                 hovertemplate="%{y}<br>expert %{x}<br>weight %{z:.2f}<extra></extra>"), 1, col)
    fig.update_layout(coloraxis={"colorscale": "Viridis", "colorbar": {"title": "router weight"}},
                      height=max(320, 22 * rows + 120), margin={"l": 10, "r": 10, "t": 40, "b": 30},
                      title="Which routed experts each token went to (top-2 of 8; the shared expert sees every token)")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="routed expert")
    return frame_json(fig)
