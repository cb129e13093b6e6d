"""The grid world follows the book's conventions and speaks gymnasium's API."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from rlgen.gridworld import ENV_ID, GridWorld

UP, RIGHT, DOWN, LEFT, STAY = range(5)


def test_book_example_has_the_books_target_and_forbidden_cells_one_indexed():
    env = GridWorld.book_example()
    assert env.target == (3, 2)  # the book's (4, 3)
    assert set(env.forbidden) == {(1, 1), (1, 2), (2, 2), (3, 1), (3, 3), (4, 1)}
    assert (env.r_boundary, env.r_forbidden, env.r_target, env.r_other) == (-1, -1, 1, 0)


def test_moves_and_rewards_follow_the_book():
    env = GridWorld.book_example()
    s = env.to_index
    assert env.next_state[s((0, 0)), UP] == s((0, 0)) and env.R[s((0, 0)), UP] == -1  # boundary: stay, −1
    assert env.next_state[s((0, 0)), RIGHT] == s((0, 1)) and env.R[s((0, 0)), RIGHT] == 0
    assert env.next_state[s((0, 1)), DOWN] == s((1, 1)) and env.R[s((0, 1)), DOWN] == -1  # forbidden enterable
    assert env.next_state[s((2, 2)), DOWN] == s((3, 2)) and env.R[s((2, 2)), DOWN] == 1  # into the target
    assert env.next_state[s((3, 2)), STAY] == s((3, 2)) and env.R[s((3, 2)), STAY] == 1  # staying on it
    assert env.R[s((3, 2)), LEFT] == -1  # leaving the target into a forbidden cell


def test_dense_transition_array_matches_the_sparse_model():
    env = GridWorld(4, 3, target=(1, 1), forbidden=[(0, 2)])
    P = env.P
    assert P.shape == (12, 5, 12)
    np.testing.assert_allclose(P.sum(axis=2), 1.0)
    assert (P.argmax(axis=2) == env.next_state).all()
    assert env.R.shape == (12, 5)


def test_dense_transition_array_refuses_sizes_that_would_not_fit():
    with pytest.raises(ValueError, match="next_state"):
        _ = GridWorld(200, 200, target=(0, 0)).P


def test_gymnasium_api_and_env_checker():
    env = GridWorld.book_example(render_mode="rgb_array")
    check_env(env, skip_render_check=False)
    obs, info = env.reset(seed=1, options={"start": (2, 0)})
    assert obs == 10 and info["cell"] == (2, 0)
    obs, reward, terminated, truncated, _ = env.step(RIGHT)
    assert (obs, reward, terminated, truncated) == (11, 0.0, False, False)
    frame = env.render()
    assert frame.ndim == 3 and frame.shape[2] == 3 and frame.dtype == np.uint8


def test_registered_env_is_the_book_example_with_a_time_limit():
    env = gym.make(ENV_ID)
    env.reset(seed=0)
    steps = 0
    while True:
        _, _, terminated, truncated, _ = env.step(STAY)
        steps += 1
        if terminated or truncated:
            break
    assert steps == 100 and not terminated
    assert env.unwrapped.target == GridWorld.book_example().target


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": None}, "no target"),
        ({"target": (5, 0)}, "outside"),
        ({"target": (0, 0), "forbidden": [(0, 0)]}, "both the target and forbidden"),
        ({"target": (0, 0), "r_other": float("nan")}, "finite"),
        ({"target": (0, 0), "rows": 0}, "at least one row"),
    ],
)
def test_bad_grids_are_refused_with_a_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GridWorld(**{"rows": 3, "cols": 3, **kwargs})
