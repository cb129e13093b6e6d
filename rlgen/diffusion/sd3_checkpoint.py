"""The shipped tiny SD3: ``load_mmdit_pipeline()`` and ``python -m rlgen train diffusion-mmdit``, which writes
``rlgen/checkpoints/diffusion-mmdit`` (transformer, text encoder, tokenizer, scheduler) with a TRAINING.json."""

from __future__ import annotations

import argparse
import json
import sys
import time
from functools import cache

import torch

from rlgen import runtime
from rlgen.diffusion.mmdit import MMDiTPipeline
from rlgen.errors import InputError
from rlgen.registry import Checkpoint, register, register_trainer

MMDIT_CHECKPOINT = "diffusion-mmdit"


@cache
def _components() -> dict:
    """Loaded once per process and shared read-only; each pipeline gets its own scheduler."""
    directory = runtime.checkpoint_path(MMDIT_CHECKPOINT)
    if not (directory / "model_index.json").exists():
        raise InputError("No trained MMDiT at {directory}; run `python -m rlgen train diffusion-mmdit`.",
                         directory=directory)
    runtime.configure_torch()
    pipe = runtime.load_pretrained(MMDiTPipeline, directory, dtype=torch.float32)
    for module in (pipe.transformer, pipe.text_encoder):
        module.eval().requires_grad_(False)
    return dict(pipe.components)


def load_mmdit_pipeline() -> MMDiTPipeline:
    """The shipped MMDiT, called like the UNet pipelines: ``pipe(prompt, num_inference_steps=20).images``."""
    components = dict(_components())
    components["scheduler"] = type(components["scheduler"]).from_config(components["scheduler"].config)
    pipe = MMDiTPipeline(**components)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def train(argv: list[str] | None = None) -> None:
    """`python -m rlgen train diffusion-mmdit [--minutes M] [--stage train|evaluate] ...`"""
    from rlgen.diffusion.sd3_training import train_mmdit

    parser = argparse.ArgumentParser(prog="python -m rlgen train diffusion-mmdit")
    parser.add_argument("--stage", default="all", choices=["all", "train", "evaluate"])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--eval-n", type=int, default=200)
    parser.add_argument("--resume", action="store_true", help="continue from the weights already saved")
    parser.add_argument("--decay", action="store_true", help="anneal the learning rate (cosine) over the minutes")
    args = parser.parse_args(argv or [])
    command = "python -m rlgen train diffusion-mmdit " + " ".join(argv or [])
    directory = runtime.checkpoint_path(MMDIT_CHECKPOINT)

    def log(message: str) -> None:
        print(time.strftime("%H:%M:%S"), message, flush=True)

    if args.stage in ("all", "train"):
        previous = json.loads((directory / "TRAINING.json").read_text()) if args.resume else None
        record = train_mmdit(directory, args.minutes, args.batch, args.lr, args.seed, log=log, resume=args.resume,
                             decay=args.decay)
        record["command"] = command
        if previous is not None:  # a resumed run keeps the earlier runs' figures and adds up the totals
            history = [*previous.pop("history", []), {k: v for k, v in previous.items()
                                                          if k not in ("metrics", "total_steps", "total_cpu_minutes")}]
            record |= {"history": history, "total_steps": record["steps"] + sum(h["steps"] for h in history),
                       "total_cpu_minutes": round(record["cpu_minutes"] + sum(h["cpu_minutes"] for h in history), 1)}
        (directory / "TRAINING.json").write_text(json.dumps(record, indent=2))
        log(json.dumps(record))
    if args.stage in ("all", "evaluate"):
        evaluate(args.eval_n, args.seed, command, log)


