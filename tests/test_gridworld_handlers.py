"""The GridWorld tab's handlers: clicks edit the grid, runs stream frames, bad input gets a clear message and
changes nothing."""

import math

import gradio as gr
import numpy as np
import pytest

from rlgen.gridworld import editing
from rlgen.gridworld.figures import layout
from rlgen.ui import gridworld as tab
from rlgen.ui.widgets import user_errors

DEFAULTS = {"gamma": 0.9, "j_truncate": 5, "episode_length": 100, "iterations": 200, "epsilon": 0.1,
            "alpha": 0.1, "n": 3, "first_visit": False, "seed": 0, "randomize": False}


def step(session, algorithm="value_iteration", **overrides):
    kw = {**DEFAULTS, **overrides}
    return tab.step(session, algorithm, kw["gamma"], kw["j_truncate"], kw["episode_length"], kw["iterations"],
                    kw["epsilon"], kw["alpha"], kw["n"], kw["first_visit"], kw["seed"], kw["randomize"])


def click(session, row, col, mode="cell type"):
    lay = layout(session["spec"]["rows"], session["spec"]["cols"])
    x, y = lay.left + (col + 0.5) * lay.cell, lay.top + (row + 0.5) * lay.cell
    return tab.click_cell(session, x, y, mode)


def test_a_click_cycles_a_cell_normal_forbidden_target_normal():
    session = tab.new_session()
    session, _, message = click(session, 0, 4)
    assert [0, 4] in session["spec"]["forbidden"] and "forbidden" in message
    session, _, message = click(session, 0, 4)
    assert [0, 4] in session["spec"]["targets"] and "2 targets" in message  # the book's target is still there
    session, _, _ = click(session, 0, 4)
    assert [0, 4] not in session["spec"]["targets"] + session["spec"]["forbidden"]


def test_a_click_outside_the_grid_changes_nothing():
    session = tab.new_session()
    after, image, message = tab.click_cell(session, 1, 1, "cell type")  # the top-left margin
    assert after is session and "inside the grid" in message


def test_a_click_in_start_mode_moves_the_start_cell():
    session, _, message = click(tab.new_session(), 4, 4, mode="start cell")
    assert session["spec"]["start"] == [4, 4] and "(5, 5)" in message


def test_steps_continue_one_run_and_a_change_of_settings_starts_a_new_one():
    session = tab.new_session()
    for expected in (1, 2, 3):
        session, image, figure, status, seed = step(session)
        assert f"iteration k {expected}" in status
    session, *_ , status, _ = step(session, gamma=0.5)
    assert "iteration k 1" in status


def test_run_streams_frames_until_value_iteration_converges():
    session = tab.new_session()
    frames = list(tab.run(session, "value_iteration", 0.9, 5, 100, 200, 0.1, 0.1, 3, False, 0, False, 30, 20))
    assert len(frames) >= 10
    assert "finished" in frames[-1][3]
    values = session["run"]["frame"].values
    np.testing.assert_allclose(np.round(values, 1)[3, 2], 10.0)


def test_each_session_keeps_its_own_grid_and_run():
    alice, bob = tab.new_session(), tab.new_session()
    alice, *_ = click(alice, 0, 0)
    alice, *_ = step(alice)
    assert bob["spec"]["forbidden"] == editing.book_spec()["forbidden"] and bob["run"] is None


def test_every_algorithm_produces_a_first_frame_quickly():
    for key in tab.ALGORITHMS:
        session, image, figure, status, _ = step(tab.new_session(), key, iterations=5, episode_length=50)
        assert image.size[0] > 100 and "1" in status


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"gamma": 1.0}, "γ must lie between"),
        ({"gamma": float("nan")}, "γ must be a number"),
        ({"epsilon": 1.5}, "ε must lie between"),
        ({"epsilon": -0.1}, "ε must lie between"),
        ({"episode_length": 2_000_000}, "Episode length must lie between"),
        ({"iterations": 0}, "Iterations"),
        ({"seed": math.inf}, "seed"),
    ],
)
def test_bad_settings_get_a_clear_message_and_change_nothing(overrides, message):
    session = tab.new_session()
    with pytest.raises(ValueError, match=message):
        step(session, "mc_epsilon_greedy", **overrides)
    assert session["run"] is None
    with pytest.raises(gr.Error, match=message):
        user_errors(step)(session, "mc_epsilon_greedy", **overrides)


