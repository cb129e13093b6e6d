"""The shipped checkpoints: where they live, ``load_pipeline(name)``, and ``python -m rlgen train diffusion``
which writes all of them (classifier, rectified-flow base, its ControlNet, the ε/DDPM base) with fixed seeds
and a TRAINING.json each."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from functools import cache

import torch

from rlgen import runtime
from rlgen.diffusion.metrics import (  # noqa: F401  (load_classifier: part of this module's API)
    CLASSIFIER,
    adherence_scores,
    control_fidelity,
    eval_scenes,
    generate,
    load_classifier,
)
from rlgen.diffusion.pipeline import ShapesPipeline, make_scheduler
from rlgen.errors import InputError
from rlgen.registry import Checkpoint, register, register_trainer

# pipeline name -> checkpoint directory
CHECKPOINTS: dict[str, str] = {
    "flow": "diffusion-flow",
    "controlnet": "diffusion-controlnet",
    "base": "diffusion-base",
}
DEFAULT_SAMPLER = {"flow": "Flow Euler", "controlnet": "Flow Euler", "base": "DDIM"}


@cache
def _components(name: str) -> dict:
    """Loaded once per process and shared read-only; each :func:`load_pipeline` call gets its own scheduler."""
    if name not in CHECKPOINTS:
        raise InputError("Unknown pipeline {name!r}; the pipelines are: {checkpoints}.",
                         name=name, checkpoints=', '.join(CHECKPOINTS))
    directory = runtime.checkpoint_path(CHECKPOINTS[name])
    if not (directory / "model_index.json").exists():
        raise InputError("No trained {name!r} pipeline at {directory}; run `python -m rlgen train diffusion`.",
                         name=name, directory=directory)
    runtime.configure_torch()
    pipe = runtime.load_pretrained(ShapesPipeline, directory, dtype=torch.float32)
    pipe.set_progress_bar_config(disable=True)
    for module in (pipe.unet, pipe.text_encoder, pipe.controlnet):
        if module is not None:
            module.eval().requires_grad_(False)
    return dict(pipe.components)


def load_pipeline(name: str, sampler: str | None = None) -> ShapesPipeline:
    """The shipped pipeline ``name`` ("base", "controlnet" or "flow") with ``sampler`` (its default if None).
    Call it like a diffusers pipeline: ``pipe(prompt=..., image=control, num_inference_steps=...,
    guidance_scale=..., generator=...).images``."""
    components = dict(_components(name))
    sampler = sampler or DEFAULT_SAMPLER[name]
    components["scheduler"] = make_scheduler(sampler, components["scheduler"].config)
    pipe = ShapesPipeline(**components)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def train(argv: list[str] | None = None) -> None:
    """`python -m rlgen train diffusion [--stage STAGE] [--minutes-flow M] ...`"""
    from rlgen.diffusion import training

    parser = argparse.ArgumentParser(prog="python -m rlgen train diffusion")
    parser.add_argument("--stage", default="all",
                        choices=["all", "classifier", "flow", "controlnet", "base", "evaluate"])
    parser.add_argument("--minutes-flow", type=float, default=35.0)
    parser.add_argument("--minutes-controlnet", type=float, default=20.0)
    parser.add_argument("--minutes-base", type=float, default=15.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resume", action="store_true", help="continue from the weights already saved")
    parser.add_argument("--eval-n", type=int, default=200)
    parser.add_argument("--eval-models", default="flow,base,controlnet",
                        help="which pipelines the evaluate stage scores (comma-separated)")
    args = parser.parse_args(argv or [])
    command = "python -m rlgen train diffusion " + " ".join(argv or [])
    stages = ["classifier", "flow", "controlnet", "base", "evaluate"] if args.stage == "all" else [args.stage]
    path = runtime.checkpoint_path

    def log(message: str) -> None:
        print(time.strftime("%H:%M:%S"), message, flush=True)

    for stage in stages:
        log(f"stage {stage}")
        if stage == "classifier":
            record = training.train_classifier(path(CLASSIFIER), seed=args.seed)
        elif stage == "flow":
            record = training.train_denoiser(path(CHECKPOINTS["flow"]), "flow", args.minutes_flow, args.batch,
                                             seed=args.seed, log=log, resume=args.resume)
        elif stage == "controlnet":
            record = training.train_controlnet(path(CHECKPOINTS["controlnet"]), path(CHECKPOINTS["flow"]),
                                               args.minutes_controlnet, args.batch, seed=args.seed, log=log,
                                               resume=args.resume)
        elif stage == "base":
            record = training.train_denoiser(path(CHECKPOINTS["base"]), "epsilon", args.minutes_base, args.batch,
                                             seed=args.seed, log=log, resume=args.resume)
        else:
            evaluate_checkpoints(args.eval_n, seed=args.seed, command=command, log=log,
                                 models=tuple(args.eval_models.split(",")))
            continue
        directory = path(CLASSIFIER if stage == "classifier" else CHECKPOINTS[stage])
        record["command"] = command
        training.write_record(directory, record)
        log(json.dumps(record))


if __name__ == "__main__":
    train(sys.argv[1:])


def evaluate_checkpoints(n: int = 200, seed: int = 0, command: str = "", guidance: float = 3.0,
                         log: Callable[[str], None] = print,
                         models: tuple[str, ...] = ("flow", "base", "controlnet")) -> dict:
    """The figures the closing note reports, written into each checkpoint's TRAINING.json under "metrics"."""
    runtime.configure_torch()
    scenes = eval_scenes(n, seed + 1000)
    results: dict[str, dict] = {}
    settings = {
        "flow": [("Flow Euler", 20), ("Flow Euler", 4)],
        "base": [("DDIM", 20), ("DDIM", 4)],
    }
    for name, runs in settings.items():
        if name not in models or not (runtime.checkpoint_path(CHECKPOINTS[name]) / "model_index.json").exists():
            continue
        results[name] = {}
        for sampler, steps in runs:
            start = time.perf_counter()
            scores = adherence_scores(generate(load_pipeline(name, sampler), scenes, steps, guidance, seed), scenes)
            results[name][f"{sampler} {steps} steps"] = scores
            log(f"{name} {sampler} {steps}: {scores} ({time.perf_counter() - start:.0f}s)")
    if "controlnet" in models and (runtime.checkpoint_path(CHECKPOINTS["controlnet"]) / "model_index.json").exists():
        results["controlnet"] = {"edge_f1 Flow Euler 20 steps": control_fidelity(
            load_pipeline("controlnet"), scenes, 20, guidance, seed)}
        log(f"controlnet: {results['controlnet']}")
    for name, metrics in results.items():
        path = runtime.checkpoint_path(CHECKPOINTS[name]) / "TRAINING.json"
        record = json.loads(path.read_text())
        record["metrics"] = {**metrics, "guidance_scale": guidance, "eval_seed": seed, "eval_command": command}
        path.write_text(json.dumps(record, indent=2))
    return results


