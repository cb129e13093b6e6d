"""The "Tables to deep RL" tab's handlers: each algorithm streams to its known answer's curve, bad settings
become messages."""

from __future__ import annotations

import gradio as gr
import numpy as np
import pytest
from PIL import Image

from rlgen.gridworld import GridWorld
from rlgen.gridworld.approximation import td_linear_steps
from rlgen.ui import deeprl as tab


def run(algorithm: str, budget: float, **changes):
    lr = tab.DEFAULTS.get(algorithm, (0.1,))[0]
    kwargs = dict(algorithm=algorithm, kind="one-hot" if algorithm == "DQN" else "polynomial", order=2, alpha=lr,
                  critic_alpha=0.2, budget=budget, seed=1, randomize=False)
    return list(tab.run_bridge(**{**kwargs, **changes}))


def test_td_linear_streams_the_same_values_as_the_domain_generator():
    outputs = run("TD-linear", 4)
    image, plot, status, seed = outputs[-1]
    assert isinstance(image, Image.Image) and seed == 1
    expected = list(td_linear_steps(GridWorld.book_example(), kind="polynomial", order=2, alpha=0.005, episodes=4,
                                    seed=1))
    assert f"episodes of 500 steps: 4 · RMS error to v_π {expected[-1].metrics['rmse']:.3g}" in status
    np.testing.assert_allclose(plot.data[0].y, [f.metrics["rmse"] for f in expected])  # every episode drawn


@pytest.mark.parametrize(("algorithm", "budget", "panels"), [("DQN", 100, 2), ("REINFORCE", 3, 2), ("A2C", 3, 2),
                                                             ("QAC", 3, 2)])
def test_each_algorithm_streams_its_error_curve(algorithm, budget, panels):
    outputs = run(algorithm, budget)
    _, plot, status, _ = outputs[-1]
    assert status.startswith(algorithm) and f": {budget:,} ·" in status and "max error to v*" in status
    assert len(plot.data) == panels
    assert len(plot.data[0].x) == (budget // 25 if algorithm == "DQN" else budget)


@pytest.mark.parametrize(("changes", "message"), [
    (dict(algorithm="PPO"), "Choose one of"),
    (dict(budget=10**6), "2,000"),
    (dict(algorithm="DQN", budget=10**6), "10,000"),
    (dict(alpha=float("nan")), "Learning rate"),
    (dict(kind="wavelet"), "Features"),
    (dict(order=9), "Feature order"),
    (dict(algorithm="A2C", critic_alpha=5.0), "Critic learning rate"),
])
def test_bad_settings_are_messages_for_the_user(changes, message):
    algorithm = changes.pop("algorithm", "TD-linear")
    with pytest.raises(gr.Error, match=message):
        run(algorithm, changes.pop("budget", 3), **changes)


def test_choosing_an_algorithm_sets_its_defaults_and_shows_only_its_controls():
    lr, budget, kind, order, critic = tab.algorithm_defaults("DQN")
    assert lr["value"] == 0.001 and budget["value"] == 2_000 and "10,000" in budget["label"]
    assert kind["visible"] and kind["value"] == "one-hot" and not critic["visible"]
    *_, kind, order, critic = tab.algorithm_defaults("A2C")
    assert not kind["visible"] and not order["visible"] and critic["visible"]


@pytest.mark.parametrize("algorithm", ["DQN", "REINFORCE"])
def test_two_sessions_at_once_get_what_each_gets_alone(algorithm):
    from tests.test_sessions import assert_sessions_are_independent

    budget = 100 if algorithm == "DQN" else 5
    assert_sessions_are_independent(lambda seed: run(algorithm, budget, seed=seed)[-1])


@pytest.fixture(scope="module")
def app_url():
    """This tab alone, as spaces/deeprl serves it (overrides the whole-app fixture for the browser test)."""
    from rlgen.ui import build_app
    from tests.conftest import serve_blocks

    demo = build_app(["deeprl"])
    yield serve_blocks(demo)
    demo.close()


@pytest.mark.browser
def test_browser_runs_a2c_and_sees_the_error_to_v_star(page):
    import re

    from playwright.sync_api import expect

    from tests.conftest import save_screenshot

    page.get_by_label("A2C").check()
    expect(page.get_by_label("Critic's learning rate α_w")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Run", exact=True).click()
    status = page.get_by_label("Status", exact=True)
    expect(status).to_have_value(re.compile(r"A2C · episodes of 50 steps: 300 · max error to v\* "), timeout=180_000)
    save_screenshot(page, "deeprl")


def test_the_tab_opens_on_the_default_run_at_its_end():
    grid, plot, status = tab.opening_run()
    assert isinstance(grid, Image.Image)
    errors = [y for trace in plot.data for y in trace.y]
    assert len(errors) >= 100 and errors[-1] < errors[0]  # a learning curve, falling
    assert "100" in status
