"""The positional-encoding experiment's data and judge: one shape on the left, right, top or bottom of the image,
captioned with the position ("a red star on the left on a blue background"), and a 1-D positional encoding to set
against the 2-D one SD3's patch embedding uses.

A 1-D sincos code numbers the patches in raster order, so "how far down" is a smooth function of the index but
"how far across" is the index modulo the row length, which the transformer has to untangle; the 2-D code
(SD3 §B.1 / DiT) gives each axis half the channels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from diffusers import SD3Transformer2DModel
from diffusers.models.embeddings import get_1d_sincos_pos_embed_from_grid

from rlgen.diffusion.shapes import COLOUR_NAMES, RESOLUTION, SHAPES, Scene, ShapeSpec, article, render, vocabulary

POSITIONS: dict[str, tuple[float, float]] = {  # word -> centre as fractions of the side
    "left": (0.27, 0.5), "right": (0.73, 0.5), "top": (0.5, 0.27), "bottom": (0.5, 0.73),
}


def position_vocabulary() -> list[str]:
    return [*vocabulary(), "the", *POSITIONS]


def position_caption(shape: str, colour: str, where: str, background: str) -> str:
    return f"{article(colour)} {colour} {shape} on the {where} on a {background} background"


@dataclass
class PositionPool:
    """Rendered scenes with position captions; batches are drawn without the mirror flip of the shapes pool
    (a flip would make "left" wrong)."""

    images: torch.Tensor
    captions: list[str]
    positions: list[str]

    @classmethod
    def make(cls, n: int, seed: int, size: int = RESOLUTION) -> PositionPool:
        rng = np.random.default_rng(seed)
        images, captions, positions = [], [], []
        for _ in range(n):
            background = COLOUR_NAMES[rng.integers(len(COLOUR_NAMES))]
            colour = [c for c in COLOUR_NAMES if c != background][rng.integers(len(COLOUR_NAMES) - 1)]
            shape, where = SHAPES[rng.integers(len(SHAPES))], list(POSITIONS)[rng.integers(len(POSITIONS))]
            fx, fy = POSITIONS[where]
            jitter = rng.uniform(-0.05, 0.05, size=2) * size
            spec = ShapeSpec(shape, colour, fx * size + jitter[0], fy * size + jitter[1],
                             rng.uniform(0.17, 0.22) * size)
            images.append(render(Scene((spec,), background), size).transpose(2, 0, 1).astype(np.float32) / 127.5 - 1)
            captions.append(position_caption(shape, colour, where, background))
            positions.append(where)
        return cls(torch.from_numpy(np.stack(images)), captions, positions)

    def sample(self, n: int, g: torch.Generator) -> tuple:
        idx = torch.randint(len(self.captions), (n,), generator=g).tolist()
        return self.images[idx], None, None, [self.captions[i] for i in idx], None


def use_1d_positions(transformer: SD3Transformer2DModel) -> None:
    """Replace the 2-D sincos patch positions by a 1-D sincos code of the raster index."""
    embed = transformer.pos_embed
    n, dim = embed.pos_embed.shape[1], embed.pos_embed.shape[2]
    code = get_1d_sincos_pos_embed_from_grid(dim, torch.arange(n, dtype=torch.float64), output_type="pt")
    embed.pos_embed.copy_(code.reshape(1, n, dim).to(embed.pos_embed.dtype))


def foreground_centre(images: torch.Tensor) -> torch.Tensor:
    """(n, 2) centre (x, y) in pixels of each image's shape: pixels far in colour from the border's median (the
    background)."""
    n, _, h, w = images.shape
    border = torch.cat([images[..., 0, :], images[..., -1, :], images[..., :, 0], images[..., :, -1]], dim=-1)
    background = border.median(dim=-1).values[..., None, None]
    mask = ((images - background).abs().sum(1) > 0.6).float()  # (n, h, w); 0.6 of a [-1, 1] RGB distance
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32),
                            indexing="ij")
    total = mask.sum((1, 2)).clamp(min=1)
    centre = torch.stack([(mask * xs).sum((1, 2)) / total, (mask * ys).sum((1, 2)) / total], dim=1)
    centre[mask.sum((1, 2)) == 0] = (w - 1) / 2  # nothing drawn: the centre, which names no side
    return centre


def position_adherence(images: torch.Tensor, positions: list[str]) -> dict[str, float]:
    """Fraction of images whose shape's centre is on the named side of the middle (left/right: x; top/bottom: y),
    overall and for each axis."""
    centre = foreground_centre(images)
    middle = (images.shape[-1] - 1) / 2
    right = {"left": False, "right": True, "top": False, "bottom": True}
    hits = [bool((centre[i, 0 if p in ("left", "right") else 1] > middle) == right[p]) for i, p in enumerate(positions)]
    across = [h for h, p in zip(hits, positions) if p in ("left", "right")]
    down = [h for h, p in zip(hits, positions) if p in ("top", "bottom")]
    return {"all": float(np.mean(hits)), "left/right": float(np.mean(across)) if across else float("nan"),
            "top/bottom": float(np.mean(down)) if down else float("nan")}
