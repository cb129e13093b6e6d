"""Soft Actor-Critic (Haarnoja et al., 2018, with the learned temperature of "SAC: Algorithms and
Applications"): a stochastic, tanh-squashed Gaussian actor that maximises return plus entropy.

Critic target: y = r + γ(1 − d)·(min(Q′₁(s′, a′), Q′₂(s′, a′)) − α log π(a′|s′)), a′ ~ π(·|s′).
Actor loss:    E_s E_{a~π} [α log π(a|s) − min(Q₁(s, a), Q₂(s, a))] (reparameterised, a = tanh(m + σ·ε)).
Temperature:   L(α) = E[−α (log π(a|s) + H̄)], so α grows while the entropy −log π is below its target H̄
               (−dim A by default) and shrinks while it is above.
Exploration is the policy's own sampling; evaluation (and the figures' μ(s)) uses its mean action.
The replay buffer, the training loop, evaluation and figures are DDPG's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from rlgen import runtime
from rlgen.ddpg.agent import Critic, DDPGConfig, mlp, soft_update
from rlgen.errors import InputError

LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0  # the usual bounds on log σ (CleanRL, SB3)


@dataclass
class SACConfig(DDPGConfig):
    """DDPG's knobs (the exploration-noise ones are unused: SAC explores by sampling its policy) plus the
    entropy temperature α: fixed at ``alpha``, or learned toward ``target_entropy`` when ``autotune``."""

    noise_std: float = 0.0
    alpha: float = 0.2  # the initial (or fixed) temperature
    autotune: bool = True
    target_entropy: float | None = None  # H̄; None: −dim A (Haarnoja et al.)
    alpha_lr: float = 1e-3

    def validate(self) -> SACConfig:
        super().validate()
        if not 0 < self.alpha <= 100:
            raise InputError(f"alpha (entropy temperature) must be positive and at most 100 (got {self.alpha:g}).")
        if not 0 < self.alpha_lr <= 1:
            raise InputError(f"alpha_lr (temperature learning rate) must be positive and at most 1 "
                             f"(got {self.alpha_lr:g}).")
        if self.target_entropy is not None and not (math.isfinite(self.target_entropy)
                                                    and abs(self.target_entropy) <= 100):
            raise InputError(f"target_entropy must lie between −100 and 100 (got {self.target_entropy}).")
        return self

    def make_agent(self, obs_dim: int, act_dim: int, low: np.ndarray, high: np.ndarray) -> SACAgent:
        return SACAgent(self, obs_dim, act_dim, low, high)


class SquashedGaussianActor(nn.Module):
    """π(a|s): u ~ N(m(s), σ(s)²), a = bias + scale·tanh(u), always inside the action box."""

    def __init__(self, obs_dim: int, act_dim: int, hidden: tuple[int, ...], low: np.ndarray, high: np.ndarray):
        super().__init__()
        self.trunk = mlp([obs_dim, *hidden])
        self.trunk.append(nn.ReLU())
        self.mean = nn.Linear(hidden[-1], act_dim)
        self.log_std = nn.Linear(hidden[-1], act_dim)
        low_t, high_t = torch.as_tensor(low, dtype=torch.float32), torch.as_tensor(high, dtype=torch.float32)
        self.register_buffer("action_scale", (high_t - low_t) / 2)
        self.register_buffer("action_bias", (high_t + low_t) / 2)

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        """The mean action bias + scale·tanh(m(s)) (what evaluation plays)."""
        return self.action_bias + self.action_scale * torch.tanh(self.mean(self.trunk(obs)))

    def sample(self, obs: torch.Tensor, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """A reparameterised sample a and its log-density log π(a|s), with the change of variables through
        tanh and the scale: log π(a|s) = log N(u; m, σ²) − Σ log(scale·(1 − tanh²u))."""
        h = self.trunk(obs)
        mean = self.mean(h)
        log_std = self.log_std(h).clamp(LOG_STD_MIN, LOG_STD_MAX)
        std = log_std.exp()
        eps = torch.randn(mean.shape, generator=generator)
        u = mean + std * eps
        squashed = torch.tanh(u)
        log_normal = -0.5 * eps.pow(2) - log_std - 0.5 * math.log(2 * math.pi)
        log_jacobian = torch.log(self.action_scale * (1 - squashed.pow(2)) + 1e-6)
        log_prob = (log_normal - log_jacobian).sum(-1)
        return self.action_bias + self.action_scale * squashed, log_prob


class SACAgent:
    """Squashed-Gaussian actor, twin critics with targets (no target actor), and the temperature α."""

    def __init__(self, config: SACConfig, obs_dim: int, act_dim: int, low: np.ndarray, high: np.ndarray):
        self.config = config
        self.obs_dim, self.act_dim = obs_dim, act_dim
        self.low, self.high = np.asarray(low, dtype=np.float32), np.asarray(high, dtype=np.float32)
        self.action_bias_np = (self.low + self.high) / 2
        with runtime.seeded(config.seed):
            self.actor = SquashedGaussianActor(obs_dim, act_dim, config.hidden, self.low, self.high)
            self.critic = Critic(obs_dim, act_dim, config.hidden)
        with runtime.seeded(config.seed + 1):
            self.critic2 = Critic(obs_dim, act_dim, config.hidden)
        self.target_critic = Critic(obs_dim, act_dim, config.hidden)
        self.target_critic2 = Critic(obs_dim, act_dim, config.hidden)
        self.target_critic.load_state_dict(self.critic.state_dict())
        self.target_critic2.load_state_dict(self.critic2.state_dict())
        for p in (*self.target_critic.parameters(), *self.target_critic2.parameters()):
            p.requires_grad_(False)
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters(), lr=config.actor_lr)
        critics = [*self.critic.parameters(), *self.critic2.parameters()]
        self.critic_optimizer = torch.optim.Adam(critics, lr=config.critic_lr)
        self.target_entropy = -float(act_dim) if config.target_entropy is None else float(config.target_entropy)
        self.log_alpha = torch.tensor(math.log(config.alpha), requires_grad=config.autotune)
        self.alpha_optimizer = torch.optim.Adam([self.log_alpha], lr=config.alpha_lr) if config.autotune else None
        self.generator = torch.Generator().manual_seed(config.seed + 2)  # the policy's own sampling
        self.updates = 0
        self.entropy = float("nan")  # −mean log π(a|s) at the latest actor step

    @property
    def alpha(self) -> float:
        return float(self.log_alpha.detach().exp())

    @torch.no_grad()
    def act(self, obs: np.ndarray) -> np.ndarray:
        """The mean action bias + scale·tanh(m(s)), for one observation or a batch of them."""
        return self.actor(torch.as_tensor(np.asarray(obs, dtype=np.float32))).numpy()

    @torch.no_grad()
    def explore(self, obs: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """A sample a ~ π(·|s): SAC's behaviour policy is its own (``noise`` is not used)."""
        action, _ = self.actor.sample(torch.as_tensor(np.asarray(obs, dtype=np.float32)), self.generator)
        return action.numpy()

    @torch.no_grad()
    def q_value(self, obs: np.ndarray, action: np.ndarray | None = None) -> np.ndarray:
        """Q₁(s, a), or Q₁ at the mean action when no action is given."""
        o = torch.as_tensor(np.asarray(obs, dtype=np.float32))
        a = self.actor(o) if action is None else torch.as_tensor(np.asarray(action, dtype=np.float32))
        return self.critic(o, a).numpy()

    def update(self, batch: tuple[torch.Tensor, ...]) -> tuple[float, float]:
        """One step each on the critics, the actor and α; returns (critic loss, mean min Q(s, a), a ~ π)."""
        obs, actions, rewards, next_obs, dones = batch
        alpha = self.log_alpha.exp().detach()
        with torch.no_grad():
            next_actions, next_log_prob = self.actor.sample(next_obs, self.generator)
            q_next = torch.minimum(self.target_critic(next_obs, next_actions),
                                   self.target_critic2(next_obs, next_actions))
            # y = r + γ(1 − d)(min Q′(s′, a′) − α log π(a′|s′)): the soft Bellman target
            y = rewards + self.config.gamma * (1.0 - dones) * (q_next - alpha * next_log_prob)
        critic_loss = (nn.functional.mse_loss(self.critic(obs, actions), y)
                       + nn.functional.mse_loss(self.critic2(obs, actions), y))
        self.critic_optimizer.zero_grad(set_to_none=True)
        critic_loss.backward()
        self.critic_optimizer.step()

        for p in (*self.critic.parameters(), *self.critic2.parameters()):
            p.requires_grad_(False)
        sampled, log_prob = self.actor.sample(obs, self.generator)
        q = torch.minimum(self.critic(obs, sampled), self.critic2(obs, sampled))
        actor_loss = (alpha * log_prob - q).mean()  # E[α log π(a|s) − min Q(s, a)]
        self.actor_optimizer.zero_grad(set_to_none=True)
        actor_loss.backward()
        self.actor_optimizer.step()
        for p in (*self.critic.parameters(), *self.critic2.parameters()):
            p.requires_grad_(True)
        self.entropy = -log_prob.mean().item()

        if self.alpha_optimizer is not None:
            # L(α) = E[−α (log π(a|s) + H̄)]: its gradient in log α is −α (H̄ − entropy)
            alpha_loss = -(self.log_alpha.exp() * (log_prob.detach() + self.target_entropy)).mean()
            self.alpha_optimizer.zero_grad(set_to_none=True)
            alpha_loss.backward()
            self.alpha_optimizer.step()
        soft_update(self.target_critic, self.critic, self.config.tau)
        soft_update(self.target_critic2, self.critic2, self.config.tau)
        self.updates += 1
        return critic_loss.item() / 2, q.mean().item()
