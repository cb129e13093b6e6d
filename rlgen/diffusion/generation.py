"""What the tab asks for, in domain terms: check a request, run the sampling generator and turn its frames into
pictures (gallery, denoising trajectory, ControlNet on/off, DDPM vs rectified flow by step count)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageDraw

from rlgen import lettering
from rlgen.diffusion.pipeline import EPSILON_SAMPLERS, FLOW_SAMPLERS, MAX_IMAGES, MAX_STEPS, to_pil
from rlgen.diffusion.shapes import vocabulary
from rlgen.errors import InputError

MAX_PROMPT_CHARS = 200
DISPLAY = 160  # 32-pixel images are shown blown up to this side, pixels kept sharp
COMPARE_STEPS = (1, 2, 4, 8, 20)


@dataclass(frozen=True)
class Request:
    prompt: str
    control: np.ndarray | None  # bool (s, s) map or None
    steps: int
    guidance: float
    strength: float
    sampler: str
    n_images: int
    seed: int


@dataclass
class GenerationFrame:
    step: int
    total: int
    images: list[Image.Image]  # x_t after this step (the final images on the last frame)
    trajectory: Image.Image  # rows x_t and predicted x0, columns the steps recorded so far
    done: bool


def check_request(prompt: str | None, steps: float, n_images: float, guidance: float, strength: float,
                  sampler: str) -> tuple[str, list[str]]:
    """The prompt (stripped; empty means unconditional) and the words in it the tiny model never saw."""
    prompt = (prompt or "").strip()
    if len(prompt) > MAX_PROMPT_CHARS:
        raise InputError("The prompt is {n_chars} characters long; the cap is {max_prompt_chars}.",
                         n_chars=len(prompt), max_prompt_chars=MAX_PROMPT_CHARS)
    if not 1 <= steps <= MAX_STEPS or int(steps) != steps:
        raise InputError("Steps must be a whole number from 1 to {max_steps} (got {steps:g}).",
                         max_steps=MAX_STEPS, steps=steps)
    if not 1 <= n_images <= MAX_IMAGES or int(n_images) != n_images:
        raise InputError("Number of images must be a whole number from 1 to {max_images} (got {n_images:g}).",
                         max_images=MAX_IMAGES, n_images=n_images)
    if not 0 <= guidance <= 20:
        raise InputError("Guidance scale must lie between 0 and 20 (got {guidance:g}).", guidance=guidance)
    if not 0 <= strength <= 2:
        raise InputError("Control strength must lie between 0 and 2 (got {strength:g}).", strength=strength)
    if sampler not in (*EPSILON_SAMPLERS, *FLOW_SAMPLERS):
        raise InputError("Unknown sampler {sampler!r}.", sampler=sampler)
    known = set(vocabulary())
    unknown = [w for w in prompt.lower().replace(",", " ").split() if w not in known]
    return prompt, unknown


def blow_up(image: Image.Image, side: int = DISPLAY) -> Image.Image:
    return image.resize((side, side), Image.Resampling.NEAREST)


def labelled_grid(rows: list[list[Image.Image]], row_labels: list[str], col_labels: list[str],
                  cell: int = 96) -> Image.Image:
    """Images in a grid with a label column on the left and a header row (a header wider than its column is
    wrapped onto more lines)."""
    left, pad, line = 120, 4, 15
    headers = [_wrapped(label, lettering.font(12, label), cell - 4) for label in col_labels]
    top = 6 + line * max((len(h) for h in headers), default=1)
    width = left + len(col_labels) * (cell + pad)
    height = top + len(rows) * (cell + pad)
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    for j, (label, lines) in enumerate(zip(col_labels, headers)):
        for k, text in enumerate(lines):
            draw.text((left + j * (cell + pad) + 2, 3 + k * line), text, fill="black", font=lettering.font(12, label))
    for i, (label, row) in enumerate(zip(row_labels, rows)):
        y = top + i * (cell + pad)
        draw.text((4, y + cell // 2 - 6), label, fill="black", font=lettering.font(12, label))
        for j, image in enumerate(row):
            canvas.paste(image.resize((cell, cell), Image.Resampling.NEAREST), (left + j * (cell + pad), y))
    return canvas


def _wrapped(text: str, font, width: int) -> list[str]:
    """``text`` in lines no wider than ``width`` pixels, broken between words (a word longer than a line keeps a
    line of its own)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def recorded_steps(total: int, shown: int = 6) -> list[int]:
    """Which steps the trajectory shows: ``shown`` of them, evenly spread, always the first and the last."""
    return sorted({int(round(v)) for v in np.linspace(1, total, min(shown, total))})


def generate(pipe, request: Request, use_controlnet: bool = True,
             text=lettering.english) -> Iterator[GenerationFrame]:
    """Stream a generation: every frame carries the current x_t of every image; the trajectory strip (the
    first image's x_t and predicted x₀ at a few steps) grows as sampling goes; its labels are made by ``text``
    (:mod:`rlgen.lettering`)."""
    g = torch.Generator().manual_seed(request.seed)
    keep = recorded_steps(request.steps)
    x_ts: list[Image.Image] = []
    x0s: list[Image.Image] = []
    labels: list[str] = []
    frames = pipe.trajectory(request.prompt, image=request.control if use_controlnet else None,
                             num_inference_steps=request.steps, guidance_scale=request.guidance,
                             controlnet_conditioning_scale=request.strength,
                             num_images_per_prompt=request.n_images, generator=g, use_controlnet=use_controlnet)
    for frame in frames:
        if frame.step in keep:
            x_ts.append(to_pil(frame.x_t[:1])[0])
            x0s.append(to_pil(frame.x0[:1])[0])
            labels.append(text("step {step}", step=frame.step))
        done = frame.step == frame.total
        if frame.step in keep or done:
            yield GenerationFrame(frame.step, frame.total, [blow_up(im) for im in to_pil(frame.x_t)],
                                  labelled_grid([x_ts, x0s], ["x_t", text("predicted x0")], labels), done)


def steps_comparison(epsilon_pipes: dict[str, object], flow_pipe, prompt: str, guidance: float, seed: int,
                     steps: tuple[int, ...] = COMPARE_STEPS, text=lettering.english) -> Image.Image:
    """The same prompt and noise seed with each ε sampler and with rectified flow at 1, 2, 4, 8, 20 steps (the labels
    made by ``text``)."""
    rows, labels = [], []
    for name, pipe in [*epsilon_pipes.items(), ("Rectified flow", flow_pipe)]:
        row = []
        for n in steps:
            g = torch.Generator().manual_seed(seed)
            row.append(pipe(prompt, num_inference_steps=n, guidance_scale=guidance, generator=g).images[0])
        rows.append(row)
        labels.append(text(name) if name == "Rectified flow" else text("eps-model, {name}", name=name))
    return labelled_grid(rows, labels, [text("{n} steps", n=n) if n > 1 else text("1 step") for n in steps])