def test_grid_problems_are_reported_when_running():
    session = tab.new_session()
    session, *_ = click(session, 3, 2)  # the target → normal: no target left
    with pytest.raises(ValueError, match="no target"):
        step(session)
    session, *_ = click(session, 0, 0)
    session, *_ = click(session, 0, 0)  # (1,1) → forbidden → target
    session, *_ = click(session, 4, 4)
    session, *_ = click(session, 4, 4)  # a second target
    with pytest.raises(ValueError, match="2 targets"):
        step(session)


def test_an_all_forbidden_grid_is_refused():
    spec = {**editing.book_spec(), "rows": 2, "cols": 2, "targets": [],
            "forbidden": [[0, 0], [0, 1], [1, 0], [1, 1]], "start": [0, 0]}
    with pytest.raises(ValueError, match="Every cell is forbidden"):
        step({"spec": spec, "run": None})


@pytest.mark.parametrize(("rows", "cols", "message"), [(51, 5, "2 to 50"), (5, 0, "2 to 50"),
                                                       (float("nan"), 5, "2 to 50"), (4.5, 5, "whole number")])
def test_grid_sizes_beyond_the_cap_are_refused(rows, cols, message):
    session = tab.new_session()
    with pytest.raises(ValueError, match=message):
        tab.apply_grid(session, rows, cols, -1, -1, 1, 0)


def test_non_finite_or_huge_rewards_are_refused():
    with pytest.raises(ValueError, match="r_other"):
        tab.apply_grid(tab.new_session(), 5, 5, -1, -1, 1, float("inf"))
    with pytest.raises(ValueError, match="r_target"):
        tab.apply_grid(tab.new_session(), 5, 5, -1, -1, 1e9, 0)


def test_resizing_keeps_the_cells_that_still_fit():
    session, image, message = tab.apply_grid(tab.new_session(), 50, 50, -1, -10, 1, 0)
    assert session["spec"]["rows"] == 50 and session["spec"]["r_forbidden"] == -10
    assert len(session["spec"]["forbidden"]) == 6 and image.size[0] >= 500
    small, *_ = tab.apply_grid(tab.new_session(), 3, 3, -1, -1, 1, 0)
    assert small["spec"]["targets"] == [] and "no target" in _[-1]


def test_walking_the_policy_reaches_the_target():
    session = tab.new_session()
    list(tab.run(session, "value_iteration", 0.9, 5, 100, 200, 0.1, 0.1, 3, False, 0, False, 30, 50))
    pictures = list(tab.walk_policy(session, 30))
    assert len(pictures) >= 6  # (1,1) is at least five moves from the target


def test_walking_before_any_run_says_what_to_do():
    with pytest.raises(ValueError, match="Step or Run"):
        list(tab.walk_policy(tab.new_session(), 10))


def test_mean_estimation_streams_a_growing_estimate():
    frames = list(tab.estimate_mean("coin", 0.5, 1000, "one_over_k", 0.1, 0, False, 30))
    assert len(frames) > 5 and "k = 1,000" in frames[-1][1]
    with pytest.raises(ValueError, match="Number of samples"):
        list(tab.estimate_mean("coin", 0.5, 10**7, "one_over_k", 0.1, 0, False, 30))


def test_the_default_run_converges_in_under_five_seconds_of_animation():
    """Value iteration needs 220 iterations on the book's grid; speeding up after the first frames plays them in
    under 40 frames (5 s at the default 8 frames a second), the first frames one iteration each."""
    frames = list(tab.run(tab.new_session(), "value_iteration", 0.9, 5, 100, 200, 0.1, 0.1, 3, False, 0, False,
                          30, 1, True))
    assert len(frames) < 40 and "k 220" in frames[-1][3] and "finished" in frames[-1][3]
    assert [tab.frame_stride(1, k, True) for k in range(tab.SLOW_FRAMES)] == [1] * tab.SLOW_FRAMES
    assert tab.frame_stride(3, 50, False) == 3
