"""2-D toy data sets, the points a person clicks, and Gaussian mixtures whose noised marginals have a score in
closed form (the known answer the learned score nets are checked against)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rlgen.errors import InputError

MAX_POINTS = 100_000
MAX_USER_POINTS = 500
MIN_USER_POINTS = 3
USER_JITTER = 0.12
CANVAS_LIMIT = 3.0  # the user canvas spans [-3, 3]²


@dataclass(frozen=True)
class GaussianMixture:
    """p(x) = Σ_k w_k N(x; μ_k, s_k² I) in 2-D, with isotropic components."""

    means: np.ndarray  # K×2
    stds: np.ndarray  # K
    weights: np.ndarray  # K, sums to 1

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        k = rng.choice(len(self.weights), size=n, p=self.weights)
        return (self.means[k] + self.stds[k, None] * rng.standard_normal((n, 2))).astype(np.float32)

    def noised(self, alpha: float, sigma: float) -> GaussianMixture:
        """The law of α·x + σ·z, z ~ N(0, I): means α μ_k, variances α² s_k² + σ² (VE: α = 1; VP: α² + σ² = 1)."""
        return GaussianMixture(alpha * self.means, np.sqrt((alpha * self.stds) ** 2 + sigma**2), self.weights)

    def _responsibilities(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        var = self.stds**2
        sq = ((x[:, None, :] - self.means[None]) ** 2).sum(-1)  # N×K
        log_comp = np.log(self.weights) - np.log(2 * np.pi * var) - 0.5 * sq / var
        top = log_comp.max(axis=1, keepdims=True)
        log_norm = top[:, 0] + np.log(np.exp(log_comp - top).sum(axis=1))
        return np.exp(log_comp - log_norm[:, None]), log_norm

    def log_prob(self, x: np.ndarray) -> np.ndarray:
        return self._responsibilities(np.asarray(x, dtype=np.float64))[1]

    def score(self, x: np.ndarray) -> np.ndarray:
        """∇ₓ log p(x) = Σ_k r_k(x) (μ_k − x) / s_k², with r_k the posterior responsibility of component k."""
        x = np.asarray(x, dtype=np.float64)
        resp, _ = self._responsibilities(x)
        per_comp = (self.means[None] - x[:, None, :]) / (self.stds**2)[None, :, None]
        return (resp[..., None] * per_comp).sum(axis=1)


def eight_gaussians() -> GaussianMixture:
    angles = np.arange(8) * np.pi / 4
    means = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return GaussianMixture(means, np.full(8, 0.15), np.full(8, 1 / 8))


def skewed_mixture() -> GaussianMixture:
    """Three components of unequal weight and width: the score field is visibly lopsided."""
    means = np.array([[-1.5, -0.8], [1.2, -1.0], [0.0, 1.4]])
    return GaussianMixture(means, np.array([0.35, 0.5, 0.25]), np.array([0.5, 0.2, 0.3]))


MIXTURES = {"8 gaussians": eight_gaussians, "gaussian mixture": skewed_mixture}
DATASETS = ("two moons", "swiss roll", "8 gaussians", "checkerboard", "circles", "gaussian mixture", "your points")


def mixture(name: str) -> GaussianMixture | None:
    """The closed-form mixture behind a data set, or None where the data set is not a Gaussian mixture."""
    return MIXTURES[name]() if name in MIXTURES else None


def two_moons(n: int, rng: np.random.Generator) -> np.ndarray:
    upper = rng.uniform(size=n) < 0.5  # each point picks its moon (no ordering: any prefix is a fair sample)
    t = rng.uniform(0, np.pi, n)
    x = np.where(upper, np.cos(t), 1 - np.cos(t))
    y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    pts = np.stack([x - 0.5, y - 0.25], axis=1) * 1.6
    return pts + 0.08 * rng.standard_normal((n, 2))


def swiss_roll(n: int, rng: np.random.Generator) -> np.ndarray:
    t = 1.5 * np.pi * (1 + 2 * rng.uniform(0, 1, n))
    pts = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / 5.0
    return pts + 0.08 * rng.standard_normal((n, 2))


def checkerboard(n: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform on the 8 dark squares of a 4×4 board over [-2, 2]²."""
    x = rng.uniform(-2, 2, n)
    col = np.floor(x + 2).astype(int)
    row = rng.integers(0, 2, n) * 2 + (col % 2)  # the rows whose parity matches the column's
    y = row - 2 + rng.uniform(0, 1, n)
    return np.stack([x, y], axis=1)


def circles(n: int, rng: np.random.Generator) -> np.ndarray:
    radius = np.where(rng.uniform(size=n) < 1 / 3, 1.0, 2.0)  # outer ring twice as long, twice the mass
    angle = rng.uniform(0, 2 * np.pi, n)
    pts = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return pts + 0.06 * rng.standard_normal((n, 2))


def check_user_points(points: list | np.ndarray | None) -> np.ndarray:
    pts = np.asarray(points if points is not None else [], dtype=np.float64).reshape(-1, 2)
    if len(pts) < MIN_USER_POINTS:
        raise InputError("Click at least {min_user_points} points on the canvas first (you have {n_points}).",
                         min_user_points=MIN_USER_POINTS, n_points=len(pts))
    if len(pts) > MAX_USER_POINTS:
        raise InputError("At most {max_user_points} points can be drawn (you have {n_points}).",
                         max_user_points=MAX_USER_POINTS, n_points=len(pts))
    if not np.isfinite(pts).all() or np.abs(pts).max() > CANVAS_LIMIT + 1e-9:
        raise InputError("Points must lie inside the canvas [-{canvas_limit:g}, {canvas_limit:g}]².",
                         canvas_limit=CANVAS_LIMIT)
    return pts


def sample(name: str, n: int, seed: int, user_points: list | np.ndarray | None = None) -> np.ndarray:
    """``n`` points (float32, n×2) from the named data set; "your points" draws clicked points plus N(0, 0.12²)."""
    if name not in DATASETS:
        raise InputError("Unknown data set {name!r}; choose one of: {datasets}.",
                         name=name, datasets=', '.join(DATASETS))
    if not 1 <= n <= MAX_POINTS:
        raise InputError("The number of points must lie between 1 and {max_points} (got {n}).",
                         max_points=MAX_POINTS, n=n)
    rng = np.random.default_rng(seed)
    if name in MIXTURES:
        return MIXTURES[name]().sample(n, rng)
    if name == "your points":
        pts = check_user_points(user_points)
        return (pts[rng.integers(0, len(pts), n)] + USER_JITTER * rng.standard_normal((n, 2))).astype(np.float32)
    makers = {"two moons": two_moons, "swiss roll": swiss_roll, "checkerboard": checkerboard, "circles": circles}
    return makers[name](n, rng).astype(np.float32)
