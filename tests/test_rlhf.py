"""RLHF beside DPO: best-of-N (the order-statistics estimator against brute force, its KL bound, the curve rising
with N), RLOO/GRPO through TRL (KL 0 at step 0 and growing, the reward model's score rising, bad settings),
preferred-FT, and the frontier's verdict computed from its points."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
import math

import numpy as np
import pytest

from rlgen.dpo import corpus
from rlgen.dpo.best_of_n import best_of_n, best_of_n_weights, check_ns, expected_best_of_n, kl_bound
from rlgen.dpo.checkpoint import held_out_prompts, load_pair, load_reward_model
from rlgen.dpo.frontier import Plan, dominance, resumed, reward_within, sweep
from rlgen.dpo.preferred_ft import PreferredFTSettings, preferred_ft
from rlgen.dpo.rlhf import MAX_RL_STEPS, RLSettings, reward_functions, train_rl
from rlgen.dpo.sampling import reply_logp
from rlgen.dpo.training import Pair, reward_model_from, reward_model_scores
from rlgen.errors import InputError

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def tiny(tiny_ref):
    """The random tiny π_ref and a reward model on its body with a random head."""
    ref = tiny_ref
    rm = reward_model_from(ref)
    with torch.no_grad():
        rm.score.weight.normal_(0, 1, generator=torch.Generator().manual_seed(0))
    return ref, rm.eval()


def test_best_of_n_estimator_equals_brute_force_over_every_subset():
    rng = np.random.default_rng(0)
    scores, values = rng.normal(size=(3, 7)), rng.normal(size=(3, 7))
    for n in range(1, 8):
        brute = np.mean([np.mean([values[p][max(s, key=lambda i: scores[p][i])]
                                  for s in itertools.combinations(range(7), n)]) for p in range(3)])
        assert expected_best_of_n(scores, values, n) == pytest.approx(brute, abs=1e-12)
        assert best_of_n_weights(7, n).sum() == pytest.approx(1.0)
    assert expected_best_of_n(scores, values, 1) == pytest.approx(values.mean())  # N = 1 is plain sampling
    assert expected_best_of_n(scores, scores, 7) == pytest.approx(scores.max(axis=1).mean())


def test_best_of_n_kl_bound_known_values():
    assert kl_bound(1) == 0.0
    assert kl_bound(2) == pytest.approx(math.log(2) - 0.5)
    assert kl_bound(64) == pytest.approx(math.log(64) - 63 / 64)
    assert all(kl_bound(n) < kl_bound(n + 1) for n in range(1, 64))


def test_best_of_n_expected_reward_model_score_rises_with_n(tokenizer, tiny):
    ref, rm = tiny
    stream = best_of_n(ref, tokenizer, rm, ["How was Kyoto?", "Is Luna Bistro any good?", "How was Lisbon?"],
                       ns=(1, 2, 4, 8), chunk=2, max_new_tokens=12)
    frames = [(f.done, f) for f in stream]
    assert [done for done, _ in frames] == [2, 3]
    last = frames[-1][1]
    curve = last.curve()
    assert [c["n"] for c in curve] == [1, 2, 4, 8] and len(last.rm_scores[0]) == 8
    rm_scores = [c["rm_score"] for c in curve]
    assert all(a < b for a, b in zip(rm_scores, rm_scores[1:]))
    # the scores are the reward model's: r_φ of the first prompt's replies re-computed one by one
    first = last.examples
    chat = [{"role": "user", "content": first[0]["prompt"]}]
    assert first[0]["rm"] == pytest.approx(reward_model_scores(rm, tokenizer, [chat], [first[0]["reply"]])[0],
                                           abs=1e-3)
    assert first[0]["rm"] == max(e["rm"] for e in first)


@pytest.mark.parametrize("ns, message", [((65,), "from 1 to 64"), ((0,), "from 1 to 64"), ((), "at least one")])
def test_bad_n_is_refused(ns, message):
    with pytest.raises(InputError, match=message):
        check_ns(ns)


def test_reward_function_matches_the_reward_models_own_path_in_trl(tokenizer, tiny):
    """TRL scores a reward *model* by applying the chat template to prompt + completion; our callable must give the
    same numbers."""
    _, rm = tiny
    prompts = [[{"role": "user", "content": "How was Kyoto?"}], [{"role": "user", "content": "Is it good?"}]]
    completions = [[{"role": "assistant", "content": "It was lovely."}], [{"role": "assistant", "content": "Bad."}]]
    texts = [tokenizer.apply_chat_template(p + c, tokenize=False) for p, c in zip(prompts, completions)]
    batch = tokenizer(texts, return_tensors="pt", padding=True, padding_side="right", add_special_tokens=False)
    with torch.no_grad():
        theirs = rm(**batch).logits[:, 0].tolist()
    score, truth = reward_functions(rm, tokenizer)
    assert score(prompts, completions) == pytest.approx(theirs, abs=1e-5)
    assert truth(prompts, completions) == [corpus.reward("It was lovely."), corpus.reward("Bad.")]
    assert score.__name__ == "reward_model" and truth.__name__ == "ground_truth"


@pytest.mark.parametrize("method", ["rloo", "grpo"])
def test_rl_from_the_shipped_reward_model_starts_at_kl_0_and_climbs_it(method):
    """On the shipped π_ref and reward model: KL(π‖π_ref) is exactly 0 at step 0 (π is π_ref: every log-ratio is
    0), then grows, and the reward model's score of held-out replies rises."""
    ref, _, tokenizer = load_pair()
    settings = RLSettings(method=method, kl_coef=0.05, steps=6, prompts_per_step=2, generations=4,
                          learning_rate=5e-4, seed=0)
    seen = [(f.step, f) for f in train_rl(ref, tokenizer, load_reward_model(), corpus.make_prompts(64, seed=1),
                                          settings, kl_prompts=held_out_prompts(16), kl_every=3)]
    last = seen[-1][1]
    assert [step for step, _ in seen] == [0, 1, 2, 3, 4, 5, 6, 6]  # π_ref, each TRL step, then done
    assert last.done and last.kl_steps == [0, 3, 6] and last.kl[0] == 0.0
    assert last.kl[-1] > 0.1
    assert last.sample_rm[-1] > last.sample_rm[0] + 0.5
    assert {"rewards/reward_model/mean", "rewards/ground_truth/mean", "kl", "loss"} <= set(last.metrics)
    assert len(last.samples) == 3 and last.samples[-1]["step"] == 6
    assert "forward" not in vars(last.policy) and "forward" not in vars(ref)


