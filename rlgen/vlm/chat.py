"""Asking the model: ``answer(model, images, question)``, its streaming form, batched greedy decoding for the
evaluation, and a look inside one answer (the attention from the answer back to the image patches, and which
experts the router chose for every token in every MoE layer)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
import torch
from PIL import Image

from rlgen.errors import InputError
from rlgen.vlm.model import TinyKimiVLForConditionalGeneration, routers
from rlgen.vlm.processor import (
    MAX_IMAGES,
    MAX_QUESTION_CHARS,
    ImageInput,
    KimiVLProcessor,
    decode,
    pack_images,
    preprocess,
)

MAX_NEW_TOKENS = 40
MAX_TURNS = 8
# look_inside needs eager attention and hooks on the routers: it works on a private copy of the model (never on the
# one that answers other people's questions), one call at a time.
_INSIDE = threading.Lock()
_INSIDE_COPY: list = []  # [(the model, its copy)]: one at a time, the shipped model's or a real one's


def _inside_copy(model: TinyKimiVLForConditionalGeneration) -> TinyKimiVLForConditionalGeneration:
    """A copy of ``model`` kept for looking inside (call with ``_INSIDE`` held); weights are read-only after load."""
    if not _INSIDE_COPY or _INSIDE_COPY[0][0] is not model:
        _INSIDE_COPY[:] = [(model, copy.deepcopy(model))]
    return _INSIDE_COPY[0][1]


@cache
def processor_for(model: TinyKimiVLForConditionalGeneration,
                  processor: KimiVLProcessor | None = None) -> KimiVLProcessor:
    """``processor`` if given, else the one saved with the model (a model built in code gets a fresh one); refused
    with a clear error when its vocabulary is not the one the model was trained with."""
    processor = processor or getattr(model, "processor", None) or KimiVLProcessor()
    expected = getattr(model.config, "vocabulary_sha256", None)
    if expected and processor.vocabulary_sha256() != expected:
        raise InputError("This processor's vocabulary is not the one the model was trained with, so its token ids "
                         "would mean other words. Use the processor saved with the model: `model, processor = "
                         "load_model()` (or pass no processor).")
    rows = model.get_input_embeddings().num_embeddings
    if len(processor.tokenizer) > rows:
        raise InputError("The processor knows {vocabulary} tokens but the model only {rows}.",
                         vocabulary=len(processor.tokenizer), rows=rows)
    return processor


def check_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise InputError("Ask a question about the image (the question is empty).")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError("The question is {n_chars:,} characters long; the limit is {max_question_chars}.",
                         n_chars=len(question), max_question_chars=MAX_QUESTION_CHARS)
    return question


def conversation(question: str, images: list, history: list[tuple[str, str]] = ()) -> list[dict]:
    """Kimi-VL messages: the images open the first user turn; earlier (question, answer) turns follow."""
    if len(images) > MAX_IMAGES:
        raise InputError("At most {max_images} images per conversation (got {n_images}).",
                         max_images=MAX_IMAGES, n_images=len(images))
    history = list(history)[-MAX_TURNS:]
    turns = [*history, (question, None)]
    messages = []
    for i, (q, a) in enumerate(turns):
        content = ([{"type": "image"}] * len(images) if i == 0 else []) + [{"type": "text", "text": q}]
        messages.append({"role": "user", "content": content})
        if a is not None:
            messages.append({"role": "assistant", "content": a})
    return messages


def _prepare(processor: KimiVLProcessor, images: list) -> list[ImageInput]:
    return [im if isinstance(im, ImageInput) else preprocess(im, processor.max_tokens) for im in images]


@torch.inference_mode()
def generate(model: TinyKimiVLForConditionalGeneration, processor: KimiVLProcessor,
             prompts: list[tuple[list[int], list[ImageInput]]], max_new_tokens: int = MAX_NEW_TOKENS,
             stream: bool = False, temperature: float = 0.0, seed: int = 0) -> Iterator[list[list[int]]]:
    """Decoding of several prompts at once (left-padded), greedy at temperature 0, else sampled from
    softmax(logits / T) with ``seed``; yields the tokens so far after every step (or once, at the end)."""
    generator = torch.Generator().manual_seed(seed)
    pad = processor.tokenizer.pad_token_id
    longest = max(len(ids) for ids, _ in prompts)
    input_ids = torch.tensor([[pad] * (longest - len(ids)) + ids for ids, _ in prompts])
    mask = torch.tensor([[0] * (longest - len(ids)) + [1] * len(ids) for ids, _ in prompts])
    images = [im for _, ims in prompts for im in ims]
    packed = pack_images(images)
    embeds = model.embed(input_ids, packed["pixel_patches"], packed["grid_hws"])
    lm = model.language_model
    out = lm(inputs_embeds=embeds, attention_mask=mask, use_cache=True, logits_to_keep=1)
    outputs: list[list[int]] = [[] for _ in prompts]
    done = torch.zeros(len(prompts), dtype=torch.bool)
    for _ in range(max_new_tokens):
        logits = out.logits[:, -1].float()
        if temperature > 0:
            token = torch.multinomial(torch.softmax(logits / temperature, -1), 1, generator=generator)[:, 0]
        else:
            token = logits.argmax(-1)
        for i, t in enumerate(token.tolist()):
            if not done[i]:
                outputs[i].append(t)
        done |= token == processor.end_id
        if stream:
            yield outputs
        if bool(done.all()):
            break
        mask = torch.cat([mask, torch.ones(len(prompts), 1, dtype=mask.dtype)], dim=1)
        out = lm(inputs_embeds=lm.get_input_embeddings()(token[:, None]), attention_mask=mask, cache=out.cache,
                 use_cache=True)
    if not stream:
        yield outputs


def _text(processor: KimiVLProcessor, tokens: list[int]) -> str:
    return decode(processor.tokenizer, [t for t in tokens if t != processor.end_id])


def stream_answer(model: TinyKimiVLForConditionalGeneration, images: list[Image.Image | ImageInput], question: str,
                  history: list[tuple[str, str]] = (), processor: KimiVLProcessor | None = None,
                  max_new_tokens: int = MAX_NEW_TOKENS, temperature: float = 0.0, seed: int = 0) -> Iterator[str]:
    """The answer as it is decoded, one token at a time (each yield is the whole answer so far)."""
    if not 0 <= temperature <= 2:
        raise InputError("The temperature must lie between 0 and 2 (got {temperature:g}).", temperature=temperature)
    processor = processor_for(model, processor)
    question = check_question(question)
    if not images:
        raise InputError("Add an image first: the model answers questions about an image.")
    prepared = _prepare(processor, images)
    ids = processor.prompt_ids(conversation(question, prepared, history), prepared)
    for outputs in generate(model, processor, [(ids, prepared)], max_new_tokens, stream=True,
                            temperature=temperature, seed=seed):
        yield _text(processor, outputs[0])


def answer(model: TinyKimiVLForConditionalGeneration | tuple, images: list[Image.Image | ImageInput], question: str,
           history: list[tuple[str, str]] = (), processor: KimiVLProcessor | None = None) -> str:
    """The model's answer to ``question`` about ``images`` (PIL images), after the earlier turns ``history``.
    ``model`` may be what ``load_model()`` returns, the (model, processor) pair."""
    if isinstance(model, tuple):
        model, processor = model[0], processor or model[1]
    *_, final = stream_answer(model, images, question, history, processor)
    return final


def answer_batch(model: TinyKimiVLForConditionalGeneration, processor: KimiVLProcessor,
                 items: list[tuple[list[ImageInput], str]], batch: int = 64) -> list[str]:
    """Single-turn answers for many (images, question) pairs, decoded ``batch`` at a time."""
    answers: list[str] = []
    for start in range(0, len(items), batch):
        prompts = [(processor.prompt_ids(conversation(question, images), images), images)
                   for images, question in items[start:start + batch]]
        *_, outputs = generate(model, processor, prompts)
        answers += [_text(processor, o) for o in outputs]
    return answers


# ---------------------------------------------------------------------------------------------------- looking inside

@dataclass
class Inside:
    """One answer, opened up: ``attention[k]`` is the answer's attention on image k's merged patches (h, w),
    averaged over heads, layers and answer tokens; ``experts[layer]`` is (tokens, experts) router weight, zero
    where an expert was not chosen; ``tokens`` labels the sequence positions."""
    tokens: list[str]
    answer_positions: list[int]
    attention: list[np.ndarray]
    experts: dict[int, np.ndarray]
    grids: list[tuple[int, int]]


@torch.inference_mode()
def look_inside(model: TinyKimiVLForConditionalGeneration, images: list[Image.Image | ImageInput], question: str,
                reply: str, history: list[tuple[str, str]] = (), processor: KimiVLProcessor | None = None) -> Inside:
    """Run the conversation with ``reply`` appended once more, recording attention weights and router choices."""
    processor = processor_for(model, processor)
    prepared = _prepare(processor, images)
    messages = conversation(check_question(question), prepared, history)
    tok = processor.tokenizer
    prompt = processor.prompt_ids(messages, prepared)
    answer_ids = tok(reply, add_special_tokens=False)["input_ids"] + [processor.end_id]
    ids = torch.tensor([prompt + answer_ids])
    packed = pack_images(prepared)
    choices: dict[int, np.ndarray] = {}

    def record(module, inputs, outputs, layer):
        _, weights, index = outputs
        dense = torch.zeros(index.shape[0], module.num_experts)
        dense.scatter_(1, index, weights.float())
        choices[layer] = dense.numpy()

    with _INSIDE:
        model = _inside_copy(model)
        lm = model.language_model
        hooks = [gate.register_forward_hook(lambda m, i, o, layer=layer: record(m, i, o, layer))
                 for layer, gate in routers(model)]
        previous = lm.config._attn_implementation
        try:
            lm.set_attn_implementation("eager")  # the fused kernels do not return attention weights
            out = lm(inputs_embeds=model.embed(ids, packed["pixel_patches"], packed["grid_hws"]),
                     output_attentions=True)
        finally:
            lm.set_attn_implementation(previous)
            for h in hooks:
                h.remove()
    answer_positions = list(range(len(prompt) - 1, len(prompt) + len(answer_ids) - 1))  # positions predicting them
    weights = torch.stack([a[0].mean(0) for a in out.attentions]).mean(0)  # (L, L) averaged over layers and heads
    on_answer = weights[answer_positions].mean(0).numpy()
    pads = [i for i, t in enumerate(ids[0].tolist()) if t == processor.media_pad_id]
    attention, offset = [], 0
    for image in prepared:
        h, w = image.grid[0] // 2, image.grid[1] // 2
        attention.append(on_answer[pads[offset:offset + h * w]].reshape(h, w))
        offset += h * w
    labels = [("img" if t == processor.media_pad_id else tok.convert_ids_to_tokens(t)) for t in ids[0].tolist()]
    return Inside(labels, answer_positions, attention, choices, [(im.grid[0] // 2, im.grid[1] // 2) for im in prepared])