def evaluate(n: int, seed: int, command: str, log=print) -> dict:
    """Prompt adherence of the shipped MMDiT with the classifier, on the same held-out scenes, seed and guidance
    as the UNet checkpoints' figures (``checkpoint.evaluate_checkpoints``)."""
    from rlgen.diffusion.metrics import adherence_scores, eval_scenes, generate

    _components.cache_clear()
    scenes = eval_scenes(n, seed + 1000)
    results = {}
    for steps in (20, 4):
        start = time.perf_counter()
        scores = adherence_scores(generate(load_mmdit_pipeline(), scenes, steps, 3.0, seed), scenes)
        results[f"Flow Euler {steps} steps"] = scores
        log(f"mmdit {steps} steps: {scores} ({time.perf_counter() - start:.0f}s)")
    path = runtime.checkpoint_path(MMDIT_CHECKPOINT) / "TRAINING.json"
    record = json.loads(path.read_text())
    record["metrics"] = {**results, "guidance_scale": 3.0, "eval_seed": seed, "eval_command": command}
    path.write_text(json.dumps(record, indent=2))
    return results


if __name__ == "__main__":
    train(sys.argv[1:])


def train_experiments(argv: list[str] | None = None) -> None:
    """`python -m rlgen train diffusion-sd3-experiments [--steps N] [--only NAME,...]`: the shipped curves of
    the SD3 experiments (the tab's live runs are the same code with fewer steps)."""
    from rlgen.diffusion.sd3_experiments import EXPERIMENTS, MAX_SHIPPED_STEPS, run_experiment
    from rlgen.diffusion.sd3_figures import EXPERIMENTS_CHECKPOINT, samples_grid

    parser = argparse.ArgumentParser(prog="python -m rlgen train diffusion-sd3-experiments")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=",".join(EXPERIMENTS))
    parser.add_argument("--eval-every", type=int, default=50)
    parser.add_argument("--adherence-n", type=int, default=64)
    args = parser.parse_args(argv or [])
    directory = runtime.checkpoint_path(EXPERIMENTS_CHECKPOINT)
    directory.mkdir(parents=True, exist_ok=True)
    results_path, record_path = directory / "RESULTS.json", directory / "TRAINING.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    record = json.loads(record_path.read_text()) if record_path.exists() else {"runs": {}}
    for name in args.only.split(","):
        cpu, start = time.process_time(), time.perf_counter()
        settings = {"steps": args.steps, "seed": args.seed, "batch": 16, "pool_size": 2048,
                    "adherence_n": args.adherence_n, "eval_every": args.eval_every, "adherence_curve": True}
        frame = None
        for frame in run_experiment(name, args.steps, args.seed, batch=16, eval_every=args.eval_every, pool_size=2048,
                                    adherence_n=args.adherence_n, adherence_curve=True, max_steps=MAX_SHIPPED_STEPS):
            if frame.step % 50 == 0:
                print(time.strftime("%H:%M:%S"), frame.message, flush=True)
        summary = {arm: {metric: values[-1] for metric, (_, values) in series.items()}
                   for arm, series in frame.curves.items()}
        results[name] = {"curves": frame.curves, "settings": settings, "summary": summary,
                         "sample_captions": frame.sample_captions}
        samples_grid(frame.samples, frame.sample_captions).save(directory / f"{name}-samples.png")
        record["runs"][name] = {"command": "python -m rlgen train diffusion-sd3-experiments " + " ".join(argv or []),
                                **settings, "seconds": round(time.perf_counter() - start, 1),
                                "cpu_minutes": round((time.process_time() - cpu) / 60, 2),
                                "threads": runtime.torch_threads(), "metrics": summary}
        results_path.write_text(json.dumps(results))
        record_path.write_text(json.dumps(record, indent=2))
        print(json.dumps(summary), flush=True)


register_trainer("diffusion-mmdit", "rlgen.diffusion.sd3_checkpoint:train")
register_trainer("diffusion-sd3-experiments", "rlgen.diffusion.sd3_checkpoint:train_experiments")
register(Checkpoint(MMDIT_CHECKPOINT, ("sd3",), "tiny SD3: MMDiT with QK-norm, rectified flow, its text encoder",
                    "rlgen.diffusion.sd3_checkpoint:load_mmdit_pipeline", "diffusion-mmdit", (),
                    (("adherence, 20 Euler steps", "metrics/Flow Euler 20 steps/all"),)),
         Checkpoint("diffusion-sd3-experiments", ("sd3",), "curves of the SD3 experiments (no weights)",
                    "rlgen.diffusion.sd3_figures:shipped_results", "diffusion-sd3-experiments"))