def test_closing_the_rl_stream_stops_training(tokenizer, tiny):
    ref, rm = tiny
    stream = train_rl(ref, tokenizer, rm, corpus.make_prompts(8, seed=3),
                      RLSettings(steps=500, prompts_per_step=1, generations=2))
    assert next(stream).step == 0
    assert next(stream).step == 1
    stream.close()


@pytest.mark.parametrize("settings, message", [
    (RLSettings(kl_coef=0.0), "KL coefficient β must be positive"),
    (RLSettings(kl_coef=-0.1), "KL coefficient β must be positive"),
    (RLSettings(kl_coef=50), "above 10"),
    (RLSettings(steps=0), f"1 to {MAX_RL_STEPS:,}"),
    (RLSettings(steps=10**9), f"1 to {MAX_RL_STEPS:,}"),
    (RLSettings(method="ppo"), "rloo, grpo"),
    (RLSettings(generations=1), "between 2 and 16"),
])
def test_bad_rl_settings_are_refused(settings, message):
    with pytest.raises(InputError, match=message):
        settings.validate()


def test_preferred_ft_raises_the_chosen_replies_likelihood_and_leaves_pi_ref(tokenizer, tiny):
    ref, _ = tiny
    pairs = [Pair("How was Kyoto?", "It was wonderful.", "It was dull.", 2, -1)] * 4
    chat = [{"role": "user", "content": "How was Kyoto?"}]
    before = reply_logp(ref, tokenizer, chat, "It was wonderful.")
    *_, (frame, policy) = preferred_ft(ref, tokenizer, pairs, PreferredFTSettings(steps=8, batch_size=4,
                                                                                 learning_rate=3e-3))
    assert frame.step == 8
    assert reply_logp(policy, tokenizer, chat, "It was wonderful.") > before + 1.0
    assert reply_logp(ref, tokenizer, chat, "It was wonderful.") == before
    with pytest.raises(InputError, match="Steps"):
        next(preferred_ft(ref, tokenizer, pairs, PreferredFTSettings(steps=10**7)))


