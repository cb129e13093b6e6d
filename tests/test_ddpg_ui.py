"""The DDPG tab's handlers (bad input, streaming, per-user agents) and one browser run."""

from __future__ import annotations

import math
import re

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from rlgen.ddpg import DDPGAgent, load_pretrained, rollout
from rlgen.ui import ddpg as tab

PENDULUM = "Pendulum-v1"
LIVE_DEFAULTS = dict(env_id=PENDULUM, steps=1_000, actor_lr=1e-3, critic_lr=1e-3, gamma=0.98, tau=0.01,
                     batch_size=64, buffer_size=10_000, learning_starts=500, noise="Gaussian", noise_std=0.1,
                     hidden="32,32", seed=0, randomize=False, mine=None)


@pytest.fixture(scope="module")
def app_url():
    """This tab alone, as spaces/ddpg serves it (overrides the whole-app fixture for this module's browser test)."""
    from rlgen.ui import build_app
    from tests.conftest import serve_blocks

    demo = build_app(["ddpg"])
    yield serve_blocks(demo)
    demo.close()


def live(**changes):
    return tab.start_training(**{**LIVE_DEFAULTS, **changes})


def test_play_animates_one_deterministic_episode_of_the_shipped_agent():
    gif, traces, maps, summary = tab.play(PENDULUM, tab.SHIPPED, 3, None)
    expected = rollout(load_pretrained("ddpg-pendulum"), PENDULUM, seed=3).total_return
    with Image.open(gif) as image:
        assert image.format == "GIF" and image.n_frames == 201  # states s_0 … s_200 of the 200-step episode
    assert f"return {expected:.1f}" in summary and "start seed 3" in summary
    assert np.cumsum(traces.data[1].y)[-1] != 0 and traces.data[1].y[-1] == pytest.approx(expected)
    assert len(maps.data) == 4  # two heatmaps and the episode's path on each


def test_shipped_pendulum_agent_is_solved_and_small():
    from rlgen.ddpg import evaluate
    from rlgen.runtime import checkpoint_path

    mean, _ = evaluate(load_pretrained("ddpg-pendulum"), PENDULUM, episodes=10, seed=0)
    assert mean >= -200
    size = sum(p.stat().st_size for p in checkpoint_path("ddpg-pendulum").iterdir())
    assert size < 500_000


def test_live_run_streams_frames_and_leaves_the_agent_in_the_users_state():
    outputs = list(live())
    statuses = [o[0] for o in outputs]
    assert statuses[0] == "starting: seed 0"
    assert statuses[-1].startswith("done: step 1,000/1,000")
    steps = [int(re.search(r"step ([\d,]+)/", st).group(1).replace(",", "")) for st in statuses[1:]]
    assert steps == sorted(set(steps)) and steps[-1] == 1_000  # frames throttled to ≤ 2 a second, in order
    mine = outputs[-1][4]
    assert mine == {"token": mine["token"], "env_id": PENDULUM, "updates": 500}  # plain data in the state
    agent = tab.OWN_AGENTS.get(mine, "")
    assert isinstance(agent, DDPGAgent) and agent.updates == 500 and agent.config.hidden == (32, 32)
    assert outputs[-1][5] == 0
    assert isinstance(outputs[-1][3], go.Figure)  # the last frame always redraws the heatmaps
    # the kept agent then plays under "my live-trained agent"
    _, _, _, summary = tab.play(PENDULUM, tab.MINE, 0, mine)
    assert "500 updates" in summary
    assert "500 updates on Pendulum-v1" in tab.stopped_status(mine)


def test_an_agent_the_server_no_longer_keeps_gets_a_clear_message():
    with pytest.raises(gr.Error, match="no longer kept.*Train it again"):
        tab.play(PENDULUM, tab.MINE, 0, {"token": "gone", "env_id": PENDULUM, "updates": 5})


def test_each_users_run_is_their_own():
    first = tab.OWN_AGENTS.get(list(live(seed=1))[-1][4], "")
    second = tab.OWN_AGENTS.get(list(live(seed=2))[-1][4], "")
    assert first is not second
    obs = np.zeros((1, 3), np.float32)
    assert not np.array_equal(first.act(obs), second.act(obs))


