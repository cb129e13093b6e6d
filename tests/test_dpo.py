"""The DPO backend: corpus and ground-truth reward, tokenizer and chat template, sampling, our dpo_loss against
TRL's on the same batch, the training generator, metrics and the real-weights loader (offline, tiny models)."""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest

from rlgen.dpo import corpus
from rlgen.dpo.lm import new_model, parameter_count, tiny_llama_config
from rlgen.dpo.loss import dpo_loss
from rlgen.dpo.metrics import distinct_n, kl_estimate, repetition_rate
from rlgen.dpo.sampling import (
    MAX_PROMPT_CHARS,
    chat,
    check_messages,
    filter_logits,
    implicit_reward,
    reply_logp,
    sequence_logps,
    stream_chat,
)
from rlgen.dpo.training import DPOSettings, Pair, dpo_trainer, preference_pairs, train_dpo

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def tiny(tiny_ref):
    """The random tiny π_ref and a perturbed copy (so π ≠ π_ref)."""
    policy = copy.deepcopy(tiny_ref)
    with torch.no_grad():
        for p in policy.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return tiny_ref, policy.eval()


def some_pairs(n: int = 8, sentences: int | None = None) -> list[Pair]:
    rng = np.random.default_rng(1)
    pairs = []
    for _ in range(n):
        topic, thing, prompt = corpus.sample_prompt(rng)
        good, _ = corpus.sample_reply(rng, topic, thing, mood="positive")
        bad, _ = corpus.sample_reply(rng, topic, thing, mood="negative")
        if sentences is not None:
            good, bad = (". ".join(r.split(". ")[:sentences]).rstrip(".") + "." for r in (good, bad))
        pairs.append(Pair(prompt, good, bad, corpus.reward(good), corpus.reward(bad)))
    return pairs


def test_reward_is_the_sum_of_lexicon_valences():
    assert corpus.reward("A wonderful film, but the ending was dull.") == 2 - 1
    assert corpus.reward("Nothing to score here.") == 0
    assert corpus.scored_words("Great food; awful, AWFUL service") == [("great", 1), ("awful", -2), ("awful", -2)]


def test_corpus_is_seeded_varied_and_made_of_sentences():
    a, b = corpus.make_corpus(300, seed=3), corpus.make_corpus(300, seed=3)
    assert a == b
    replies = [m["content"] for c in a for m in c.messages if m["role"] == "assistant"]
    assert all(r[0].isupper() and r.endswith(".") for r in replies)
    rewards = np.array([corpus.reward(r) for r in replies])
    assert rewards.min() <= -3 and rewards.max() >= 3 and (rewards == 0).any()
    sentences = {r.count(".") for r in replies}
    assert {1, 2, 3, 4} <= sentences
    assert {c.topic for c in a} == {t.name for t in corpus.TOPICS}
    assert any(len(c.messages) == 4 for c in a)  # some follow-up turns


def test_mood_sets_the_sign_of_the_reward():
    rng = np.random.default_rng(0)
    for _ in range(50):
        topic, thing, _ = corpus.sample_prompt(rng)
        assert corpus.reward(corpus.sample_reply(rng, topic, thing, mood="positive")[0]) > 0
        assert corpus.reward(corpus.sample_reply(rng, topic, thing, mood="negative")[0]) < 0
        assert corpus.reward(corpus.sample_reply(rng, topic, thing, mood="neutral")[0]) == 0


def test_tokenizer_round_trips_any_text_and_renders_the_chat_template(tokenizer):
    text = "Is Kyoto worth it? Café ☕ — 100% yes!"
    assert tokenizer.decode(tokenizer(text)["input_ids"]) == text
    messages = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
    assert tokenizer.apply_chat_template(messages, tokenize=False) == "<|user|>Hi<|end|><|assistant|>Hello.<|end|>"
    assert tokenizer.apply_chat_template(messages[:1], tokenize=False, add_generation_prompt=True) == (
        "<|user|>Hi<|end|><|assistant|>")
    assert tokenizer.eos_token == "<|end|>" and tokenizer.pad_token == "<|pad|>"


def test_model_is_a_llama_from_a_config(tokenizer):
    model = new_model(tiny_llama_config(tokenizer), seed=0)
    assert model.config.model_type == "llama"
    assert 500_000 < parameter_count(model) < 5_000_000


def test_top_p_keeps_the_smallest_nucleus_reaching_p():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    kept = torch.isfinite(filter_logits(logits, 1.0, 0.8))
    assert kept.tolist() == [True, True, False, False]
    assert torch.isfinite(filter_logits(logits, 1.0, 0.81)).tolist() == [True, True, True, False]


