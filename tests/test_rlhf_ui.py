"""The RLHF part of the DPO tab: its handlers on the shipped models (bad input, three columns with the same scores,
best-of-N ranked by the reward model, RLOO streamed live, the reduced frontier) and the bench."""

from __future__ import annotations

import gradio as gr
import pytest

from rlgen.dpo.best_of_n import MAX_N
from rlgen.dpo.frontier import Plan
from rlgen.dpo.rlhf import MAX_LIVE_RL_STEPS
from rlgen.ui import rlhf as section


@pytest.mark.parametrize("args, message", [
    (("rloo", 0.0, 5, 1e-4, 0, False), "KL coefficient β must be positive"),
    (("grpo", -1.0, 5, 1e-4, 0, False), "KL coefficient β must be positive"),
    (("rloo", 0.1, 10**6, 1e-4, 0, False), f"{MAX_LIVE_RL_STEPS}"),
    (("rloo", 0.1, 0, 1e-4, 0, False), "Steps"),
    (("ppo", 0.1, 5, 1e-4, 0, False), "rloo, grpo"),
    (("rloo", 0.1, 5, 1e-4, -3, False), "seed"),
])
def test_bad_rl_settings_get_a_clear_message(args, message):
    with pytest.raises(gr.Error, match=message):
        list(section.train_rl_live(*args))


@pytest.mark.parametrize("prompt, n, message", [
    ("How was Kyoto?", MAX_N + 1, f"{MAX_N}"), ("How was Kyoto?", 0, "N"), ("", 4, "empty"),
    ("x" * 100_000, 4, "characters"),
])
def test_bad_best_of_n_input_gets_a_clear_message(prompt, n, message):
    with pytest.raises(gr.Error, match=message):
        section.best_of_n_prompt(prompt, n, 0, False)


def test_best_of_n_ranks_n_replies_by_the_reward_model():
    table, seed = section.best_of_n_prompt("What did you think of the film Midnight Harbor?", 6, 2, False)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "reply" not in line]
    assert seed == 2 and len(rows) == 6 and rows[0].startswith("| **pick**")
    scores = [float(row.split("|")[3]) for row in rows]
    assert scores == sorted(scores, reverse=True)


def test_three_columns_answer_the_same_prompt_with_the_same_scores():
    from rlgen.dpo.checkpoint import load_pair

    ref, _, _ = load_pair()
    mine = section.OWN_RL.keep(ref, label="π_ref itself")
    *_, last = section.send_three("Should I buy the Nimbus headphones?", 0.8, 0.95, 24, 4, False, mine)
    left, middle, right, seed, status = last
    assert seed == 4 and "π_ref itself" in status
    for column in (left, middle, right):
        assert column[0]["content"] == "Should I buy the Nimbus headphones?"
        assert "true reward" in column[1]["content"] and "r_φ" in column[1]["content"]
    # π_RLHF given as π_ref itself: same seed, same reply, and log π/π_ref is 0
    assert left[1]["content"].split("\n\n*")[0] == right[1]["content"].split("\n\n*")[0]
    assert "log π/π_ref +0.0" in right[1]["content"]
    with pytest.raises(gr.Error, match="Max new tokens"):
        list(section.send_three("How was Kyoto?", 0.8, 0.95, 10_000, 4, False, mine))
    section.OWN_RL.drop(mine)
    with pytest.raises(gr.Error, match="no longer kept"):
        list(section.send_three("How was Kyoto?", 0.8, 0.95, 8, 4, False, mine))


def test_rl_live_streams_reward_model_against_truth_kl_and_samples():
    frames = list(section.train_rl_live("rloo", 0.1, 3, 2e-4, 0, False))
    status, rl_plot, frontier, samples, policy, seed = frames[-1]
    assert status.startswith("done: step 3/3") and "KL" in status and "r_φ" in status
    assert {t.name for t in rl_plot.data} >= {"r_φ (batch)", "true reward (batch)", "KL (nats per reply)",
                                              "r_φ (held-out)", "true reward (held-out)"}
    assert any(t.name.startswith("your RLOO run") for t in frontier.data)
    assert "step 0" in samples and section.OWN_RL.get(policy, "") is not None and "token" in policy


def test_the_reduced_frontier_streams_every_method_and_a_verdict(monkeypatch):
    monkeypatch.setattr(section.Plan, "live", classmethod(lambda cls: Plan.quick()))
    frames = list(section.frontier_live(1, False))
    status, figure, verdict, seed = frames[-1]
    names = {t.name for t in figure.data}
    assert any(n.startswith("DPO") for n in names) and any(n.startswith("RLOO") for n in names)
    assert any(n.startswith("GRPO") for n in names) and any(n.startswith("best-of-N") for n in names)
    assert any(n.startswith("preferred-FT") for n in names)
    assert "frontier" in verdict and seed == 1


def test_shipped_frontier_holds_five_methods_and_says_which_dominates():
    points = section.frontier_points()
    methods = {p["method"] for p in points} - {"reference"}
    assert len(methods) >= 5
    assert "frontier" in section.frontier_summary() and "CPU-s per run" in section.frontier_summary()


def test_bench_quick_times_rl_beside_dpo(tmp_path):
    import json

    from rlgen.bench.rlhf import main

    assert main(["--quick", "--json", str(tmp_path / "rlhf.json")]) == 0
    figures = json.loads((tmp_path / "rlhf.json").read_text())
    assert figures["dpo_cpu_s_per_step"] > 0 and figures["rloo_over_dpo"] > 0 and figures["grpo_over_dpo"] > 0


def test_two_sessions_at_once_get_what_each_gets_alone():
    from rlgen.dpo.checkpoint import load_pair
    from tests.test_sessions import assert_sessions_are_independent

    _, dpo, _ = load_pair()
    mine = section.OWN_RL.keep(dpo, label="π_DPO as π_RLHF")

    def three(seed: int):
        *_, last = section.send_three("How was your trip to Kyoto?", 1.0, 1.0, 16, seed, False, mine)
        return tuple(column[-1]["content"] for column in last[:3])

    assert_sessions_are_independent(three)
    assert_sessions_are_independent(lambda seed: section.best_of_n_prompt("How was Kyoto?", 4, seed, False)[0])
