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
from rlgen.ddpg.agent import Critic, DDPGConfig, OffPolicyAgent, frozen, gradient_step, mlp, register_action_box
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
            raise InputError("alpha (entropy temperature) must be positive and at most 100 (got {alpha:g}).",
                             alpha=self.alpha)
        if not 0 < self.alpha_lr <= 1:
            raise InputError("alpha_lr (temperature learning rate) must be positive and at most 1 "
                             "(got {alpha_lr:g}).", alpha_lr=self.alpha_lr)
        if self.target_entropy is not None and not (math.isfinite(self.target_entropy)
                                                    and abs(self.target_entropy) <= 100):
            raise InputError("target_entropy must lie between −100 and 100 (got {target_entropy}).",
                             target_entropy=self.target_entropy)
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
        register_action_box(self, low, high)

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


class SACAgent(OffPolicyAgent):
    """Squashed-Gaussian actor, twin critics with targets (no target actor), and the temperature α."""

    def __init__(self, config: SACConfig, obs_dim: int, act_dim: int, low: np.ndarray, high: np.ndarray):
        super().__init__(config, obs_dim, act_dim, low, high)
        with runtime.seeded(config.seed):
            self.actor = SquashedGaussianActor(obs_dim, act_dim, config.hidden, self.low, self.high)
            self.critic = Critic(obs_dim, act_dim, config.hidden)
        with runtime.seeded(config.seed + 1):
            self.critic2 = Critic(obs_dim, act_dim, config.hidden)
        self.target_critic = self.make_target(self.critic)
        self.target_critic2 = self.make_target(self.critic2)
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters(), lr=config.actor_lr)
        critics = [*self.critic.parameters(), *self.critic2.parameters()]
        self.critic_optimizer = torch.optim.Adam(critics, lr=config.critic_lr)
        self.target_entropy = -float(act_dim) if config.target_entropy is None else float(config.target_entropy)
        self.log_alpha = torch.tensor(math.log(config.alpha), requires_grad=config.autotune)
        self.alpha_optimizer = torch.optim.Adam([self.log_alpha], lr=config.alpha_lr) if config.autotune else None
        self.generator = torch.Generator().manual_seed(config.seed + 2)  # the policy's own sampling
        self.entropy = float("nan")  # −mean log π(a|s) at the latest actor step

    @property
    def alpha(self) -> float:
        return float(self.log_alpha.detach().exp())

    @torch.no_grad()
    def explore(self, obs: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """A sample a ~ π(·|s): SAC's behaviour policy is its own (``noise`` is not used)."""
        action, _ = self.actor.sample(torch.as_tensor(np.asarray(obs, dtype=np.float32)), self.generator)
        return action.numpy()

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
        gradient_step(self.critic_optimizer, critic_loss)

        with frozen(self.critic, self.critic2):
            sampled, log_prob = self.actor.sample(obs, self.generator)
            q = torch.minimum(self.critic(obs, sampled), self.critic2(obs, sampled))
            actor_loss = (alpha * log_prob - q).mean()  # E[α log π(a|s) − min Q(s, a)]
            gradient_step(self.actor_optimizer, actor_loss)
        self.entropy = -log_prob.mean().item()

        if self.alpha_optimizer is not None:
            # L(α) = E[−α (log π(a|s) + H̄)]: its gradient in log α is −α (H̄ − entropy)
            alpha_loss = -(self.log_alpha.exp() * (log_prob.detach() + self.target_entropy)).mean()
            gradient_step(self.alpha_optimizer, alpha_loss)
        self.update_targets()
        self.updates += 1
        return critic_loss.item() / 2, q.mean().item()
