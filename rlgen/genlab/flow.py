"""Rectified flow (Liu et al. 2022; the objective of SD3): learn the velocity v_θ(x_t, t) of straight lines
x_t = (1−t) x_0 + t x_1 from noise x_0 to data x_1, sample by integrating dx/dt = v_θ. Reflow retrains on the
pairs (x_0, ODE(x_0)) the first flow produced; those pairs no longer cross, so the new paths are straighter
and even a single Euler step lands near the data."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from rlgen import runtime
from rlgen.errors import InputError
from rlgen.genlab.nets import ConditionalMLP, TrainFrame, as_tensor, check_training, descend, torch

MAX_FLOW_STEPS = 1000
REFLOW_PAIRS = 4000
T_MIN = 0.02  # the exact mixture velocity is singular at t = 0; the field view starts here


@dataclass
class VelocityModel:
    net: ConditionalMLP
    kind: str = "velocity"

    def velocity(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return self.net(x, t)

    def t_at(self, u: float) -> float:
        """Slider u ∈ [0, 1] (0 = data end) as flow time t (t = 1 is data, t = 0 is noise)."""
        return float(1 - (1 - T_MIN) * np.clip(u, 0, 1))

    def noise(self, u: float) -> tuple[float, float]:
        t = self.t_at(u)
        return t, 1 - t

    def field(self, x: np.ndarray, u: float) -> np.ndarray:
        with torch.no_grad():
            xt = as_tensor(x)
            return self.velocity(xt, torch.full((len(xt),), self.t_at(u))).numpy()

    def level_label(self, u: float) -> str:
        return f"t = {self.t_at(u):.2f} (x_t = (1−t)·noise + t·data)"

    def prior(self, n: int, seed: int) -> np.ndarray:
        return torch.randn((n, 2), generator=torch.Generator().manual_seed(seed)).numpy()

    def sample(self, n: int, seed: int, steps: int = 50) -> np.ndarray:
        return euler_paths(self, self.prior(n, seed), steps)[-1]


@dataclass
class RectifiedFlow:
    """The first flow (1-RF) and, once reflow has run, the second (2-RF); ``current`` is the newest."""

    first: VelocityModel
    second: VelocityModel | None = None
    kind: str = "velocity"

    @property
    def current(self) -> VelocityModel:
        return self.second or self.first

    def field(self, x: np.ndarray, u: float) -> np.ndarray:
        return self.current.field(x, u)

    def noise(self, u: float) -> tuple[float, float]:
        return self.current.noise(u)

    def level_label(self, u: float) -> str:
        return self.current.level_label(u)

    def sample(self, n: int, seed: int, steps: int = 50) -> np.ndarray:
        return self.current.sample(n, seed, steps)


def euler_paths(model: VelocityModel, x0: np.ndarray, steps: int = 50) -> np.ndarray:
    """Euler on dx/dt = v_θ(x, t) from t = 0 (noise) to 1 (data); the path is (steps + 1)×n×2. steps = 1 is the
    one-step sampler x_1 = x_0 + v_θ(x_0, 0)."""
    if not 1 <= steps <= MAX_FLOW_STEPS:
        raise InputError("Flow steps must lie between 1 and {max_flow_steps} (got {steps}).",
                         max_flow_steps=MAX_FLOW_STEPS, steps=steps)
    if len(x0) > 5000:
        raise InputError("At most 5000 points can be sampled at once (got {n_x0}).", n_x0=len(x0))
    x = as_tensor(x0).clone()
    path = [x.numpy().copy()]
    with torch.no_grad():
        for k in range(steps):
            x = x + model.velocity(x, torch.full((len(x),), k / steps)) / steps
            path.append(x.numpy().copy())
    return np.stack(path)


def straightness(path: np.ndarray) -> float:
    """Liu et al.'s S(Z) = ∫₀¹ E‖(Z_1 − Z_0) − Ż_t‖² dt on a simulated path: 0 for straight lines, larger the
    more the paths bend. Ż_t is each Euler step's velocity."""
    steps = len(path) - 1
    chord = path[-1] - path[0]
    velocity = np.diff(path, axis=0) * steps
    return float(((velocity - chord[None]) ** 2).sum(-1).mean())


def _fit(model: VelocityModel, pairs: Iterator[tuple[torch.Tensor, torch.Tensor]], steps: int, lr: float,
         gen: torch.Generator, every: int, phase: str, make_frame) -> Iterator[TrainFrame]:
    """Flow matching on (x_0, x_1) pairs: L = E_t ‖v_θ((1−t)x_0 + t x_1, t) − (x_1 − x_0)‖², t ~ U(0, 1)."""
    optimizer = torch.optim.Adam(model.net.parameters(), lr=lr)
    losses: list[float] = []
    for step in range(1, steps + 1):
        x0, x1 = next(pairs)
        t = torch.rand(len(x0), generator=gen)
        xt = (1 - t[:, None]) * x0 + t[:, None] * x1
        loss = ((model.velocity(xt, t) - (x1 - x0)) ** 2).sum(1).mean()
        losses.append(descend(optimizer, loss, lr, step, steps))
        if step % every == 0 or step == steps:
            yield make_frame(step, float(np.mean(losses[-every:])), phase, losses)


def train_rectified_flow(data: np.ndarray, *, steps: int = 2000, reflow_steps: int = 1500, batch: int = 256,
                         lr: float = 1e-2, seed: int = 0, every: int = 100, hidden: int = 64,
                         ode_steps: int = 100, pairs: int = REFLOW_PAIRS) -> Iterator[TrainFrame]:
    """1-RF on independent (noise, data) pairs, then one reflow round: draw ``pairs`` noise points, push them
    through 1-RF's ODE, and fine-tune a copy on those coupled pairs (2-RF). Frames carry a
    :class:`RectifiedFlow`; ``phase`` says which round is running."""
    check_training(steps, batch, lr)
    check_training(reflow_steps, batch, lr)
    if not 100 <= pairs <= 20_000:
        raise InputError("Reflow needs 100 to 20000 pairs (got {pairs}).", pairs=pairs)
    gen = torch.Generator().manual_seed(seed)
    with runtime.seeded(seed):
        flow = RectifiedFlow(VelocityModel(ConditionalMLP(hidden=hidden)))
    pool = as_tensor(data)
    total = steps + reflow_steps

    def independent() -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        while True:
            yield torch.randn((batch, 2), generator=gen), pool[torch.randint(0, len(pool), (batch,), generator=gen)]

    losses_all: list[float] = []

    def frame(offset: int):
        def make(step: int, loss: float, phase: str, losses: list[float]) -> TrainFrame:
            del losses_all[offset:]
            losses_all.extend(losses)
            return TrainFrame(offset + step, total, loss, flow, phase, losses_all)
        return make

    yield from _fit(flow.first, independent(), steps, lr, gen, every, "rectified flow (1-RF)", frame(0))
    # Reflow: the couplings (z, ODE₁(z)) are deterministic, so their straight interpolations no longer cross.
    z = torch.randn((pairs, 2), generator=gen)
    x1 = torch.as_tensor(euler_paths(flow.first, z.numpy(), ode_steps)[-1])
    flow.second = copy.deepcopy(flow.first)

    def coupled() -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        while True:
            idx = torch.randint(0, pairs, (batch,), generator=gen)
            yield z[idx], x1[idx]

    yield from _fit(flow.second, coupled(), reflow_steps, lr / 2, gen, every, "reflow (2-RF)", frame(steps))
