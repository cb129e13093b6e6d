"""The DPO chat tab: its handlers on the shipped pair (bad input, streaming both columns, votes, training on
votes, live training), the shipped checkpoint's claims re-measured, the bench, and a browser run."""

from __future__ import annotations

import json

import gradio as gr
import numpy as np
import pytest
from playwright.sync_api import expect

from rlgen.dpo.checkpoint import TRAINING, held_out_prompts, load_pair, read_json
from rlgen.dpo.corpus import reward
from rlgen.dpo.sampling import MAX_NEW_TOKENS, MAX_PROMPT_CHARS, sample_replies
from rlgen.runtime import checkpoint_path
from rlgen.ui import dpo as tab
from tests.conftest import save_screenshot

SETTINGS = dict(temperature=0.8, top_p=0.95, max_tokens=24, beta=0.1, seed=3, randomize=False,
                model_key=tab.TINY, source=tab.SHIPPED, mine=None)


def run_send(prompt: str, history: dict | None = None, **overrides):
    args = {**SETTINGS, **overrides}
    return list(tab.send(prompt, history or tab.empty_history(), *args.values()))


@pytest.mark.parametrize("prompt, overrides, message", [
    ("", {}, "empty"),
    ("x" * 100_000, {}, f"{MAX_PROMPT_CHARS:,}"),
    ("How was Kyoto?", {"max_tokens": 10_000}, f"{MAX_NEW_TOKENS:g}"),
    ("How was Kyoto?", {"beta": 0}, "β must be positive"),
    ("How was Kyoto?", {"beta": -0.5}, "β must be positive"),
    ("How was Kyoto?", {"source": tab.MINE}, "no trained policy"),
])
def test_bad_input_gets_a_clear_message(prompt, overrides, message):
    with pytest.raises(gr.Error, match=message):
        run_send(prompt, **overrides)


def test_both_columns_answer_with_scores_under_each_reply():
    frames = run_send("What did you think of the film Midnight Harbor?")
    left, right, history, box, seed, status = frames[-1]
    assert box == "" and seed == 3 and "first tokens after" in status
    for side, shown in (("left", left), ("right", right)):
        reply = history[side][-1]["content"]
        assert history[side][-1]["role"] == "assistant" and reply
        assert f"reward **{reward(reply):+g}**" in shown[-1]["content"] and "log π_ref" in shown[-1]["content"]
    # a second turn keeps the first
    frames = run_send("Why do you say that?", history)
    assert [m["role"] for m in frames[-1][2]["right"]] == ["user", "assistant", "user", "assistant"]


def test_same_seed_same_replies():
    prompt = "Is Lisbon a good place for a weekend trip?"
    a, b = run_send(prompt), run_send(prompt)
    assert a[-1][2]["left"] == b[-1][2]["left"] and a[-1][2]["right"] == b[-1][2]["right"]


def test_votes_become_pairs_and_training_on_them_swaps_the_policy_in():
    with pytest.raises(gr.Error, match="send a prompt first"):
        tab.vote("left", tab.empty_history(), [])
    with pytest.raises(gr.Error, match="no votes"):
        list(tab.train_on_votes([], 5, 0.1, "sigmoid", 1e-4, tab.SHIPPED, None))
    history = run_send("Should I buy the Nimbus headphones?")[-1][2]
    history, votes, line = tab.vote("right", history, [])
    assert votes[0].chosen == history["right"][-1]["content"] and "1" in line
    with pytest.raises(gr.Error, match="already voted"):
        tab.vote("left", history, votes)
    history = run_send("How was Kyoto?", seed=4)[-1][2]
    history, votes, _ = tab.vote("tie", history, votes)
    assert len(votes) == 1  # a tie is not a preference
    with pytest.raises(gr.Error, match="β must be positive"):
        list(tab.train_on_votes(votes, 5, 0, "sigmoid", 1e-4, tab.SHIPPED, None))
    *_, last = tab.train_on_votes(votes, 3, 0.1, "sigmoid", 1e-4, tab.SHIPPED, None)
    status, mine, source, remaining = last
    assert "Trained 3 steps" in status and source == tab.MINE and remaining == []
    assert set(mine) == {"token"}  # the session holds a plain reference; the policy stays on the server
    assert tab.OWN_POLICIES.get(mine, "") is not load_pair()[1]
    frames = run_send("How was Kyoto?", source=tab.MINE, mine=mine)
    assert frames[-1][2]["right"][-1]["role"] == "assistant"


def test_live_training_streams_metrics_kl_and_the_frontier():
    stream = tab.train_live(5, 0.1, "sigmoid", 2e-4, tab.DATA_SHIPPED, 0, False, [])
    frames = list(stream)
    status, metrics, frontier, policy, source, seed = frames[-1]
    assert status.startswith("done: step 5/5") and "KL" in status and source == tab.MINE
    assert {t.name for t in metrics.data} >= {"rewards/chosen", "rewards/rejected", "rewards/margins", "KL (nats)"}
    assert any(t.name.startswith("your run") for t in frontier.data)
    with pytest.raises(gr.Error, match="no votes"):
        list(tab.train_live(5, 0.1, "sigmoid", 2e-4, tab.DATA_VOTES, 0, False, []))
    with pytest.raises(gr.Error, match="Steps"):
        list(tab.train_live(10_000, 0.1, "sigmoid", 2e-4, tab.DATA_SHIPPED, 0, False, []))


