"""`python -m rlgen.bench deeprl [--json PATH] [--quick]`: our TD3 and SAC against stable-baselines3's on
Pendulum-v1, and our grid-world DQN against SB3's DQN on the same grid world (rlgen/GridWorld-v0).

Pendulum: each library with the same hyperparameters (our TD3/SAC defaults: 5,000 steps, 1,000 uniform warm-up
steps, nets [64, 64], lr 1e-3, γ 0.98, τ 0.01, batch 128; TD3 σ 0.1, σ̃ 0.2, c 0.5, delay 2; SAC α learned from
0.2 toward −dim A), one torch thread, evaluated the same way (10 deterministic episodes every 500 steps
through :func:`rlgen.ddpg.evaluate`, not counted as training). Reported: steps and training CPU seconds until
the evaluation first reaches −200, the final evaluation, updates per CPU second, and ratios ours / SB3. (CPU
seconds of this process: other load on a shared machine stretches wall time, not these.)

Grid world: the book's DQN setting in both (a uniform behaviour policy, replay of 1,000 transitions, batch
100, target network refreshed every 10 updates, one hidden layer of 64, lr 1e-3, γ 0.9, one-hot states);
every 100 updates the largest error |max_a q̂(s, a) − v*(s)| against value iteration. Reported: updates and
CPU seconds until that error is below 0.1, and updates per CPU second.
"""

from __future__ import annotations

import time

import numpy as np

from rlgen import runtime
from rlgen.bench._report import parse_args, report
from rlgen.bench.ddpg import _ratio, learn_sb3, run_ours_timed
from rlgen.ddpg.sac import SACConfig
from rlgen.ddpg.td3 import TD3Config

ENV_ID = "Pendulum-v1"
STEPS, WARMUP, EVAL_EVERY = 5_000, 1_000, 500
QUICK_STEPS, QUICK_WARMUP, QUICK_EVAL_EVERY = 400, 200, 200
SHARED = dict(hidden=(64, 64), actor_lr=1e-3, critic_lr=1e-3, gamma=0.98, tau=0.01, batch_size=128)
DQN_UPDATES, DQN_CHECK_EVERY, DQN_TOLERANCE = 3_000, 100, 0.1


def run_sb3(algorithm: str, steps: int, warmup: int, eval_every: int, seed: int) -> dict:
    from stable_baselines3 import SAC, TD3
    from stable_baselines3.common.noise import NormalActionNoise

    common = dict(gamma=0.98, learning_rate=1e-3, batch_size=128, tau=0.01, learning_starts=warmup,
                  buffer_size=100_000, train_freq=1, gradient_steps=1, policy_kwargs=dict(net_arch=[64, 64]),
                  seed=seed, device="cpu", verbose=0)
    if algorithm == "TD3":
        # SB3 adds the noise to actions scaled to [−1, 1]: σ = 0.1 there is our 0.1 of the half-range
        model = TD3("MlpPolicy", ENV_ID, action_noise=NormalActionNoise(np.zeros(1), 0.1 * np.ones(1)),
                    policy_delay=2, target_policy_noise=0.2, target_noise_clip=0.5, **common)
    else:
        model = SAC("MlpPolicy", ENV_ID, ent_coef="auto_0.2", **common)
    return learn_sb3(model, steps, eval_every, seed)


def dqn_ours(updates: int, seed: int) -> dict:
    from rlgen.gridworld import GridWorld
    from rlgen.gridworld.dqn import DQNConfig, dqn_steps
    from rlgen.gridworld.planning import value_iteration

    env = GridWorld.book_example()
    config = DQNConfig(updates=updates, frame_every=DQN_CHECK_EVERY, seed=seed)
    value_iteration(env, config.gamma)  # compile the planner first: its JIT start is not DQN's time
    errors, times, seconds = [], [], 0.0
    start = time.process_time()
    for frame in dqn_steps(env, config):
        seconds = time.process_time() - start
        errors.append(frame.metrics["value_error"])
        times.append(seconds)
    return _dqn_summary(errors, times, seconds, updates)


def dqn_sb3(updates: int, seed: int) -> dict:
    import gymnasium as gym
    import torch
    from stable_baselines3 import DQN
    from stable_baselines3.common.callbacks import BaseCallback

    from rlgen.gridworld import ENV_ID as GRID_ID
    from rlgen.gridworld import GridWorld
    from rlgen.gridworld.planning import value_iteration

    optimal = value_iteration(GridWorld.book_example(), 0.9).state_values.reshape(-1)
    experience = 1_000

    class Errors(BaseCallback):
        def __init__(self):
            super().__init__()
            self.errors, self.times, self.check_seconds = [], [], 0.0
            self.start = time.process_time()

        def _on_step(self) -> bool:
            done = self.model._n_updates
            if done and done % DQN_CHECK_EVERY == 0 and len(self.errors) < done // DQN_CHECK_EVERY:
                started = time.process_time()
                self.times.append(started - self.start - self.check_seconds)
                with torch.no_grad():
                    obs = self.model.policy.obs_to_tensor(np.arange(len(optimal)))[0]
                    q = self.model.q_net(obs).numpy()
                self.errors.append(float(np.abs(q.max(axis=1) - optimal).max()))
                self.check_seconds += time.process_time() - started
            return True

    # uniform behaviour throughout (ε = 1), as the book's DQN example; SB3 keeps adding transitions while ours
    # replays one fixed episode: the same distribution
    env = gym.make(GRID_ID, max_episode_steps=experience)
    model = DQN("MlpPolicy", env, learning_rate=1e-3, buffer_size=experience, learning_starts=experience,
                batch_size=100, gamma=0.9, train_freq=1, gradient_steps=1, target_update_interval=10,
                exploration_fraction=1.0, exploration_initial_eps=1.0, exploration_final_eps=1.0,
                policy_kwargs=dict(net_arch=[64]), seed=seed, device="cpu", verbose=0)
    callback = Errors()
    callback.start = time.process_time()
    model.learn(total_timesteps=experience + updates, callback=callback)
    total = time.process_time() - callback.start - callback.check_seconds
    return _dqn_summary(callback.errors, callback.times, total, model._n_updates)


