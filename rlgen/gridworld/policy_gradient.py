"""Policy gradient (book chapter 9) and actor-critic (chapter 10) on the grid world, with a softmax policy
π(a|s, θ) = exp θ(s, a) / Σ_b exp θ(s, b) over a table of preferences θ.

The gradient of the metric is E[∇θ ln π(A|S, θ) q_π(S, A)] (the policy gradient theorem, book eq. 9.x);
for the softmax table ∇_{θ(s, ·)} ln π(a|s) = e_a − π(·|s). The algorithms differ only in what stands in for
q_π(s, a):
  * REINFORCE: the Monte-Carlo return q_t = Σ_k γ^k r_{t+k+1} of the sampled episode;
  * QAC: a Sarsa critic's q̂(s, a);
  * A2C: the TD error δ = r + γ v̂(s′) − v̂(s), an estimate of the advantage q_π(s, a) − v_π(s) (a baseline
    that lowers the variance without moving the mean).
Each episode starts in a uniformly random cell (so every state is learned) and runs ``episode_length`` steps
of the continuing task. The frames show the policy, its exact value v_π (a linear solve, for the figure
and the error against v*) and the episode's return.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from rlgen.errors import InputError
from rlgen.gridworld.env import GridWorld
from rlgen.gridworld.frames import Frame
from rlgen.gridworld.montecarlo import check_episode_length, check_iterations
from rlgen.gridworld.planning import check_gamma, policy_evaluation, value_iteration
from rlgen.gridworld.td import check_step_size

ACTOR_CRITICS = ("QAC", "A2C")


def softmax(preferences: np.ndarray) -> np.ndarray:
    """π(·|s) for every row s; shifted by the row's maximum so exp cannot overflow."""
    z = np.exp(preferences - preferences.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def _sample(probabilities: np.ndarray, u: float) -> int:
    return min(int(np.searchsorted(np.cumsum(probabilities), u, side="right")), probabilities.size - 1)


def _frame(env: GridWorld, k: int, theta: np.ndarray, gamma: float, optimal: np.ndarray, states: list[int],
           ret: float, metrics: dict[str, float] | None = None) -> Frame:
    policy = softmax(theta)
    values = policy_evaluation(env, policy, gamma)
    error = float(np.abs(values.reshape(-1) - optimal).max())
    all_metrics = {"episode_return": ret, "value_error": error, **(metrics or {})}
    return Frame(k, values, policy, all_metrics, trajectory=np.asarray(states))


def _checked(gamma: float, alpha: float, episodes: int, episode_length: int) -> tuple[float, float, int, int]:
    return (check_gamma(gamma), check_step_size(alpha, "actor's learning rate α_θ"),
            check_iterations(episodes, "episodes"), check_episode_length(episode_length))


def _diverged(theta: np.ndarray, k: int, alpha: float) -> None:
    if not np.all(np.isfinite(theta)):
        raise InputError("The preferences overflowed at episode {k}: lower the learning rate (now {alpha:g}).",
                         k=k, alpha=alpha)


def reinforce_steps(env: GridWorld, gamma: float = 0.9, alpha: float = 0.1, episodes: int = 300,
                    episode_length: int = 50, seed: int = 0) -> Iterator[Frame]:
    """REINFORCE (book Algorithm 9.1): sample an episode with π(θ), then for t = 0, 1, …
    θ ← θ + α ∇θ ln π(a_t|s_t, θ) q_t with q_t the discounted return from t."""
    gamma, alpha, episodes, episode_length = _checked(gamma, alpha, episodes, episode_length)
    rng = np.random.default_rng(seed)
    optimal = value_iteration(env, gamma).state_values.reshape(-1)
    theta = np.zeros((env.n_states, env.n_actions))
    for k in range(1, episodes + 1):
        policy = softmax(theta)  # the episode follows the policy it started with
        s = int(rng.integers(env.n_states))
        states, actions, rewards = [s], [], []
        for u in rng.random(episode_length):
            a = _sample(policy[s], u)
            rewards.append(float(env.R[s, a]))
            actions.append(a)
            s = int(env.next_state[s, a])
            states.append(s)
        returns = np.zeros(episode_length)
        running = 0.0
        for t in range(episode_length - 1, -1, -1):
            running = rewards[t] + gamma * running
            returns[t] = running
        for t, (s_t, a_t) in enumerate(zip(states[:-1], actions)):
            grad_log = -softmax(theta[s_t][None])[0]
            grad_log[a_t] += 1.0  # ∇ ln π(a|s) = e_a − π(·|s)
            theta[s_t] += alpha * returns[t] * grad_log
        _diverged(theta, k, alpha)
        yield _frame(env, k, theta, gamma, optimal, states, float(returns[0]))


def actor_critic_steps(env: GridWorld, variant: str = "A2C", gamma: float = 0.9, alpha: float = 0.1,
                       critic_alpha: float = 0.2, episodes: int = 300, episode_length: int = 50,
                       seed: int = 0) -> Iterator[Frame]:
    """QAC (book Algorithm 10.1) or A2C (Algorithm 10.2) with a tabular critic, updated at every step:
    critic  QAC: q(s, a) ← q(s, a) + α_w [r + γ q(s′, a′) − q(s, a)];  A2C: v(s) ← v(s) + α_w δ,
            δ = r + γ v(s′) − v(s);
    actor   θ(s, ·) ← θ(s, ·) + α_θ (e_a − π(·|s)) · (q(s, a) for QAC, δ for A2C)."""
    if variant not in ACTOR_CRITICS:
        raise InputError("The actor-critic must be one of {actor_critics} (got {variant!r}).",
                         actor_critics=', '.join(ACTOR_CRITICS), variant=variant)
    gamma, alpha, episodes, episode_length = _checked(gamma, alpha, episodes, episode_length)
    critic_alpha = check_step_size(critic_alpha, "critic's learning rate α_w")
    rng = np.random.default_rng(seed)
    optimal = value_iteration(env, gamma).state_values.reshape(-1)
    theta = np.zeros((env.n_states, env.n_actions))
    q = np.zeros((env.n_states, env.n_actions))
    v = np.zeros(env.n_states)
    for k in range(1, episodes + 1):
        s = int(rng.integers(env.n_states))
        draws = rng.random(episode_length + 1)
        a = _sample(softmax(theta[s][None])[0], draws[0])
        states, ret, discount, td_errors = [s], 0.0, 1.0, []
        for t in range(episode_length):
            r, s_next = float(env.R[s, a]), int(env.next_state[s, a])
            pi_s = softmax(theta[s][None])[0]
            a_next = _sample(softmax(theta[s_next][None])[0], draws[t + 1])
            if variant == "QAC":
                delta = r + gamma * q[s_next, a_next] - q[s, a]
                q[s, a] += critic_alpha * delta
                weight = q[s, a]
            else:
                delta = r + gamma * v[s_next] - v[s]
                v[s] += critic_alpha * delta
                weight = delta
            grad_log = -pi_s
            grad_log[a] += 1.0
            theta[s] += alpha * weight * grad_log
            td_errors.append(abs(delta))
            ret += discount * r
            discount *= gamma
            states.append(s_next)
            s, a = s_next, a_next
        _diverged(theta, k, alpha)
        yield _frame(env, k, theta, gamma, optimal, states, ret, {"mean_abs_td_error": float(np.mean(td_errors))})
