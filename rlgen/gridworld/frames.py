"""What every grid-world algorithm yields while it runs, and what it returns when it is done."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np


class Frame:
    """One iteration (or one episode) of a tabular algorithm.

    ``values`` is shaped rows×cols; ``policy`` is S×A probabilities π(a|s) — deterministic algorithms give
    ``actions`` (one per state) instead and the one-hot ``policy`` is built on first read, which keeps long
    histories cheap; ``metrics`` holds the algorithm's own numbers (``delta`` = ‖v_k − v_{k−1}‖∞,
    ``policy_changes``, ``episode_return``…); ``trajectory`` is the sampled episode's state indices.
    """

    __slots__ = ("step", "values", "metrics", "trajectory", "q", "actions", "_policy", "_n_actions")

    def __init__(
        self,
        step: int,
        values: np.ndarray,
        policy: np.ndarray | None = None,
        metrics: dict[str, float] | None = None,
        trajectory: np.ndarray | None = None,
        q: np.ndarray | None = None,
        *,
        actions: np.ndarray | None = None,
        n_actions: int = 5,
    ) -> None:
        if (policy is None) == (actions is None):
            raise ValueError("A frame needs either a policy (S×A) or actions (S), not both.")
        self.step, self.values, self.metrics = step, values, {} if metrics is None else metrics
        self.trajectory, self.q, self.actions = trajectory, q, actions
        self._policy, self._n_actions = policy, n_actions

    @property
    def policy(self) -> np.ndarray:
        if self._policy is None:
            self._policy = one_hot(self.actions, self._n_actions)
        return self._policy


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
