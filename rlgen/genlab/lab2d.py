"""The 2-D lab as one table of methods: how each trains, samples and is drawn. The UI only picks a row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from rlgen.errors import InputError
from rlgen.genlab import figures, toy2d_data
from rlgen.genlab.flow import RectifiedFlow, VelocityModel, euler_paths, straightness, train_rectified_flow
from rlgen.genlab.metrics import mmd2
from rlgen.genlab.nets import TrainFrame
from rlgen.genlab.score import ScoreModel, langevin_chains, train_score
from rlgen.genlab.sde import (
    SDES,
    DDPMModel,
    SDEModel,
    ddpm_ancestral,
    probability_flow,
    reverse_sde,
    train_ddpm,
    train_sde_score,
)
from rlgen.genlab.toy2d_data import GaussianMixture

SMLD = "SMLD: score matching + annealed Langevin"
VE = "VE SDE: reverse SDE vs probability-flow ODE"
VP = "VP SDE: reverse SDE vs probability-flow ODE"
DDPM = "DDPM (discrete, 100 steps)"
RF = "Rectified flow + reflow"
METHODS = (SMLD, VE, VP, DDPM, RF)
DEFAULT_STEPS = {SMLD: 2000, VE: 2000, VP: 2000, DDPM: 2000, RF: 2000}
TRAIN_POINTS = 20_000
N_PATHS = 24

Model = ScoreModel | SDEModel | DDPMModel | RectifiedFlow


def check_method(method: str) -> str:
    if method not in METHODS:
        raise InputError("Unknown method {method!r}; choose one of: {methods}.",
                         method=method, methods=', '.join(METHODS))
    return method


def reflow_starts(method: str, steps: int) -> int | None:
    """The step at which rectified flow's reflow begins (after 4/7 of ``steps`` of 1-RF); None for the others."""
    return max(1, steps * 4 // 7) if method == RF else None


def train(method: str, data: np.ndarray, steps: int, seed: int, every: int = 25) -> Iterator[TrainFrame]:
    """The method's trainer with the settings measured to reach a good result in seconds on one thread.
    Rectified flow splits ``steps`` into 4/7 for 1-RF and 3/7 for reflow."""
    check_method(method)
    if method == SMLD:
        return train_score(data, steps=steps, seed=seed, every=every)
    if method in (VE, VP):
        return train_sde_score(data, SDES["VE SDE" if method == VE else "VP SDE"], steps=steps, seed=seed,
                               every=every)
    if method == DDPM:
        return train_ddpm(data, steps=steps, seed=seed, every=every)
    first = reflow_starts(method, steps)
    return train_rectified_flow(data, steps=first, reflow_steps=max(1, steps - first), seed=seed, every=every)


# Sampler steps per model: (while training, for the final views). DDPM always walks its own T steps.
SAMPLER_STEPS = {ScoreModel: ("steps_per_level", 10, 50), SDEModel: ("steps", 60, 300),
                 RectifiedFlow: ("steps", 20, 100)}


def _samples(model: Model, n: int, seed: int, final: bool) -> np.ndarray:
    if isinstance(model, DDPMModel):
        return model.sample(n, seed)
    name, quick, full = next(steps for kind, steps in SAMPLER_STEPS.items() if isinstance(model, kind))
    return model.sample(n, seed, **{name: full if final else quick})


def quick_samples(model: Model, n: int, seed: int) -> np.ndarray:
    """A cheap sampler for the live view while training runs (fewer steps than the final views)."""
    return _samples(model, n, seed, final=False)


def final_samples(model: Model, n: int, seed: int) -> np.ndarray:
    """Samples for the final views and the MMD score."""
    return _samples(model, n, seed, final=True)


def field_view(model: Model, data: np.ndarray, u: float) -> go.Figure:
    points = figures.grid_points(17)
    what = "velocity v(x, t)" if model.kind == "velocity" else "score ∇ₓ log p(x)"
    return figures.field_figure(points, model.field(points, u), data, f"Learned {what} at {model.level_label(u)}")


@dataclass
class SamplerPaths:
    """The paths one sampler view draws: Langevin chains (one panel) or two path sets side by side."""

    title: str
    left: np.ndarray  # (steps + 1)×n×2
    right: np.ndarray | None = None
    titles: tuple[str, str] = ("", "")
    sigmas: np.ndarray | None = None

    @property
    def length(self) -> int:
        return len(self.left) if self.right is None else max(len(self.left), len(self.right))


def sampler_paths(model: Model, seed: int) -> SamplerPaths:
    """The method's own picture of sampling: Langevin chains, SDE vs ODE paths, DDPM's reverse chain twice, or
    the rectified-flow paths before and after reflow — all from the same seeded starting points."""
    if isinstance(model, ScoreModel):
        return SamplerPaths("", langevin_chains(model, 12, seed), sigmas=model.sigmas)
    if isinstance(model, SDEModel):
        start = model.prior(N_PATHS, seed)
        return SamplerPaths(f"{model.sde.name}: {N_PATHS} paths from the same starting noise",
                            reverse_sde(model, start, 200, seed + 1), probability_flow(model, start, 200),
                            ("reverse SDE (stochastic)", "probability-flow ODE (deterministic)"))
    if isinstance(model, DDPMModel):
        start = model.prior(N_PATHS, seed)
        return SamplerPaths("DDPM: the same starting points, two draws of the per-step noise",
                            ddpm_ancestral(model, start, seed + 1), ddpm_ancestral(model, start, seed + 2),
                            ("ancestral sampling, noise draw A", "same start, noise draw B"))
    start = model.first.prior(N_PATHS, seed)
    before, after = euler_paths(model.first, start, 50), euler_paths(model.current, start, 50)
    return SamplerPaths("Rectified-flow ODE paths from the same noise: before and after reflow", before, after,
                        (f"1-RF (straightness {straightness(before):.3g})",
                         f"2-RF after reflow (straightness {straightness(after):.3g})"))


def sampler_figure(paths: SamplerPaths, data: np.ndarray, fraction: float = 1.0) -> go.Figure:
    """The paths drawn up to ``fraction`` of the way (an animation shows growing fractions)."""
    def cut(path: np.ndarray) -> np.ndarray:
        return path[: max(1, int(round(fraction * (len(path) - 1))) + 1)]

    if paths.right is None:
        return figures.langevin_figure(cut(paths.left), paths.sigmas, data)
    return figures.paired_paths_figure(cut(paths.left), cut(paths.right), data, paths.titles, paths.title)


def sampler_view(model: Model, data: np.ndarray, seed: int) -> go.Figure:
    return sampler_figure(sampler_paths(model, seed), data)


def one_step_view(flow: RectifiedFlow, data: np.ndarray, seed: int, n: int = 600) -> go.Figure:
    start = flow.first.prior(n, seed)
    before = euler_paths(flow.first, start, 1)[-1]
    after = euler_paths(flow.current, start, 1)[-1]
    ref = data[:n]
    return figures.one_step_figure(before, after, data, mmd2(before, ref), mmd2(after, ref))


def exact_field(model: Model, mix: GaussianMixture, u: float, points: np.ndarray) -> np.ndarray:
    """The closed-form answer the learned field should match: the score of the noised mixture, or for rectified
    flow the velocity E[x₁ − x₀ | x_t = x] = (x + (1−t) ∇log p_t(x)) / t of the independent coupling."""
    alpha, sigma = model.noise(u)
    score = mix.noised(alpha, sigma).score(points)
    if model.kind == "velocity":
        return (points + sigma * score) / alpha
    return score


def _comparable(model: Model) -> Model:
    # Only 1-RF has a closed-form velocity: reflow's coupling is the learned ODE map, not independent noise.
    return model.first if isinstance(model, RectifiedFlow) else model


def relative_error(model: Model, mix: GaussianMixture, u: float, n: int = 2000, seed: int = 0) -> float:
    """√(E‖f_θ − f*‖² / E‖f*‖²) over points drawn from the noised marginal at slider position u."""
    model = _comparable(model)
    alpha, sigma = model.noise(u)
    points = mix.noised(alpha, sigma).sample(n, np.random.default_rng(seed))
    exact = exact_field(model, mix, u, points)
    learned = model.field(points, u)
    return float(np.sqrt(((learned - exact) ** 2).sum(1).mean() / (exact**2).sum(1).mean()))


def mixture_view(model: Model, mix: GaussianMixture, u: float) -> go.Figure:
    model = _comparable(model)
    points = figures.grid_points(15)
    return figures.mixture_figure(points, model.field(points, u), exact_field(model, mix, u, points),
                                  model.level_label(u), relative_error(model, mix, u))


def sample_quality(model: Model, dataset: str, seed: int, n: int = 1000,
                   user_points: list | None = None) -> float:
    """MMD² between final samples and fresh data (0 for a perfect sampler, up to noise)."""
    return mmd2(final_samples(model, n, seed), toy2d_data.sample(dataset, n, seed + 7, user_points))


__all__ = ["METHODS", "VelocityModel", "SamplerPaths", "train", "quick_samples", "final_samples", "field_view",
           "sampler_paths", "sampler_figure", "sampler_view", "one_step_view", "exact_field", "relative_error",
           "mixture_view", "sample_quality"]
