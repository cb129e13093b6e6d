"""The SDE view of diffusion (Song et al. 2021): a forward SDE dx = f(x,t)dt + g(t)dw that turns data into noise,
its reverse-time SDE dx = [f − g² ∇log p_t]dt + g dw̄, and the probability-flow ODE dx/dt = f − ½g² ∇log p_t that
has the same marginals with no noise at all. VE and VP flavours, both trained by denoising score matching over
continuous t; and the discrete DDPM (Ho et al. 2020) on 2-D."""

from __future__ import annotations

import math
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

MAX_SAMPLER_STEPS = 2000
T_EPS = 1e-3  # integrate down to t = ε, not 0: the score blows up as the noise vanishes


@dataclass(frozen=True)
class VESDE:
    """Variance exploding: dx = √(dσ²/dt) dw with σ(t) = σ_min (σ_max/σ_min)^t, so x_t = x_0 + σ(t) z."""

    sigma_min: float = 0.02
    sigma_max: float = 3.0
    name: str = "VE SDE"

    @property
    def prior_std(self) -> float:
        return self.sigma_max

    def marginal(self, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(α(t), σ(t)) with x_t = α x_0 + σ z."""
        return torch.ones_like(t), self.sigma_min * (self.sigma_max / self.sigma_min) ** t

    def drift(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return torch.zeros_like(x)

    def g2(self, t: torch.Tensor) -> torch.Tensor:
        # g² = dσ²/dt = 2σ² ln(σ_max/σ_min)
        return 2 * self.marginal(t)[1] ** 2 * math.log(self.sigma_max / self.sigma_min)


@dataclass(frozen=True)
class VPSDE:
    """Variance preserving: dx = −½β(t) x dt + √β(t) dw with β linear in t, so x_t = α(t) x_0 + √(1−α²) z,
    α(t) = exp(−½∫₀ᵗβ) — the continuous limit of DDPM."""

    beta_min: float = 0.1
    beta_max: float = 20.0
    name: str = "VP SDE"
    prior_std: float = 1.0

    def beta(self, t: torch.Tensor) -> torch.Tensor:
        return self.beta_min + t * (self.beta_max - self.beta_min)

    def marginal(self, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        log_alpha = -0.25 * t**2 * (self.beta_max - self.beta_min) - 0.5 * t * self.beta_min
        return torch.exp(log_alpha), torch.sqrt(-torch.expm1(2 * log_alpha))

    def drift(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return -0.5 * self.beta(t)[:, None] * x

    def g2(self, t: torch.Tensor) -> torch.Tensor:
        return self.beta(t)


SDES = {"VE SDE": VESDE(), "VP SDE": VPSDE()}


@dataclass
class SDEModel:
    """s_θ(x, t) = f_θ(c_in x, log σ(t) / 4) / σ(t), c_in = 1/√(α² + σ²) (the noised data's spread, for data of
    spread ≈ 1). Conditioning on log σ rather than t spreads the levels that matter evenly over the input
    (EDM's c_noise): VP's noise is already near 1 for most t, so t itself would waste most of its range."""

    net: ConditionalMLP
    sde: VESDE | VPSDE
    kind: str = "score"

    def score_tensor(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        alpha, std = self.sde.marginal(t)
        c_in = torch.rsqrt(alpha**2 + std**2)[:, None]
        return self.net(x * c_in, torch.log(std) / 4) / std[:, None]

    def t_at(self, u: float) -> float:
        return T_EPS + (1 - T_EPS) * float(np.clip(u, 0, 1))

    def noise(self, u: float) -> tuple[float, float]:
        alpha, std = self.sde.marginal(torch.tensor([self.t_at(u)]))
        return float(alpha), float(std)

    def field(self, x: np.ndarray, u: float) -> np.ndarray:
        with torch.no_grad():
            xt = as_tensor(x)
            return self.score_tensor(xt, torch.full((len(xt),), self.t_at(u))).numpy()

    def level_label(self, u: float) -> str:
        alpha, std = self.noise(u)
        return f"t = {self.t_at(u):.3f} (α = {alpha:.3f}, σ = {std:.3f})"

    def prior(self, n: int, seed: int) -> np.ndarray:
        gen = torch.Generator().manual_seed(seed)
        return (self.sde.prior_std * torch.randn((n, 2), generator=gen)).numpy()

    def sample(self, n: int, seed: int, steps: int = 200) -> np.ndarray:
        return reverse_sde(self, self.prior(n, seed), steps, seed + 1)[-1]


def train_sde_score(data: np.ndarray, sde: VESDE | VPSDE, *, steps: int = 2000, batch: int = 256, lr: float = 1e-2,
                    seed: int = 0, every: int = 100, hidden: int = 64, stable: bool = True) -> Iterator[TrainFrame]:
    """Continuous-time DSM: t ~ U(ε, 1), x_t = α(t)x + σ(t)z, L = E‖σ(t) s_θ(x_t, t) + z‖² (λ(t) = σ(t)²);
    ``stable`` averages the target over the batch (see :func:`rlgen.genlab.nets.stable_target`)."""
    check_training(steps, batch, lr)
    with runtime.seeded(seed):
        model = SDEModel(ConditionalMLP(hidden=hidden), sde)
    gen = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.net.parameters(), lr=lr)
    batches = data_batches(data, batch, gen)
    losses: list[float] = []
    for step in range(1, steps + 1):
        x = next(batches)
        t = T_EPS + (1 - T_EPS) * torch.rand(batch, generator=gen)
        alpha, std = sde.marginal(t)
        z = torch.randn(x.shape, generator=gen)
        noisy = alpha[:, None] * x + std[:, None] * z
        target = stable_target(noisy, x, std, alpha) if stable else -z
        loss = ((std[:, None] * model.score_tensor(noisy, t) - target) ** 2).sum(1).mean()
        losses.append(descend(optimizer, loss, lr, step, steps))
        if step % every == 0 or step == steps:
            yield TrainFrame(step, steps, float(np.mean(losses[-every:])), model, f"{sde.name} score matching", losses)


def _check_sampler(x_T: np.ndarray, steps: int) -> None:
    if not 1 <= steps <= MAX_SAMPLER_STEPS:
        raise InputError("Sampler steps must lie between 1 and {max_sampler_steps} (got {steps}).",
                         max_sampler_steps=MAX_SAMPLER_STEPS, steps=steps)
    if len(x_T) > 5000:
        raise InputError("At most 5000 points can be sampled at once (got {n_x_t}).", n_x_t=len(x_T))


def _denoise(model: SDEModel, x: torch.Tensor) -> torch.Tensor:
    """Tweedie's formula at t = ε: E[x_0 | x_t] = (x_t + σ² ∇log p_t(x_t)) / α removes the last bit of noise."""
    t = torch.full((len(x),), T_EPS)
    alpha, std = model.sde.marginal(t)
    return (x + std[:, None] ** 2 * model.score_tensor(x, t)) / alpha[:, None]


def reverse_sde(model: SDEModel, x_T: np.ndarray, steps: int = 200, seed: int = 0) -> np.ndarray:
    """Euler–Maruyama on the reverse-time SDE from t = 1 to ε: x ← x + [g² s_θ − f] Δt + g √Δt z.
    Returns the whole path, (steps + 2)×n×2 (start, each step, the final Tweedie denoise)."""
    gen = torch.Generator().manual_seed(seed)

    def move(x: torch.Tensor, t: torch.Tensor, dt: float) -> torch.Tensor:
        g2 = model.sde.g2(t)[:, None]
        x = x + (g2 * model.score_tensor(x, t) - model.sde.drift(x, t)) * dt
        return x + torch.sqrt(g2 * dt) * torch.randn(x.shape, generator=gen)

    return _backwards(model, x_T, steps, move)


def probability_flow(model: SDEModel, x_T: np.ndarray, steps: int = 200) -> np.ndarray:
    """Euler on the probability-flow ODE dx/dt = f − ½g² s_θ, backwards from t = 1: deterministic, so the same
    starting noise always lands on the same point. Path shaped like :func:`reverse_sde`'s."""

    def move(x: torch.Tensor, t: torch.Tensor, dt: float) -> torch.Tensor:
        return x + (0.5 * model.sde.g2(t)[:, None] * model.score_tensor(x, t) - model.sde.drift(x, t)) * dt

    return _backwards(model, x_T, steps, move)


def _backwards(model: SDEModel, x_T: np.ndarray, steps: int, move) -> np.ndarray:
    """``steps`` moves from t = 1 down to ε on an even grid, then the Tweedie denoise; the whole path."""
    _check_sampler(x_T, steps)
    ts = torch.linspace(1.0, T_EPS, steps + 1)
    x = as_tensor(x_T).clone()
    path = [x.numpy().copy()]
    with torch.no_grad():
        for k in range(steps):
            x = move(x, ts[k].expand(len(x)), float(ts[k] - ts[k + 1]))
            path.append(x.numpy().copy())
        path.append(_denoise(model, x).numpy())
    return np.stack(path)


def ddpm_betas(T: int = 100) -> np.ndarray:
    """Ho et al.'s linear schedule 10⁻⁴…0.02 over 1000 steps, rescaled to T steps (same total noise)."""
    if not 10 <= T <= 1000:
        raise InputError("DDPM needs 10 to 1000 steps (got {t}).", t=T)
    return np.linspace(0.1 / T, 20.0 / T, T)


@dataclass
class DDPMModel:
    """ε_θ(x_k, k) predicts the noise in x_k = √ᾱ_k x_0 + √(1−ᾱ_k) ε; the score is −ε_θ/√(1−ᾱ_k)."""

    net: ConditionalMLP
    betas: np.ndarray
    kind: str = "score"

    @property
    def alpha_bar(self) -> np.ndarray:
        return np.cumprod(1 - self.betas)

    def eps_tensor(self, x: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        # conditioned on log σ_k / 4 like the continuous models (see SDEModel)
        sigma = torch.as_tensor(np.sqrt(1 - self.alpha_bar), dtype=torch.float32)[k]
        return self.net(x, torch.log(sigma) / 4)

    def k_at(self, u: float) -> int:
        return int(round(float(np.clip(u, 0, 1)) * (len(self.betas) - 1)))

    def noise(self, u: float) -> tuple[float, float]:
        ab = self.alpha_bar[self.k_at(u)]
        return float(np.sqrt(ab)), float(np.sqrt(1 - ab))

    def field(self, x: np.ndarray, u: float) -> np.ndarray:
        k = self.k_at(u)
        with torch.no_grad():
            eps = self.eps_tensor(as_tensor(x), torch.full((len(x),), k)).numpy()
        return -eps / np.sqrt(1 - self.alpha_bar[k])

    def level_label(self, u: float) -> str:
        alpha, std = self.noise(u)
        return f"step k = {self.k_at(u) + 1} of {len(self.betas)} (√ᾱ = {alpha:.3f}, σ = {std:.3f})"

    def prior(self, n: int, seed: int) -> np.ndarray:
        return torch.randn((n, 2), generator=torch.Generator().manual_seed(seed)).numpy()

    def sample(self, n: int, seed: int) -> np.ndarray:
        return ddpm_ancestral(self, self.prior(n, seed), seed + 1)[-1]


def train_ddpm(data: np.ndarray, *, T: int = 100, steps: int = 2000, batch: int = 256, lr: float = 1e-2,
               seed: int = 0, every: int = 100, hidden: int = 64, stable: bool = True) -> Iterator[TrainFrame]:
    """Ho et al.'s simple loss ‖ε − ε_θ(√ᾱ_k x_0 + √(1−ᾱ_k) ε, k)‖², k uniform (``stable``: batch-averaged ε)."""
    check_training(steps, batch, lr)
    with runtime.seeded(seed):
        model = DDPMModel(ConditionalMLP(hidden=hidden), ddpm_betas(T))
    alpha_bar = torch.as_tensor(model.alpha_bar, dtype=torch.float32)
    gen = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.net.parameters(), lr=lr)
    batches = data_batches(data, batch, gen)
    losses: list[float] = []
    for step in range(1, steps + 1):
        x = next(batches)
        k = torch.randint(0, T, (batch,), generator=gen)
        alpha, std = alpha_bar[k].sqrt(), (1 - alpha_bar[k]).sqrt()
        eps = torch.randn(x.shape, generator=gen)
        noisy = alpha[:, None] * x + std[:, None] * eps
        target = -stable_target(noisy, x, std, alpha) if stable else eps
        loss = ((model.eps_tensor(noisy, k) - target) ** 2).sum(1).mean()
        losses.append(descend(optimizer, loss, lr, step, steps))
        if step % every == 0 or step == steps:
            yield TrainFrame(step, steps, float(np.mean(losses[-every:])), model, "DDPM ε-prediction", losses)


def ddpm_ancestral(model: DDPMModel, x_T: np.ndarray, seed: int = 0) -> np.ndarray:
    """Ancestral sampling (Ho et al. Alg. 2): x_{k−1} = (x_k − β_k/√(1−ᾱ_k) ε_θ)/√α_k + √β_k z, no z at the end.
    Returns the path, (T + 1)×n×2."""
    _check_sampler(x_T, len(model.betas))
    gen = torch.Generator().manual_seed(seed)
    betas, alpha_bar = model.betas, model.alpha_bar
    x = as_tensor(x_T).clone()
    path = [x.numpy().copy()]
    with torch.no_grad():
        for k in reversed(range(len(betas))):
            eps = model.eps_tensor(x, torch.full((len(x),), k))
            x = (x - betas[k] / math.sqrt(1 - alpha_bar[k]) * eps) / math.sqrt(1 - betas[k])
            if k > 0:
                x = x + math.sqrt(betas[k]) * torch.randn(x.shape, generator=gen)
            path.append(x.numpy().copy())
    return np.stack(path)
