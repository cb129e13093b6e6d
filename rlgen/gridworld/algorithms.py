"""The table of algorithms the live visualiser offers: name, update equation, which knobs apply, and the
generator that runs it. ``run_steps`` adds the distance to the optimum v* to every frame."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from rlgen.errors import InputError
from rlgen.gridworld.env import GridWorld
from rlgen.gridworld.frames import Frame
from rlgen.gridworld.montecarlo import mc_basic_steps, mc_control_steps
from rlgen.gridworld.planning import (
    check_gamma,
    policy_iteration_steps,
    truncated_policy_iteration_steps,
    value_iteration,
    value_iteration_steps,
)
from rlgen.gridworld.td import n_step_sarsa_steps, q_learning_steps, sarsa_steps


@dataclass(frozen=True)
class RunParams:
    gamma: float = 0.9
    j_truncate: int = 5
    episode_length: int = 100
    iterations: int = 200
    epsilon: float = 0.1
    alpha: float = 0.1
    n: int = 3
    first_visit: bool = False
    seed: int = 0


@dataclass(frozen=True)
class Algorithm:
    label: str
    equation: str
    knobs: tuple[str, ...]
    steps: Callable[[GridWorld, RunParams], Iterator[Frame]]
    x_label: str = "iteration k"
    # Episodic TD runs treat the target as terminal, so their values are not comparable with the
    # continuing task's v*; their panel shows episode length and return instead of ‖v_k − v*‖∞.
    episodic: bool = False


ALGORITHMS: dict[str, Algorithm] = {
    "value_iteration": Algorithm(
        "Value iteration",
        r"$v_{k+1}(s) = \max_a \big[r(s,a) + \gamma\, v_k(s')\big]$, and $\pi_{k+1}(s)$ is the maximising $a$. "
        r"A contraction: $\|v_{k+1}-v^*\|_\infty \le \gamma \|v_k - v^*\|_\infty$.",
        (),
        lambda env, p: value_iteration_steps(env, p.gamma),
    ),
    "policy_iteration": Algorithm(
        "Policy iteration",
        r"Evaluate exactly, $v_{\pi_k} = (I-\gamma P_{\pi_k})^{-1} r_{\pi_k}$, then improve greedily "
        r"$\pi_{k+1}(s) = \arg\max_a [r(s,a)+\gamma v_{\pi_k}(s')]$. Stops when the policy is stable.",
        (),
        lambda env, p: policy_iteration_steps(env, p.gamma),
    ),
    "truncated_policy_iteration": Algorithm(
        "Truncated policy iteration",
        r"Evaluate with $j$ sweeps of $v \leftarrow r_\pi + \gamma P_\pi v$ from the last $v$, then improve. "
        r"$j=1$ is value iteration, $j\to\infty$ policy iteration.",
        ("j_truncate",),
        lambda env, p: truncated_policy_iteration_steps(env, p.gamma, p.j_truncate),
    ),
    "mc_basic": Algorithm(
        "MC Basic",
        r"Policy iteration with $q_{\pi_k}(s,a)$ estimated by the return of an episode that starts with "
        r"$(s,a)$: $g = r_1 + \gamma r_2 + \dots + \gamma^{L-1} r_L$. A state far from the target sees it only "
        r"once the episode length $L$ reaches its shortest path.",
        ("episode_length", "iterations"),
        lambda env, p: mc_basic_steps(env, p.gamma, p.episode_length, p.iterations),
    ),
    "mc_exploring_starts": Algorithm(
        "MC Exploring Starts",
        r"Each episode starts at a random $(s_0,a_0)$ and follows the greedy policy; backwards, "
        r"$g \leftarrow \gamma g + r_{t+1}$, $q(s_t,a_t) \leftarrow$ mean of its returns, "
        r"$\pi(s_t) = \arg\max_a q(s_t,a)$.",
        ("episode_length", "iterations", "first_visit"),
        lambda env, p: mc_control_steps(env, p.gamma, 0.0, p.episode_length, p.iterations, p.seed, True,
                                        p.first_visit),
        "episode",
    ),
    "mc_epsilon_greedy": Algorithm(
        "MC ε-greedy",
        r"Episodes from the start cell under an $\varepsilon$-greedy policy: "
        r"$\pi(a^*|s) = 1-\tfrac{|A|-1}{|A|}\varepsilon$, others $\tfrac{\varepsilon}{|A|}$; "
        r"$q(s,a)$ = mean of the returns that followed $(s,a)$.",
        ("epsilon", "episode_length", "iterations", "first_visit"),
        lambda env, p: mc_control_steps(env, p.gamma, p.epsilon, p.episode_length, p.iterations, p.seed, False,
                                        p.first_visit),
        "episode",
    ),
    "sarsa": Algorithm(
        "Sarsa",
        r"$q(s_t,a_t) \leftarrow q(s_t,a_t) - \alpha\big[q(s_t,a_t) - (r_{t+1} + \gamma q(s_{t+1},a_{t+1}))\big]$, "
        r"acting $\varepsilon$-greedily; episodes run from the start cell to the target.",
        ("alpha", "epsilon", "episode_length", "iterations"),
        lambda env, p: sarsa_steps(env, p.gamma, p.alpha, p.epsilon, p.iterations, p.episode_length, p.seed),
        "episode",
        episodic=True,
    ),
    "n_step_sarsa": Algorithm(
        "n-step Sarsa",
        r"Target $r_{t+1} + \gamma r_{t+2} + \dots + \gamma^{n-1} r_{t+n} + \gamma^n q(s_{t+n},a_{t+n})$: "
        r"$n=1$ is Sarsa, $n\to\infty$ Monte Carlo.",
        ("n", "alpha", "epsilon", "episode_length", "iterations"),
        lambda env, p: n_step_sarsa_steps(env, p.gamma, p.alpha, p.epsilon, p.n, p.iterations, p.episode_length,
                                          p.seed),
        "episode",
        episodic=True,
    ),
    "q_learning": Algorithm(
        "Q-learning (on-policy)",
        r"$q(s_t,a_t) \leftarrow q(s_t,a_t) - \alpha\big[q(s_t,a_t) - (r_{t+1} + \gamma \max_a q(s_{t+1},a))\big]$, "
        r"behaving $\varepsilon$-greedily in $q$ itself.",
        ("alpha", "epsilon", "episode_length", "iterations"),
        lambda env, p: q_learning_steps(env, p.gamma, p.alpha, p.epsilon, p.iterations, p.episode_length, p.seed),
        "episode",
        episodic=True,
    ),
    "q_learning_off_policy": Algorithm(
        "Q-learning (off-policy)",
        r"The same update, but the data come from a uniformly random behaviour policy; the target policy "
        r"is greedy. With enough exploration $q \to q^*$ of the continuing task.",
        ("alpha", "episode_length", "iterations"),
        lambda env, p: q_learning_steps(env, p.gamma, p.alpha, 1.0, p.iterations, p.episode_length, p.seed,
                                        off_policy=True),
        "episode",
    ),
}


def optimal_values(env: GridWorld, gamma: float) -> np.ndarray:
    return value_iteration(env, gamma, tol=1e-10).state_values


def run_steps(env: GridWorld, key: str, params: RunParams) -> Iterator[Frame]:
    """The algorithm's frames, each with ``metrics["error"]`` = ‖v_k − v*‖∞ added (continuing-task methods)."""
    if key not in ALGORITHMS:
        raise InputError("Unknown algorithm {key!r}; choose one of: {algorithms}.",
                         key=key, algorithms=', '.join(ALGORITHMS))
    check_gamma(params.gamma)
    v_star = optimal_values(env, params.gamma)
    algorithm = ALGORITHMS[key]
    for frame in algorithm.steps(env, params):
        if not algorithm.episodic:
            frame.metrics["error"] = float(np.max(np.abs(frame.values - v_star)))
        yield frame
