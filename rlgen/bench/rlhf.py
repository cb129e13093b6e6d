"""`python -m rlgen.bench rlhf [--quick] [--json PATH]`: the cost of one optimisation step of RLOO and GRPO (TRL,
from the shipped π_ref against the shipped reward model) beside DPO's (TRL's `DPOTrainer`) on the same model and
the same batch of 16 — 16 preference pairs for DPO, 16 sampled replies (4 prompts × 4) for RL — measured in the
same run, in CPU seconds per step (setup excluded: the clock runs from the first logged step to the last). The three
take turns for two rounds of 8 steps and each keeps its faster round."""

from __future__ import annotations

import time

from rlgen import runtime
from rlgen.bench._report import parse_args, report

runtime.configure_torch()

from rlgen.dpo.checkpoint import load_pair, load_reward_model, shipped_pairs  # noqa: E402
from rlgen.dpo.corpus import make_prompts  # noqa: E402
from rlgen.dpo.rlhf import RLSettings, train_rl  # noqa: E402
from rlgen.dpo.training import DPOSettings, train_dpo  # noqa: E402

BATCH = 16
METHODS = ("dpo", "rloo", "grpo")


def cpu_seconds_per_step(frames) -> tuple[float, float]:
    """(CPU seconds, wall seconds) per step between the first logged step and the last."""
    marks = []
    for frame in frames:
        if frame.step >= 1 and not frame.done:
            marks.append((time.process_time(), time.perf_counter()))
    if len(marks) < 2:
        raise ValueError("need at least two logged steps to time one")
    (c0, w0), (c1, w1) = marks[0], marks[-1]
    return (c1 - c0) / (len(marks) - 1), (w1 - w0) / (len(marks) - 1)


def main(argv: list[str]) -> int:
    args = parse_args(argv, __doc__)
    ref, _, tokenizer = load_pair()
    reward_model = load_reward_model()
    pairs, prompts = shipped_pairs(), make_prompts(200, seed=1)
    steps, rounds = (3, 1) if args.quick else (8, 2)

    def timed_run(method: str) -> tuple[float, float]:
        if method == "dpo":
            return cpu_seconds_per_step(train_dpo(ref, tokenizer, pairs,
                                                  DPOSettings(steps=steps, batch_size=BATCH, learning_rate=5e-5)))
        settings = RLSettings(method=method, kl_coef=0.1, steps=steps, prompts_per_step=BATCH // 4, generations=4,
                              learning_rate=1e-4)
        return cpu_seconds_per_step(train_rl(ref, tokenizer, reward_model, prompts, settings))

    # the methods take turns, round after round, and each keeps its least disturbed round: a load that comes and
    # goes on a shared machine then weighs on all three alike
    per_round: dict[str, list[tuple[float, float]]] = {m: [] for m in METHODS}
    for _ in range(rounds):
        for method in METHODS:
            per_round[method].append(timed_run(method))
    timed = {m: min(r) for m, r in per_round.items()}
    dpo = timed["dpo"]
    figures = {f"{m}_cpu_s_per_step": cpu for m, (cpu, _) in timed.items()}
    figures |= {f"{m}_wall_s_per_step": wall for m, (_, wall) in timed.items()}
    figures |= {"rloo_over_dpo": timed["rloo"][0] / dpo[0], "grpo_over_dpo": timed["grpo"][0] / dpo[0],
                "steps": steps, "rounds": rounds, "batch": BATCH,
                "cpu_s_per_step_each_round": {m: [round(cpu, 4) for cpu, _ in r] for m, r in per_round.items()}}
    rows = [{"method": m.upper(), "CPU s/step": cpu, "wall s/step": wall, "× DPO (CPU)": cpu / dpo[0],
             "batch": "16 pairs" if m == "dpo" else "4 prompts × 4 replies"} for m, (cpu, wall) in timed.items()]
    report(f"RLHF vs DPO step time ({runtime.torch_threads()} torch thread(s))", rows, figures, args.json)
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's row for this bench's record."""
    return [("RLHF step against a DPO step, same π_ref and batch of 16, CPU time",
             f"RLOO {record['rloo_over_dpo']:.2f}×, GRPO {record['grpo_over_dpo']:.2f}× DPO's "
             f"{record['dpo_cpu_s_per_step']:.2f} s/step (TRL's trainers)")]
