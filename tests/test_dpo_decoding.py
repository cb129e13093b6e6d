"""The side-by-side decoder: the stacked tiny-Llama path computes what `LlamaForCausalLM` computes (logits to
1e-5), samples exactly the replies the generic transformers-forward path samples for a seed, and everything it
cannot take (other architectures, dtypes, a real pair's Mistral) falls back to the generic path."""

from __future__ import annotations

import copy

import pytest

from rlgen.dpo import corpus
from rlgen.dpo.arena import side_by_side
from rlgen.dpo.decoding import CachedForward, StackedLlama, column_decoder, stackable, stacked_weights
from rlgen.dpo.lm import new_model, tiny_llama_config, train_tokenizer
from rlgen.dpo.sampling import stream_chat, stream_columns

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def tokenizer():
    conversations = corpus.make_corpus(300, seed=0)
    return train_tokenizer((m["content"] for c in conversations for m in c.messages), vocab_size=400)


@pytest.fixture(scope="module")
def pair(tokenizer):
    """A random tiny Llama and a perturbed copy, with non-trivial norm weights (the decoder folds them)."""
    config = tiny_llama_config(tokenizer, hidden=32, layers=2, heads=2, intermediate=64)
    ref = new_model(config, seed=0).eval()
    policy = copy.deepcopy(ref)
    with torch.no_grad():
        for model, scale in ((ref, 0.02), (policy, 0.2)):
            for p in model.parameters():
                p.add_(scale * torch.randn_like(p))
    return ref, policy.eval()


def conversations(tokenizer) -> list[list[dict]]:
    first = [{"role": "user", "content": "Is Lisbon a good place for a weekend trip?"}]
    second = [{"role": "user", "content": "How was Midnight Harbor?"}, {"role": "assistant", "content": "Fine."},
              {"role": "user", "content": "Tell me more about the ending and the music, please."}]
    return [first, second]


@torch.inference_mode()
def test_stacked_logits_equal_the_llama_forward_for_both_models(tokenizer, pair):
    ref, policy = pair
    prompts = [tokenizer.apply_chat_template(c, add_generation_prompt=True, return_dict=False)
               for c in conversations(tokenizer)]
    decoder = StackedLlama([ref, policy], length=64)
    logits = decoder.start(prompts)
    sequences = [list(p) for p in prompts]
    for step in range(6):
        for m, model in enumerate((ref, policy)):
            expected = model(torch.tensor([sequences[m]])).logits[0, -1]
            torch.testing.assert_close(logits[m], expected, atol=1e-5, rtol=1e-5)
        tokens = [(7 * step + 11 * m) % 300 + 5 for m in range(2)]
        sequences = [s + [t] for s, t in zip(sequences, tokens)]
        logits = decoder.step(tokens, [True, True])


def test_prepared_weights_are_reused_until_a_model_changes(tokenizer, pair):
    ref, policy = pair
    ref, policy = copy.deepcopy(ref), copy.deepcopy(policy)
    assert stacked_weights([ref, policy], 64) is stacked_weights([ref, policy], 64)
    prompt = tokenizer.apply_chat_template(conversations(tokenizer)[0], add_generation_prompt=True, return_dict=False)
    before = StackedLlama([ref, policy], 64).start([prompt, prompt])
    with torch.no_grad():
        policy.model.layers[1].mlp.down_proj.weight.mul_(3.0)  # trained in place, say
    after = StackedLlama([ref, policy], 64).start([prompt, prompt])
    torch.testing.assert_close(after[0], before[0])
    assert not torch.allclose(after[1], before[1])
    torch.testing.assert_close(after[1], policy(torch.tensor([prompt])).logits[0, -1], atol=1e-5, rtol=1e-5)


