"""The shipped tiny Kimi-VL: ``load_model()`` and ``python -m rlgen train vlm``, which runs the three stages with a
fixed seed, saves the model with ``save_pretrained`` (float16 safetensors) plus its processor, and writes
TRAINING.json (command, steps and seconds per stage, held-out accuracy against the blind baseline)."""

from __future__ import annotations

import argparse
import json
import time
from functools import cache
from pathlib import Path

import torch

from rlgen import runtime
from rlgen.errors import InputError
from rlgen.registry import Checkpoint, register, register_trainer
from rlgen.vlm import scenes
from rlgen.vlm.model import TinyKimiVLForConditionalGeneration, new_model
from rlgen.vlm.processor import KimiVLProcessor

NAME = "vlm"


def save(model: TinyKimiVLForConditionalGeneration, processor: KimiVLProcessor, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    half = {k: v.half() if v.is_floating_point() and "e_score_correction_bias" not in k else v
            for k, v in model.state_dict().items()}
    model.config.vocabulary_sha256 = processor.vocabulary_sha256()  # saved with the weights: see chat.check_processor
    model.save_pretrained(directory, state_dict=half)
    processor.save_pretrained(directory)


def load(directory: str | Path) -> tuple[TinyKimiVLForConditionalGeneration, KimiVLProcessor]:
    """The model and the processor saved with it; the model remembers that processor, so ``answer(model, ...)``
    uses it without being told, and another processor's vocabulary is refused."""
    runtime.configure_torch()
    model = runtime.load_pretrained(TinyKimiVLForConditionalGeneration, directory, dtype=torch.float32)
    processor = KimiVLProcessor.from_pretrained(directory)
    if not getattr(model.config, "vocabulary_sha256", None):  # saved before the fingerprint was recorded
        model.config.vocabulary_sha256 = processor.vocabulary_sha256()
    model.processor = processor
    return model.eval().requires_grad_(False), processor


@cache
def load_model() -> tuple[TinyKimiVLForConditionalGeneration, KimiVLProcessor]:
    """The shipped model and its processor, loaded once per process and shared read-only."""
    directory = runtime.checkpoint_path(NAME)
    if not (directory / "config.json").exists():
        raise InputError("No trained vision-language model at {directory}; run `python -m rlgen train vlm`.",
                         directory=directory)
    return load(directory)


DEFAULT_CURRICULUM = "left_right=3,above_below=3,nearest_farthest=3"


def curriculum(text: str) -> tuple[str, ...]:
    """"above_below=4,nearest_farthest=3" -> the ``kinds`` a training stage draws from: every question kind once
    (a training-only kind not at all unless listed), then the listed ones again in rounds until each appears
    WEIGHT times (the default gives the mix the shipped checkpoint's first curriculum used, in the same order)."""
    weights = dict.fromkeys(scenes.QUESTION_TYPES, 1) | dict.fromkeys(scenes.TRAINING_ONLY_TYPES, 0)
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, _, weight = part.partition("=")
        if kind not in weights or not weight.isdigit():
            raise argparse.ArgumentTypeError(f"{part!r}: expected KIND=WEIGHT with KIND one of "
                                             f"{', '.join(weights)} and WEIGHT a whole number")
        weights[kind] = int(weight)
    return tuple(kind for r in range(max(weights.values())) for kind, weight in weights.items() if weight > r)


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rlgen train vlm")
    parser.add_argument("--patch-steps", type=int, default=400)
    parser.add_argument("--encoder-steps", type=int, default=600)
    parser.add_argument("--joint-steps", type=int, default=300)
    parser.add_argument("--instruct-steps", type=int, default=4500)
    parser.add_argument("--instruct-lr", type=float, default=1.5e-3)
    parser.add_argument("--relational-steps", type=int, default=0,
                        help="a last instruct stage in which some kinds are asked more often (--curriculum)")
    parser.add_argument("--relational-lr", type=float, default=1e-3)
    parser.add_argument("--curriculum", type=curriculum, default=DEFAULT_CURRICULUM,
                        help="the relational stage's question mix, KIND=WEIGHT,... (unlisted kinds weigh 1; "
                        f"default {DEFAULT_CURRICULUM})")
    parser.add_argument("--grounding", type=float, default=3.0,
                        help="weight of the grounding read-outs in the instruct stages (training.CellHead."
                        "grounding_loss; 0 turns them off)")
    parser.add_argument("--resume", action="store_true", help="start from the weights in --out (stages with 0 steps "
                        "are skipped; the earlier record is kept as history)")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save-every", type=int, default=250, help="instruct steps between saves")
    parser.add_argument("--eval-n", type=int, default=1000, help="held-out questions in the final evaluation")
    parser.add_argument("--out", type=Path, default=runtime.checkpoint_path(NAME))
    return parser


def _starting_point(args: argparse.Namespace) -> tuple[TinyKimiVLForConditionalGeneration, KimiVLProcessor,
                                                       dict | None]:
    """The model and processor training starts from, and the earlier record where it resumes."""
    if args.resume:
        model, processor = load(args.out)  # its own tokenizer: a newer vocabulary would shift the ids
        return model.requires_grad_(True), processor, json.loads((args.out / "TRAINING.json").read_text())
    processor = KimiVLProcessor()
    tok = processor.tokenizer
    model = new_model(len(tok), processor.media_pad_id, processor.end_id, tok.pad_token_id, seed=args.seed)
    return model, processor, None


def train(argv: list[str] | None = None) -> None:
    """`python -m rlgen train vlm [--patch-steps N] [--encoder-steps N] [--joint-steps N] [--instruct-steps N]`"""
    from rlgen.vlm.evaluation import evaluate
    from rlgen.vlm.training import CellHead, train_stage

    args = _arguments().parse_args(argv or [])
    command = "python -m rlgen train vlm " + " ".join(argv or [])

    def log(message: str) -> None:
        print(time.strftime("%H:%M:%S"), message, flush=True)

    runtime.configure_torch()
    model, processor, previous = _starting_point(args)
    record: dict = {"command": command, "seed": args.seed, "batch": args.batch, "threads": runtime.torch_threads(),
                    "parameters": sum(p.numel() for p in model.parameters()), "stages": {}}
    if previous is not None:
        record["history"] = [*previous.pop("history", []), previous]
    plan = [("patches", args.patch_steps, 2e-3), ("encoder", args.encoder_steps, 2e-3),
            ("joint", args.joint_steps, 2e-3), ("instruct", args.instruct_steps, args.instruct_lr),
            ("relational", args.relational_steps, args.relational_lr)]
    head = CellHead.for_model(model)  # stage 1's read-out, an auxiliary loss afterwards
    for index, (stage, steps, lr) in enumerate(plan):
        if steps == 0:
            continue
        last = None
        kinds = args.curriculum if stage == "relational" else None  # argparse has run curriculum() on it
        for frame in train_stage(model, processor, "instruct" if stage == "relational" else stage, steps, args.batch,
                                 lr, seed=args.seed + index, log=log, head=head, kinds=kinds,
                                 grounding=args.grounding if stage in ("instruct", "relational") else 0.0):
            last = frame
            if stage in ("instruct", "relational") and frame.step % args.save_every == 0:
                save(model, processor, args.out)
        if last is not None:
            record["stages"][stage] = {"steps": steps, "lr": lr, "seconds": round(last.seconds, 1),
                                       "final_loss": round(last.loss, 4), "final_metrics": last.metrics}
        save(model, processor, args.out)
        (args.out / "TRAINING.json").write_text(json.dumps(record, indent=2))
    record["seconds"] = round(sum(s["seconds"] for s in record["stages"].values()), 1)
    if previous is not None:
        record["total_seconds"] = round(record["seconds"] + sum(h.get("seconds", 0) for h in record["history"]), 1)
    record["evaluation"] = evaluate(model, processor, n=args.eval_n, log=log)
    (args.out / "TRAINING.json").write_text(json.dumps(record, indent=2))
    log(json.dumps(record["evaluation"]))


register_trainer("vlm", "rlgen.vlm.checkpoint:train")
register(Checkpoint(NAME, ("kimivl",), "tiny Kimi-VL: MoonViT-style encoder, projector, MoE decoder, its processor",
                    "rlgen.vlm.checkpoint:load_model", "vlm", (),
                    (("held-out accuracy", "evaluation/held_out/overall"),
                     ("question-only baseline", "evaluation/blind_question_prior/overall"))))