def test_greedy_stream_matches_transformers_generate(tokenizer, tiny):
    _, policy = tiny
    messages = [{"role": "user", "content": "Is Lisbon a good place for a weekend trip?"}]
    ids = torch.tensor([tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=False)])
    out = policy.generate(ids, do_sample=False, max_new_tokens=12, eos_token_id=tokenizer.eos_token_id,
                          pad_token_id=tokenizer.pad_token_id)
    expected = tokenizer.decode(out[0, ids.shape[1]:], skip_special_tokens=True)
    assert chat(policy, tokenizer, messages, temperature=0, max_new_tokens=12) == expected


def test_sampling_is_reproducible_with_a_seed(tokenizer, tiny):
    _, policy = tiny
    messages = [{"role": "user", "content": "How was Midnight Harbor?"}]
    a = chat(policy, tokenizer, messages, temperature=1.0, max_new_tokens=16, seed=5)
    assert a == chat(policy, tokenizer, messages, temperature=1.0, max_new_tokens=16, seed=5)
    steps = list(stream_chat(policy, tokenizer, messages, temperature=1.0, max_new_tokens=16, seed=5))
    assert steps[-1].done and steps[-1].text == a and len(steps) <= 17


def test_bad_prompts_are_refused_with_the_cap_in_the_message():
    with pytest.raises(ValueError, match="empty"):
        check_messages([{"role": "user", "content": "   "}])
    with pytest.raises(ValueError, match=f"{MAX_PROMPT_CHARS:,}"):
        check_messages([{"role": "user", "content": "x" * 100_000}])
    with pytest.raises(ValueError, match="end with the user"):
        check_messages([{"role": "assistant", "content": "hi"}])


def test_implicit_reward_is_beta_times_the_log_ratio(tokenizer, tiny):
    ref, policy = tiny
    messages = [{"role": "user", "content": "Should I buy the Orbit desk lamp?"}]
    reply = "The Orbit desk lamp is lovely."
    expected = 0.5 * (reply_logp(policy, tokenizer, messages, reply) - reply_logp(ref, tokenizer, messages, reply))
    assert implicit_reward(policy, ref, tokenizer, messages, reply, beta=0.5) == pytest.approx(expected)
    assert implicit_reward(ref, ref, tokenizer, messages, reply, beta=0.5) == 0.0
    with pytest.raises(ValueError, match="positive"):
        implicit_reward(policy, ref, tokenizer, messages, reply, beta=0)


@pytest.mark.parametrize("loss_type", ["sigmoid", "ipo", "hinge"])
def test_dpo_loss_equals_trl_on_one_batch(tokenizer, tiny, tmp_path, loss_type):
    ref, policy = tiny
    policy, ref = copy.deepcopy(policy), copy.deepcopy(ref)
    settings = DPOSettings(beta=0.1, loss_type=loss_type, steps=1, batch_size=4)
    # one-sentence replies: TRL's fused LM head works in float32, whose rounding on the ~−300 summed log-probs of
    # four-sentence replies under a random model alone moves the loss by ~2e-6
    trainer = dpo_trainer(policy, ref, tokenizer, some_pairs(4, sentences=1), settings, str(tmp_path))
    batch = next(iter(trainer.get_train_dataloader()))
    policy.train()  # TRL logs under "train" only in training mode (a Llama has no dropout: same numbers)
    with torch.no_grad():
        trl_loss = trainer.compute_loss(trainer.model, batch)
        logps = sequence_logps(policy, batch)
        ref_logps = sequence_logps(ref, batch)
    lengths = batch["completion_mask"].sum(-1)
    chosen, rejected = logps.chunk(2)
    ref_chosen, ref_rejected = ref_logps.chunk(2)
    ours, r_chosen, _ = dpo_loss(chosen, rejected, ref_chosen, ref_rejected, 0.1, loss_type, *lengths.chunk(2))
    print(f"{loss_type}: |ours - TRL| = {abs(float(ours) - float(trl_loss)):.2e}")
    # equal up to float32 rounding: TRL sums the log-probs in float32 even for a float64 model (measured), and
    # a few float32 steps on the ~−60 summed log-probs here (one step: 3.8e-6) times β = 0.1 reach ~1.6e-6 on
    # the hinge loss (sigmoid 8e-7; IPO's ~25 loss is met relatively, where one float32 step is 2e-6)
    assert float(ours) == pytest.approx(float(trl_loss), rel=1e-6, abs=2e-6)
    # TRL's logged reward is β times the same float32 sums: the same rounding, to within 2e-6
    assert trainer._metrics["train"]["rewards/chosen"][-1] == pytest.approx(float(r_chosen.mean()), abs=2e-6)


