"""From tables to deep RL on the book's 5×5 grid world: TD-linear against v_π and its closed-form fixed point,
DQN against value iteration's v*, REINFORCE and actor-critic against v* and a finite-difference gradient."""

from __future__ import annotations

import numpy as np
import pytest

from rlgen.errors import InputError
from rlgen.gridworld import GridWorld
from rlgen.gridworld.approximation import features, td_fixed_point, td_linear_steps, visit_distribution
from rlgen.gridworld.dqn import DQNConfig, dqn_steps
from rlgen.gridworld.planning import policy_evaluation, q_from_v, value_iteration
from rlgen.gridworld.policy_gradient import actor_critic_steps, reinforce_steps, softmax

GAMMA = 0.9


@pytest.fixture(scope="module")
def env() -> GridWorld:
    return GridWorld.book_example()


@pytest.fixture(scope="module")
def optimal(env):
    v = value_iteration(env, GAMMA).state_values.reshape(-1)
    return v, q_from_v(env, v, GAMMA)


def uniform(env: GridWorld) -> np.ndarray:
    return np.full((env.n_states, env.n_actions), 1.0 / env.n_actions)


def last(frames):
    frame = None
    for frame in frames:  # noqa: B007
        pass
    return frame


def test_polynomial_and_fourier_features_are_the_book_s_functions_of_the_coordinates(env):
    phi = features(env, "polynomial", 2)
    cell = env.to_index((4, 2))  # x = col/4 = 0.5, y = row/4 = 1
    np.testing.assert_allclose(phi[cell], [1, 0.5, 1, 0.25, 0.5, 1])  # 1, x, y, x², xy, y²
    fourier = features(env, "fourier", 1)
    np.testing.assert_allclose(fourier[cell], np.cos(np.pi * np.array([0, 1, 0.5, 1.5])), atol=1e-12)
    assert features(env, "one-hot").shape == (25, 25)


def test_td_fixed_point_with_one_hot_features_is_the_true_state_value(env):
    policy = uniform(env)
    phi = features(env, "one-hot")
    w = td_fixed_point(env, policy, phi, GAMMA, visit_distribution(env, policy, 500))
    np.testing.assert_allclose(phi @ w, policy_evaluation(env, policy, GAMMA).reshape(-1), atol=1e-9)


def test_td_linear_with_one_hot_features_learns_v_pi_of_the_uniform_policy(env):
    frame = last(td_linear_steps(env, kind="one-hot", alpha=0.05, episodes=60, episode_length=500, seed=0))
    truth = policy_evaluation(env, uniform(env), GAMMA)
    assert frame.metrics["rmse"] < 0.25
    assert np.sqrt(np.mean((frame.values - truth) ** 2)) == pytest.approx(frame.metrics["rmse"])


@pytest.mark.parametrize(("kind", "order"), [("polynomial", 1), ("fourier", 2)])
def test_td_linear_settles_near_the_closed_form_td_fixed_point(env, kind, order):
    policy = uniform(env)
    phi = features(env, kind, order)
    w_td = td_fixed_point(env, policy, phi, GAMMA, visit_distribution(env, policy, 500))
    frames = list(td_linear_steps(env, kind=kind, order=order, alpha=0.005, episodes=60, episode_length=500))
    first_gap = np.sqrt(np.mean((frames[0].values.reshape(-1) - phi @ w_td) ** 2))
    gap = np.sqrt(np.mean((frames[-1].values.reshape(-1) - phi @ w_td) ** 2))
    assert gap < 0.25 < 1.0 < first_gap
    truth = policy_evaluation(env, policy, GAMMA).reshape(-1)
    # few features cannot fit v_π exactly: the fixed point itself keeps an error, and TD-linear ends near it
    fixed_rmse = np.sqrt(np.mean((phi @ w_td - truth) ** 2))
    assert 0.05 < fixed_rmse < frames[-1].metrics["rmse"] + 0.1


def test_dqn_with_replay_and_a_target_network_learns_the_optimal_values_and_policy(env, optimal):
    v_star, q_star = optimal
    frame = last(dqn_steps(env, DQNConfig(updates=1_200, frame_every=400, seed=0)))
    assert frame.metrics["value_error"] < 0.1
    np.testing.assert_allclose(frame.values.reshape(-1), v_star, atol=0.1)
    chosen = q_star[np.arange(env.n_states), frame.actions]
    np.testing.assert_allclose(chosen, v_star, atol=1e-9)  # every greedy action is optimal


def test_softmax_log_policy_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    theta = rng.normal(size=(1, 5))
    a = 3
    grad = -softmax(theta)[0]
    grad[a] += 1.0
    eps = 1e-6
    numeric = [(np.log(softmax(theta + eps * np.eye(5)[i])[0, a]) - np.log(softmax(theta - eps * np.eye(5)[i])[0, a]))
               / (2 * eps) for i in range(5)]
    np.testing.assert_allclose(grad, numeric, atol=1e-8)


@pytest.mark.parametrize("algorithm", ["REINFORCE", "QAC", "A2C"])
def test_policy_gradient_methods_close_most_of_the_gap_to_the_optimal_values(env, optimal, algorithm):
    v_star, q_star = optimal
    uniform_gap = np.mean(v_star - policy_evaluation(env, uniform(env), GAMMA).reshape(-1))
    if algorithm == "REINFORCE":
        frames = list(reinforce_steps(env, episodes=300, seed=0))
    else:
        frames = list(actor_critic_steps(env, algorithm, episodes=300, seed=0))
    values = frames[-1].values.reshape(-1)
    assert np.all(values <= v_star + 1e-9)  # nothing beats v*
    assert np.mean(v_star - values) < 0.25 * uniform_gap
    assert frames[-1].metrics["value_error"] < frames[0].metrics["value_error"]
    greedy = frames[-1].policy.argmax(axis=1)
    optimal_choice = q_star[np.arange(env.n_states), greedy] >= v_star - 1e-9
    assert optimal_choice.mean() >= 0.7


@pytest.mark.parametrize(("make", "message"), [
    (lambda env: list(td_linear_steps(env, kind="wavelet")), "Features"),
    (lambda env: list(td_linear_steps(env, kind="polynomial", order=0)), "order"),
    (lambda env: list(td_linear_steps(env, alpha=0.0)), "learning rate"),
    (lambda env: list(dqn_steps(env, DQNConfig(batch_size=500, experience=100))), "batch"),
    (lambda env: list(dqn_steps(env, DQNConfig(updates=10**9))), "updates"),
    (lambda env: list(actor_critic_steps(env, "SAC")), "actor-critic"),
    (lambda env: list(reinforce_steps(env, gamma=1.0)), "γ"),
])
def test_bad_settings_are_input_errors(env, make, message):
    with pytest.raises(InputError, match=message):
        make(env)

