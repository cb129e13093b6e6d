"""The shipped pair: `python -m rlgen train dpo` writes rlgen/checkpoints/dpo (tokenizer, π_ref, the DPO policy,
the Bradley–Terry reward model, the preference pairs and TRAINING.json); `python -m rlgen train dpo-frontier`
adds frontier.json, the reward-vs-KL sweep over β. :func:`load_pair` reads them back."""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
from transformers import (  # noqa: E402
    LlamaForCausalLM,
    LlamaForSequenceClassification,
    PreTrainedModel,
    PreTrainedTokenizerFast,
)

from rlgen.dpo.corpus import make_corpus, make_prompts  # noqa: E402
from rlgen.dpo.lm import new_model, parameter_count, tiny_llama_config, train_tokenizer  # noqa: E402
from rlgen.dpo.metrics import evaluate  # noqa: E402
from rlgen.dpo.training import (  # noqa: E402
    DPOSettings,
    Pair,
    preference_pairs,
    reward_model_accuracy,
    reward_model_from,
    sft,
    train_dpo,
    train_reward_model,
)
from rlgen.errors import InputError  # noqa: E402
from rlgen.registry import Checkpoint, register, register_trainer  # noqa: E402

NAME = "dpo"
TRAINING = "TRAINING.json"
FRONTIER = "frontier.json"
PAIRS = "pairs.jsonl"


@dataclass
class Recipe:
    """Everything `python -m rlgen train dpo` does, sized for about 10 minutes on one CPU thread."""

    seed: int = 0
    corpus: int = 20_000  # conversations for the tokenizer and SFT
    sft_steps: int = 1_000
    sft_batch: int = 16
    sft_lr: float = 3e-3
    pair_prompts: int = 800  # prompts sampled 4 times each from π_ref
    samples: int = 4
    rm_steps: int = 60
    held_out_pairs: float = 0.1  # share of the pairs kept out of reward-model training, to measure its accuracy
    dpo: DPOSettings = None  # type: ignore[assignment]
    eval_prompts: int = 200  # held-out prompts (a different seed) for the reward/KL/distinct-n comparison

    def __post_init__(self):
        if self.dpo is None:
            # 120 steps, not 150: past ~120 a fresh run (its π_ref differing only by float noise from an earlier
            # one) put 2 % of held-out replies into a degenerate "is is … ......" mode (log π/π_ref ≈ 500, mean
            # KL 9.5 nats); at 120, 0 of 600 on both references, reward +2.6/+2.8 at KL 0.8/0.7
            self.dpo = DPOSettings(beta=0.1, loss_type="sigmoid", steps=120, batch_size=16, learning_rate=5e-5)

    def quick(self) -> Recipe:
        """A smoke-sized run (seconds), for tests."""
        return Recipe(seed=self.seed, corpus=500, sft_steps=6, sft_batch=8, pair_prompts=24, samples=4, rm_steps=2,
                      dpo=DPOSettings(beta=0.1, steps=2, batch_size=4, learning_rate=1e-4), eval_prompts=8)


def held_out_prompts(count: int, seed: int = 0) -> list[str]:
    """Prompts from a stream the training never drew from (seed offset), for evaluation."""
    return make_prompts(count, seed=10_000 + seed)


def save_model(model: PreTrainedModel, directory: Path) -> None:
    """float16 on disk (half the bytes; these weights lose nothing that sampling can see), float32 in memory."""
    copy.deepcopy(model).to(torch.float16).save_pretrained(directory)


def load_model(directory: Path, cls=LlamaForCausalLM) -> PreTrainedModel:
    if not (directory / "config.json").exists():
        raise InputError("No model in {directory}: run `python -m rlgen train dpo` to write it.", directory=directory)
    return runtime.load_pretrained(cls, directory, dtype=torch.float32).eval()


def save_pairs(pairs: list[Pair], path: Path) -> None:
    path.write_text("".join(json.dumps(asdict(p)) + "\n" for p in pairs))


