"""UNet and MMDiT side by side: the same prompt, the same starting noise, the same sampler and step count,
stepped in lockstep so both trajectories grow together."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import torch
from PIL import Image

from rlgen import lettering
from rlgen.diffusion.generation import blow_up, labelled_grid, recorded_steps
from rlgen.diffusion.pipeline import to_pil


@dataclass
class SideBySideFrame:
    step: int
    total: int
    images: dict[str, list[Image.Image]]  # model name -> x_t of every image after this step
    trajectory: Image.Image  # per model two rows (x_t, predicted x₀), columns the steps recorded so far
    done: bool


def side_by_side(pipes: dict[str, object], prompt: str, steps: int, guidance: float, seed: int,
                 n_images: int = 1, text=lettering.english) -> Iterator[SideBySideFrame]:
    """Sample every pipeline in ``pipes`` with its own generator seeded with ``seed`` (so all start from the
    same noise) and yield a frame at each recorded step (the trajectory's labels made by ``text``)."""
    keep = recorded_steps(steps)
    chains = {name: pipe.trajectory(prompt, num_inference_steps=steps, guidance_scale=guidance,
                                    num_images_per_prompt=n_images, generator=torch.Generator().manual_seed(seed))
              for name, pipe in pipes.items()}
    rows: dict[str, tuple[list[Image.Image], list[Image.Image]]] = {name: ([], []) for name in pipes}
    labels: list[str] = []
    for frames in zip(*chains.values()):
        step, total = frames[0].step, frames[0].total
        done = step == total
        if step not in keep and not done:
            continue
        for name, frame in zip(pipes, frames):
            rows[name][0].append(to_pil(frame.x_t[:1])[0])
            rows[name][1].append(to_pil(frame.x0[:1])[0])
        labels.append(text("step {step}", step=step))
        grid = labelled_grid([row for pair in rows.values() for row in pair],
                             [label for name in pipes for label in (f"{name} x_t", text("{name} pred. x0", name=name))],
                             labels)
        images = {name: [blow_up(im) for im in to_pil(frame.x_t)] for name, frame in zip(pipes, frames)}
        yield SideBySideFrame(step, total, images, grid, done)
