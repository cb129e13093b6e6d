"""Deep Q-learning on the grid world (book section 8.4; Mnih et al., 2015), off-policy as in the book:
a uniformly random behaviour policy fills a replay buffer with one long episode, and a network q̂(s, ·; w)
learns q* from mini-batches drawn from it.

Loss: J(w) = E[(r + γ max_a q̂(s′, a; w_T) − q̂(s, a; w))²] — the target network's weights w_T are a copy
of w refreshed every ``target_every`` updates, so the regression target holds still between refreshes.
The network reads the state's features φ(s) (:func:`rlgen.gridworld.approximation.features`) and outputs
one value per action.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
from torch import nn  # noqa: E402

from rlgen.errors import InputError  # noqa: E402
from rlgen.gridworld.approximation import features, greedy_frame  # noqa: E402
from rlgen.gridworld.env import GridWorld  # noqa: E402
from rlgen.gridworld.planning import check_gamma, value_iteration  # noqa: E402
from rlgen.gridworld.td import check_step_size  # noqa: E402

MAX_UPDATES = 50_000
MAX_BUFFER = 100_000
MAX_HIDDEN = 512


@dataclass
class DQNConfig:
    """The book's example: one 1,000-step episode of a uniform behaviour policy, mini-batches of 100, a target
    network refreshed every 10 updates, one hidden layer (100 neurons in the book)."""

    gamma: float = 0.9
    kind: str = "one-hot"  # the network's input features φ(s)
    order: int = 2
    hidden: int = 64
    lr: float = 1e-3
    batch_size: int = 100
    experience: int = 1_000  # transitions in the replay buffer (one episode of the behaviour policy)
    updates: int = 3_000
    target_every: int = 10
    frame_every: int = 50
    seed: int = 0

    def validate(self) -> DQNConfig:
        check_gamma(self.gamma)
        check_step_size(self.lr, "learning rate")
        for name, value, low, high in (("hidden", self.hidden, 1, MAX_HIDDEN),
                                       ("batch_size", self.batch_size, 1, MAX_BUFFER),
                                       ("experience", self.experience, 1, MAX_BUFFER),
                                       ("updates", self.updates, 1, MAX_UPDATES),
                                       ("target_every", self.target_every, 1, MAX_UPDATES),
                                       ("frame_every", self.frame_every, 1, MAX_UPDATES),
                                       ("seed", self.seed, 0, 2**31 - 1)):
            if int(value) != value or not low <= value <= high:
                raise InputError("{name} must be a whole number from {low:,} to {high:,} (got {value}).",
                                 name=name, low=low, high=high, value=value)
        if self.batch_size > self.experience:
            raise InputError("The batch ({batch_size}) cannot be larger than the replay buffer "
                             "({experience} transitions).", batch_size=self.batch_size, experience=self.experience)
        return self


def behaviour_episode(env: GridWorld, length: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """(s, a, r, s′) of one episode of the uniform policy from a uniformly random cell."""
    states = np.empty(length + 1, dtype=np.int64)
    states[0] = rng.integers(env.n_states)
    actions = rng.integers(0, env.n_actions, length)
    for t in range(length):
        states[t + 1] = env.next_state[states[t], actions[t]]
    rewards = env.R[states[:-1], actions]
    return states[:-1], actions, rewards, states[1:]


def dqn_steps(env: GridWorld, config: DQNConfig | None = None) -> Iterator:
    """Train for ``config.updates`` mini-batch updates, yielding a frame every ``frame_every``: v̂ = max_a q̂,
    the greedy policy, and in ``metrics`` the loss and the largest error |max_a q̂(s, a) − v*(s)| against
    value iteration."""
    config = (config or DQNConfig()).validate()
    phi = torch.as_tensor(features(env, config.kind, config.order), dtype=torch.float32)
    optimal = value_iteration(env, config.gamma).state_values.reshape(-1)
    rng = np.random.default_rng(config.seed)
    s, a, r, s_next = (torch.as_tensor(x) for x in behaviour_episode(env, config.experience, rng))
    r = r.float()
    with runtime.seeded(config.seed):
        network = nn.Sequential(nn.Linear(phi.shape[1], config.hidden), nn.ReLU(),
                                nn.Linear(config.hidden, env.n_actions))
    target_network = copy.deepcopy(network).requires_grad_(False)
    optimizer = torch.optim.Adam(network.parameters(), lr=config.lr)
    generator = torch.Generator().manual_seed(config.seed + 1)
    losses = []
    for k in range(1, config.updates + 1):
        idx = torch.randint(0, config.experience, (config.batch_size,), generator=generator)
        with torch.no_grad():
            # y = r + γ max_a q̂(s′, a; w_T): the grid world is continuing, so every transition bootstraps
            y = r[idx] + config.gamma * target_network(phi[s_next[idx]]).max(dim=1).values
        q_sa = network(phi[s[idx]]).gather(1, a[idx, None]).squeeze(1)
        loss = nn.functional.mse_loss(q_sa, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if k % config.target_every == 0:
            target_network.load_state_dict(network.state_dict())
        if k % config.frame_every == 0 or k == config.updates:
            with torch.no_grad():
                q = network(phi).double().numpy()
            if not np.all(np.isfinite(q)):
                raise InputError("DQN diverged at update {k}: lower the learning rate (now {lr:g}).", k=k, lr=config.lr)
            error = float(np.abs(q.max(axis=1) - optimal).max())
            yield greedy_frame(env, k, q, {"loss": float(np.mean(losses)), "value_error": error})
            losses = []
