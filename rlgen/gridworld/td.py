"""Temporal-difference learning (book chapter 7): Sarsa, n-step Sarsa and Q-learning (on- and off-policy).

Episodic learning of a path: Sarsa, n-step Sarsa and on-policy Q-learning run episodes from the start cell
that end when the target is reached (or after ``episode_length`` steps), as in the book's chapter 7
examples, so the target is terminal there (its TD target is the reward alone). Off-policy Q-learning follows
a uniform behaviour policy through one long continuing episode and learns q* for the continuing task.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from rlgen.errors import InputError
from rlgen.gridworld.env import GridWorld
from rlgen.gridworld.frames import Frame, Result, collect, epsilon_greedy
from rlgen.gridworld.montecarlo import check_episode_length, check_epsilon, check_iterations
from rlgen.gridworld.planning import check_gamma

MAX_N_STEP = 100


def check_step_size(alpha: float, name: str = "learning rate α") -> float:
    """A step size in (0, 1], or an input error that names it (``name``: how the page calls it)."""
    alpha = float(alpha)
    if not np.isfinite(alpha) or not 0.0 < alpha <= 1.0:
        raise InputError("The {name} must lie in (0, 1] (got {alpha}).", name=name, alpha=alpha)
    return alpha


def _act(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    if rng.random() < epsilon:
        return int(rng.integers(q_row.size))
    return int(q_row.argmax())


def _frame(env: GridWorld, k: int, q: np.ndarray, epsilon: float, states: list[int], ret: float) -> Frame:
    policy = epsilon_greedy(q.argmax(axis=1), env.n_actions, epsilon)
    values = (policy * q).sum(axis=1)
    metrics = {"episode_length": float(len(states) - 1), "episode_return": ret}
    return Frame(k, values.reshape(env.shape), policy, metrics, trajectory=np.asarray(states), q=q.copy())


def n_step_sarsa_steps(
    env: GridWorld,
    gamma: float = 0.9,
    alpha: float = 0.1,
    epsilon: float = 0.1,
    n: int = 1,
    episodes: int = 500,
    episode_length: int = 1000,
    seed: int = 0,
) -> Iterator[Frame]:
    """q(s_t, a_t) ← q(s_t, a_t) − α [q(s_t, a_t) − (r_{t+1} + … + γ^{n−1} r_{t+n} + γ^n q(s_{t+n}, a_{t+n}))].
    n = 1 is Sarsa; n → ∞ is Monte Carlo. The policy is ε-greedy in q throughout."""
    gamma, alpha, epsilon = check_gamma(gamma), check_step_size(alpha), check_epsilon(epsilon)
    episodes = check_iterations(episodes, "episodes")
    episode_length = check_episode_length(episode_length)
    if int(n) != n or not 1 <= n <= MAX_N_STEP:
        raise InputError("n must be a whole number from 1 to {max_n_step} (got {n}).", max_n_step=MAX_N_STEP, n=n)
    n = int(n)
    rng = np.random.default_rng(seed)
    q = np.zeros((env.n_states, env.n_actions))
    target = env.to_index(env.target)
    start = env.to_index(env.start)
    for k in range(1, episodes + 1):
        states, actions, rewards = [start], [_act(q[start], epsilon, rng)], [0.0]
        T = episode_length  # the step at which the episode ends
        t = 0
        while True:
            if t < T:
                s_next = int(env.next_state[states[t], actions[t]])
                rewards.append(float(env.R[states[t], actions[t]]))
                states.append(s_next)
                if s_next == target or t + 1 == episode_length:
                    T = t + 1
                else:
                    actions.append(_act(q[s_next], epsilon, rng))
            tau = t - n + 1  # the step whose estimate is updated now
            if tau >= 0:
                horizon = min(tau + n, T)
                g = sum(gamma ** (i - tau - 1) * rewards[i] for i in range(tau + 1, horizon + 1))
                if tau + n < T:
                    g += gamma**n * q[states[tau + n], actions[tau + n]]
                elif states[T] != target:  # cut off by the length cap, not terminal: bootstrap
                    g += gamma ** (T - tau) * q[states[T]].max()
                s, a = states[tau], actions[tau]
                q[s, a] -= alpha * (q[s, a] - g)
            if tau == T - 1:
                break
            t += 1
        ret = float(np.dot(gamma ** np.arange(len(rewards) - 1), rewards[1:]))
        yield _frame(env, k, q, epsilon, states, ret)


def sarsa_steps(env: GridWorld, gamma: float = 0.9, alpha: float = 0.1, epsilon: float = 0.1,
                episodes: int = 500, episode_length: int = 1000, seed: int = 0) -> Iterator[Frame]:
    """q(s_t, a_t) ← q(s_t, a_t) − α [q(s_t, a_t) − (r_{t+1} + γ q(s_{t+1}, a_{t+1}))]."""
    return n_step_sarsa_steps(env, gamma, alpha, epsilon, 1, episodes, episode_length, seed)


def q_learning_steps(
    env: GridWorld,
    gamma: float = 0.9,
    alpha: float = 0.1,
    epsilon: float = 0.1,
    episodes: int = 500,
    episode_length: int = 1000,
    seed: int = 0,
    off_policy: bool = False,
) -> Iterator[Frame]:
    """q(s_t, a_t) ← q(s_t, a_t) − α [q(s_t, a_t) − (r_{t+1} + γ max_a q(s_{t+1}, a))].
    On-policy: behave ε-greedily in q, episodes end at the target. Off-policy: behave uniformly at random
    (any exploratory policy works, the target policy is greedy) from a random cell for ``episode_length``
    steps per episode without stopping at the target; the frames show the greedy target policy."""
    gamma, alpha, epsilon = check_gamma(gamma), check_step_size(alpha), check_epsilon(epsilon)
    episodes = check_iterations(episodes, "episodes")
    episode_length = check_episode_length(episode_length)
    rng = np.random.default_rng(seed)
    q = np.zeros((env.n_states, env.n_actions))
    target = env.to_index(env.target)
    moves, rewards_table = env.next_state, env.R
    for k in range(1, episodes + 1):
        s = int(rng.integers(env.n_states)) if off_policy else env.to_index(env.start)
        states, ret, discount = [s], 0.0, 1.0
        behaviour = rng.integers(0, env.n_actions, episode_length) if off_policy else None
        for t in range(episode_length):
            a = int(behaviour[t]) if off_policy else _act(q[s], epsilon, rng)
            r, s_next = float(rewards_table[s, a]), int(moves[s, a])
            terminal = not off_policy and s_next == target
            td_target = r if terminal else r + gamma * q[s_next].max()
            q[s, a] -= alpha * (q[s, a] - td_target)
            ret += discount * r
            discount *= gamma
            states.append(s_next)
            s = s_next
            if terminal:
                break
        yield _frame(env, k, q, 0.0 if off_policy else epsilon, states, ret)


def sarsa(env: GridWorld, **kwargs) -> Result:
    return collect(sarsa_steps(env, **kwargs))


def n_step_sarsa(env: GridWorld, **kwargs) -> Result:
    return collect(n_step_sarsa_steps(env, **kwargs))


def q_learning(env: GridWorld, **kwargs) -> Result:
    return collect(q_learning_steps(env, **kwargs))
