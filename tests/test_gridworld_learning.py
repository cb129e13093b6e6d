"""Monte Carlo, TD and mean estimation reach the answers the book says they reach."""

import numpy as np
import pytest

from rlgen.gridworld import (
    GridWorld,
    mc_basic,
    mc_epsilon_greedy,
    mc_exploring_starts,
    mean_estimation,
    n_step_sarsa,
    q_learning,
    sarsa,
    value_iteration,
)
from rlgen.gridworld.montecarlo import discounted_returns, mc_control_steps, sample_episode
from rlgen.gridworld.planning import q_from_v


def optimal_q(env: GridWorld, gamma: float = 0.9) -> np.ndarray:
    return q_from_v(env, value_iteration(env, gamma, tol=1e-12).state_values, gamma)


def optimal_states(env: GridWorld, policy: np.ndarray, tol: float = 1e-6) -> np.ndarray:
    """Which states' most likely action attains max_a q*(s, a)."""
    q = optimal_q(env)
    return q[np.arange(env.n_states), policy.argmax(1)] >= q.max(1) - tol


def test_mc_basic_with_long_enough_episodes_finds_an_optimal_policy():
    env = GridWorld.book_example()
    result = mc_basic(env, episode_length=30, iterations=50)
    assert optimal_states(env, result.policy).all()
    np.testing.assert_allclose(result.state_values, value_iteration(env).state_values, atol=0.9**30 * 10 + 1e-9)


def test_mc_basic_with_short_episodes_cannot_see_the_target_from_far_away():
    """The book's figure: an episode of length L only carries the target's reward to states within L steps."""
    env = GridWorld.book_example()
    short = mc_basic(env, episode_length=1, iterations=50)
    assert not optimal_states(env, short.policy).all()
    far = env.to_index((0, 0))  # five moves from the target
    assert short.state_values.ravel()[far] == 0.0  # it saw nothing but r_other
    assert optimal_states(env, mc_basic(env, episode_length=10, iterations=50).policy).sum() > \
        optimal_states(env, short.policy).sum()


def test_mc_exploring_starts_finds_an_optimal_policy():
    env = GridWorld.book_example()
    # Returns are cut at the episode's end, so long episodes keep the late visits' estimates unbiased enough.
    result = mc_exploring_starts(env, episode_length=200, iterations=10_000, seed=0)
    assert optimal_states(env, result.policy, tol=1e-3).all()


def test_mc_epsilon_greedy_with_zero_epsilon_and_exploring_starts_behaves_as_mc_exploring_starts():
    env = GridWorld.book_example()
    es = mc_exploring_starts(env, episode_length=40, iterations=400, seed=3, first_visit=True)
    eg = mc_epsilon_greedy(env, epsilon=0.0, episode_length=40, iterations=400, seed=3, exploring_starts=True,
                           first_visit=True)
    np.testing.assert_array_equal(eg.policy, es.policy)
    np.testing.assert_allclose(eg.q, es.q)
    assert set(np.unique(eg.policy)) <= {0.0, 1.0}  # ε = 0 is the greedy policy


def test_first_visit_counts_each_pair_once_per_episode_and_every_visit_counts_all():
    env = GridWorld(2, 2, target=(1, 1))
    frames_first = list(mc_control_steps(env, 0.9, 1.0, 50, 1, seed=0, first_visit=True))
    frames_every = list(mc_control_steps(env, 0.9, 1.0, 50, 1, seed=0, first_visit=False))
    trajectory = frames_first[0].trajectory
    assert np.array_equal(trajectory, frames_every[0].trajectory)
    assert not np.allclose(frames_first[0].q, frames_every[0].q)


def test_discounted_returns_match_the_backward_recursion():
    rewards = np.random.default_rng(0).normal(size=500)
    expected = np.zeros_like(rewards)
    g = 0.0
    for t in range(rewards.size - 1, -1, -1):
        g = rewards[t] + 0.9 * g
        expected[t] = g
    np.testing.assert_allclose(discounted_returns(rewards, 0.9), expected, atol=1e-10)


def test_epsilon_greedy_episode_takes_the_greedy_action_one_minus_epsilon_plus_epsilon_over_a_of_the_time():
    env = GridWorld(6, 6, target=(5, 5))
    greedy = np.full(env.n_states, 1)
    states, actions, rewards = sample_episode(env, greedy, 0, None, 200_000, 0.5, np.random.default_rng(0))
    assert np.mean(actions == 1) == pytest.approx(1 - 0.5 + 0.5 / 5, abs=0.01)
    np.testing.assert_array_equal(states[1:], env.next_state[states[:-1], actions[:-1]])
    np.testing.assert_array_equal(rewards, env.R[states, actions])


