"""The one network shape every 2-D model here uses: an MLP on (x, condition), where the condition is a noise
level or a time, fed through fixed Fourier features; and the frame every 2-D trainer yields."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from rlgen import runtime

runtime.configure_torch()
import torch  # noqa: E402
from torch import nn  # noqa: E402

from rlgen.errors import InputError  # noqa: E402

MAX_STEPS = 20_000
MAX_BATCH = 4096


class ConditionalMLP(nn.Module):
    """f(x, c): R² × R → R². The scalar c (log σ, or t) enters as [sin(ω_j c), cos(ω_j c)] with
    geometrically spaced ω_j, so the net can change quickly with the noise level where it needs to."""

    def __init__(self, dim: int = 2, hidden: int = 128, depth: int = 3, n_freq: int = 8) -> None:
        super().__init__()
        self.register_buffer("freqs", torch.logspace(0, math.log10(32), n_freq))
        layers: list[nn.Module] = [nn.Linear(dim + 2 * n_freq, hidden), nn.SiLU()]
        for _ in range(depth - 1):
            layers += [nn.Linear(hidden, hidden), nn.SiLU()]
        layers.append(nn.Linear(hidden, dim))
        self.body = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        angles = c.reshape(-1, 1) * self.freqs
        return self.body(torch.cat([x, torch.sin(angles), torch.cos(angles)], dim=1))


@dataclass
class TrainFrame:
    """One snapshot of a 2-D trainer: the step, its loss, and the model as it stands (read-only for the viewer).
    ``phase`` names the stage where a method has several (rectified flow, then reflow)."""

    step: int
    total_steps: int
    loss: float
    model: object
    phase: str = "train"
    losses: list[float] = field(default_factory=list)


def check_training(steps: int, batch: int, lr: float) -> None:
    if not 1 <= steps <= MAX_STEPS:
        raise InputError("Training steps must lie between 1 and {max_steps} (got {steps}).",
                         max_steps=MAX_STEPS, steps=steps)
    if not 8 <= batch <= MAX_BATCH:
        raise InputError("The batch size must lie between 8 and {max_batch} (got {batch}).",
                         max_batch=MAX_BATCH, batch=batch)
    if not 0 < lr <= 0.1:
        raise InputError("The learning rate must lie in (0, 0.1] (got {lr}).", lr=lr)


def as_tensor(x: np.ndarray) -> torch.Tensor:
    return torch.as_tensor(np.asarray(x, dtype=np.float32))


def data_batches(data: np.ndarray, batch: int, generator: torch.Generator):
    """Endless minibatches drawn with replacement from a fixed training set."""
    pool = as_tensor(data)
    while True:
        yield pool[torch.randint(0, len(pool), (batch,), generator=generator)]


def cosine_lr(optimizer: torch.optim.Optimizer, base_lr: float, step: int, total: int) -> None:
    """Cosine decay to 5 % of the base rate: the last steps settle instead of jittering around the optimum."""
    for group in optimizer.param_groups:
        group["lr"] = base_lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * step / total)))


def descend(optimizer: torch.optim.Optimizer, loss: torch.Tensor, base_lr: float, step: int, total: int) -> float:
    """One gradient step on ``loss`` at the cosine-decayed rate of ``step`` of ``total``; the loss's value."""
    optimizer.zero_grad()
    loss.backward()
    cosine_lr(optimizer, base_lr, step, total)
    optimizer.step()
    return loss.item()


def stable_target(noisy: torch.Tensor, clean: torch.Tensor, sigma: torch.Tensor,
                  alpha: torch.Tensor | None = None) -> torch.Tensor:
    """σ × the score of the batch's own noised empirical law at each noisy point x̃_i = α_i x_i + σ_i z_i:
    Σ_j w_ij (α_i x_j − x̃_i)/σ_i with w_ij ∝ N(x̃_i; α_i x_j, σ_i² I) (Stable Target Field, Xu et al. 2023).
    It has the same minimiser as the one-sample target −z in the large-batch limit and far less variance:
    plain DSM's target is mostly noise wherever σ is below the data's own spread."""
    alpha = torch.ones_like(sigma) if alpha is None else alpha
    means = alpha[:, None, None] * clean[None]  # row i: every clean point as seen at row i's noise level
    sq = ((noisy[:, None, :] - means) ** 2).sum(-1)
    weights = torch.softmax(-sq / (2 * sigma[:, None] ** 2), dim=1)
    return (alpha[:, None] * (weights @ clean) - noisy) / sigma[:, None]