@torch.inference_mode()
def test_a_finished_column_stays_put_while_the_other_goes_on(tokenizer, pair):
    ref, policy = pair
    prompt = tokenizer.apply_chat_template(conversations(tokenizer)[0], add_generation_prompt=True, return_dict=False)
    decoder = StackedLlama([ref, policy], length=64)
    decoder.start([prompt, prompt])
    decoder.step([9, 9], [False, True])  # the left column has ended: its token is ignored, its cache untouched
    logits = decoder.step([9, 12], [True, True])
    torch.testing.assert_close(logits[0], ref(torch.tensor([prompt + [9]])).logits[0, -1], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(logits[1], policy(torch.tensor([prompt + [9, 12]])).logits[0, -1], atol=1e-5,
                               rtol=1e-5)


@pytest.mark.parametrize("temperature, top_p, max_new_tokens", [(1.0, 1.0, 24), (0.8, 0.9, 40), (0.0, 1.0, 12),
                                                                (1.5, 0.95, 3)])
def test_stacked_and_generic_paths_sample_the_same_replies(tokenizer, pair, temperature, top_p, max_new_tokens):
    """Every streamed step — text, done flags, token counts — is the same on both paths, seed by seed, with
    conversations of different lengths in the two columns."""
    ref, policy = pair
    left, right = conversations(tokenizer)

    def steps(seed: int, stacked: bool) -> list[tuple]:
        return [(s.left, s.right, s.left_done, s.right_done, s.tokens) for s in side_by_side(
            ref, policy, tokenizer, left, right, temperature, top_p, max_new_tokens, seed, stacked=stacked)]

    for seed in range(4):
        stacked = steps(seed, True)
        assert stacked == steps(seed, False)
        assert stacked[-1][2] and stacked[-1][3] and max(stacked[-1][4]) <= max_new_tokens


def test_each_column_samples_what_its_model_samples_alone(tokenizer, pair):
    ref, policy = pair
    left, right = conversations(tokenizer)
    *_, both = side_by_side(ref, policy, tokenizer, left, right, 1.0, 1.0, 30, seed=5)
    alone = [list(stream_chat(m, tokenizer, c, 1.0, 1.0, 30, seed=5))[-1].text for m, c in ((ref, left),
                                                                                             (policy, right))]
    assert [both.left, both.right] == alone


def test_shipped_pair_replies_are_those_the_former_sampler_gave():
    """Known answers recorded from the sampler before the stacked decoder (transformers forward per column, commit
    fe2f419) on the shipped pair: same seed, same replies."""
    from rlgen.dpo.checkpoint import load_pair

    ref, policy, tokenizer = load_pair()
    messages = [{"role": "user", "content": "Is the Juniper kettle worth the money?"}]
    *_, step = side_by_side(ref, policy, tokenizer, messages, messages, 0.8, 0.95, 48, seed=3)
    assert step.left == "The Juniper kettle is a noisy choice, I am sorry to say. The design is awful and flimsy."
    assert step.right == "Yes, the Juniper kettle is fun. I enjoyed the setup most of all. You will have fun."
    assert step.tokens == (21, 21)


def test_models_the_stacked_path_cannot_take_fall_back_to_their_own_forward(tokenizer, pair, tmp_path):
    from transformers import MistralConfig, MistralForCausalLM

    from rlgen.dpo.real import RealPair, load_real_pair

    ref, policy = pair
    assert stackable([ref, policy]) and isinstance(column_decoder([ref, policy], 64), StackedLlama)
    assert not stackable([ref, copy.deepcopy(policy).double()])
    # a real pair is Mistral with grouped key/value heads: test that shape offline, through the real loader
    config = MistralConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                           eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
    torch.manual_seed(0)
    MistralForCausalLM(config).save_pretrained(tmp_path / "sft")
    MistralForCausalLM(config).save_pretrained(tmp_path / "dpo")
    tokenizer.save_pretrained(tmp_path / "dpo")
    registry = {"tiny": RealPair("tiny", str(tmp_path / "sft"), "main", str(tmp_path / "dpo"), "main", 0.1)}
    real_ref, real_policy, real_tokenizer = load_real_pair("tiny", enabled=True, registry=registry)
    assert isinstance(column_decoder([real_ref, real_policy], 128), CachedForward)
    messages = conversations(tokenizer)[0]
    ids = torch.tensor([real_tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=False)])
    for model, side in ((real_ref, 0), (real_policy, 1)):
        out = model.generate(ids, do_sample=False, max_new_tokens=10, eos_token_id=tokenizer.eos_token_id,
                             pad_token_id=tokenizer.pad_token_id)
        expected = real_tokenizer.decode(out[0, ids.shape[1]:], skip_special_tokens=True)
        *_, last = stream_columns([real_ref, real_policy], real_tokenizer, [messages, messages], temperature=0,
                                  max_new_tokens=10)
        assert last[side].text == expected
