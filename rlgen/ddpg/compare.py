"""DDPG, TD3 and SAC trained side by side: same environment, budget and seed, one frame of each in turn, so
their learning curves and their critics' over-estimation can be drawn together as they grow."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rlgen.ddpg.agent import DDPGConfig
from rlgen.ddpg.sac import SACConfig
from rlgen.ddpg.td3 import TD3Config
from rlgen.ddpg.training import TrainFrame, train
from rlgen.errors import InputError

ALGORITHMS: dict[str, type[DDPGConfig]] = {"DDPG": DDPGConfig, "TD3": TD3Config, "SAC": SACConfig}


def side_by_side_configs(algorithms: list[str], total_steps: int, seed: int, env_id: str = "Pendulum-v1",
                         eval_every: int = 1_000, frame_every: int = 250, **shared) -> dict[str, DDPGConfig]:
    """One validated config per algorithm with the same budget, seed and evaluation schedule; ``shared``
    knobs (γ, τ, learning rates, …) go to all of them."""
    if not algorithms:
        raise InputError("Pick at least one algorithm to train.")
    unknown = [a for a in algorithms if a not in ALGORITHMS]
    if unknown:
        raise InputError("Unknown algorithm {unknown!r}; choose from {algorithms}.",
                         unknown=unknown[0], algorithms=', '.join(ALGORITHMS))
    return {name: ALGORITHMS[name](env_id=env_id, total_steps=total_steps, seed=seed, eval_every=eval_every,
                                   frame_every=frame_every, **shared).validate()
            for name in dict.fromkeys(algorithms)}


@dataclass
class ComparisonFrame:
    """The latest frame of each run (a run that has not yielded yet is absent)."""

    frames: dict[str, TrainFrame]
    total_steps: int
    done: bool = False

    @property
    def step(self) -> int:
        return min((f.step for f in self.frames.values()), default=0)


def train_side_by_side(configs: dict[str, DDPGConfig]) -> Iterator[ComparisonFrame]:
    """Advance each run by one frame in turn and yield all latest frames after each; the runs share the CPU
    fairly, so at any moment they have trained for about the same number of steps."""
    runs = {name: train(config) for name, config in configs.items()}
    latest: dict[str, TrainFrame] = {}
    total = max(config.total_steps for config in configs.values())
    try:
        while runs:
            for name in list(runs):
                frame = next(runs[name], None)
                if frame is None:
                    del runs[name]
                    continue
                latest[name] = frame
                yield ComparisonFrame(dict(latest), total, done=False)
        yield ComparisonFrame(dict(latest), total, done=True)
    finally:
        for run in runs.values():
            run.close()

