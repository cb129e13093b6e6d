"""`python -m rlgen.bench vlm [--quick] [--json PATH]`: the tiny Kimi-VL on this process's torch threads — answer
latency (image + question to the whole answer, greedy) against transformers' ``generate`` on the same decoder and
the same input embeddings, vision tokens per second through the encoder, and the packed encoder (several images in
one sequence) against encoding the same images one by one. Target: an answer in under 150 ms."""

from __future__ import annotations

import statistics
import time

from rlgen import runtime
from rlgen.bench._report import best_time, parse_args, report

runtime.configure_torch()

import numpy as np  # noqa: E402
import torch  # noqa: E402

from rlgen.vlm import scenes  # noqa: E402
from rlgen.vlm.chat import answer, conversation  # noqa: E402
from rlgen.vlm.checkpoint import load_model  # noqa: E402
from rlgen.vlm.processor import pack_images, preprocess  # noqa: E402

QUESTIONS = ("How many shapes are there?", "What color is the circle?", "Is there a green square?",
             "Describe the image.")
TARGET_ANSWER_MS = 150.0


def _images(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return [preprocess(scenes.render(scenes.random_scene(rng))) for _ in range(n)]


@torch.inference_mode()
def hf_generate(model, processor, image, question: str) -> str:
    """The peer: the same prompt embeddings through transformers' GenerationMixin.generate (greedy)."""
    ids = torch.tensor([processor.prompt_ids(conversation(question, [image]), [image])])
    packed = pack_images([image])
    embeds = model.embed(ids, packed["pixel_patches"], packed["grid_hws"])
    out = model.language_model.generate(inputs_embeds=embeds, attention_mask=torch.ones_like(ids), do_sample=False,
                                        max_new_tokens=40, eos_token_id=processor.end_id,
                                        pad_token_id=processor.tokenizer.pad_token_id)
    return processor.tokenizer.decode(out[0], skip_special_tokens=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv or [], __doc__)
    model, processor = load_model()
    n = 4 if args.quick else 24
    images = _images(n)
    ours, peer = [], []
    for i, image in enumerate(images):
        question = QUESTIONS[i % len(QUESTIONS)]
        answer(model, [image], question, processor=processor)  # warm the kernels for this size
        ours.append(best_time(lambda im=image, q=question: answer(model, [im], q, processor=processor), repeats=3))
        peer.append(best_time(lambda im=image, q=question: hf_generate(model, processor, im, q), repeats=3))
    tower = model.vision_tower
    packed = pack_images(images)
    tokens = sum(im.tokens for im in images)
    with torch.inference_mode():
        packed_s = best_time(lambda: tower(packed["pixel_patches"], packed["grid_hws"]), repeats=3)
        one_by_one_s = best_time(lambda: [tower(torch.from_numpy(im.patches), torch.tensor([im.grid]))
                                          for im in images], repeats=3)
    median_ms = 1000 * statistics.median(ours)
    figures = {
        "answer_latency_ms": {"median": median_ms, "max": 1000 * max(ours), "n": len(ours)},
        "hf_generate_latency_ms": {"median": 1000 * statistics.median(peer), "max": 1000 * max(peer)},
        "speedup_over_hf_generate": statistics.median(peer) / statistics.median(ours),
        "vision_tokens_per_s_packed": tokens / packed_s,
        "packed_vs_one_by_one": {"packed_s": packed_s, "one_by_one_s": one_by_one_s,
                                 "ratio": one_by_one_s / packed_s, "images": len(images), "vision_tokens": tokens},
        "targets": {"answer_under_150_ms": median_ms < TARGET_ANSWER_MS},
        "threads": runtime.torch_threads(),
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    rows = [
        {"what": "answer (ours, streaming greedy)", "median ms": median_ms, "max ms": 1000 * max(ours)},
        {"what": "answer (transformers generate)", "median ms": 1000 * statistics.median(peer),
         "max ms": 1000 * max(peer)},
        {"what": f"encoder, {len(images)} images packed", "median ms": 1000 * packed_s, "max ms": None},
        {"what": f"encoder, {len(images)} images one by one", "median ms": 1000 * one_by_one_s, "max ms": None},
    ]
    report("Tiny Kimi-VL: answer latency and the packed encoder (one CPU thread)", rows, figures, args.json)
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    latency = record["answer_latency_ms"]
    return [("an answer from the tiny Kimi-VL",
             f"{latency['median']:.0f} ms median, {latency['max']:.0f} ms worst; "
             f"{record['speedup_over_hf_generate']:.2f}× transformers' generate")]
