"""What every grid-world algorithm yields while it runs, and what it returns when it is done."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Frame:
    """One iteration (or one episode) of a tabular algorithm.

    ``values`` is shaped rows×cols; ``policy`` is S×A probabilities π(a|s); ``metrics`` holds the
    algorithm's own numbers (``delta`` = ‖v_k − v_{k−1}‖∞, ``policy_changes``, ``episode_return``…);
    ``trajectory`` is the episode's state indices where the algorithm samples episodes.
    """

    step: int
    values: np.ndarray
    policy: np.ndarray
    metrics: dict[str, float] = field(default_factory=dict)
    trajectory: np.ndarray | None = None
    q: np.ndarray | None = None


@dataclass
class Result:
    state_values: np.ndarray
    policy: np.ndarray
    iterations: int
    history: list[Frame]
    q: np.ndarray | None = None


def collect(frames: Iterator[Frame]) -> Result:
    """Run a generator form to the end; the last frame is the answer, all frames are the history."""
    history = list(frames)
    if not history:
        raise ValueError("The algorithm produced no iterations.")
    last = history[-1]
    return Result(last.values, last.policy, last.step, history, last.q)


def one_hot(actions: np.ndarray, n_actions: int) -> np.ndarray:
    """A deterministic policy (an action per state) as S×A probabilities."""
    policy = np.zeros((actions.size, n_actions), dtype=np.float64)
    policy[np.arange(actions.size), actions] = 1.0
    return policy


def epsilon_greedy(greedy_actions: np.ndarray, n_actions: int, epsilon: float) -> np.ndarray:
    """π(a*|s) = 1 − ε(|A|−1)/|A| for the greedy a*, ε/|A| for every other action (book eq. 5.x)."""
    policy = np.full((greedy_actions.size, n_actions), epsilon / n_actions)
    policy[np.arange(greedy_actions.size), greedy_actions] += 1.0 - epsilon
    return policy
