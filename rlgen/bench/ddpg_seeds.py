"""`python -m rlgen.bench ddpg_seeds [--seeds N] [--first-seed K] [--steps S] [--set KEY=VALUE ...] [--json PATH]`:
DDPG's reliability across seeds on Pendulum-v1.

One run per seed K, K + 1, …, K + N − 1 (K = 0 unless given) with the tab's defaults (``DDPGConfig``;
``--set`` overrides a field, e.g. ``--set tau=0.005``), one after the other on one torch thread. Each is
evaluated every 1,000 steps and at the end on 10 deterministic episodes (reset seeds 10,000 + seed, …), as every
DDPG figure here is. Reported per seed: the final evaluation, the best one, and the first step at or above −200;
over the seeds: the worst, the mean and whether the goal holds (every seed ≥ −180 and their mean ≥ −160). The
JSON record is rewritten after every seed, so a stopped study keeps the seeds it finished.
"""

from __future__ import annotations

import argparse
import ast
import json
import shlex
from dataclasses import fields
from pathlib import Path

import numpy as np

from rlgen import runtime
from rlgen.bench._report import write_record
from rlgen.bench.ddpg import SOLVED
from rlgen.ddpg import DDPGConfig, train

ENV_ID = "Pendulum-v1"
SEEDS, STEPS, EVAL_EVERY = 10, 10_000, 1_000
QUICK_SEEDS, QUICK_STEPS, QUICK_EVAL_EVERY = 2, 400, 200
WORST_GOAL, MEAN_GOAL = -180.0, -160.0


def parse_overrides(pairs: list[str]) -> dict:
    """``["tau=0.005", "hidden=(256, 256)"]`` → ``{"tau": 0.005, "hidden": (256, 256)}``, for DDPGConfig's fields."""
    known = {f.name for f in fields(DDPGConfig)}
    overrides = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or key not in known:
            raise SystemExit(f"--set takes KEY=VALUE with KEY a DDPGConfig field ({', '.join(sorted(known))}); "
                             f"got {pair!r}")
        try:
            overrides[key] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            overrides[key] = text  # a bare word: a string field such as noise=ou
    return overrides


def run_seed(config: DDPGConfig) -> dict:
    """Train one seed to the end; its evaluations, final and best return, and first step at or above −200."""
    frame = None
    for frame in train(config):  # noqa: B007 (the last frame is the result)
        pass
    assert frame is not None
    first = next((s for s, m in zip(frame.eval_steps, frame.eval_means) if m >= SOLVED), None)
    return {
        "seed": config.seed,
        "final_eval": round(frame.eval_means[-1], 1),
        "final_std": round(frame.eval_stds[-1], 1),
        "best_eval": round(max(frame.eval_means), 1),
        "first_step_at_or_above_-200": first,
        "train_seconds": round(frame.seconds - frame.eval_seconds, 1),
        "evaluations": [[s, round(m, 1)] for s, m in zip(frame.eval_steps, frame.eval_means)],
    }


def summarise(runs: list[dict]) -> dict:
    finals = np.array([r["final_eval"] for r in runs])
    return {
        "seeds_done": len(runs),
        "worst_final": round(float(finals.min()), 1),
        "mean_final": round(float(finals.mean()), 1),
        "std_final": round(float(finals.std()), 1),
        "seeds_below_-180": [r["seed"] for r in runs if r["final_eval"] < WORST_GOAL],
        "goal": f"every seed >= {WORST_GOAL:g} and mean >= {MEAN_GOAL:g}",
        "goal_met": bool(finals.min() >= WORST_GOAL and finals.mean() >= MEAN_GOAL),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file (after every seed)")
    parser.add_argument("--quick", action="store_true", help="two seeds of 400 steps (a smoke run, for tests)")
    parser.add_argument("--seeds", type=int, help=f"how many seeds (default {SEEDS})")
    parser.add_argument("--first-seed", type=int, default=0, help="seeds K, K+1, ... (default 0)")
    parser.add_argument("--steps", type=int, help=f"env steps per seed (default {STEPS:,})")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a DDPGConfig field (repeatable)")
    args = parser.parse_args(argv)
    runtime.configure_torch()
    import torch

    torch.set_num_threads(1)
    seeds = args.seeds or (QUICK_SEEDS if args.quick else SEEDS)
    steps = args.steps or (QUICK_STEPS if args.quick else STEPS)
    every = QUICK_EVAL_EVERY if args.quick else EVAL_EVERY
    overrides = parse_overrides(args.set)
    command = " ".join(["python -m rlgen.bench ddpg_seeds", f"--seeds {seeds}", f"--steps {steps}",
                        *([f"--first-seed {args.first_seed}"] if args.first_seed else []),
                        *(f"--set {shlex.quote(pair)}" for pair in args.set), *(["--quick"] if args.quick else [])])
    schedule = dict(env_id=ENV_ID, total_steps=steps, eval_every=every, frame_every=every)
    if args.quick:
        schedule["learning_starts"] = 200
    base = DDPGConfig(**{**schedule, **overrides}).validate()
    title = (f"DDPG on {ENV_ID}: {seeds} seeds x {steps:,} steps, final return of 10 deterministic episodes "
             f"(torch threads {torch.get_num_threads()})")
    print(title, flush=True)
    print(f"config: {json.dumps({k: v for k, v in base.to_dict().items() if k != 'seed'})}", flush=True)
    runs: list[dict] = []
    for seed in range(args.first_seed, args.first_seed + seeds):
        config = DDPGConfig.from_dict({**base.to_dict(), "seed": seed})
        runs.append(run_seed(config))
        r = runs[-1]
        print(f"seed {seed:>2}  final {r['final_eval']:8.1f} ± {r['final_std']:5.1f}  best {r['best_eval']:8.1f}  "
              f"first >= -200 at {r['first_step_at_or_above_-200']}  {r['train_seconds']:.0f} s  "
              f"curve {[m for _, m in r['evaluations']]}", flush=True)
        if args.json is not None:
            _write(args.json, title, command, base, runs)
    summary = summarise(runs)
    for key, value in summary.items():
        print(f"{key}: {value}")
    if args.json is not None:
        print(f"wrote {args.json}")
    return 0


def _write(path: Path, title: str, command: str, base: DDPGConfig, runs: list[dict]) -> None:
    config = {k: v for k, v in base.to_dict().items() if k != "seed"}
    write_record(title, {"command": command, "config": config, "summary": summarise(runs), "runs": runs}, path)
