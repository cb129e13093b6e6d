"""`python -m rlgen.bench ddpg [--json PATH] [--quick]`: our DDPG against stable-baselines3's on Pendulum-v1.

Three runs in this process, each on one torch thread, evaluated the same way (10 deterministic episodes
every 1,000 steps through :func:`rlgen.ddpg.evaluate`; evaluation is not counted as training). Times are the
process's CPU seconds, which other load on a shared machine does not stretch as it does wall time:
  * SB3 DDPG with the rl-baselines3-zoo Pendulum-v1 hyperparameters (20k steps, 10k random warm-up,
    net [400, 300], lr 1e-3, γ 0.98, N(0, 0.1) noise, batch 256, τ 0.005);
  * ours with the same hyperparameters (the implementation's speed, like for like);
  * ours with its defaults (what the tab trains).
Reported for each: env steps and training CPU seconds until the evaluation first reaches −200, the final
evaluation, and gradient updates per CPU second.
"""

from __future__ import annotations

import time

import numpy as np

from rlgen import runtime
from rlgen.bench._report import parse_args, report
from rlgen.ddpg import DDPGConfig, evaluate, train

ENV_ID = "Pendulum-v1"
SOLVED = -200.0
STEPS, WARMUP, EVAL_EVERY = 20_000, 10_000, 1_000
QUICK_STEPS, QUICK_WARMUP, QUICK_EVAL_EVERY = 400, 300, 200


def zoo_config(steps: int, warmup: int, eval_every: int, seed: int) -> DDPGConfig:
    """rl-baselines3-zoo's Pendulum-v1 DDPG in our config; SB3's noise σ = 0.1 is in torque units, ours is a
    fraction of the half-range 2, hence 0.05."""
    return DDPGConfig(env_id=ENV_ID, total_steps=steps, seed=seed, hidden=(400, 300), actor_lr=1e-3, critic_lr=1e-3,
                      gamma=0.98, tau=0.005, batch_size=256, buffer_size=200_000, learning_starts=warmup,
                      noise="gaussian", noise_std=0.05, eval_every=eval_every, eval_episodes=10, frame_every=eval_every)


def run_ours_timed(config: DDPGConfig) -> dict:
    """Our run, noting the training CPU time (evaluation excluded) at each evaluation."""
    times: list[float] = []
    frame = None
    for frame in train(config):  # noqa: B007 (the last frame is the result)
        if frame.eval_steps and len(times) < len(frame.eval_steps):
            times.append(frame.cpu_seconds - frame.eval_cpu_seconds)
    assert frame is not None
    return _summary(frame.eval_steps, frame.eval_means, frame.cpu_seconds - frame.eval_cpu_seconds, times,
                    frame.agent.updates)


class Deterministic:
    """An SB3 model behind our evaluation's ``act`` interface."""

    def __init__(self, model):
        self.model = model

    def act(self, obs: np.ndarray) -> np.ndarray:
        return self.model.predict(obs, deterministic=True)[0]


def learn_sb3(model, steps: int, eval_every: int, seed: int) -> dict:
    """Train an SB3 model for ``steps`` env steps, evaluated as ours are (10 deterministic episodes from reset
    seeds 10,000 + seed, … every ``eval_every`` steps, not counted as training time); the run's summary."""
    from stable_baselines3.common.callbacks import BaseCallback

    class Evaluations(BaseCallback):
        def __init__(self):
            super().__init__()
            self.steps, self.means, self.times, self.eval_seconds = [], [], [], 0.0
            self.start = time.process_time()

        def _on_step(self) -> bool:
            if self.num_timesteps % eval_every == 0:
                started = time.process_time()
                self.times.append(started - self.start - self.eval_seconds)  # training CPU time so far
                mean, _ = evaluate(Deterministic(self.model), ENV_ID, episodes=10, seed=10_000 + seed)
                self.eval_seconds += time.process_time() - started
                self.steps.append(self.num_timesteps)
                self.means.append(mean)
            return True

    callback = Evaluations()
    callback.start = time.process_time()
    model.learn(total_timesteps=steps, callback=callback)
    total = time.process_time() - callback.start - callback.eval_seconds
    return _summary(callback.steps, callback.means, total, callback.times, model._n_updates)