def point(method, setting, kl, reward):
    return {"method": method, "setting": setting, "step": 1, "kl": kl, "reward": reward, "rm_score": reward}


def test_dominance_is_read_from_the_points():
    ref = point("reference", 0, 0.0, 0.0)
    dpo = [point("dpo", 0.1, 0.4, 2.0), point("dpo", 0.1, 0.9, 3.0), point("dpo", 0.1, 3.0, 3.5)]
    rloo = [point("rloo", 0.1, 0.8, 1.0), point("rloo", 0.1, 1.9, 2.5), point("rloo", 0.1, 3.5, 3.0)]
    assert reward_within([ref, *rloo], "rloo", 0.5) == 0.0 and reward_within([ref, *rloo], "rloo", 2.0) == 2.5
    line = dominance([ref, *dpo, *rloo])
    # budgets 0.5/1/2/4: DPO 2/3/3/3.5 vs RLOO 0/1/2.5/3 → margins 2, 2, 0.5, 0.5
    assert "DPO's frontier dominates" in line and "by 1.25 on average" in line
    # the paper's comparison, point by point: every RLOO point has a DPO point at no more KL with at least its reward
    assert "3 of the 3 RL points lie below and right of a DPO point" in line and "0 of the 3 DPO points" in line
    assert "DPO's best point is +3.50 at KL 3.00, RL's +3.00 at KL 3.50 (RLOO β = 0.1)" in line
    mixed = dominance([ref, *dpo[:1], point("rloo", 0.1, 1.0, 4.0)])
    assert mixed.startswith("No single frontier dominates")
    assert "more than one method" in dominance([ref, *dpo])


def test_a_resumed_sweep_measures_only_the_missing_runs_and_what_a_whole_sweep_measures(tokenizer, tiny, tmp_path):
    ref, rm = tiny
    pairs = [Pair("How was Kyoto?", "It was wonderful.", "It was dull.", 2, -1)] * 4
    prompts = ["How was Kyoto?", "Is Luna Bistro any good?"]
    plan = dataclasses.replace(Plan.quick(), betas=(0.1, 1.0))

    def run(done=frozenset()):
        items = list(sweep(ref, tokenizer, rm, pairs, prompts, plan, ("reference", "dpo"), done))
        points = [dataclasses.asdict(i) for i in items if not isinstance(i, dict)]
        return points, [i for i in items if isinstance(i, dict)]

    whole, whole_runs = run()
    assert [r["run"] for r in whole_runs] == ["dpo β=0.1", "dpo β=1"]
    # what frontier.json holds after the sweep stopped behind its first run
    first = [p for p in whole if p["method"] == "reference" or p["setting"] == 0.1]
    path = tmp_path / "frontier.json"
    path.write_text(json.dumps({"plan": dataclasses.asdict(plan), "points": first, "runs": whole_runs[:1],
                                "seconds": 5.0, "cpu_seconds": 4.0}))
    points, runs, done, before = resumed(path, plan)
    assert points == first and runs == whole_runs[:1] and before == {"seconds": 5.0, "cpu_seconds": 4.0}
    assert done == {"reference", "dpo β=0.1"}
    rest, rest_runs = run(done)
    assert [r["run"] for r in rest_runs] == ["dpo β=1"]
    assert rest == [p for p in whole if p["setting"] == 1.0]
    with pytest.raises(InputError, match="another plan"):
        resumed(path, Plan.quick())
    assert resumed(tmp_path / "none.json", plan) == ([], [], frozenset(), {})


def test_pi_ref_is_left_untouched_by_rl(tokenizer, tiny):
    ref, rm = tiny
    snapshot = copy.deepcopy(ref.state_dict())
    *_, last = train_rl(ref, tokenizer, rm, corpus.make_prompts(8, seed=3),
                        RLSettings(steps=2, prompts_per_step=2, generations=2, learning_rate=5e-3))
    assert all(torch.equal(snapshot[k], v) for k, v in ref.state_dict().items())
    assert any(not torch.equal(ref.state_dict()[k], v) for k, v in last.policy.state_dict().items())