register_trainer("diffusion", "rlgen.diffusion.checkpoint:train")
register(
    Checkpoint("diffusion-base", ("diffusion",), "text-conditioned UNet (ε-prediction) with its tiny CLIP text encoder",
               "rlgen.diffusion.checkpoint:load_pipeline", "diffusion", ("base",),
               (("adherence, DDIM 20 steps", "metrics/DDIM 20 steps/all"),)),
    Checkpoint("diffusion-flow", ("diffusion", "sd3"), "the same UNet trained by rectified flow",
               "rlgen.diffusion.checkpoint:load_pipeline", "diffusion", ("flow",),
               (("adherence, 20 Euler steps", "metrics/Flow Euler 20 steps/all"),)),
    Checkpoint("diffusion-controlnet", ("diffusion",), "ControlNet on the rectified-flow UNet",
               "rlgen.diffusion.checkpoint:load_pipeline", "diffusion", ("controlnet",),
               (("edge F1 with control", "metrics/edge_f1 Flow Euler 20 steps/with_controlnet"),
                ("without", "metrics/edge_f1 Flow Euler 20 steps/without_controlnet"))),
    Checkpoint(CLASSIFIER, ("diffusion", "sd3"), "shape/colour classifier that scores prompt adherence",
               "rlgen.diffusion.checkpoint:load_classifier", "diffusion", (),
               (("held-out shape accuracy", "metrics/held_out_accuracy/shape"),)),
)
