"""Tabular RL on the grid world of Zhao's "Mathematical Foundations of Reinforcement Learning"."""

import gymnasium

from rlgen.gridworld.env import ACTIONS, GridWorld
from rlgen.gridworld.frames import Frame, Result
from rlgen.gridworld.mean_estimation import mean_estimation
from rlgen.gridworld.montecarlo import mc_basic, mc_epsilon_greedy, mc_exploring_starts
from rlgen.gridworld.planning import policy_evaluation, policy_iteration, truncated_policy_iteration, value_iteration
from rlgen.gridworld.td import n_step_sarsa, q_learning, sarsa

ENV_ID = "rlgen/GridWorld-v0"

if ENV_ID not in gymnasium.registry:
    # The book's 5×5 example; a continuing task, so registered episodes are truncated at 100 steps.
    gymnasium.register(id=ENV_ID, entry_point=GridWorld.book_example, max_episode_steps=100)

__all__ = [
    "ACTIONS", "ENV_ID", "Frame", "GridWorld", "Result", "mc_basic", "mc_epsilon_greedy", "mc_exploring_starts",
    "mean_estimation", "n_step_sarsa", "policy_evaluation", "policy_iteration", "q_learning", "sarsa",
    "truncated_policy_iteration", "value_iteration",
]
