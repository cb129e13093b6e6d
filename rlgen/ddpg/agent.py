"""DDPG (Lillicrap et al., 2015) in plain PyTorch, readable against the paper.

A deterministic actor μ(s) replaces a distribution over a continuous action space; a critic Q(s, a) is
learned by temporal differences from a replay buffer; slowly tracking target networks μ′, Q′ keep the
bootstrap target still; exploration adds Gaussian or Ornstein–Uhlenbeck noise to μ(s).
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Protocol

import numpy as np

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402
from torch import nn  # noqa: E402

from rlgen.errors import InputError  # noqa: E402

WEIGHTS = "model.safetensors"
CONFIG = "config.json"

MAX_TOTAL_STEPS = 500_000
MAX_BUFFER = 1_000_000
MAX_HIDDEN = 1024
NOISES = ("gaussian", "ou")
WARMUPS = ("uniform", "noise")


# the whole-number knobs of a DDPG run and their ranges, checked in this order
INTEGER_RANGES = (
    ("total_steps", 1, MAX_TOTAL_STEPS), ("seed", 0, 2**31 - 1), ("buffer_size", 1, MAX_BUFFER),
    ("batch_size", 1, MAX_BUFFER), ("learning_starts", 0, MAX_TOTAL_STEPS), ("train_freq", 1, 10_000),
    ("gradient_steps", 1, 100), ("eval_every", 1, MAX_TOTAL_STEPS), ("eval_episodes", 1, 100),
    ("frame_every", 1, MAX_TOTAL_STEPS),
)


@dataclass
class DDPGConfig:
    """Every knob of a run. The defaults solve Pendulum-v1 (mean return ≥ −200) within 10,000 env steps."""

    env_id: str = "Pendulum-v1"
    total_steps: int = 10_000
    seed: int = 0
    hidden: tuple[int, ...] = (64, 64)
    actor_lr: float = 1e-3
    critic_lr: float = 1e-3
    gamma: float = 0.98
    tau: float = 0.01
    batch_size: int = 128
    buffer_size: int = 100_000
    learning_starts: int = 1_000  # warm-up steps before the first update
    warmup: str = "uniform"  # warm-up actions: "uniform" over the box, or "noise" (the noise process alone)
    train_freq: int = 1  # env steps between update rounds
    gradient_steps: int = 1  # updates per round
    noise: str = "gaussian"  # "gaussian" or "ou" (Ornstein–Uhlenbeck)
    noise_std: float = 0.1  # as a fraction of the action half-range
    noise_final_std: float | None = None  # linearly anneal noise_std to this over the run (None: constant)
    ou_theta: float = 0.15
    ou_dt: float = 1e-2
    eval_every: int = 1_000
    eval_episodes: int = 10
    frame_every: int = 250  # env steps between yielded frames

    def __post_init__(self) -> None:
        self.hidden = tuple(int(h) for h in self.hidden)

    def validate(self) -> DDPGConfig:
        """Raise ``InputError`` with a message a person understands; return self when every knob is sane."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and not math.isfinite(value):
                raise InputError("{name} must be a finite number (got {value}).", name=f.name, value=value)
        if not isinstance(self.env_id, str) or not self.env_id:
            raise InputError("env_id must name a gymnasium environment, e.g. 'Pendulum-v1'.")
        for name, low, high in INTEGER_RANGES:
            _check_int(getattr(self, name), name, low, high)
        self._check_networks()
        self._check_replay()
        self._check_exploration()
        return self

    def _check_networks(self) -> None:
        if not self.hidden or any(not 1 <= h <= MAX_HIDDEN for h in self.hidden):
            raise InputError("hidden layer sizes must each lie between 1 and {max_hidden} (got {hidden}).",
                             max_hidden=MAX_HIDDEN, hidden=self.hidden)
        for name in ("actor_lr", "critic_lr"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise InputError("{name} (learning rate) must be positive and at most 1 (got {value:g}).",
                                 name=name, value=value)
        if not 0 <= self.gamma < 1:
            raise InputError("gamma (discount) must lie in [0, 1) (got {gamma:g}).", gamma=self.gamma)
        if not 0 < self.tau <= 1:
            raise InputError("tau (soft-update rate) must lie in (0, 1] (got {tau:g}).", tau=self.tau)

    def _check_replay(self) -> None:
        if self.batch_size > self.buffer_size:
            raise InputError("batch_size ({batch_size}) cannot exceed the replay buffer ({buffer_size}).",
                             batch_size=self.batch_size, buffer_size=self.buffer_size)
        if self.learning_starts < self.batch_size:
            raise InputError("learning_starts ({learning_starts}) must be at least batch_size "
                             "({batch_size}) so the first batch can be drawn.",
                             learning_starts=self.learning_starts, batch_size=self.batch_size)

    def _check_exploration(self) -> None:
        if self.warmup not in WARMUPS:
            raise InputError("warmup must be one of {warmups} (got {warmup!r}).",
                             warmups=', '.join(WARMUPS), warmup=self.warmup)
        if self.noise not in NOISES:
            raise InputError("noise must be one of {noises} (got {noise!r}).",
                             noises=', '.join(NOISES), noise=self.noise)
        for name in ("noise_std", "noise_final_std"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 10:
                raise InputError("{name} must lie between 0 and 10 (got {value:g}).", name=name, value=value)
        if not 0 < self.ou_theta <= 10 or not 0 < self.ou_dt <= 1:
            raise InputError("ou_theta must lie in (0, 10] and ou_dt in (0, 1].")

    def make_agent(self, obs_dim: int, act_dim: int, low: np.ndarray, high: np.ndarray) -> ContinuousAgent:
        """The agent this config trains (TD3's and SAC's configs return theirs)."""
        return DDPGAgent(self, obs_dim, act_dim, low, high)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["hidden"] = list(self.hidden)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> DDPGConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _check_int(value: object, name: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if not (isinstance(value, float) and value.is_integer()):
            raise InputError("{name} must be a whole number (got {value}).", name=name, value=value)
    if not low <= value <= high:
        raise InputError("{name} must lie between {low:,} and {high:,} (got {value:,}).",
                         name=name, low=low, high=high, value=value)


def mlp(sizes: list[int], out_activation: nn.Module | None = None) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    if out_activation is not None:
        layers.append(out_activation)
    return nn.Sequential(*layers)


def register_action_box(module: nn.Module, low: np.ndarray, high: np.ndarray) -> None:
    """Give ``module`` the buffers ``action_scale`` = (high − low)/2 and ``action_bias`` = (high + low)/2 that
    map tanh's (−1, 1) onto the action box (saved with its weights)."""
    low_t, high_t = torch.as_tensor(low, dtype=torch.float32), torch.as_tensor(high, dtype=torch.float32)
    module.register_buffer("action_scale", (high_t - low_t) / 2)
    module.register_buffer("action_bias", (high_t + low_t) / 2)


class Actor(nn.Module):
    """μ(s) = bias + scale · tanh(f(s)): always inside the action box [low, high]."""

    def __init__(self, obs_dim: int, act_dim: int, hidden: tuple[int, ...], low: np.ndarray, high: np.ndarray):
        super().__init__()
        self.net = mlp([obs_dim, *hidden, act_dim], nn.Tanh())
        register_action_box(self, low, high)

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.action_bias + self.action_scale * self.net(obs)


class Critic(nn.Module):
    """Q(s, a): the state and the action enter the first layer together."""

    def __init__(self, obs_dim: int, act_dim: int, hidden: tuple[int, ...]):
        super().__init__()
        self.net = mlp([obs_dim + act_dim, *hidden, 1])

    def forward(self, obs: torch.Tensor, action: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([obs, action], dim=-1)).squeeze(-1)


class ReplayBuffer:
    """A ring of the last ``capacity`` transitions in preallocated numpy arrays; sampling is uniform."""

    def __init__(self, capacity: int, obs_dim: int, act_dim: int, seed: int = 0):
        self.capacity = capacity
        self.obs = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.actions = np.zeros((capacity, act_dim), dtype=np.float32)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.next_obs = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.dones = np.zeros(capacity, dtype=np.float32)  # 1 only for a true terminal state, not truncation
        self.position = 0  # where the next transition goes
        self.size = 0
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return self.size

    def add(self, obs: np.ndarray, action: np.ndarray, reward: float, next_obs: np.ndarray, terminated: bool) -> None:
        i = self.position
        self.obs[i], self.actions[i], self.rewards[i] = obs, action, reward
        self.next_obs[i], self.dones[i] = next_obs, float(terminated)
        self.position = (i + 1) % self.capacity  # wrap: overwrite the oldest transition
        self.size = min(self.size + 1, self.capacity)

    def sample_indices(self, batch_size: int) -> np.ndarray:
        return self.rng.integers(0, self.size, size=batch_size)

    def sample(self, batch_size: int) -> tuple[torch.Tensor, ...]:
        idx = self.sample_indices(batch_size)
        arrays = (self.obs, self.actions, self.rewards, self.next_obs, self.dones)
        return tuple(torch.from_numpy(a[idx]) for a in arrays)


class GaussianNoise:
    """Independent N(0, σ²) per step."""

    def __init__(self, act_dim: int, std: float, rng: np.random.Generator):
        self.act_dim, self.std, self.rng = act_dim, std, rng

    def reset(self) -> None:
        pass

    def __call__(self) -> np.ndarray:
        return self.std * self.rng.standard_normal(self.act_dim)


class OrnsteinUhlenbeckNoise:
    """x ← x + θ(μ − x)dt + σ√dt·N(0, 1): temporally correlated, so a push lasts long enough to build momentum
    (what MountainCar needs). Reset at each episode start."""

    def __init__(self, act_dim: int, std: float, rng: np.random.Generator, theta: float = 0.15, dt: float = 1e-2):
        self.act_dim, self.std, self.rng, self.theta, self.dt = act_dim, std, rng, theta, dt
        self.state = np.zeros(act_dim)

    def reset(self) -> None:
        self.state = np.zeros(self.act_dim)

    def __call__(self) -> np.ndarray:
        self.state = (self.state - self.theta * self.state * self.dt
                      + self.std * math.sqrt(self.dt) * self.rng.standard_normal(self.act_dim))
        return self.state


@torch.no_grad()
def soft_update(target: nn.Module, source: nn.Module, tau: float) -> None:
    """θ′ ← τθ + (1 − τ)θ′ (Lillicrap et al., eq. in Algorithm 1), for every parameter."""
    for target_param, param in zip(target.parameters(), source.parameters()):
        target_param.lerp_(param, tau)  # lerp_: θ′ + τ(θ − θ′), the same update in one in-place op


@contextmanager
def frozen(*modules: nn.Module) -> Iterator[None]:
    """Inside the block the modules' parameters take no gradient: the actor's step backpropagates through the
    critic to the action without leaving gradients in the critic."""
    params = [p for m in modules for p in m.parameters()]
    for p in params:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p in params:
            p.requires_grad_(True)


def gradient_step(optimizer: torch.optim.Optimizer, loss: torch.Tensor) -> None:
    """One optimizer step down the gradient of ``loss``."""
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()


def critic_target(rewards: torch.Tensor, dones: torch.Tensor, next_obs: torch.Tensor, target_actor: nn.Module,
                  target_critic: nn.Module, gamma: float) -> torch.Tensor:
    """y = r + γ(1 − done)·Q′(s′, μ′(s′)); ``done`` is 1 only for true terminals (a time-limit truncation
    still bootstraps, because the state after it has a value)."""
    with torch.no_grad():
        return rewards + gamma * (1.0 - dones) * target_critic(next_obs, target_actor(next_obs))


class ContinuousAgent(Protocol):
    """What the training loop, evaluation and figures ask of an agent (DDPG's, TD3's or SAC's)."""

    config: DDPGConfig
    obs_dim: int
    act_dim: int
    low: np.ndarray
    high: np.ndarray
    action_bias_np: np.ndarray
    updates: int

    def act(self, obs: np.ndarray) -> np.ndarray: ...

    def explore(self, obs: np.ndarray, noise: np.ndarray) -> np.ndarray: ...

    def q_value(self, obs: np.ndarray, action: np.ndarray | None = None) -> np.ndarray: ...

    def update(self, batch: tuple[torch.Tensor, ...]) -> tuple[float, float]: ...


class OffPolicyAgent:
    """What DDPG, TD3 and SAC share: the action box, target networks that trail their sources by soft updates,
    acting with the deterministic (or mean) action, and Q₁ for the figures. Subclasses build ``actor`` and
    ``critic`` (seeded) and write ``update``."""

    actor: nn.Module
    critic: nn.Module

    def __init__(self, config: DDPGConfig, obs_dim: int, act_dim: int, low: np.ndarray, high: np.ndarray):
        self.config = config
        self.obs_dim, self.act_dim = obs_dim, act_dim
        self.low, self.high = np.asarray(low, dtype=np.float32), np.asarray(high, dtype=np.float32)
        self.action_bias_np = (self.low + self.high) / 2
        self.updates = 0
        self.target_pairs: list[tuple[nn.Module, nn.Module]] = []  # (target, source)

    def make_target(self, source: nn.Module) -> nn.Module:
        """A frozen copy of ``source`` that :meth:`update_targets` moves toward it. A copy, not a new module:
        building one would draw from torch's shared generator outside the seed's lock, and so shift another
        session's seeded initialisation running at that moment."""
        target = copy.deepcopy(source)
        for p in target.parameters():
            p.requires_grad_(False)
        self.target_pairs.append((target, source))
        return target

    def update_targets(self) -> None:
        """θ′ ← τθ + (1 − τ)θ′ for every target network."""
        for target, source in self.target_pairs:
            soft_update(target, source, self.config.tau)

    @torch.no_grad()
    def act(self, obs: np.ndarray) -> np.ndarray:
        """The deterministic action μ(s) (SAC: its mean action) for one observation or a batch of them."""
        return self.actor(torch.as_tensor(np.asarray(obs, dtype=np.float32))).numpy()

    @torch.no_grad()
    def q_value(self, obs: np.ndarray, action: np.ndarray | None = None) -> np.ndarray:
        """Q(s, a), or Q(s, μ(s)) when no action is given (the first critic where there are two)."""
        o = torch.as_tensor(np.asarray(obs, dtype=np.float32))
        a = self.actor(o) if action is None else torch.as_tensor(np.asarray(action, dtype=np.float32))
        return self.critic(o, a).numpy()


class DDPGAgent(OffPolicyAgent):
    """Actor, critic, their targets and optimizers; ``act`` for the environment, ``update`` for learning."""

    def __init__(self, config: DDPGConfig, obs_dim: int, act_dim: int, low: np.ndarray, high: np.ndarray):
        super().__init__(config, obs_dim, act_dim, low, high)
        with runtime.seeded(config.seed):  # initial weights from the seed alone, whoever else is running
            self.actor = Actor(obs_dim, act_dim, config.hidden, self.low, self.high)
            self.critic = Critic(obs_dim, act_dim, config.hidden)
        self.target_actor = self.make_target(self.actor)
        self.target_critic = self.make_target(self.critic)
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters(), lr=config.actor_lr)
        self.critic_optimizer = torch.optim.Adam(self.critic.parameters(), lr=config.critic_lr)

    # -- saved the Hugging Face way: a folder with model.safetensors and config.json -------------------------------
    def save_pretrained(self, directory: str | Path) -> Path:
        """Write the actor and critic weights (safetensors) and the config with the env's shapes (JSON)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        tensors = {f"actor.{k}": v.contiguous() for k, v in self.actor.state_dict().items()}
        tensors |= {f"critic.{k}": v.contiguous() for k, v in self.critic.state_dict().items()}
        save_file(tensors, directory / WEIGHTS)
        meta = {"config": self.config.to_dict(), "obs_dim": self.obs_dim, "act_dim": self.act_dim,
                "action_low": self.low.tolist(), "action_high": self.high.tolist(), "updates": self.updates}
        (directory / CONFIG).write_text(json.dumps(meta, indent=2))
        return directory

    def push_to_hub(self, repo_id: str, **upload_kwargs) -> object:
        """Upload the agent as :meth:`save_pretrained` writes it to the Hub model repository ``repo_id``
        (``huggingface_hub.HfApi.upload_folder``'s keyword arguments pass through)."""
        import tempfile

        from huggingface_hub import HfApi

        with tempfile.TemporaryDirectory() as folder:
            self.save_pretrained(folder)
            api = HfApi()
            api.create_repo(repo_id, exist_ok=True)
            return api.upload_folder(repo_id=repo_id, folder_path=folder, **upload_kwargs)

    @classmethod
    def from_pretrained(cls, directory: str | Path, revision: str | None = None) -> DDPGAgent:
        """The agent saved in ``directory``, or in the Hub repository of that id (``owner/name``, at
        ``revision``; offline, only from the local cache); targets start equal to the loaded networks."""
        directory = Path(directory)
        if not directory.exists() and len(directory.parts) == 2:
            from huggingface_hub import snapshot_download

            directory = Path(snapshot_download(str(directory), revision=revision, allow_patterns=[WEIGHTS, CONFIG]))
        if not (directory / WEIGHTS).exists():
            raise InputError("No DDPG agent in {directory} (expected {weights} and {config}).",
                             directory=directory, weights=WEIGHTS, config=CONFIG)
        meta = json.loads((directory / CONFIG).read_text())
        agent = cls(DDPGConfig.from_dict(meta["config"]), meta["obs_dim"], meta["act_dim"],
                    np.asarray(meta["action_low"]), np.asarray(meta["action_high"]))
        tensors = load_file(directory / WEIGHTS)
        for prefix, nets in (("actor.", (agent.actor, agent.target_actor)),
                             ("critic.", (agent.critic, agent.target_critic))):
            state = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
            for net in nets:
                net.load_state_dict(state)
        agent.updates = int(meta.get("updates", 0))
        return agent

    def explore(self, obs: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """The behaviour policy: μ(s) plus exploration noise, clipped to the action box."""
        return np.clip(self.act(obs) + noise, self.low, self.high)

    def update(self, batch: tuple[torch.Tensor, ...]) -> tuple[float, float]:
        """One gradient step on the critic, then the actor; returns (critic loss, mean Q(s, μ(s)))."""
        obs, actions, rewards, next_obs, dones = batch
        y = critic_target(rewards, dones, next_obs, self.target_actor, self.target_critic, self.config.gamma)
        # Critic: minimise the TD error (1/N) Σ (y − Q(s, a))².
        critic_loss = nn.functional.mse_loss(self.critic(obs, actions), y)
        gradient_step(self.critic_optimizer, critic_loss)
        # Actor: ascend the deterministic policy gradient ∇θ (1/N) Σ Q(s, μθ(s)).
        with frozen(self.critic):
            mean_q = self.critic(obs, self.actor(obs)).mean()
            gradient_step(self.actor_optimizer, -mean_q)
        self.update_targets()
        self.updates += 1
        return critic_loss.item(), mean_q.item()