def test_dpo_loss_closed_form():
    zero = torch.zeros(1)
    loss, _, _ = dpo_loss(torch.tensor([1.0]), zero, zero, zero, beta=2.0)
    assert float(loss) == pytest.approx(np.log1p(np.exp(-2.0)))
    hinge, _, _ = dpo_loss(torch.tensor([1.0]), zero, zero, zero, beta=0.25, loss_type="hinge")
    assert float(hinge) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="positive"):
        dpo_loss(zero, zero, zero, zero, beta=-1.0)


def test_train_dpo_streams_trl_metrics_and_widens_the_margin(tokenizer, tiny):
    ref, _ = tiny
    settings = DPOSettings(beta=0.1, steps=12, batch_size=8, learning_rate=3e-3)
    frames = list(train_dpo(ref, tokenizer, some_pairs(8), settings, kl_prompts=["How was Kyoto?"], kl_every=6))
    last = frames[-1]
    assert last.done and last.step == 12 and last.steps == list(range(1, 13))
    assert set(last.metrics) >= {"loss", "rewards/chosen", "rewards/rejected", "rewards/margins",
                                 "rewards/accuracies"}
    assert np.mean(last.metrics["rewards/margins"][-3:]) > last.metrics["rewards/margins"][0]
    assert last.kl_steps == [6, 12] and len(last.kl) == 2
    assert last.policy is not ref  # π_ref itself is never trained
    with pytest.raises(ValueError, match="no preference pairs"):
        next(train_dpo(ref, tokenizer, [], settings))


def test_runs_leave_the_reference_untouched_and_each_policy_answers_with_its_own_weights(tokenizer, tiny):
    """TRL patches `forward` on the models it gets; a copy of a patched model would answer with the original's
    weights, so a second run from the same π_ref would show KL 0."""
    ref, _ = tiny
    settings = DPOSettings(beta=0.1, steps=3, batch_size=4, learning_rate=3e-3)
    messages = [{"role": "user", "content": "How was Kyoto?"}]
    before = reply_logp(ref, tokenizer, messages, "It was lovely.")
    for _ in range(2):
        *_, last = train_dpo(ref, tokenizer, some_pairs(4), settings)
        assert "forward" not in vars(ref) and "forward" not in vars(last.policy)
        assert reply_logp(last.policy, tokenizer, messages, "It was lovely.") != pytest.approx(before, abs=1e-4)
    assert reply_logp(ref, tokenizer, messages, "It was lovely.") == before
    continued = list(train_dpo(ref, tokenizer, some_pairs(4), settings, policy=last.policy))[-1].policy
    assert reply_logp(continued, tokenizer, messages, "It was lovely.") != pytest.approx(
        reply_logp(last.policy, tokenizer, messages, "It was lovely."), abs=1e-5)


def test_closing_the_stream_stops_training(tokenizer, tiny):
    ref, _ = tiny
    stream = train_dpo(ref, tokenizer, some_pairs(4), DPOSettings(steps=200, batch_size=2))
    first = next(stream)
    stream.close()
    assert first.step == 1 and first.policy is not None


@pytest.mark.parametrize("settings, message", [
    (DPOSettings(beta=0.0), "β must be positive"), (DPOSettings(beta=-1), "β must be positive"),
    (DPOSettings(loss_type="kto"), "Loss type"), (DPOSettings(steps=0), "Steps"),
])
def test_bad_dpo_settings_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        settings.validate()


def test_preference_pairs_are_ranked_by_the_ground_truth(tokenizer, tiny):
    ref, _ = tiny
    pairs = preference_pairs(ref, tokenizer, corpus.make_prompts(6, seed=2), samples=3, max_new_tokens=16)
    assert all(p.chosen_reward > p.rejected_reward for p in pairs)
    assert all(corpus.reward(p.chosen) == p.chosen_reward for p in pairs)


def test_distinct_n_and_repetition_known_values():
    assert distinct_n(["a b a b"], 1) == 0.5
    assert distinct_n(["a b a b"], 2) == pytest.approx(2 / 3)
    assert repetition_rate(["friend friend friend friend", "a fine day"], n=2) == 0.5


