"""Dynamic programming reproduces the book and agrees with itself."""

import numpy as np
import pytest

from rlgen.gridworld import GridWorld, policy_evaluation, policy_iteration, truncated_policy_iteration, value_iteration
from rlgen.gridworld.frames import one_hot
from rlgen.gridworld.planning import q_from_v

# The book's optimal state values for its 5×5 example (r_forbidden = −1, γ = 0.9), to one decimal.
BOOK_OPTIMAL_VALUES = np.array([
    [5.8, 5.6, 6.2, 6.5, 5.8],
    [6.5, 7.2, 8.0, 7.2, 6.5],
    [7.2, 8.0, 10.0, 8.0, 7.2],
    [8.0, 10.0, 10.0, 10.0, 8.0],
    [7.2, 9.0, 10.0, 9.0, 8.1],
])


def random_grid(seed: int, rows: int = 7, cols: int = 9) -> GridWorld:
    rng = np.random.default_rng(seed)
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    picks = rng.permutation(len(cells))
    return GridWorld(rows, cols, target=cells[picks[0]], forbidden=[cells[i] for i in picks[1:12]],
                     r_forbidden=float(rng.uniform(-10, 0)), r_other=float(rng.uniform(-1, 0)))


def test_value_iteration_reproduces_the_books_optimal_values():
    result = value_iteration(GridWorld.book_example(), gamma=0.9)
    np.testing.assert_allclose(np.round(result.state_values, 1), BOOK_OPTIMAL_VALUES)
    assert result.state_values.shape == (5, 5) and result.policy.shape == (25, 5)


def test_optimal_policy_avoids_forbidden_cells_when_they_cost_more():
    """The book: with r_forbidden = −10 the optimal policy walks around the forbidden cells."""
    env = GridWorld.book_example(r_forbidden=-10)
    policy = value_iteration(env).policy
    forbidden = {env.to_index(c) for c in env.forbidden}
    for s in range(env.n_states):
        if s not in forbidden:
            assert env.next_state[s, policy[s].argmax()] not in forbidden


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_closed_form_evaluation_equals_iterative_evaluation(seed):
    env = random_grid(seed)
    policy = np.random.default_rng(seed).dirichlet(np.ones(5), size=env.n_states)
    closed = policy_evaluation(env, policy, 0.9, method="closed_form")
    iterative = policy_evaluation(env, policy, 0.9, method="iterative", tol=1e-12)
    np.testing.assert_allclose(closed, iterative, atol=1e-9)
    # and it solves the Bellman equation v = r_π + γ P_π v written with the dense P
    v = closed.ravel()
    bellman = (policy * (env.R + 0.9 * np.einsum("sat,t->sa", env.P, v))).sum(axis=1)
    np.testing.assert_allclose(v, bellman, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_vi_pi_and_truncated_pi_reach_one_fixed_point_with_a_consistent_greedy_policy(seed):
    env = random_grid(seed)
    vi = value_iteration(env, 0.9, tol=1e-12)
    pi = policy_iteration(env, 0.9)
    tpi = truncated_policy_iteration(env, 0.9, j_truncate=5, tol=1e-12)
    np.testing.assert_allclose(pi.state_values, vi.state_values, atol=1e-8)
    np.testing.assert_allclose(tpi.state_values, vi.state_values, atol=1e-8)
    for result in (vi, pi, tpi):
        np.testing.assert_allclose(policy_evaluation(env, result.policy, 0.9), vi.state_values, atol=1e-8)
        # greedy: every chosen action attains max_a q*(s, a)
        q = q_from_v(env, vi.state_values, 0.9)
        chosen = q[np.arange(env.n_states), result.policy.argmax(1)]
        np.testing.assert_allclose(chosen, q.max(1), atol=1e-8)


def test_policy_iteration_needs_fewer_iterations_than_value_iteration():
    env = GridWorld.book_example()
    assert policy_iteration(env).iterations < truncated_policy_iteration(env, j_truncate=3).iterations
    assert truncated_policy_iteration(env, j_truncate=3).iterations < value_iteration(env).iterations


def test_truncated_policy_iteration_with_one_sweep_tracks_value_iteration():
    """j = 1: evaluate by one sweep from the last v — value iteration's v_k up to the policy's greedy tie."""
    env = GridWorld.book_example()
    tpi = truncated_policy_iteration(env, j_truncate=1, tol=1e-10)
    np.testing.assert_allclose(tpi.state_values, value_iteration(env).state_values, atol=1e-8)


def test_history_has_one_frame_per_iteration_with_shrinking_error():
    result = value_iteration(GridWorld.book_example())
    assert len(result.history) == result.iterations
    deltas = [f.metrics["delta"] for f in result.history]
    assert deltas[-1] < 1e-10
    # contraction: after the first few sweeps each delta is at most γ times the previous one
    assert all(b <= 0.9 * a + 1e-12 for a, b in zip(deltas[5:], deltas[6:]))


def test_deterministic_policy_evaluation_of_stay_everywhere():
    """π(s) = stay: the target earns r_target forever (1/(1−γ) = 10); forbidden cells pay −1 forever."""
    env = GridWorld.book_example()
    v = policy_evaluation(env, one_hot(np.full(25, 4), 5))
    assert v[3, 2] == pytest.approx(10.0) and v[1, 1] == pytest.approx(-10.0) and v[0, 0] == pytest.approx(0.0)


@pytest.mark.parametrize("gamma", [1.0, 1.5, -0.1, float("nan")])
def test_gamma_outside_zero_one_is_refused(gamma):
    with pytest.raises(ValueError, match="γ must lie in"):
        value_iteration(GridWorld.book_example(), gamma=gamma)
