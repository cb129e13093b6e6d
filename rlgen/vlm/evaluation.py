"""Held-out accuracy per question type, always beside the blind baseline: the best any model can do from the
question alone (the most frequent answer to that exact question in 20,000 training-distribution samples), and
the model itself shown a blank image. Also on image sizes and aspect ratios the training never used."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np
import torch
from PIL import Image

from rlgen.vlm import scenes
from rlgen.vlm.chat import answer_batch
from rlgen.vlm.model import TinyKimiVLForConditionalGeneration
from rlgen.vlm.processor import PATCH, KimiVLProcessor, preprocess

HELD_OUT_SEED = 10_000  # training draws its scenes from seeds 0, 1, 2 (one per stage)
# sides the training never saw: larger, and long thin aspect ratios
UNSEEN_SIZES = ((176, 176), (208, 144), (240, 96), (48, 208), (256, 64), (224, 224))


def held_out(n: int, seed: int = HELD_OUT_SEED, sizes: tuple[tuple[int, int], ...] | None = None,
             kinds: tuple[str, ...] = scenes.QUESTION_TYPES) -> list[tuple[scenes.Scene, scenes.QA]]:
    """``n`` (scene, question) pairs, the same number of each kind, each on a scene of its own."""
    rng = np.random.default_rng(seed)
    items: list[tuple[scenes.Scene, scenes.QA]] = []
    per_kind = max(1, n // len(kinds))
    for kind in kinds:
        got = 0
        while got < per_kind:
            size = sizes[int(rng.integers(len(sizes)))] if sizes else (None, None)
            scene = scenes.random_scene(rng, *size)
            qa = scenes.ask(scene, kind, rng)
            if qa is not None:
                items.append((scene, qa))
                got += 1
    return items


def question_prior(samples: int = 20_000, seed: int = 1) -> Callable[[scenes.QA], str]:
    """The blind answerer: the most frequent answer to each question text (or to its kind, for a text not seen)."""
    rng = np.random.default_rng(seed)
    by_text: dict[str, Counter] = defaultdict(Counter)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for _ in range(samples // 5):
        scene = scenes.random_scene(rng)
        for qa in scenes.questions(scene, rng, 5):
            by_text[qa.question][qa.answer] += 1
            by_kind[qa.kind][qa.answer] += 1

    def blind(qa: scenes.QA) -> str:
        counts = by_text.get(qa.question) or by_kind[qa.kind]
        return counts.most_common(1)[0][0]

    return blind


def accuracy_table(items: list[tuple[scenes.Scene, scenes.QA]], predictions: list[str]) -> dict:
    """{"overall": a, "by_type": {kind: a}, "describe_in_canonical_order": a}: :func:`scenes.is_right` (exact match
    after :func:`scenes.normalise_answer`; a description may list level shapes in either order), and how many
    descriptions are exactly :func:`scenes.describe`'s canonical one."""
    hits: dict[str, list[bool]] = defaultdict(list)
    canonical = []
    for (scene, qa), predicted in zip(items, predictions):
        hits[qa.kind].append(scenes.is_right(scene, qa, predicted))
        if qa.kind == "describe":
            canonical.append(scenes.normalise_answer(predicted) == scenes.normalise_answer(qa.answer))
    by_type = {k: round(float(np.mean(v)), 4) for k, v in hits.items()}
    overall = float(np.mean([h for v in hits.values() for h in v]))
    out = {"overall": round(overall, 4), "by_type": by_type, "n": len(predictions)}
    if canonical:
        out["describe_in_canonical_order"] = round(float(np.mean(canonical)), 4)
    return out


def position_probe(model: TinyKimiVLForConditionalGeneration, processor: KimiVLProcessor, scenes_n: int = 300,
                   seed: int = HELD_OUT_SEED + 2) -> dict:
    """How linearly each shape's merged vision token says where the shape is, before and after the projector:
    held-out R^2 of a ridge regression from the token to the shape's column and row (as fractions of the image),
    fit on 70 % of the shapes. The decoder can only compare positions its input carries."""
    rng = np.random.default_rng(seed)
    merge = model.config.vision_config.merge_kernel_size[0]
    cell = PATCH * merge
    before, after, where = [], [], []
    for _ in range(scenes_n):
        scene = scenes.random_scene(rng)
        image = preprocess(scenes.render(scene), processor.max_tokens)
        with torch.no_grad():
            merged = model.image_features(torch.from_numpy(image.patches), torch.tensor([image.grid]))
            projected = model.multi_modal_projector(merged)
        rows, cols = image.grid[0] // merge, image.grid[1] // merge
        sx, sy = image.size[0] / scene.width, image.size[1] / scene.height
        for s in scene.shapes:
            i = min(int(s.y * sy / cell), rows - 1) * cols + min(int(s.x * sx / cell), cols - 1)
            before.append(merged[i].numpy())
            after.append(projected[i].numpy())
            where.append((s.x / scene.width, s.y / scene.height))
    target = np.array(where)
    split = int(0.7 * len(target))

    def r2(features: list[np.ndarray]) -> dict:
        x = np.c_[np.array(features), np.ones(len(features))]
        w = np.linalg.solve(x[:split].T @ x[:split] + 0.1 * np.eye(x.shape[1]), x[:split].T @ target[:split])
        residual = ((x[split:] @ w - target[split:]) ** 2).mean(0) / target[split:].var(0)
        return {"column": round(float(1 - residual[0]), 3), "row": round(float(1 - residual[1]), 3)}

    return {"before_projector": r2(before), "after_projector": r2(after), "shapes": len(target)}


def evaluate(model: TinyKimiVLForConditionalGeneration, processor: KimiVLProcessor, n: int = 1000,
             log: Callable[[str], None] = print) -> dict:
    items = held_out(n)
    images = [[preprocess(scenes.render(scene), processor.max_tokens)] for scene, _ in items]
    model_answers = answer_batch(model, processor, [(im, qa.question) for im, (_, qa) in zip(images, items)])
    blind = question_prior()
    blank = [[preprocess(Image.new("RGB", im[0].size, (255, 255, 255)))] for im in images]
    blank_answers = answer_batch(model, processor, [(im, qa.question) for im, (_, qa) in zip(blank, items)])
    unseen = held_out(max(n // 2, 10), seed=HELD_OUT_SEED + 1, sizes=UNSEEN_SIZES)
    unseen_images = [[preprocess(scenes.render(scene), processor.max_tokens)] for scene, _ in unseen]
    unseen_answers = answer_batch(model, processor, [(im, qa.question) for im, (_, qa) in zip(unseen_images, unseen)])
    result = {
        "held_out": accuracy_table(items, model_answers),
        "blind_question_prior": accuracy_table(items, [blind(qa) for _, qa in items]),
        "blank_image": accuracy_table(items, blank_answers),
        "unseen_sizes": {**accuracy_table(unseen, unseen_answers), "sizes": [list(s) for s in UNSEEN_SIZES]},
        "held_out_seed": HELD_OUT_SEED,
        "position_probe": position_probe(model, processor),
    }
    log(f"held-out {result['held_out']['overall']:.3f} (blind {result['blind_question_prior']['overall']:.3f}, "
        f"blank image {result['blank_image']['overall']:.3f}, unseen sizes {result['unseen_sizes']['overall']:.3f})")
    return result
