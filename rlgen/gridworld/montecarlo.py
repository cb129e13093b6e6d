"""Monte Carlo learning (book chapter 5): MC Basic, MC Exploring Starts and MC ε-greedy.

Model-free: these functions only *sample* the grid world (through ``next_state``/``R`` as a simulator, the
same moves ``env.step`` makes) and estimate q(s, a) from returns g_t = r_{t+1} + γ g_{t+1}.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.signal import lfilter

from rlgen.errors import InputError
from rlgen.gridworld.env import GridWorld
from rlgen.gridworld.frames import Frame, Result, collect, epsilon_greedy
from rlgen.gridworld.planning import check_gamma, greedy_actions

MAX_EPISODE_LENGTH = 1_000_000
MAX_ITERATIONS = 100_000
MAX_MC_BASIC_STEPS = 50_000_000  # S·A·L env steps in one MC Basic iteration (about a second, vectorised)


def check_episode_length(episode_length: int) -> int:
    if int(episode_length) != episode_length or not 1 <= episode_length <= MAX_EPISODE_LENGTH:
        raise InputError("Episode length must be a whole number from 1 to {max_episode_length:,} "
                         "(got {episode_length}).",
                         max_episode_length=MAX_EPISODE_LENGTH, episode_length=episode_length)
    return int(episode_length)


def check_iterations(iterations: int, what: str = "iterations") -> int:
    if int(iterations) != iterations or not 1 <= iterations <= MAX_ITERATIONS:
        raise InputError("The number of {what} must be a whole number from 1 to {max_iterations:,} "
                         "(got {iterations}).", what=what, max_iterations=MAX_ITERATIONS, iterations=iterations)
    return int(iterations)


def check_epsilon(epsilon: float) -> float:
    epsilon = float(epsilon)
    if not np.isfinite(epsilon) or not 0.0 <= epsilon <= 1.0:
        raise InputError("ε must lie in [0, 1] (got {epsilon}).", epsilon=epsilon)
    return epsilon


def discounted_returns(rewards: np.ndarray, gamma: float) -> np.ndarray:
    """g_t = r_{t+1} + γ g_{t+1} for every t, computed backwards as a linear filter (fast for 10⁶ steps)."""
    return lfilter([1.0], [1.0, -gamma], rewards[::-1])[::-1]


def mc_basic_steps(
    env: GridWorld, gamma: float = 0.9, episode_length: int = 30, iterations: int = 10
) -> Iterator[Frame]:
    """MC Basic: policy iteration with q_π(s, a) estimated from an episode that starts with (s, a).
    Moves and the greedy policy are deterministic, so one episode per pair gives q_π exactly up to the
    truncation at ``episode_length`` rewards — and a far state sees the target only once the episode is at
    least as long as its shortest path (the book's episode-length example for MC Basic, chapter 5)."""
    gamma = check_gamma(gamma)
    episode_length = check_episode_length(episode_length)
    iterations = check_iterations(iterations)
    S, A = env.n_states, env.n_actions
    if S * A * episode_length > MAX_MC_BASIC_STEPS:
        raise InputError(
            "MC Basic runs one episode from each of the {pairs:,} state–action pairs: with episodes of "
            "{episode_length:,} steps that is {steps:,} steps per iteration, above the cap of "
            "{max_mc_basic_steps:,}. Shorten the episodes or the grid.",
            pairs=S * A, episode_length=episode_length, steps=S * A * episode_length,
            max_mc_basic_steps=MAX_MC_BASIC_STEPS
        )
    actions = np.full(S, 4)  # start from "stay" everywhere
    start_states = np.repeat(np.arange(S), A)
    start_actions = np.tile(np.arange(A), S)
    for k in range(1, iterations + 1):
        # Episodes from every (s, a) at once: g = r_1 + γ r_2 + … + γ^{L−1} r_L.
        g = env.R[start_states, start_actions].copy()
        s = env.next_state[start_states, start_actions]
        discount = 1.0
        for _ in range(episode_length - 1):
            discount *= gamma
            a = actions[s]
            g += discount * env.R[s, a]
            s = env.next_state[s, a]
        q = g.reshape(S, A)
        new_actions = greedy_actions(q, actions)
        changes = int((new_actions != actions).sum())
        actions = new_actions
        values = q[np.arange(S), actions]
        yield Frame(k, values.reshape(env.shape), None, {"policy_changes": changes}, q=q, actions=actions)
        if changes == 0:
            return


def mc_basic(env: GridWorld, gamma: float = 0.9, episode_length: int = 30, iterations: int = 10) -> Result:
    return collect(mc_basic_steps(env, gamma, episode_length, iterations))


def sample_episode(
    env: GridWorld,
    greedy: np.ndarray,
    start_state: int,
    start_action: int | None,
    length: int,
    epsilon: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Follow the ε-greedy policy around ``greedy`` for ``length`` steps; returns states, actions, rewards.
    With probability ε the action is uniform over all actions (so the greedy one keeps 1 − ε + ε/|A|)."""
    explore = (rng.random(length) < epsilon).tolist()
    random_actions = rng.integers(0, env.n_actions, length).tolist()
    moves = env.next_state.tolist()
    greedy_list = greedy.tolist()
    states = [0] * length
    actions = [0] * length
    s = int(start_state)
    for t in range(length):
        if t == 0 and start_action is not None:
            a = int(start_action)
        else:
            a = random_actions[t] if explore[t] else greedy_list[s]
        states[t] = s
        actions[t] = a
        s = moves[s][a]
    states_arr, actions_arr = np.asarray(states), np.asarray(actions)
    return states_arr, actions_arr, env.R[states_arr, actions_arr]


def mc_control_steps(
    env: GridWorld,
    gamma: float = 0.9,
    epsilon: float = 0.1,
    episode_length: int = 1000,
    iterations: int = 100,
    seed: int = 0,
    exploring_starts: bool = False,
    first_visit: bool = False,
) -> Iterator[Frame]:
    """Episode-by-episode MC control. After each episode every visited (s, a) gets
    q(s, a) = mean of the returns that followed it (first visit only, or every visit), and each visited
    state's policy becomes ε-greedy in q. Exploring starts: each episode begins at a uniformly drawn
    (s, a); otherwise at the env's start cell. ε = 0 with exploring starts is MC Exploring Starts."""
    gamma = check_gamma(gamma)
    epsilon = check_epsilon(epsilon)
    episode_length = check_episode_length(episode_length)
    iterations = check_iterations(iterations, "episodes")
    S, A = env.n_states, env.n_actions
    rng = np.random.default_rng(seed)
    greedy = rng.integers(0, A, S)
    returns_sum = np.zeros(S * A)
    visits = np.zeros(S * A)
    q = np.zeros((S, A))
    for k in range(1, iterations + 1):
        if exploring_starts:
            s0, a0 = int(rng.integers(S)), int(rng.integers(A))
        else:
            s0, a0 = env.to_index(env.start), None
        states, actions, rewards = sample_episode(env, greedy, s0, a0, episode_length, epsilon, rng)
        g = discounted_returns(rewards, gamma)
        episode_return = float(g[0])
        pair = states * A + actions
        if first_visit:
            _, first = np.unique(pair, return_index=True)
            pair, g = pair[first], g[first]
        returns_sum += np.bincount(pair, weights=g, minlength=S * A)
        visits += np.bincount(pair, minlength=S * A)
        seen = visits > 0
        q.reshape(-1)[seen] = returns_sum[seen] / visits[seen]
        visited_states = np.unique(states)
        old = greedy.copy()
        greedy[visited_states] = q[visited_states].argmax(axis=1)
        policy = epsilon_greedy(greedy, A, epsilon)
        values = (policy * q).sum(axis=1)
        yield Frame(
            k,
            values.reshape(env.shape),
            policy,
            {
                "episode_return": episode_return,
                "policy_changes": int((greedy != old).sum()),
                "visited_pairs": float(seen.mean()),
            },
            trajectory=states,
            q=q.copy(),
        )


def mc_exploring_starts(
    env: GridWorld,
    gamma: float = 0.9,
    episode_length: int = 100,
    iterations: int = 1000,
    seed: int = 0,
    first_visit: bool = True,
) -> Result:
    """MC Exploring Starts (book Algorithm 5.2): every episode starts at a random (s, a), the policy is greedy."""
    return collect(mc_control_steps(env, gamma, 0.0, episode_length, iterations, seed, True, first_visit))


def mc_epsilon_greedy(
    env: GridWorld,
    gamma: float = 0.9,
    epsilon: float = 0.1,
    episode_length: int = 1000,
    iterations: int = 100,
    seed: int = 0,
    exploring_starts: bool = False,
    first_visit: bool = False,
) -> Result:
    """MC ε-greedy (book Algorithm 5.3): no exploring starts needed, the soft policy explores."""
    return collect(
        mc_control_steps(env, gamma, epsilon, episode_length, iterations, seed, exploring_starts, first_visit)
    )