def load_pairs(path: Path) -> list[Pair]:
    return [Pair(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]


def load_tokenizer(directory: Path) -> PreTrainedTokenizerFast:
    return PreTrainedTokenizerFast.from_pretrained(directory / "tokenizer")


@cache
def load_pair(directory: str | None = None) -> tuple[PreTrainedModel, PreTrainedModel, PreTrainedTokenizerFast]:
    """(π_ref, the DPO policy, the tokenizer) — shared and read-only: never train them in place."""
    root = Path(directory) if directory else runtime.checkpoint_path(NAME)
    return load_model(root / "ref"), load_model(root / "policy"), load_tokenizer(root)


@cache
def load_reward_model(directory: str | None = None) -> LlamaForSequenceClassification:
    root = Path(directory) if directory else runtime.checkpoint_path(NAME)
    return load_model(root / "reward_model", LlamaForSequenceClassification)


def shipped_pairs(directory: str | None = None) -> list[Pair]:
    root = Path(directory) if directory else runtime.checkpoint_path(NAME)
    return load_pairs(root / PAIRS)


def read_json(name: str, directory: str | None = None) -> dict:
    path = (Path(directory) if directory else runtime.checkpoint_path(NAME)) / name
    return json.loads(path.read_text()) if path.exists() else {}


def build(recipe: Recipe, out: Path, log=print, from_sft: bool = False) -> dict:
    """Run the three stages and write the checkpoint folder; returns TRAINING.json's content. ``from_sft`` keeps
    the tokenizer, π_ref, pairs and reward model already in ``out`` and redoes DPO and the evaluation only."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    start = clock

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 1)
        clock = now
        log(f"{name}: {timings[name]:.1f}s")

    if from_sft:
        earlier = read_json(TRAINING, str(out))
        if not earlier or not (out / PAIRS).exists():
            raise InputError("--from-sft needs a full run in {out} first (python -m rlgen train dpo).", out=out)
        tokenizer, ref, pairs = load_tokenizer(out), load_model(out / "ref"), load_pairs(out / PAIRS)
        stages = {k: earlier[k] for k in ("sft", "pairs", "reward_model")}
        earlier_seconds = {k: v for k, v in earlier["stage_seconds"].items() if k not in ("dpo", "evaluation")}
    else:
        tokenizer, ref, pairs, stages = first_stages(recipe, out, log, lap)
        earlier_seconds = {}

    frame = None
    for frame in train_dpo(ref, tokenizer, pairs, recipe.dpo):
        if frame.step % 20 == 0:
            m = frame.metrics
            log(f"  dpo step {frame.step}/{frame.total} loss {m['loss'][-1]:.3f} "
                f"margin {m['rewards/margins'][-1]:.3f} acc {m['rewards/accuracies'][-1]:.2f}")
    assert frame is not None
    policy = frame.policy
    lap("dpo")

    prompts = held_out_prompts(recipe.eval_prompts, recipe.seed)
    ev, ref_samples, policy_samples = evaluate(policy, ref, tokenizer, prompts, recipe.seed)
    lap("evaluation")
    log(f"  {ev.to_dict()}")

    save_model(policy, out / "policy")
    info = {
        "command": "python -m rlgen train dpo" + (" --from-sft" if from_sft else ""),
        "seed": recipe.seed,
        "seconds": round(time.perf_counter() - start, 1),
        "stage_seconds": {**earlier_seconds, **timings},
        "torch_threads": runtime.torch_threads(),
        "parameters": parameter_count(ref),
        "recipe": {**asdict(recipe), "dpo": asdict(recipe.dpo)},
        **stages,
        "dpo": {"steps": frame.step, "final": {k: round(v[-1], 4) for k, v in frame.metrics.items()},
                "curve": {"steps": frame.steps, **{k: [round(x, 4) for x in v] for k, v in frame.metrics.items()}}},
        "evaluation": ev.to_dict(),
        "samples": [{"prompt": p, "reference": r, "policy": q}
                    for p, r, q in zip(prompts[:8], ref_samples, policy_samples)],
    }
    (out / TRAINING).write_text(json.dumps(info, indent=2))
    return info


def first_stages(recipe: Recipe, out: Path, log, lap) -> tuple:
    """Tokenizer and SFT (→ π_ref), preference pairs from π_ref, and the Bradley–Terry reward model; each is
    written to ``out`` as soon as it exists."""
    corpus = make_corpus(recipe.corpus, seed=recipe.seed)
    tokenizer = train_tokenizer(m["content"] for c in corpus for m in c.messages)
    model = new_model(tiny_llama_config(tokenizer), seed=recipe.seed)
    lap("corpus_and_tokenizer")

    sft_losses = []
    for frame in sft(model, tokenizer, corpus, recipe.sft_steps, recipe.sft_batch, recipe.sft_lr, recipe.seed):
        sft_losses.append(frame.loss)
        if frame.step % 50 == 0 or frame.step == frame.total:
            log(f"  sft step {frame.step}/{frame.total} loss {frame.loss:.3f} ({frame.seconds:.0f}s)")
    ref = model.eval()
    lap("sft")
    out.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(out / "tokenizer")
    save_model(ref, out / "ref")

    prompts = make_prompts(recipe.pair_prompts, seed=recipe.seed + 1)
    pairs = preference_pairs(ref, tokenizer, prompts, recipe.samples, seed=recipe.seed)
    lap("preference_pairs")
    log(f"  {len(pairs)} pairs from {len(prompts)} prompts")
    save_pairs(pairs, out / PAIRS)

    cut = int(len(pairs) * (1 - recipe.held_out_pairs))
    rm = reward_model_from(ref)
    rm_losses = train_reward_model(rm, tokenizer, pairs[:cut], recipe.rm_steps, seed=recipe.seed)
    rm_accuracy = reward_model_accuracy(rm, tokenizer, pairs[cut:])
    lap("reward_model")
    log(f"  reward model held-out accuracy {rm_accuracy:.3f} on {len(pairs) - cut} pairs")
    save_model(rm, out / "reward_model")
    stages = {
        "sft": {"first_loss": round(sft_losses[0], 4),
                "final_loss": round(sum(sft_losses[-20:]) / len(sft_losses[-20:]), 4)},
        "pairs": {"count": len(pairs), "prompts": len(prompts),
                  "mean_chosen_reward": round(sum(p.chosen_reward for p in pairs) / max(1, len(pairs)), 3),
                  "mean_rejected_reward": round(sum(p.rejected_reward for p in pairs) / max(1, len(pairs)), 3)},
        "reward_model": {"train_pairs": cut, "held_out_pairs": len(pairs) - cut,
                         "held_out_accuracy": round(rm_accuracy, 4), "final_loss": round(rm_losses[-1], 4)},
    }
    return tokenizer, ref, pairs, stages


def train_shipped(argv: list[str] | None = None) -> dict:
    """`python -m rlgen train dpo [--quick] [--out DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m rlgen train dpo")
    parser.add_argument("--quick", action="store_true", help="a smoke-sized run")
    parser.add_argument("--out", type=Path, help="write here instead of rlgen/checkpoints/dpo")
    parser.add_argument("--from-sft", action="store_true",
                        help="keep the tokenizer, π_ref, pairs and reward model in the folder; redo DPO only")
    args = parser.parse_args(argv or [])
    recipe = Recipe().quick() if args.quick else Recipe()
    out = args.out or runtime.checkpoint_path(NAME)
    info = build(recipe, out, log=lambda s: print(s, flush=True), from_sft=args.from_sft)
    print(f"wrote {out} in {info['seconds']:.0f}s", file=sys.stderr)
    return info


register_trainer("dpo", "rlgen.dpo.checkpoint:train_shipped")
register_trainer("dpo-frontier", "rlgen.dpo.frontier:train_frontier")
register_trainer("dpo-rlhf", "rlgen.dpo.rlhf:train_shipped_rl")
register(Checkpoint(NAME, ("dpo",), "tiny chat model: π_ref (SFT), its DPO policy, the reward model, the pairs",
                    "rlgen.dpo.checkpoint:load_pair", "dpo", (),
                    (("reward π_ref", "evaluation/reward_ref"), ("π_DPO", "evaluation/reward_policy"),
                     ("win rate", "evaluation/win_rate"), ("KL", "evaluation/kl"))))
