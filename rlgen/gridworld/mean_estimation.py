"""Mean estimation, the opening of book chapter 5 and the start of chapter 6 (Robbins–Monro).

E[X] ≈ x̄_k = (1/k) Σ_{i≤k} x_i, and the same estimate incrementally: w_{k+1} = w_k − α_k (w_k − x_k).
With α_k = 1/k the two are identical; any α_k with Σα_k = ∞ and Σα_k² < ∞ still converges (Robbins–Monro);
a constant α keeps forgetting and only hovers around the mean. The law of large numbers puts x̄_k within
±z·σ/√k of the mean with the normal approximation's probability.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from rlgen.errors import InputError

MAX_SAMPLES = 1_000_000


@dataclass(frozen=True)
class Distribution:
    name: str
    mean: float
    std: float
    sample: Callable[[np.random.Generator, int], np.ndarray]


def distribution(name: str, p: float = 0.5) -> Distribution:
    """The distributions the tab offers. ``p`` is P(X = +1) for the coin."""
    if name == "coin":
        if not np.isfinite(p) or not 0.0 <= p <= 1.0:
            raise InputError("The coin's P(+1) must lie in [0, 1] (got {p}).", p=p)
        mean, std = 2 * p - 1, 2 * np.sqrt(p * (1 - p))
        return Distribution("±1 coin", mean, std, lambda rng, n: np.where(rng.random(n) < p, 1.0, -1.0))
    if name == "uniform":
        return Distribution("uniform on [0, 1]", 0.5, np.sqrt(1 / 12), lambda rng, n: rng.random(n))
    if name == "gaussian":
        return Distribution("normal(2, 1.5²)", 2.0, 1.5, lambda rng, n: rng.normal(2.0, 1.5, n))
    if name == "exponential":
        return Distribution("exponential(rate 1)", 1.0, 1.0, lambda rng, n: rng.exponential(1.0, n))
    raise InputError("Unknown distribution {name!r}; choose coin, uniform, gaussian or exponential.", name=name)


def step_sizes(schedule: str, n: int, alpha: float = 0.1) -> np.ndarray:
    """α_1 … α_n for 'one_over_k' (1/k), 'power' (1/k^0.6, still Robbins–Monro) or 'constant' (α)."""
    k = np.arange(1, n + 1, dtype=np.float64)
    if schedule == "one_over_k":
        return 1.0 / k
    if schedule == "power":
        return k**-0.6
    if schedule == "constant":
        if not np.isfinite(alpha) or not 0.0 < alpha <= 1.0:
            raise InputError("The constant step size α must lie in (0, 1] (got {alpha}).", alpha=alpha)
        return np.full(n, float(alpha))
    raise InputError("Unknown step-size schedule {schedule!r}; choose one_over_k, power or constant.",
                     schedule=schedule)


@dataclass
class MeanEstimate:
    k: np.ndarray  # 1..n
    samples: np.ndarray
    sample_mean: np.ndarray  # x̄_k
    incremental: np.ndarray  # w_{k+1} after seeing x_1..x_k
    band: np.ndarray  # z σ / √k
    true_mean: float
    label: str


def mean_estimation(
    name: str = "coin", n: int = 1000, seed: int = 0, schedule: str = "one_over_k", alpha: float = 0.1,
    p: float = 0.5, z: float = 1.96,
) -> MeanEstimate:
    if int(n) != n or not 1 <= n <= MAX_SAMPLES:
        raise InputError("The number of samples must be a whole number from 1 to {max_samples:,} (got {n}).",
                         max_samples=MAX_SAMPLES, n=n)
    n = int(n)
    dist = distribution(name, p)
    samples = dist.sample(np.random.default_rng(seed), n)
    k = np.arange(1, n + 1)
    sample_mean = np.cumsum(samples) / k
    alphas = step_sizes(schedule, n, alpha)
    # w_{k+1} = (1 − α_k) w_k + α_k x_k, starting from w_1 = 0 (sequential: each w depends on the last).
    w = np.empty(n)
    current = 0.0
    for i, (a, x) in enumerate(zip(alphas.tolist(), samples.tolist())):
        current -= a * (current - x)
        w[i] = current
    return MeanEstimate(k, samples, sample_mean, w, z * dist.std / np.sqrt(k), dist.mean, dist.name)


def mean_estimation_steps(estimate: MeanEstimate, frames: int = 40) -> Iterator[int]:
    """How many samples to reveal at each animation frame: geometrically spaced, so early wobble and the
    late 1/√k narrowing both get screen time."""
    n = estimate.k.size
    marks = np.unique(np.geomspace(1, n, num=min(frames, n)).astype(int))
    yield from marks.tolist()
