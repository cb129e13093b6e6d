"""Value-function approximation on the grid world (book chapter 8): TD-linear with polynomial or Fourier
features of the cell's coordinates, its closed-form fixed point, and deep Q-learning (DQN) with experience
replay and a target network.

A table stores one number per state; an approximation stores a weight vector w and reads
v̂(s, w) = φ(s)ᵀw. TD-linear moves w along the TD error: w ← w + α [r + γ φ(s′)ᵀw − φ(s)ᵀw] φ(s) (book eq. 8.13).
With one-hot features this is tabular TD(0); with a few smooth features it can only be the best fit the
features allow — the TD fixed point w_TD of :func:`td_fixed_point`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from rlgen.errors import InputError
from rlgen.gridworld.env import GridWorld
from rlgen.gridworld.frames import Frame
from rlgen.gridworld.montecarlo import check_episode_length, check_iterations
from rlgen.gridworld.planning import check_gamma, check_policy, policy_evaluation, policy_matrix
from rlgen.gridworld.td import check_step_size

FEATURES = ("polynomial", "fourier", "one-hot")
MAX_ORDER = 8


def features(env: GridWorld, kind: str = "polynomial", order: int = 2) -> np.ndarray:
    """φ(s) for every state, S×d. The cell's coordinates are scaled to x = col/(cols−1), y = row/(rows−1) in
    [0, 1]; ``polynomial``: all xⁱyʲ with i + j ≤ order (order 1: [1, x, y]); ``fourier``:
    cos(π(c₁x + c₂y)) for c₁, c₂ in 0…order (book section 8.2); ``one-hot``: the table (order unused)."""
    if kind not in FEATURES:
        raise InputError("Features must be one of {features} (got {kind!r}).", features=', '.join(FEATURES), kind=kind)
    if kind == "one-hot":
        return np.eye(env.n_states)
    if int(order) != order or not 1 <= order <= MAX_ORDER:
        raise InputError("The feature order must be a whole number from 1 to {max_order} (got {order}).",
                         max_order=MAX_ORDER, order=order)
    rows, cols = np.divmod(np.arange(env.n_states), env.cols)
    x = cols / max(env.cols - 1, 1)
    y = rows / max(env.rows - 1, 1)
    if kind == "polynomial":
        powers = [(i, n - i) for n in range(int(order) + 1) for i in range(n, -1, -1)]
        return np.stack([x**i * y**j for i, j in powers], axis=1)
    coefficients = [(c1, c2) for c1 in range(int(order) + 1) for c2 in range(int(order) + 1)]
    return np.stack([np.cos(np.pi * (c1 * x + c2 * y)) for c1, c2 in coefficients], axis=1)


def visit_distribution(env: GridWorld, policy: np.ndarray, episode_length: int) -> np.ndarray:
    """The share of visits to each state when episodes of ``episode_length`` steps start in a uniformly random
    cell and follow π: d = (1/L) Σ_{t<L} d₀ P_πᵗ. These are the weights TD-linear's expected update uses."""
    P_pi, _ = policy_matrix(env, policy)
    d = np.full(env.n_states, 1.0 / env.n_states)
    total = np.zeros(env.n_states)
    for _ in range(episode_length):
        total += d
        d = P_pi.T @ d
    return total / episode_length


def td_fixed_point(env: GridWorld, policy: np.ndarray, phi: np.ndarray, gamma: float,
                   distribution: np.ndarray) -> np.ndarray:
    """w_TD, where the expected TD-linear update is zero: Φᵀ D (r_π + γ P_π Φ w − Φ w) = 0, i.e.
    w = [Φᵀ D (I − γ P_π) Φ]⁻¹ Φᵀ D r_π with D = diag(d) (book eq. 8.35)."""
    P_pi, r_pi = policy_matrix(env, policy)
    D = np.diag(distribution)
    A = phi.T @ D @ (phi - gamma * (P_pi @ phi))
    b = phi.T @ D @ r_pi
    return np.linalg.lstsq(A, b, rcond=None)[0]


def td_linear_steps(
    env: GridWorld,
    policy: np.ndarray | None = None,
    kind: str = "polynomial",
    order: int = 2,
    gamma: float = 0.9,
    alpha: float = 0.005,
    episodes: int = 500,
    episode_length: int = 500,
    seed: int = 0,
) -> Iterator[Frame]:
    """Evaluate π (uniformly random when None) with TD-linear: each episode starts in a uniformly random cell
    and follows π for ``episode_length`` steps; after each one the frame holds v̂ = Φw and, in ``metrics``,
    the root-mean-square error against the true v_π (the error curve of the book's TD-linear examples,
    chapter 8)."""
    gamma, alpha = check_gamma(gamma), check_step_size(alpha)
    episodes, episode_length = check_iterations(episodes, "episodes"), check_episode_length(episode_length)
    policy = np.full((env.n_states, env.n_actions), 1.0 / env.n_actions) if policy is None else policy
    policy = check_policy(env, policy)
    phi = features(env, kind, order)
    true_values = policy_evaluation(env, policy, gamma).reshape(-1)
    rng = np.random.default_rng(seed)
    cumulative = np.cumsum(policy, axis=1)
    w = np.zeros(phi.shape[1])
    for k in range(1, episodes + 1):
        s = int(rng.integers(env.n_states))
        states = [s]
        draws = rng.random(episode_length)
        for t in range(episode_length):
            a = int(np.searchsorted(cumulative[s], draws[t] * cumulative[s, -1], side="right"))
            a = min(a, env.n_actions - 1)
            r, s_next = env.R[s, a], int(env.next_state[s, a])
            # w ← w + α [r + γ φ(s′)ᵀw − φ(s)ᵀw] φ(s)
            td_error = r + gamma * phi[s_next] @ w - phi[s] @ w
            w += alpha * td_error * phi[s]
            states.append(s_next)
            s = s_next
        if not np.all(np.isfinite(w)):
            raise InputError("TD-linear diverged at episode {k}: lower the learning rate α (now {alpha:g}).",
                             k=k, alpha=alpha)
        values = phi @ w
        rmse = float(np.sqrt(np.mean((values - true_values) ** 2)))
        yield Frame(k, values.reshape(env.shape), policy, {"rmse": rmse}, trajectory=np.asarray(states))


def greedy_frame(env: GridWorld, step: int, q: np.ndarray, metrics: dict[str, float],
                 trajectory: np.ndarray | None = None) -> Frame:
    """A frame of an action-value method: v̂(s) = max_a q̂(s, a) and the greedy policy."""
    actions = q.argmax(axis=1)
    return Frame(step, q.max(axis=1).reshape(env.shape), metrics=metrics, trajectory=trajectory, q=q.copy(),
                 actions=actions, n_actions=env.n_actions)