def run_sb3(steps: int, warmup: int, eval_every: int, seed: int) -> dict:
    from stable_baselines3 import DDPG
    from stable_baselines3.common.noise import NormalActionNoise

    model = DDPG("MlpPolicy", ENV_ID, gamma=0.98, buffer_size=200_000, learning_starts=warmup,
                 action_noise=NormalActionNoise(np.zeros(1), 0.1 * np.ones(1)), gradient_steps=1, train_freq=1,
                 learning_rate=1e-3, batch_size=256, tau=0.005, policy_kwargs=dict(net_arch=[400, 300]), seed=seed,
                 device="cpu", verbose=0)
    return learn_sb3(model, steps, eval_every, seed)


def _summary(eval_steps: list[int], eval_means: list[float], train_seconds: float, times: list[float],
             updates: int) -> dict:
    first = next((i for i, m in enumerate(eval_means) if m >= SOLVED), None)
    return {
        "steps_to_solve": eval_steps[first] if first is not None else None,
        "cpu_seconds_to_solve": round(times[first], 2) if first is not None else None,
        "final_eval": round(eval_means[-1], 1),
        "train_cpu_seconds": round(train_seconds, 2),
        "updates": updates,
        "updates_per_second": round(updates / train_seconds, 1) if train_seconds > 0 else None,
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv, __doc__.splitlines()[0])
    runtime.configure_torch()
    import torch

    torch.set_num_threads(1)  # both libraries on one thread, as the comparison specifies

    steps, warmup, every = (QUICK_STEPS, QUICK_WARMUP, QUICK_EVAL_EVERY) if args.quick else (STEPS, WARMUP, EVAL_EVERY)
    seed = 0
    defaults = DDPGConfig(seed=seed, total_steps=steps, eval_every=every, frame_every=every,
                          learning_starts=min(DDPGConfig.learning_starts, warmup))
    runs = {
        "sb3 DDPG (zoo)": run_sb3(steps, warmup, every, seed),
        "ours (zoo hyperparameters)": run_ours_timed(zoo_config(steps, warmup, every, seed)),
        "ours (defaults)": run_ours_timed(defaults),
    }
    sb3, ours_zoo, ours = runs["sb3 DDPG (zoo)"], runs["ours (zoo hyperparameters)"], runs["ours (defaults)"]
    ratios = {
        "update_speed_ours_zoo_over_sb3": _ratio(ours_zoo["updates_per_second"], sb3["updates_per_second"]),
        "solve_cpu_seconds_ours_defaults_over_sb3": _ratio(ours["cpu_seconds_to_solve"], sb3["cpu_seconds_to_solve"]),
        "solve_cpu_seconds_ours_zoo_over_sb3": _ratio(ours_zoo["cpu_seconds_to_solve"], sb3["cpu_seconds_to_solve"]),
    }
    rows = [{"run": name, **figures} for name, figures in runs.items()]
    report(f"DDPG on {ENV_ID}: ours vs stable-baselines3 ({steps:,} steps, torch threads {torch.get_num_threads()})",
           rows, {"env_id": ENV_ID, "steps": steps, "seed": seed, "runs": runs, "ratios": ratios}, args.json)
    for name, value in ratios.items():
        print(f"{name}: {value}")
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    runs, ratios = record["runs"], record["ratios"]
    sb3, zoo, ours = runs["sb3 DDPG (zoo)"], runs["ours (zoo hyperparameters)"], runs["ours (defaults)"]

    def solved(run: dict) -> str:
        if run["steps_to_solve"] is None:
            return f"not solved in {record['steps']:,} steps (final {run['final_eval']:g})".replace("-", "−")
        return f"≥ −200 at {run['steps_to_solve']:,} steps, {run['cpu_seconds_to_solve']:.0f} CPU-s"

    return [(f"DDPG on {record['env_id']}, gradient updates per CPU second (zoo hyperparameters)",
             f"{ratios['update_speed_ours_zoo_over_sb3']:.2f}× stable-baselines3 "
             f"({zoo['updates_per_second']:g} against {sb3['updates_per_second']:g})"),
            (f"DDPG on {record['env_id']}, time to solve",
             f"ours with the tab's defaults {solved(ours)}; SB3 (zoo) {solved(sb3)}")]


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None