def test_kl_of_a_model_to_itself_is_zero(tokenizer, tiny):
    ref, _ = tiny
    kl, replies = kl_estimate(ref, ref, tokenizer, ["How was Kyoto?", "Is Luna Bistro a good restaurant?"])
    assert kl == 0.0 and len(replies) == 2


def test_real_pairs_load_only_from_the_allow_list_when_switched_on(tokenizer, tiny, tmp_path):
    from rlgen.dpo.real import REAL_PAIRS, RealPair, available, load_real_pair

    ref, policy = tiny
    ref.save_pretrained(tmp_path / "sft")
    policy.save_pretrained(tmp_path / "dpo")
    tokenizer.save_pretrained(tmp_path / "dpo")
    registry = {"tiny": RealPair("tiny", str(tmp_path / "sft"), "main", str(tmp_path / "dpo"), "main", 0.1)}
    with pytest.raises(ValueError, match="RLGEN_REAL_WEIGHTS=1"):
        load_real_pair("tiny", enabled=False, registry=registry)
    with pytest.raises(ValueError, match="allow-list"):
        load_real_pair("someone/any-model", enabled=True, registry=registry)
    loaded_ref, loaded_policy, loaded_tokenizer = load_real_pair("tiny", enabled=True, registry=registry)
    messages = [{"role": "user", "content": "How was Kyoto?"}]
    assert chat(loaded_policy, loaded_tokenizer, messages, temperature=0, max_new_tokens=8) == chat(
        policy, tokenizer, messages, temperature=0, max_new_tokens=8)
    assert implicit_reward(loaded_policy, loaded_ref, loaded_tokenizer, messages, "Fine.", 0.1) == pytest.approx(
        implicit_reward(policy, ref, tokenizer, messages, "Fine.", 0.1), abs=1e-5)
    assert available(enabled=False) == [] and available(enabled=True) == list(REAL_PAIRS)
    # every real id is pinned to a commit, never a branch
    assert all(re.fullmatch("[0-9a-f]{40}", rev) for p in REAL_PAIRS.values() for rev in (p.ref_revision,
                                                                                          p.policy_revision))


def test_train_command_writes_a_loadable_pair_and_the_frontier(tmp_path):
    """`python -m rlgen train dpo --quick` end to end (smoke sizes), then `--from-sft`, the frontier sweep of every
    method and the shipped RL policy."""
    import json

    from rlgen.dpo.checkpoint import Recipe, build, load_pair, load_reward_model
    from rlgen.dpo.frontier import train_frontier
    from rlgen.dpo.rlhf import train_shipped_rl as build_rl

    info = build(Recipe().quick(), tmp_path, log=lambda s: None)
    assert {"sft", "pairs", "reward_model", "dpo", "evaluation", "stage_seconds"} <= set(info)
    ref, policy, tokenizer = load_pair(str(tmp_path))
    assert tokenizer.chat_template and policy.config.model_type == "llama"
    assert load_reward_model(str(tmp_path)).config.num_labels == 1
    again = build(Recipe().quick(), tmp_path, log=lambda s: None, from_sft=True)
    assert again["command"].endswith("--from-sft") and again["reward_model"] == info["reward_model"]
    frontier = train_frontier(["--quick", "--dir", str(tmp_path)])
    assert json.loads((tmp_path / "frontier.json").read_text()) == frontier
    assert frontier["points"][0]["method"] == "reference" and frontier["complete"]
    assert {p["method"] for p in frontier["points"]} == {"reference", "best-of-n", "dpo", "rloo", "grpo",
                                                         "preferred-ft"}
    assert [r["run"] for r in frontier["runs"]] == ["best-of-n", "dpo β=0.1", "preferred-ft", "rloo β=0.1",
                                                    "grpo β=0.1"]
    assert all(r["cpu_seconds"] > 0 for r in frontier["runs"])
    rl = build_rl(["--quick", "--dir", str(tmp_path)])
    assert rl["curve"]["kl"][0] == 0.0 and (tmp_path / "rl_policy" / "config.json").exists()


def test_a_prompt_is_checked_against_what_the_tiny_models_know():
    from rlgen.dpo.corpus import known_examples, things_named

    assert things_named("What did you think of the film Midnight Harbor?") == ["Midnight Harbor"]
    assert things_named("Is blue door cafe a good restaurant?") == ["Blue Door Cafe"]
    assert things_named("How was the restaurant Blue Lantern?") == []  # a name it never saw
    assert "films: Midnight Harbor" in known_examples()
