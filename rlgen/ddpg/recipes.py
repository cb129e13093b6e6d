"""What each task needs beyond DDPG's defaults, in one place: the shipped checkpoints, the tab's live runs and a
notebook all start from :func:`recipe`, so "how MountainCar is trained" is written once."""

from __future__ import annotations

from rlgen.ddpg.agent import DDPGConfig
from rlgen.errors import InputError

# The defaults of DDPGConfig solve Pendulum-v1. MountainCar is a hard-exploration task for DDPG: the only positive
# reward is at the flag, and every push costs 0.1·a². Correlated OU noise (θ = 0.15, dt = 0.1: correlation time
# ≈ 67 steps, stationary σ ≈ 0.9 of the range) rocks the car up to the flag in most warm-up episodes, where uniform
# jitter never does; those episodes in the replay buffer are what the critic learns the flag's value from.
EXPLORATION: dict[str, dict] = {
    "Pendulum-v1": {},
    "MountainCarContinuous-v0": {"noise": "ou", "noise_std": 0.5, "ou_dt": 0.1, "warmup": "noise",
                                 "learning_starts": 10_000, "gamma": 0.99},
}
LIVE_STEPS = {"Pendulum-v1": 10_000, "MountainCarContinuous-v0": 30_000}  # a live run long enough to learn the task
LIVE_EVAL_EPISODES = {"Pendulum-v1": 10, "MountainCarContinuous-v0": 5}  # MountainCar's episodes are 5× longer
LIVE_EVALUATIONS = 20  # points on a live run's learning curve
LIVE_FRAME_EVERY = 25  # env steps between a live run's frames


def recipe(env_id: str, **overrides) -> DDPGConfig:
    """DDPG's defaults, then what ``env_id`` needs, then ``overrides`` (any :class:`DDPGConfig` field)."""
    if env_id not in EXPLORATION:
        raise InputError("DDPG has a recipe for {tasks}; got {env_id!r}.", tasks=", ".join(EXPLORATION), env_id=env_id)
    return DDPGConfig(env_id=env_id, **{**EXPLORATION[env_id], **overrides})


def live_config(env_id: str, total_steps: int, **overrides) -> DDPGConfig:
    """A live run of ``total_steps``: :func:`recipe` evaluated :data:`LIVE_EVALUATIONS` times, with frames often
    enough to animate."""
    return recipe(env_id, total_steps=total_steps, eval_every=max(1_000, total_steps // LIVE_EVALUATIONS),
                  eval_episodes=LIVE_EVAL_EPISODES[env_id], frame_every=LIVE_FRAME_EVERY, **overrides)