def test_mc_epsilon_greedy_takes_a_million_step_episode():
    env = GridWorld.book_example()
    result = mc_epsilon_greedy(env, epsilon=1.0, episode_length=1_000_000, iterations=1, seed=0)
    assert result.history[0].trajectory.size == 1_000_000
    # a uniform random policy visits every pair; q is then q of the uniform policy, whose values are negative
    assert result.history[0].metrics["visited_pairs"] == 1.0


def test_off_policy_q_learning_from_random_behaviour_converges_to_q_star():
    env = GridWorld.book_example()
    result = q_learning(env, alpha=0.1, episodes=10, episode_length=10_000, seed=0, off_policy=True)
    np.testing.assert_allclose(result.q, optimal_q(env), atol=0.05)
    assert optimal_states(env, result.policy).all()


PATH_REWARDS = {"r_boundary": -10, "r_forbidden": -10, "r_target": 0, "r_other": -1}
SHORTEST_SAFE_PATH = 11  # (1,1) → (4,3) in the book's grid without entering a forbidden cell


@pytest.mark.parametrize("learner", [sarsa, q_learning, lambda env, **kw: n_step_sarsa(env, n=3, **kw)])
def test_td_methods_learn_the_shortest_path_to_the_target(learner):
    env = GridWorld.book_example(**PATH_REWARDS)
    result = learner(env, alpha=0.1, epsilon=0.1, episodes=500, episode_length=1000, seed=0)
    lengths = [f.metrics["episode_length"] for f in result.history]
    assert np.mean(lengths[:20]) > 3 * SHORTEST_SAFE_PATH
    assert np.median(lengths[-50:]) <= SHORTEST_SAFE_PATH + 2  # ε-greedy wanders a little


def test_q_learnings_greedy_policy_walks_the_shortest_safe_path():
    """Q-learning's target is max_a q, so its greedy policy is optimal even while it behaves ε-greedily
    (Sarsa's q is that of the ε-greedy policy, whose near-ties among the equally short paths may still flip)."""
    env = GridWorld.book_example(**PATH_REWARDS)
    result = q_learning(env, alpha=0.1, epsilon=0.1, episodes=500, episode_length=1000, seed=0)
    s, steps = env.to_index(env.start), 0
    while s != env.to_index(env.target) and steps < 50:
        s = env.next_state[s, result.q[s].argmax()]
        steps += 1
    assert steps == SHORTEST_SAFE_PATH


def test_one_over_k_step_size_is_exactly_the_sample_mean():
    estimate = mean_estimation("gaussian", 5000, seed=1, schedule="one_over_k")
    np.testing.assert_allclose(estimate.incremental, estimate.sample_mean, atol=1e-12)


def test_sample_mean_stays_inside_the_law_of_large_numbers_band_about_95_percent_of_the_time():
    inside = []
    for seed in range(200):
        estimate = mean_estimation("coin", 400, seed=seed, p=0.7)
        inside.append(abs(estimate.sample_mean[-1] - estimate.true_mean) <= estimate.band[-1])
    assert 0.9 <= np.mean(inside) <= 0.99


def test_robbins_monro_step_sizes_converge_and_a_constant_one_keeps_hovering():
    power = mean_estimation("exponential", 200_000, seed=0, schedule="power")
    constant = mean_estimation("exponential", 200_000, seed=0, schedule="constant", alpha=0.2)
    assert abs(power.incremental[-1] - 1.0) < 0.02
    tail = constant.incremental[-10_000:]
    assert tail.std() > 0.1  # never settles: each sample moves it by α(x − w)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda env: mc_epsilon_greedy(env, epsilon=1.5), "ε must lie in"),
        (lambda env: mc_epsilon_greedy(env, episode_length=2_000_000), "1,000,000"),
        (lambda env: mc_basic(GridWorld(50, 50, target=(0, 0)), episode_length=100_000), "cap"),
        (lambda env: sarsa(env, alpha=0.0), "α must lie"),
        (lambda env: n_step_sarsa(env, n=0), "n must be"),
        (lambda env: mean_estimation("coin", 0), "number of samples"),
        (lambda env: mean_estimation("dice", 10), "Unknown distribution"),
    ],
)
def test_bad_learning_settings_are_refused_with_a_message(call, message):
    with pytest.raises(ValueError, match=message):
        call(GridWorld.book_example())
