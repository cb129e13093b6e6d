"""`python -m rlgen.bench ddpg_seeds [--algorithms DDPG TD3 SAC] [--seeds N] [--first-seed K] [--steps S]
[--set KEY=VALUE ...] [--json PATH]`: how reliably DDPG (and TD3, SAC) learn Pendulum-v1 across seeds.

For each algorithm, one run per seed K, K + 1, …, K + N − 1 (K = 0 unless given) with that algorithm's defaults
(the tab's; ``--set`` overrides a field, e.g. ``--set tau=0.005``), one after the other on one torch thread.
Each run is evaluated every 1,000 steps and at the end on 10 deterministic episodes (reset seeds 10,000 + seed,
…), as every DDPG figure here is, with the critic's Q(s, μ(s)) beside the Monte-Carlo return G actually
obtained (the over-estimation). Reported per seed: the final evaluation, the best one, the first step at or
above −200; per algorithm: the worst seed, the mean and whether the goal holds (every seed ≥ −180 and their
mean ≥ −160). The JSON record is rewritten after every seed, so a stopped study keeps the seeds it finished.
"""

from __future__ import annotations

import argparse
import ast
import shlex
from dataclasses import fields
from pathlib import Path

import numpy as np

from rlgen import runtime
from rlgen.bench._report import write_record
from rlgen.bench.ddpg import SOLVED
from rlgen.ddpg import DDPGConfig, train
from rlgen.ddpg.compare import ALGORITHMS

ENV_ID = "Pendulum-v1"
SEEDS, STEPS, EVAL_EVERY = 10, 10_000, 1_000
QUICK_SEEDS, QUICK_STEPS, QUICK_EVAL_EVERY, QUICK_WARMUP = 2, 400, 200, 200
WORST_GOAL, MEAN_GOAL = -180.0, -160.0


def parse_overrides(pairs: list[str], config_type: type[DDPGConfig] = DDPGConfig) -> dict:
    """``["tau=0.005", "hidden=(256, 256)"]`` → ``{"tau": 0.005, "hidden": (256, 256)}``, for the fields of
    ``config_type``."""
    known = {f.name for f in fields(config_type)}
    overrides = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or key not in known:
            raise SystemExit(f"--set takes KEY=VALUE with KEY a {config_type.__name__} field "
                             f"({', '.join(sorted(known))}); got {pair!r}")
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
        "evaluations": [{"step": s, "mean": round(m, 1), "q_estimate": round(q, 2), "mc_return": round(g, 2)}
                        for s, m, q, g in zip(frame.eval_steps, frame.eval_means, frame.value_estimates,
                                              frame.value_returns)],
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file (after every seed)")
    parser.add_argument("--quick", action="store_true", help="two seeds of 400 steps (a smoke run, for tests)")
    parser.add_argument("--algorithms", nargs="+", default=["DDPG"], choices=list(ALGORITHMS))
    parser.add_argument("--seeds", type=int, help=f"how many seeds (default {SEEDS})")
    parser.add_argument("--first-seed", type=int, default=0, help="seeds K, K+1, ... (default 0)")
    parser.add_argument("--steps", type=int, help=f"env steps per seed (default {STEPS:,})")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config field for every algorithm (repeatable)")
    args = parser.parse_args(argv)
    runtime.configure_torch()
    import torch

    torch.set_num_threads(1)
    seeds = args.seeds or (QUICK_SEEDS if args.quick else SEEDS)
    steps = args.steps or (QUICK_STEPS if args.quick else STEPS)
    schedule = dict(env_id=ENV_ID, total_steps=steps, eval_every=EVAL_EVERY, frame_every=EVAL_EVERY)
    if args.quick:
        schedule |= dict(eval_every=QUICK_EVAL_EVERY, frame_every=QUICK_EVAL_EVERY, learning_starts=QUICK_WARMUP)
    algorithms = list(dict.fromkeys(args.algorithms))
    bases = {name: ALGORITHMS[name](**{**schedule, **parse_overrides(args.set, ALGORITHMS[name])}).validate()
             for name in algorithms}
    chosen = ["--algorithms", *algorithms] if algorithms != ["DDPG"] else []
    command = " ".join(["python -m rlgen.bench ddpg_seeds", *chosen, f"--seeds {seeds}", f"--steps {steps}",
                        *([f"--first-seed {args.first_seed}"] if args.first_seed else []),
                        *(f"--set {shlex.quote(pair)}" for pair in args.set), *(["--quick"] if args.quick else [])])
    title = (f"{', '.join(algorithms)} on {ENV_ID}: {seeds} seeds x {steps:,} steps, final return of 10 "
             f"deterministic episodes (torch threads {torch.get_num_threads()})")
    print(title, flush=True)
    results: dict[str, dict] = {}
    for name, base in bases.items():
        runs: list[dict] = []
        config = {k: v for k, v in base.to_dict().items() if k != "seed"}
        for seed in range(args.first_seed, args.first_seed + seeds):
            runs.append(run_seed(type(base).from_dict({**base.to_dict(), "seed": seed})))
            r = runs[-1]
            curve = [e["mean"] for e in r["evaluations"]]
            print(f"{name} seed {seed:>2}  final {r['final_eval']:8.1f} ± {r['final_std']:5.1f}  best "
                  f"{r['best_eval']:8.1f}  first >= -200 at {r['first_step_at_or_above_-200']}  "
                  f"{r['train_seconds']:.0f} s  curve {curve}", flush=True)
            results[name] = {"config": config, "summary": summarise(runs), "runs": runs}
            if args.json is not None:
                write_record(title, {"command": command, "env_id": ENV_ID, "steps": steps, "results": results},
                             args.json)
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in results[name]["summary"].items()), flush=True)
    if args.json is not None:
        print(f"wrote {args.json}")
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    rows = []
    for name, result in record["results"].items():
        summary = result["summary"]
        best = max(run["final_eval"] for run in result["runs"])
        worst, mean = _signed(summary["worst_final"]), _signed(summary["mean_final"])
        rows.append((f"{name} on {record['env_id']}, {summary['seeds_done']} seeds × {record['steps']:,} steps, "
                     "tab defaults",
                     f"every seed between {worst} and {_signed(best)}, mean {mean} (goal: every seed ≥ "
                     f"{_signed(WORST_GOAL)}, mean ≥ {_signed(MEAN_GOAL)}: "
                     f"{'met' if summary['goal_met'] else 'not met'})"))
    return rows


def _signed(value: float) -> str:
    return f"{value:g}".replace("-", "−")  # a minus sign, as the rest of the table writes it