@pytest.mark.parametrize(("changes", "message"), [
    ({"actor_lr": -1e-3}, "positive"),
    ({"critic_lr": 0.0}, "positive"),
    ({"gamma": math.nan}, "must be a number"),
    ({"batch_size": 512, "buffer_size": 256}, "cannot exceed the replay buffer"),
    ({"steps": 60_000}, "between 1,000 and 50,000"),
    ({"hidden": "9999"}, "Hidden layers"),
    ({"seed": -4}, "seed"),
])
def test_live_training_rejects_bad_input_with_a_message(changes, message):
    with pytest.raises(gr.Error, match=message):
        next(live(**changes))


def test_my_agent_is_required_before_it_can_be_played_or_compared():
    with pytest.raises(gr.Error, match="no live-trained agent"):
        tab.play(PENDULUM, tab.MINE, 0, None)
    with pytest.raises(gr.Error, match="no live-trained agent"):
        tab.compare(PENDULUM, tab.MINE, 0, "Gaussian", 0.3, 2, None)


def test_comparison_puts_deterministic_and_noisy_runs_from_one_start_state():
    fig = tab.compare(PENDULUM, tab.SHIPPED, 5, "Ornstein–Uhlenbeck", 0.4, 2, None)
    names = [trace.name for trace in fig.data if trace.showlegend is not False]
    assert names[0].startswith("deterministic μ(s)") and len(names) == 3
    starts = {round(float(trace.y[0]), 5) for trace in fig.data[::2]}
    assert len(starts) == 1  # the same start angle for every run
    with pytest.raises(gr.Error, match="Noise σ"):
        tab.compare(PENDULUM, tab.SHIPPED, 5, "Gaussian", 5.0, 2, None)


def test_stop_message_says_what_is_kept():
    mine = tab.OWN_AGENTS.keep(load_pretrained("ddpg-pendulum"), env_id=PENDULUM, updates=7)
    assert "7 updates on Pendulum-v1) is kept" in tab.stopped_status(mine)
    assert "no agent" in tab.stopped_status(None)


@pytest.mark.browser
def test_browser_plays_the_trained_agent_then_starts_and_stops_a_live_run(page):
    from playwright.sync_api import expect

    from tests.conftest import save_screenshot

    page.get_by_label("Start-state seed").fill("4")
    page.get_by_role("button", name="Play an episode").click()
    expect(page.get_by_text("start seed 4")).to_be_visible(timeout=30_000)
    page.get_by_label("Training steps").fill("20000")
    page.get_by_role("button", name="Start", exact=True).click()
    status = page.get_by_label("Status")
    # a thousand updates in, the curves and both heatmaps have been drawn at least once
    expect(status).to_have_value(re.compile(r"training: step [\d,]+/20,000 .* \d,\d{3} updates"), timeout=120_000)
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(status).to_have_value(re.compile(r"stopped: your agent \(\d,\d{3} updates"), timeout=30_000)
    page.get_by_text("Train live", exact=True).scroll_into_view_if_needed()
    page.mouse.wheel(0, 420)
    save_screenshot(page, "ddpg")


def test_side_by_side_streams_all_three_algorithms_and_their_value_estimates():
    outputs = list(tab.start_comparison(["DDPG", "TD3", "SAC"], 1_000, 4, False))
    status, curves, overestimation, seed = outputs[-1]
    assert status.startswith("done") and seed == 4
    assert all(name in status for name in ("DDPG", "TD3", "SAC")) and "α 0.200" in status  # no update yet
    assert [trace.name for trace in curves.data] == ["DDPG", "TD3", "SAC"]
    assert len(overestimation.data) == 9  # Q, G and Q − G for each algorithm
    assert all(len(trace.x) == 2 for trace in curves.data)  # evaluations at 500 and 1,000 steps


@pytest.mark.browser
def test_browser_trains_ddpg_td3_and_sac_side_by_side_and_stops(page):
    from playwright.sync_api import expect

    page.get_by_label("Steps per algorithm").fill("2000")
    page.get_by_role("button", name="Train side by side").click()
    status = page.get_by_label("Side-by-side status")
    expect(status).to_have_value(re.compile(r"training .*DDPG step [\d,]+, eval .*TD3 .*SAC"), timeout=180_000)
    page.get_by_role("button", name="Stop side by side").click()
    expect(status).to_have_value(re.compile(r"^stopped"), timeout=30_000)


@pytest.mark.parametrize(("algorithms", "steps", "message"), [
    ([], 1_000, "at least one"),
    (["DDPG"], 10**6, "20,000"),
    (["DDPG"], float("nan"), "Steps per algorithm"),
])
def test_side_by_side_bad_settings_are_user_messages(algorithms, steps, message):
    with pytest.raises(gr.Error, match=message):
        list(tab.start_comparison(algorithms, steps, 0, False))
