"""The reward-vs-KL frontier (the DPO paper's Figure 2 in miniature): DPO runs from the shipped π_ref at several β,
each measured at a few points along its training by the ground-truth reward of sampled replies to held-out
prompts and by KL(π‖π_ref). `python -m rlgen train dpo-frontier` writes rlgen/checkpoints/dpo/frontier.json."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from rlgen import runtime
from rlgen.dpo.checkpoint import (
    FRONTIER,
    NAME,
    PAIRS,
    Recipe,
    held_out_prompts,
    load_model,
    load_pairs,
    load_tokenizer,
)
from rlgen.dpo.corpus import reward
from rlgen.dpo.metrics import distinct_n, kl_estimate
from rlgen.dpo.sampling import sample_replies
from rlgen.dpo.training import DPOSettings, Pair, train_dpo

BETAS = (0.03, 0.1, 0.3, 1.0)


@dataclass
class FrontierPoint:
    beta: float
    loss_type: str
    step: int
    kl: float
    reward: float
    distinct_2: float


def sweep(ref, tokenizer, pairs: list[Pair], prompts: list[str], betas=BETAS, steps: int = 150,
          evaluations: int = 3, learning_rate: float | None = None, loss_type: str = "sigmoid",
          seed: int = 0) -> Iterator[FrontierPoint]:
    """For each β, one DPO run of ``steps`` steps, measured ``evaluations`` times (evenly spaced, the last at
    the end), at the shipped recipe's learning rate unless given. The reference itself is the point (KL 0, its
    mean reward)."""
    learning_rate = learning_rate or Recipe().dpo.learning_rate
    ref_replies = [r[0] for r in sample_replies(ref, tokenizer, prompts, 1, seed=seed)]
    yield FrontierPoint(0.0, "reference", 0, 0.0, float(np.mean([reward(r) for r in ref_replies])),
                        distinct_n(ref_replies, 2))
    marks = {round(steps * (i + 1) / evaluations) for i in range(evaluations)}
    for beta in betas:
        settings = DPOSettings(beta=beta, loss_type=loss_type, steps=steps, learning_rate=learning_rate, seed=seed)
        for frame in train_dpo(ref, tokenizer, pairs, settings):
            if frame.step in marks and not frame.done:
                kl, replies = kl_estimate(frame.policy, ref, tokenizer, prompts, seed=seed)
                frame.policy.train()
                yield FrontierPoint(beta, loss_type, frame.step, kl, float(np.mean([reward(r) for r in replies])),
                                    distinct_n(replies, 2))


def train_frontier(argv: list[str] | None = None) -> dict:
    """`python -m rlgen train dpo-frontier [--quick] [--dir DIR]` (needs `python -m rlgen train dpo` first)."""
    parser = argparse.ArgumentParser(prog="python -m rlgen train dpo-frontier")
    parser.add_argument("--quick", action="store_true", help="a smoke-sized sweep")
    parser.add_argument("--dir", type=Path, help="the checkpoint folder (default rlgen/checkpoints/dpo)")
    args = parser.parse_args(argv or [])
    root = args.dir or runtime.checkpoint_path(NAME)
    ref, tokenizer = load_model(root / "ref"), load_tokenizer(root)
    pairs = load_pairs(root / PAIRS)
    if args.quick:
        prompts, betas, steps, evaluations = held_out_prompts(8), (0.1, 1.0), 2, 1
    else:
        prompts, betas, steps, evaluations = held_out_prompts(64), BETAS, Recipe().dpo.steps, 3
    start = time.perf_counter()
    points = []
    for point in sweep(ref, tokenizer, pairs, prompts, betas, steps, evaluations):
        points.append(point)
        print(f"β {point.beta:<5g} step {point.step:>4}  KL {point.kl:7.3f}  reward {point.reward:6.3f}  "
              f"distinct-2 {point.distinct_2:.3f}", flush=True)
    info = {"command": " ".join(["python -m rlgen train dpo-frontier", *(argv or [])]),
            "seconds": round(time.perf_counter() - start, 1), "prompts": len(prompts), "steps": steps,
            "points": [asdict(p) for p in points]}
    (root / FRONTIER).write_text(json.dumps(info, indent=2))
    print(f"wrote {root / FRONTIER} in {info['seconds']:.0f}s", file=sys.stderr)
    return info