def _dqn_summary(errors: list[float], times: list[float], seconds: float, updates: int) -> dict:
    first = next((i for i, e in enumerate(errors) if e < DQN_TOLERANCE), None)
    return {
        "updates_to_tolerance": (first + 1) * DQN_CHECK_EVERY if first is not None else None,
        "cpu_seconds_to_tolerance": round(times[first], 2) if first is not None else None,
        "final_value_error": round(errors[-1], 4) if errors else None,
        "cpu_seconds": round(seconds, 2),
        "updates_per_second": round(updates / seconds, 1) if seconds > 0 else None,
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv, __doc__.splitlines()[0])
    runtime.configure_torch()
    import torch

    torch.set_num_threads(1)
    steps, warmup, every = (QUICK_STEPS, QUICK_WARMUP, QUICK_EVAL_EVERY) if args.quick else (STEPS, WARMUP, EVAL_EVERY)
    dqn_updates = 300 if args.quick else DQN_UPDATES
    seed = 0
    schedule = dict(total_steps=steps, seed=seed, learning_starts=warmup, eval_every=every, frame_every=every)
    runs = {
        "sb3 TD3": run_sb3("TD3", steps, warmup, every, seed),
        "ours TD3": run_ours_timed(TD3Config(**SHARED, **schedule)),
        "sb3 SAC": run_sb3("SAC", steps, warmup, every, seed),
        "ours SAC": run_ours_timed(SACConfig(**SHARED, **schedule)),
    }
    grid = {"sb3 DQN": dqn_sb3(dqn_updates, seed), "ours DQN": dqn_ours(dqn_updates, seed)}
    ratios = {}
    for algorithm in ("TD3", "SAC"):
        ours, sb3 = runs[f"ours {algorithm}"], runs[f"sb3 {algorithm}"]
        for figure, key in (("update_speed", "updates_per_second"), ("solve_cpu_seconds", "cpu_seconds_to_solve"),
                            ("solve_steps", "steps_to_solve")):
            ratios[f"{algorithm}_{figure}_ours_over_sb3"] = _ratio(ours[key], sb3[key])
    ours, sb3 = grid["ours DQN"], grid["sb3 DQN"]
    ratios["DQN_update_speed_ours_over_sb3"] = _ratio(ours["updates_per_second"], sb3["updates_per_second"])
    ratios["DQN_cpu_seconds_to_tolerance_ours_over_sb3"] = _ratio(ours["cpu_seconds_to_tolerance"],
                                                                  sb3["cpu_seconds_to_tolerance"])
    ratios["DQN_updates_to_tolerance_ours_over_sb3"] = _ratio(ours["updates_to_tolerance"], sb3["updates_to_tolerance"])
    report(f"TD3 and SAC on {ENV_ID} ({steps:,} steps), DQN on the 5×5 grid world ({dqn_updates:,} updates): "
           f"ours vs stable-baselines3, torch threads {torch.get_num_threads()}",
           [{"run": name, **figures} for name, figures in runs.items()],
           {"env_id": ENV_ID, "steps": steps, "seed": seed, "runs": runs, "gridworld_dqn": grid, "ratios": ratios},
           args.json)
    for name, figures in grid.items():
        print(name, figures)
    for name, value in ratios.items():
        print(f"{name}: {value}")
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    runs, grid, ratios = record["runs"], record["gridworld_dqn"], record["ratios"]
    steps = {name: f"{run['steps_to_solve']:,}" if run["steps_to_solve"] else "not reached"
             for name, run in runs.items()}
    return [(f"TD3 / SAC on {record['env_id']}, same hyperparameters, CPU time",
             f"{ratios['TD3_update_speed_ours_over_sb3']:.2f}× / {ratios['SAC_update_speed_ours_over_sb3']:.2f}× "
             f"stable-baselines3's updates per second; steps to −200: TD3 {steps['ours TD3']} against "
             f"{steps['sb3 TD3']}, SAC {steps['ours SAC']} against {steps['sb3 SAC']} (seed {record['seed']})"),
            ("DQN on the book's 5×5 grid world, to within 0.1 of v*",
             f"{grid['ours DQN']['updates_to_tolerance']:,} updates against SB3's "
             f"{grid['sb3 DQN']['updates_to_tolerance']:,}, in "
             f"{ratios['DQN_cpu_seconds_to_tolerance_ours_over_sb3']:.2f}× its CPU time "
             f"({ratios['DQN_update_speed_ours_over_sb3']:.2f}× the updates per second)")]
