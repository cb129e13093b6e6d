"""The tokenizer (byte-level BPE trained here with `tokenizers`, wrapped as a `PreTrainedTokenizerFast` with a
chat template) and the tiny Llama-style causal LM built from a transformers config."""

from __future__ import annotations

from collections.abc import Iterable

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast  # noqa: E402

USER, ASSISTANT, SYSTEM, END, PAD = "<|user|>", "<|assistant|>", "<|system|>", "<|end|>", "<|pad|>"
SPECIAL_TOKENS = [PAD, END, USER, ASSISTANT, SYSTEM]
# Each message is <|role|>content<|end|>; a generation prompt ends with <|assistant|>; a reply ends at <|end|>.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
)
VOCAB_SIZE = 1024
MAX_LENGTH = 192  # tokens of context the model is trained on and sees at chat time


def train_tokenizer(texts: Iterable[str], vocab_size: int = VOCAB_SIZE) -> PreTrainedTokenizerFast:
    """Byte-level BPE: any text a person types round-trips (no unknown token); the corpus's words are one or
    two tokens each."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return wrap_tokenizer(tokenizer)


def wrap_tokenizer(tokenizer: Tokenizer) -> PreTrainedTokenizerFast:
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, eos_token=END, pad_token=PAD,
                                   additional_special_tokens=[USER, ASSISTANT, SYSTEM],
                                   model_max_length=MAX_LENGTH)
    fast.chat_template = CHAT_TEMPLATE
    return fast


def tiny_llama_config(tokenizer: PreTrainedTokenizerFast, hidden: int = 128, layers: int = 4, heads: int = 4,
                      intermediate: int = 384) -> LlamaConfig:
    """A Llama block stack small enough to train and chat with on one CPU thread (~1M parameters)."""
    return LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=hidden, intermediate_size=intermediate, num_hidden_layers=layers,
        num_attention_heads=heads, num_key_value_heads=heads, max_position_embeddings=MAX_LENGTH,
        tie_word_embeddings=True, eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None, rope_theta=10_000.0,
    )


def new_model(config: LlamaConfig, seed: int) -> LlamaForCausalLM:
    with runtime.seeded(seed):
        model = LlamaForCausalLM(config)
    model.generation_config.pad_token_id = config.pad_token_id
    model.generation_config.eos_token_id = config.eos_token_id
    return model


def parameter_count(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def encode_chat(tokenizer: PreTrainedTokenizerFast, messages: list[dict], add_generation_prompt: bool) -> list[int]:
    return list(tokenizer.apply_chat_template(messages, tokenize=True, add_generation_prompt=add_generation_prompt,
                                              return_dict=False))