def test_shipped_policy_beats_the_reference_on_held_out_prompts():
    """Re-measured here, not read from TRAINING.json: 48 held-out prompts, one sample each, same seed."""
    ref, policy, tokenizer = load_pair()
    prompts = held_out_prompts(48, seed=5)
    ours = [reward(r[0]) for r in sample_replies(policy, tokenizer, prompts, 1, seed=1)]
    theirs = [reward(r[0]) for r in sample_replies(ref, tokenizer, prompts, 1, seed=1)]
    assert np.mean(ours) > np.mean(theirs) + 1.0
    info = read_json(TRAINING)
    assert info["reward_model"]["held_out_accuracy"] > 0.7
    size = sum(f.stat().st_size for f in checkpoint_path("dpo").rglob("*") if f.is_file())
    assert size < 10_000_000


def test_bench_quick_reports_latency_and_speed(tmp_path):
    import json

    from rlgen.bench.dpo import main

    assert main(["--quick", "--json", str(tmp_path / "dpo.json")]) == 0
    figures = json.loads((tmp_path / "dpo.json").read_text())
    assert figures["first_token_ms_median"] > 0 and figures["tokens_per_s_per_column_side_by_side"] > 0
    assert figures["dpo_steps_per_s_ours"] > 0


@pytest.mark.browser
def test_a_prompt_gets_an_answer_in_both_columns(page):
    page.get_by_role("tab", name=tab.TITLE).first.click()
    box = page.locator("#dpo-prompt textarea")
    expect(box).to_be_visible(timeout=30_000)
    box.fill("What did you think of the film Midnight Harbor?")
    box.press("Enter")
    for side in ("left", "right"):
        expect(page.locator(f"#dpo-{side} .message-row").nth(1)).to_contain_text("reward", timeout=60_000)
    save_screenshot(page, "dpo")


@pytest.mark.parametrize("prompt", tab.EXAMPLE_PROMPTS)
def test_the_default_settings_show_the_two_policies_apart(prompt):
    """With the tab's defaults, π_ref and π_DPO give visibly different replies, the DPO one rewarded higher."""
    *_, last = tab.send(prompt, tab.empty_history(), tab.DEFAULT_TEMPERATURE, 0.95, 64, 0.1, 0, False, tab.TINY,
                        tab.SHIPPED, None)
    history = last[2]
    left, right = history["left"][-1]["content"], history["right"][-1]["content"]
    assert set(left.lower().split()) != set(right.lower().split())  # different words, not only punctuation
    assert reward(right) > reward(left)


def test_the_tab_opens_with_a_prompt_in_the_box_and_says_what_the_tiny_pair_knows():
    from rlgen.dpo.corpus import things_named
    from rlgen.ui.i18n import translations

    with gr.Blocks() as demo:
        tab.build()
    shown = {block.elem_id: block for block in demo.blocks.values() if getattr(block, "elem_id", None)}
    assert shown["dpo-prompt"].value == tab.EXAMPLE_PROMPTS[1]  # Send works at once, on a prompt where they differ
    texts, key = translations({}), json.loads(shown["dpo-knows"].value.removeprefix("__i18n__"))["key"]
    knows, chinese = texts["en"][key], texts["zh"][key]
    assert "What the tiny pair knows" in knows and len(things_named(knows)) >= 6  # an example item of each topic
    assert "这对小模型知道什么" in chinese and things_named(chinese) == things_named(knows)


def test_a_prompt_naming_nothing_the_tiny_models_know_gets_a_note():
    from rlgen.ui import dpo as tab

    def status(prompt: str) -> str:
        *_, last = tab.send(prompt, tab.empty_history(), 0.0, 0.95, 8, 0.1, 0, False, tab.TINY, tab.SHIPPED, None)
        return last[-1]

    assert "only know the things of their training chats" in status("How was the restaurant Blue Lantern?")
    assert "only know" not in status("Is Blue Door Cafe a good restaurant?")


def test_the_tab_opens_on_the_first_example_answered_in_both_columns_in_the_readers_language():
    from tests.conftest import reader

    with reader("en"):
        left, right = (tab.opening(part)() for part in range(2))
    assert left[0]["content"] == right[0]["content"] == tab.OPENING_PROMPT
    assert left[1]["content"] != right[1]["content"]  # the contrast the tab teaches, without a click
    with reader("zh"):
        chinese = tab.opening(0)()
    assert chinese[1]["content"] != left[1]["content"]  # the scores under the reply come in Chinese
    assert tab.opening(0)() == []  # nothing made while the page builds
