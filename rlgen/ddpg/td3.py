"""TD3 (Fujimoto, van Hoof and Meger, 2018): DDPG with three fixes for the critic's over-estimation.

1. Clipped double Q-learning: two critics, and the bootstrap target takes the smaller of their two targets,
   y = r + γ(1 − d)·min(Q′₁(s′, a′), Q′₂(s′, a′)).
2. Target-policy smoothing: a′ = clip(μ′(s′) + clip(ε, −c, c), low, high) with ε ~ N(0, σ̃²), so the target
   cannot exploit a narrow peak of the critic.
3. Delayed policy updates: the actor and all target networks move once every ``policy_delay`` critic updates.

Everything else (replay buffer, exploration noise, the training loop, evaluation, figures) is DDPG's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from rlgen import runtime
from rlgen.ddpg.agent import Critic, DDPGAgent, DDPGConfig, _check_int, frozen, gradient_step
from rlgen.errors import InputError


@dataclass
class TD3Config(DDPGConfig):
    """DDPG's knobs plus TD3's three. Noise scales are fractions of the action half-range, like ``noise_std``
    (the paper's σ̃ = 0.2 and c = 0.5 on actions in [−1, 1])."""

    policy_noise: float = 0.2  # σ̃ of the target-policy smoothing noise
    noise_clip: float = 0.5  # c: the smoothing noise is clipped to [−c, c]
    policy_delay: int = 2  # critic updates per actor (and target) update

    def validate(self) -> TD3Config:
        super().validate()
        if not 0 <= self.policy_noise <= 10:
            raise InputError("policy_noise (target smoothing σ) must lie between 0 and 10 "
                             "(got {policy_noise:g}).", policy_noise=self.policy_noise)
        if not 0 <= self.noise_clip <= 10:
            raise InputError("noise_clip must lie between 0 and 10 (got {noise_clip:g}).", noise_clip=self.noise_clip)
        _check_int(self.policy_delay, "policy_delay", 1, 100)
        return self

    def make_agent(self, obs_dim: int, act_dim: int, low: np.ndarray, high: np.ndarray) -> TD3Agent:
        return TD3Agent(self, obs_dim, act_dim, low, high)


def smoothed_target_action(target_actor: nn.Module, next_obs: torch.Tensor, policy_noise: float, noise_clip: float,
                           low: torch.Tensor, high: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """a′ = clip(μ′(s′) + clip(ε, −c, c), low, high), ε ~ N(0, σ̃²); σ̃ and c in units of the half-range."""
    half_range = (high - low) / 2
    with torch.no_grad():
        action = target_actor(next_obs)
        epsilon = torch.randn(action.shape, generator=generator) * policy_noise * half_range
        epsilon = torch.maximum(torch.minimum(epsilon, noise_clip * half_range), -noise_clip * half_range)
        return torch.maximum(torch.minimum(action + epsilon, high), low)


def clipped_double_q_target(rewards: torch.Tensor, dones: torch.Tensor, next_obs: torch.Tensor,
                            next_actions: torch.Tensor, target_critic1: nn.Module, target_critic2: nn.Module,
                            gamma: float) -> torch.Tensor:
    """y = r + γ(1 − d)·min(Q′₁(s′, a′), Q′₂(s′, a′)) (TD3 paper, eq. 10)."""
    with torch.no_grad():
        q_next = torch.minimum(target_critic1(next_obs, next_actions), target_critic2(next_obs, next_actions))
        return rewards + gamma * (1.0 - dones) * q_next


class TD3Agent(DDPGAgent):
    """DDPG's actor and first critic, a second critic with its own target, and TD3's update."""

    def __init__(self, config: TD3Config, obs_dim: int, act_dim: int, low: np.ndarray, high: np.ndarray):
        super().__init__(config, obs_dim, act_dim, low, high)
        with runtime.seeded(config.seed + 1):  # the twin starts elsewhere, or the two critics would be one
            self.critic2 = Critic(obs_dim, act_dim, config.hidden)
        self.target_critic2 = self.make_target(self.critic2)
        critics = [*self.critic.parameters(), *self.critic2.parameters()]
        self.critic_optimizer = torch.optim.Adam(critics, lr=config.critic_lr)
        self.low_t, self.high_t = torch.as_tensor(self.low), torch.as_tensor(self.high)
        self.generator = torch.Generator().manual_seed(config.seed + 2)  # target smoothing noise
        self.last_mean_q: float | None = None

    def update(self, batch: tuple[torch.Tensor, ...]) -> tuple[float, float]:
        """One critic step on both critics; every ``policy_delay``-th call also an actor step and the soft
        updates. Returns (critic loss, mean Q₁(s, μ(s)) at the latest actor step)."""
        config: TD3Config = self.config  # type: ignore[assignment]
        obs, actions, rewards, next_obs, dones = batch
        next_actions = smoothed_target_action(self.target_actor, next_obs, config.policy_noise, config.noise_clip,
                                              self.low_t, self.high_t, self.generator)
        y = clipped_double_q_target(rewards, dones, next_obs, next_actions, self.target_critic,
                                    self.target_critic2, config.gamma)
        # Both critics regress on the same target: (1/N) Σ (y − Q₁(s, a))² + (y − Q₂(s, a))².
        critic_loss = (nn.functional.mse_loss(self.critic(obs, actions), y)
                       + nn.functional.mse_loss(self.critic2(obs, actions), y))
        gradient_step(self.critic_optimizer, critic_loss)
        self.updates += 1
        if self.updates % config.policy_delay == 0:
            # Actor: the deterministic policy gradient through the first critic only, ∇θ (1/N) Σ Q₁(s, μθ(s)).
            with frozen(self.critic):
                mean_q = self.critic(obs, self.actor(obs)).mean()
                gradient_step(self.actor_optimizer, -mean_q)
            self.update_targets()  # μ′, Q′₁ and Q′₂
            self.last_mean_q = mean_q.item()
        elif self.last_mean_q is None:
            with torch.no_grad():
                self.last_mean_q = self.critic(obs, self.actor(obs)).mean().item()
        return critic_loss.item() / 2, self.last_mean_q  # per critic, comparable with DDPG's loss
