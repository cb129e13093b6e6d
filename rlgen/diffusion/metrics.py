"""How well the models do what they are told. Prompt adherence: the shipped classifier reads the shape, its
colour and the background of each generated image and compares them with the caption. Control fidelity: the
F1 score between the control map's edges and the generated image's canny edges, within one pixel."""

from __future__ import annotations

from functools import cache

import numpy as np
import torch
from scipy.ndimage import binary_dilation

from rlgen import runtime
from rlgen.diffusion.models import ShapeClassifier
from rlgen.diffusion.shapes import COLOUR_NAMES, SHAPES, canny_edges, filled_mask, random_scene, render
from rlgen.errors import InputError

CLASSIFIER = "diffusion-classifier"  # the instrument every adherence figure is measured with


@cache
def load_classifier() -> ShapeClassifier:
    runtime.configure_torch()
    directory = runtime.checkpoint_path(CLASSIFIER)
    if not (directory / "config.json").exists():
        raise InputError("No trained classifier at {directory}; run `python -m rlgen train diffusion`.",
                         directory=directory)
    return runtime.load_pretrained(ShapeClassifier, directory).eval().requires_grad_(False)


@torch.no_grad()
def classify(images: torch.Tensor) -> dict[str, list[str]]:
    """Shape, colour and background names of (n, 3, 32, 32) images in [-1, 1]."""
    shape, colour, background = (lg.argmax(1).tolist() for lg in load_classifier()(images.float()))
    return {"shape": [SHAPES[i] for i in shape], "colour": [COLOUR_NAMES[i] for i in colour],
            "background": [COLOUR_NAMES[i] for i in background]}


def adherence_scores(images: torch.Tensor, scenes: list) -> dict[str, float]:
    """Fractions of images whose shape / colour / background / shape-and-colour / all three match their
    one-shape scene."""
    read = classify(images)
    shape = np.array([r == s.shapes[0].shape for r, s in zip(read["shape"], scenes)])
    colour = np.array([r == s.shapes[0].colour for r, s in zip(read["colour"], scenes)])
    background = np.array([r == s.background for r, s in zip(read["background"], scenes)])
    return {"shape": float(shape.mean()), "colour": float(colour.mean()), "background": float(background.mean()),
            "shape_and_colour": float((shape & colour).mean()), "all": float((shape & colour & background).mean()),
            "n": len(scenes)}


def edge_f1(control_edges: np.ndarray, image_edges: np.ndarray, tolerance: int = 1) -> float:
    """F1 of edge pixels, a pixel counting as matched when the other map has an edge within ``tolerance``
    pixels (the usual slack of edge benchmarks such as BSDS)."""
    control_edges, image_edges = control_edges.astype(bool), image_edges.astype(bool)
    if not control_edges.any() and not image_edges.any():
        return 1.0
    if not control_edges.any() or not image_edges.any():
        return 0.0
    structure = np.ones((2 * tolerance + 1, 2 * tolerance + 1), bool)
    precision = (image_edges & binary_dilation(control_edges, structure)).sum() / image_edges.sum()
    recall = (control_edges & binary_dilation(image_edges, structure)).sum() / control_edges.sum()
    return float(0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall))


def eval_scenes(n: int, seed: int) -> list:
    rng = np.random.default_rng(seed)
    return [random_scene(rng, 1) for _ in range(n)]


def generate(pipe, scenes: list, steps: int, guidance: float, seed: int, control: str | None = None,
             use_controlnet: bool = True, batch: int = 16) -> torch.Tensor:
    """Images for ``scenes`` (one per scene, noise from ``seed``), with their canny or mask maps if
    ``control`` is set. Returns (n, 3, s, s) in [-1, 1]."""
    out = []
    for start in range(0, len(scenes), batch):
        chunk = scenes[start:start + batch]
        g = torch.Generator().manual_seed(seed + start)
        image = None
        if control is not None:
            maps = [canny_edges(render(s)) if control == "canny" else filled_mask(s) for s in chunk]
            image = torch.from_numpy(np.stack(maps).astype(np.float32))[:, None]
        out.append(pipe([s.caption for s in chunk], image=image, num_inference_steps=steps,
                        guidance_scale=guidance, generator=g, output_type="pt", use_controlnet=use_controlnet)
                   .images)
    return torch.cat(out)


def control_fidelity(pipe, scenes: list, steps: int, guidance: float, seed: int) -> dict[str, float]:
    """Mean edge F1 between each scene's canny map and the generated image's canny edges, with the
    ControlNet on and (same prompts, same noise) off."""
    result = {}
    for on in (True, False):
        images = generate(pipe, scenes, steps, guidance, seed, control="canny", use_controlnet=on)
        pixels = ((images.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
        scores = [edge_f1(canny_edges(render(s)), canny_edges(p)) for s, p in zip(scenes, pixels)]
        result["with_controlnet" if on else "without_controlnet"] = float(np.mean(scores))
        if on:
            result["adherence_with_controlnet"] = adherence_scores(images, scenes)
    result["n"] = len(scenes)
    return result
