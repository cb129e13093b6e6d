"""The DDPG training loop as a generator of frames, deterministic evaluation, and episode roll-outs."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

import gymnasium as gym
import numpy as np

from rlgen.ddpg.agent import ContinuousAgent, DDPGConfig, GaussianNoise, OrnsteinUhlenbeckNoise, ReplayBuffer
from rlgen.errors import InputError

SOLVED = {"Pendulum-v1": -200.0, "MountainCarContinuous-v0": 90.0}  # the usual "solved" lines


def make_env(env_id: str) -> gym.Env:
    """A gymnasium environment with a continuous (Box) action space, or a ``ValueError`` saying why not."""
    try:
        env = gym.make(env_id)
    except Exception as exc:  # gymnasium raises several error types for unknown or broken ids
        raise InputError("Cannot make the gymnasium environment {env_id!r}: {exc}", env_id=env_id, exc=exc) from exc
    if not isinstance(env.action_space, gym.spaces.Box):
        env.close()
        raise InputError("DDPG needs continuous (Box) actions; {env_id} has {action_space}.",
                         env_id=env_id, action_space=env.action_space)
    if not isinstance(env.observation_space, gym.spaces.Box) or len(env.observation_space.shape) != 1:
        env.close()
        raise InputError("DDPG here needs a flat Box observation; {env_id} has {observation_space}.",
                         env_id=env_id, observation_space=env.observation_space)
    return env


def agent_for_env(config: DDPGConfig, env: gym.Env) -> ContinuousAgent:
    """The agent ``config`` trains (DDPG, TD3 or SAC), sized for ``env``."""
    space = env.action_space
    return config.make_agent(env.observation_space.shape[0], space.shape[0], space.low, space.high)


@dataclass
class TrainFrame:
    """A snapshot of a run. The lists are the whole history so far; ``agent`` and ``buffer`` are the live ones
    (the last frame's agent is the trained one; a stopped run keeps the agent of its last frame)."""

    step: int
    total_steps: int
    seconds: float
    agent: ContinuousAgent
    episode_steps: list[int] = field(default_factory=list)
    episode_returns: list[float] = field(default_factory=list)
    update_steps: list[int] = field(default_factory=list)
    critic_losses: list[float] = field(default_factory=list)  # mean over the updates since the last frame
    mean_qs: list[float] = field(default_factory=list)  # actor objective: mean Q(s, μ(s)) over the batch
    noise_scale: float = 0.0
    eval_seconds: float = 0.0  # of ``seconds``, the time spent in evaluation
    cpu_seconds: float = 0.0  # this process's CPU time over the run (wall time stretches on a busy machine)
    eval_cpu_seconds: float = 0.0  # of ``cpu_seconds``, the CPU time spent in evaluation
    buffer: ReplayBuffer | None = None
    eval_steps: list[int] = field(default_factory=list)
    eval_means: list[float] = field(default_factory=list)
    eval_stds: list[float] = field(default_factory=list)
    value_estimates: list[float] = field(default_factory=list)  # at eval_steps: mean Q(s, μ(s)) on its episodes
    value_returns: list[float] = field(default_factory=list)  # at eval_steps: mean discounted return from s
    done: bool = False

    @property
    def last_eval(self) -> tuple[float, float] | None:
        return (self.eval_means[-1], self.eval_stds[-1]) if self.eval_means else None


def noise_std_at(config: DDPGConfig, step: int) -> float:
    """The exploration scale at ``step``: constant, or linearly annealed to ``noise_final_std``."""
    if config.noise_final_std is None:
        return config.noise_std
    fraction = min(1.0, step / config.total_steps)
    return config.noise_std + fraction * (config.noise_final_std - config.noise_std)


def train(config: DDPGConfig) -> Iterator[TrainFrame]:
    """Run DDPG for ``config.total_steps`` environment steps, yielding a :class:`TrainFrame` every
    ``frame_every`` steps (with a deterministic evaluation every ``eval_every`` steps and at the end)."""
    config.validate()
    env = make_env(config.env_id)
    agent = agent_for_env(config, env)
    rng = np.random.default_rng(config.seed)
    buffer = ReplayBuffer(config.buffer_size, agent.obs_dim, agent.act_dim, seed=config.seed + 1)
    half_range = (agent.high - agent.low) / 2
    if config.noise == "ou":
        noise = OrnsteinUhlenbeckNoise(agent.act_dim, 1.0, rng, config.ou_theta, config.ou_dt)
    else:
        noise = GaussianNoise(agent.act_dim, 1.0, rng)
    env.action_space.seed(config.seed)
    frame = TrainFrame(step=0, total_steps=config.total_steps, seconds=0.0, agent=agent, buffer=buffer)
    start, cpu_start = time.perf_counter(), time.process_time()
    obs, _ = env.reset(seed=config.seed)
    noise.reset()
    episode_return, losses, qs = 0.0, [], []
    try:
        for step in range(1, config.total_steps + 1):
            scale = noise_std_at(config, step)
            action = _behaviour_action(config, agent, env, obs, step, scale * half_range, noise)
            next_obs, reward, terminated, truncated, _ = env.step(action)
            buffer.add(obs, action, float(reward), next_obs, terminated)
            episode_return += float(reward)
            obs = next_obs
            if terminated or truncated:
                frame.episode_steps.append(step)
                frame.episode_returns.append(episode_return)
                obs, _ = env.reset()
                noise.reset()
                episode_return = 0.0
            if step > config.learning_starts and step % config.train_freq == 0:
                for _ in range(config.gradient_steps):
                    loss, q = agent.update(buffer.sample(config.batch_size))
                    losses.append(loss)
                    qs.append(q)
            last = step == config.total_steps
            if step % config.eval_every == 0 or last:
                _evaluate_into(frame, agent, config, step)
            if step % config.frame_every == 0 or last:
                if losses:
                    frame.update_steps.append(step)
                    frame.critic_losses.append(float(np.mean(losses)))
                    frame.mean_qs.append(float(np.mean(qs)))
                    losses, qs = [], []
                frame.step, frame.noise_scale, frame.done = step, scale, last
                frame.seconds = time.perf_counter() - start
                frame.cpu_seconds = time.process_time() - cpu_start
                yield _snapshot(frame)
    finally:
        env.close()


def _behaviour_action(config: DDPGConfig, agent, env, obs: np.ndarray, step: int, noise_scale: np.ndarray,
                      noise) -> np.ndarray:
    """The action taken at ``step``: uniform or noise-only during warm-up, then the actor plus noise."""
    if step <= config.learning_starts and config.warmup == "uniform":
        return env.action_space.sample()  # random warm-up fills the buffer with diverse data
    if step <= config.learning_starts:
        # noise-only warm-up: correlated OU pushes explore far where uniform jitter stays put
        return np.clip(agent.action_bias_np + noise_scale * noise(), agent.low, agent.high)
    return agent.explore(obs, noise_scale * noise())


def _evaluate_into(frame: TrainFrame, agent, config: DDPGConfig, step: int) -> None:
    """A deterministic evaluation at ``step``, appended to the frame with the time it took."""
    eval_start, eval_cpu_start = time.perf_counter(), time.process_time()
    result = evaluate_values(agent, config.env_id, config.gamma, config.eval_episodes, seed=10_000 + config.seed)
    frame.eval_seconds += time.perf_counter() - eval_start
    frame.eval_cpu_seconds += time.process_time() - eval_cpu_start
    frame.eval_steps.append(step)
    frame.eval_means.append(result.mean)
    frame.eval_stds.append(result.std)
    frame.value_estimates.append(result.q_estimate)
    frame.value_returns.append(result.mc_return)


def _snapshot(frame: TrainFrame) -> TrainFrame:
    """A copy whose lists do not grow after it is yielded (the agent stays shared: it is the live one)."""
    lists = {name: list(getattr(frame, name)) for name in (
        "episode_steps", "episode_returns", "update_steps", "critic_losses", "mean_qs",
        "eval_steps", "eval_means", "eval_stds", "value_estimates", "value_returns")}
    return TrainFrame(step=frame.step, total_steps=frame.total_steps, seconds=frame.seconds, agent=frame.agent,
                      noise_scale=frame.noise_scale, eval_seconds=frame.eval_seconds, cpu_seconds=frame.cpu_seconds,
                      eval_cpu_seconds=frame.eval_cpu_seconds, buffer=frame.buffer, done=frame.done, **lists)


def run_to_end(config: DDPGConfig) -> TrainFrame:
    """Train to the end and return the last frame (its agent is the trained one)."""
    return deque(train(config), maxlen=1)[0]


def evaluate(agent: ContinuousAgent, env_id: str, episodes: int = 10, seed: int = 0) -> tuple[float, float]:
    """Mean and standard deviation of the undiscounted return of the deterministic policy μ over
    ``episodes`` episodes (reset seeds ``seed``, ``seed + 1``, …)."""
    _, rewards = evaluation_rollouts(agent, env_id, episodes, seed)
    returns = np.array([r.sum() for r in rewards])
    return float(returns.mean()), float(returns.std())


@dataclass(frozen=True)
class Evaluation:
    """A deterministic evaluation, with the critic's estimate set against what actually came back.

    ``q_estimate`` is the mean of Q(s_t, μ(s_t)) and ``mc_return`` the mean of the discounted return actually
    obtained from s_t, G_t = Σ_k γ^k r_{t+k+1}, over the states of the first half of each episode (so that the
    time limit cuts off at most γ^(T/2) of the tail). Their gap is the critic's over-estimation (Fujimoto et al.,
    2018, Fig. 1)."""

    mean: float
    std: float
    q_estimate: float
    mc_return: float

    @property
    def overestimation(self) -> float:
        return self.q_estimate - self.mc_return


def evaluate_values(agent: ContinuousAgent, env_id: str, gamma: float, episodes: int = 10, seed: int = 0) -> Evaluation:
    """:func:`evaluate`, plus the critic's value estimate and the Monte-Carlo return along the same episodes."""
    observations, rewards = evaluation_rollouts(agent, env_id, episodes, seed)
    returns = np.array([r.sum() for r in rewards])
    states, targets = [], []
    for obs, r in zip(observations, rewards):
        half = max(1, len(r) // 2)
        states.append(obs[:half])
        targets.append(discounted_returns(r, gamma)[:half])
    q = agent.q_value(np.concatenate(states))
    return Evaluation(float(returns.mean()), float(returns.std()), float(np.mean(q)),
                      float(np.mean(np.concatenate(targets))))


def discounted_returns(rewards: np.ndarray, gamma: float) -> np.ndarray:
    """G_t = r_{t+1} + γ G_{t+1} for every t, with G_T = 0 after the last reward."""
    out = np.zeros(len(rewards))
    running = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        running = rewards[t] + gamma * running
        out[t] = running
    return out


def evaluation_rollouts(agent: ContinuousAgent, env_id: str, episodes: int,
                        seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The deterministic policy's episodes from reset seeds ``seed``, ``seed + 1``, …: for each, the states it
    acted in and the rewards it got. The episodes run side by side so the actor sees one batch per time step."""
    envs = [make_env(env_id) for _ in range(episodes)]
    try:
        obs = np.stack([env.reset(seed=seed + i)[0] for i, env in enumerate(envs)])
        visited: list[list[np.ndarray]] = [[] for _ in range(episodes)]
        rewards: list[list[float]] = [[] for _ in range(episodes)]
        running = np.ones(episodes, dtype=bool)
        while running.any():
            actions = agent.act(obs)
            for i in np.flatnonzero(running):
                visited[i].append(obs[i].copy())
                obs[i], reward, terminated, truncated, _ = envs[i].step(actions[i])
                rewards[i].append(float(reward))
                running[i] = not (terminated or truncated)
        return ([np.asarray(v, dtype=np.float32) for v in visited], [np.asarray(r) for r in rewards])
    finally:
        for env in envs:
            env.close()


@dataclass
class Episode:
    """One recorded episode: observations s_0…s_T, actions a_0…a_{T−1}, rewards r_1…r_T."""

    env_id: str
    observations: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray

    @property
    def total_return(self) -> float:
        return float(self.rewards.sum())

    @property
    def running_return(self) -> np.ndarray:
        return np.cumsum(self.rewards)


def rollout(agent: ContinuousAgent, env_id: str, seed: int = 0, noise: str | None = None, noise_std: float = 0.1,
            noise_seed: int = 0, max_steps: int = 1_000, ou_theta: float = 0.15, ou_dt: float = 1e-2) -> Episode:
    """Play one episode from ``env.reset(seed=seed)`` with μ(s), or with μ(s) plus exploration noise
    (``noise`` = "gaussian" or "ou", σ as a fraction of the action half-range) — the two behaviours
    that DDPG separates: a deterministic target policy and a noisy behaviour policy."""
    env = make_env(env_id)
    rng = np.random.default_rng(noise_seed)
    half_range = (agent.high - agent.low) / 2
    source = None
    if noise == "ou":
        source = OrnsteinUhlenbeckNoise(agent.act_dim, noise_std, rng, ou_theta, ou_dt)
    elif noise == "gaussian":
        source = GaussianNoise(agent.act_dim, noise_std, rng)
    elif noise is not None:
        raise InputError("noise must be 'gaussian', 'ou' or None (got {noise!r}).", noise=noise)
    try:
        obs, _ = env.reset(seed=seed)
        observations, actions, rewards = [obs], [], []
        for _ in range(max_steps):
            action = agent.act(obs)
            if source is not None:
                action = np.clip(action + half_range * source(), agent.low, agent.high)
            obs, reward, terminated, truncated, _ = env.step(action)
            observations.append(obs)
            actions.append(action)
            rewards.append(float(reward))
            if terminated or truncated:
                break
        return Episode(env_id, np.asarray(observations, dtype=np.float32), np.asarray(actions, dtype=np.float32),
                       np.asarray(rewards))
    finally:
        env.close()


def noisy_rollouts(agent: ContinuousAgent, env_id: str, seed: int, noise: str, noise_std: float,
                   runs: int) -> list[Episode]:
    """``runs`` episodes of the behaviour policy μ(s) + noise from the start state of ``seed``, noise seeds 0, 1, …
    Ornstein–Uhlenbeck noise steps with dt = 0.1 here, so its correlation time (≈ 67 steps) shows within one
    episode."""
    return [rollout(agent, env_id, seed=seed, noise=noise, noise_std=noise_std, noise_seed=i, ou_dt=0.1)
            for i in range(runs)]
