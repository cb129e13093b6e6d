"""Noise-conditional score networks (SMLD, Song & Ermon 2019): denoising score matching over a ladder of noise
levels σ_1 > … > σ_L, and annealed Langevin dynamics that walks samples down the ladder."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from rlgen import runtime
from rlgen.errors import InputError
from rlgen.genlab.nets import (
    ConditionalMLP,
    TrainFrame,
    as_tensor,
    check_training,
    data_batches,
    descend,
    stable_target,
    torch,
)

MAX_SAMPLES = 5000


def sigma_ladder(sigma_max: float = 3.0, sigma_min: float = 0.05, levels: int = 10) -> np.ndarray:
    """Geometric noise levels, largest first: σ_max about the data's diameter so the first level covers every
    mode, σ_min below the data's own fine scale."""
    if not 0 < sigma_min < sigma_max or not 2 <= levels <= 50:
        raise InputError("The noise ladder needs 0 < σ_min < σ_max and 2 to 50 levels.")
    return np.geomspace(sigma_max, sigma_min, levels)


@dataclass
class ScoreModel:
    """s_θ(x, σ) = f_θ(x, log σ) / σ: the division gives the score its natural 1/σ size, so the net's output
    stays O(1) at every level (NCSNv2)."""

    net: ConditionalMLP
    sigmas: np.ndarray
    kind: str = "score"

    def score_tensor(self, x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        # c_in = 1/√(1+σ²) keeps the input O(1) at every level (EDM preconditioning, data spread ≈ 1)
        scale = torch.rsqrt(1 + sigma.reshape(-1, 1) ** 2)
        return self.net(x * scale, torch.log(sigma) / 4) / sigma.reshape(-1, 1)

    def score(self, x: np.ndarray, sigma: float) -> np.ndarray:
        with torch.no_grad():
            xt = as_tensor(x)
            return self.score_tensor(xt, torch.full((len(xt),), float(sigma))).numpy()

    def sigma_at(self, u: float) -> float:
        """The slider position u ∈ [0, 1] (0 = cleanest) as a noise level on the ladder's geometric scale."""
        lo, hi = float(self.sigmas[-1]), float(self.sigmas[0])
        return float(lo * (hi / lo) ** np.clip(u, 0, 1))

    def noise(self, u: float) -> tuple[float, float]:
        return 1.0, self.sigma_at(u)

    def field(self, x: np.ndarray, u: float) -> np.ndarray:
        return self.score(x, self.sigma_at(u))

    def level_label(self, u: float) -> str:
        return f"σ = {self.sigma_at(u):.3g}"

    def sample(self, n: int, seed: int, steps_per_level: int = 30) -> np.ndarray:
        return annealed_langevin_sample(self, n, seed, steps_per_level)


def train_score(data: np.ndarray, *, sigmas: np.ndarray | None = None, steps: int = 2000, batch: int = 256,
                lr: float = 1e-2, seed: int = 0, every: int = 100, hidden: int = 64,
                stable: bool = True) -> Iterator[TrainFrame]:
    """Denoising score matching (Vincent 2011) averaged over the ladder with weight λ(σ) = σ²:
    L = E_σ E_x E_z ‖σ s_θ(x + σz, σ) + z‖², whose minimiser is the score of the σ-noised data.
    ``stable`` swaps the one-sample target −z for its average over the batch (:func:`stable_target`)."""
    check_training(steps, batch, lr)
    sigmas = sigma_ladder() if sigmas is None else np.asarray(sigmas, dtype=np.float64)
    with runtime.seeded(seed):
        model = ScoreModel(ConditionalMLP(hidden=hidden), sigmas)
    gen = torch.Generator().manual_seed(seed)
    ladder = torch.as_tensor(sigmas, dtype=torch.float32)
    optimizer = torch.optim.Adam(model.net.parameters(), lr=lr)
    batches = data_batches(data, batch, gen)
    losses: list[float] = []
    for step in range(1, steps + 1):
        x = next(batches)
        sigma = ladder[torch.randint(0, len(ladder), (batch,), generator=gen)]
        z = torch.randn(x.shape, generator=gen)
        noisy = x + sigma[:, None] * z
        target = stable_target(noisy, x, sigma) if stable else -z  # σ × (the regression target for s_θ)
        loss = ((sigma[:, None] * model.score_tensor(noisy, sigma) - target) ** 2).sum(1).mean()
        losses.append(descend(optimizer, loss, lr, step, steps))
        if step % every == 0 or step == steps:
            yield TrainFrame(step, steps, float(np.mean(losses[-every:])), model, "denoising score matching", losses)


@dataclass
class LangevinFrame:
    level: int
    sigma: float
    x: np.ndarray  # n×2 positions after this level's steps


def annealed_langevin(model: ScoreModel, n: int, seed: int, steps_per_level: int = 50, eta: float = 0.1,
                      denoise: bool = True, x0: np.ndarray | None = None) -> Iterator[LangevinFrame]:
    """Annealed Langevin dynamics (Song & Ermon 2019, Alg. 1): at each σ_i, T steps of
    x ← x + (α_i/2) s_θ(x, σ_i) + √α_i z with α_i = η σ_i² (so every level moves a similar fraction of its own
    noise scale). Starts from N(0, σ_1² I); a last Tweedie step x + σ_L² s_θ(x, σ_L) removes the final noise."""
    if not 1 <= n <= MAX_SAMPLES:
        raise InputError("The number of samples must lie between 1 and {max_samples} (got {n}).",
                         max_samples=MAX_SAMPLES, n=n)
    if not 1 <= steps_per_level <= 1000:
        raise InputError("Langevin steps per level must lie between 1 and 1000 (got {steps_per_level}).",
                         steps_per_level=steps_per_level)
    gen = torch.Generator().manual_seed(seed)
    x = (as_tensor(x0).clone() if x0 is not None
         else float(model.sigmas[0]) * torch.randn((n, 2), generator=gen))
    with torch.no_grad():
        for level, sigma in enumerate(model.sigmas):
            alpha = eta * float(sigma) ** 2
            sig = torch.full((len(x),), float(sigma))
            for _ in range(steps_per_level):
                x = x + 0.5 * alpha * model.score_tensor(x, sig) + alpha**0.5 * torch.randn(x.shape, generator=gen)
            if denoise and level == len(model.sigmas) - 1:
                x = x + float(sigma) ** 2 * model.score_tensor(x, sig)
            yield LangevinFrame(level, float(sigma), x.numpy().copy())


def annealed_langevin_sample(model: ScoreModel, n: int, seed: int, steps_per_level: int = 50) -> np.ndarray:
    *_, last = annealed_langevin(model, n, seed, steps_per_level)
    return last.x


def langevin_chains(model: ScoreModel, n_chains: int, seed: int, steps_per_level: int = 30) -> np.ndarray:
    """Positions of a few chains after every level (levels+1)×n×2, starting point first: what the view animates."""
    gen = torch.Generator().manual_seed(seed)
    x0 = (float(model.sigmas[0]) * torch.randn((n_chains, 2), generator=gen)).numpy()
    path = [x0] + [f.x for f in annealed_langevin(model, n_chains, seed + 1, steps_per_level, x0=x0)]
    return np.stack(path)


def snapshot(model: ScoreModel) -> ScoreModel:
    """A frozen copy (the UI keeps one while training goes on)."""
    return copy.deepcopy(model)
