"""RLHF's third stage, the one DPO skips: reinforcement learning from the Bradley–Terry reward model with a KL
penalty to π_ref, through TRL's `RLOOTrainer` and `GRPOTrainer`.

Both maximise E_{y~π}[r_φ(x, y)] − β·KL(π‖π_ref) from groups of k sampled replies per prompt:
  RLOO  (Ahmadian et al. 2024): the reward is r_φ(x, y) − β·Σ_t log π(y_t|…)/π_ref(y_t|…), and each reply's
        advantage is its reward minus the mean of the other k − 1 replies' (the leave-one-out baseline);
  GRPO  (Shao et al. 2024): the advantage is the reward standardised within its group, and β weights a per-token
        KL estimate (π_ref/π − log π_ref/π − 1) added to the clipped policy-gradient loss.
The stream shows what the reward model says beside what the ground truth says: where they part, the policy is
hacking the reward model."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
from transformers import (  # noqa: E402
    LlamaForCausalLM,
    LlamaForSequenceClassification,
    PreTrainedModel,
    PreTrainedTokenizerFast,
    PrinterCallback,
)

from rlgen.dpo.corpus import reward  # noqa: E402
from rlgen.dpo.metrics import kl_estimate  # noqa: E402
from rlgen.dpo.training import clean_copy, finish, record_step, relayed_steps, reward_model_scores  # noqa: E402
from rlgen.errors import InputError  # noqa: E402

METHODS = ("rloo", "grpo")
MAX_RL_STEPS = 2_000
MAX_LIVE_RL_STEPS = 300
MAX_REPLY_TOKENS = 64
LOGGED = ("loss", "reward", "kl", "entropy", "rewards/reward_model/mean", "rewards/ground_truth/mean",
          "completions/mean_length")


@dataclass
class RLSettings:
    method: str = "rloo"
    kl_coef: float = 0.05  # β: TRL's `beta`, the weight of KL(π‖π_ref)
    steps: int = 100
    prompts_per_step: int = 4
    generations: int = 4  # k replies per prompt: RLOO's leave-one-out group, GRPO's group
    learning_rate: float = 1e-4
    seed: int = 0

    def validate(self) -> RLSettings:
        if self.method not in METHODS:
            raise InputError("The RL method must be one of {methods} (got {method!r}).",
                             methods=', '.join(METHODS), method=self.method)
        if not self.kl_coef > 0:
            raise InputError("The KL coefficient β must be positive (got {kl_coef:g}): with β ≤ 0 nothing keeps "
                             "π near π_ref, and the policy is free to exploit the reward model.", kl_coef=self.kl_coef)
        if self.kl_coef > 10:
            raise InputError("A KL coefficient above 10 holds π at π_ref (got {kl_coef:g}); use 0.001–10.",
                             kl_coef=self.kl_coef)
        if int(self.steps) != self.steps or not 1 <= self.steps <= MAX_RL_STEPS:
            raise InputError("Steps must be a whole number from 1 to {max_rl_steps:,} (got {steps}).",
                             max_rl_steps=MAX_RL_STEPS, steps=self.steps)
        if not 2 <= self.generations <= 16:
            raise InputError("Replies per prompt must lie between 2 and 16 (got {generations}): the baseline "
                             "of each reply is made from the others in its group.", generations=self.generations)
        if not 1 <= self.prompts_per_step <= 32:
            raise InputError("Prompts per step must lie between 1 and 32 (got {prompts_per_step}).",
                             prompts_per_step=self.prompts_per_step)
        if not 0 < self.learning_rate <= 1e-2:
            raise InputError("Learning rate must lie in (0, 0.01] (got {learning_rate:g}).",
                             learning_rate=self.learning_rate)
        return self


def rl_config(settings: RLSettings, output_dir: str):
    """TRL's `RLOOConfig`/`GRPOConfig` with the CPU overrides of `dpo_config` (a learning rate for a tiny model,
    no bf16, no gradient checkpointing, nothing written) and top-k off, so replies are drawn from π itself."""
    from trl import GRPOConfig, RLOOConfig

    common = dict(
        output_dir=output_dir, beta=settings.kl_coef, max_steps=settings.steps,
        per_device_train_batch_size=settings.prompts_per_step * settings.generations,
        num_generations=settings.generations, learning_rate=settings.learning_rate,
        lr_scheduler_type="constant_with_warmup", warmup_steps=max(1, settings.steps // 20), seed=settings.seed,
        max_completion_length=MAX_REPLY_TOKENS, temperature=1.0, top_k=0, logging_steps=1, save_strategy="no",
        report_to=[], bf16=False, fp16=False, gradient_checkpointing=False, use_cpu=not torch.cuda.is_available(),
        dataloader_num_workers=0, disable_tqdm=True,
        reward_weights=[1.0, 0.0],  # the reward model drives; the ground truth is only logged beside it
    )
    if settings.method == "rloo":
        return RLOOConfig(**common)
    # the per-sequence-normalised loss of the GRPO paper
    return GRPOConfig(**common, loss_type="grpo")


def reward_functions(reward_model: LlamaForSequenceClassification, tokenizer: PreTrainedTokenizerFast) -> list:
    """The two reward functions TRL calls on each group of conversational replies: the reward model r_φ (which
    trains the policy) and the ground-truth lexicon reward (weighted 0: logged only)."""

    def reward_model_score(prompts: list[list[dict]], completions: list[list[dict]], **_) -> list[float]:
        return reward_model_scores(reward_model, tokenizer, prompts, [c[-1]["content"] for c in completions])

    def ground_truth(prompts: list[list[dict]], completions: list[list[dict]], **_) -> list[float]:
        return [reward(c[-1]["content"]) for c in completions]

    reward_model_score.__name__ = "reward_model"
    return [reward_model_score, ground_truth]


@dataclass
class RLFrame:
    """One logged TRL step: TRL's metrics so far (lists indexed like ``steps``), and at ``kl_steps`` a KL estimate
    on held-out prompts with the reward model's and the ground truth's mean score of those samples."""

    step: int
    total: int
    seconds: float
    method: str = "rloo"
    steps: list[int] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    kl_steps: list[int] = field(default_factory=list)
    kl: list[float] = field(default_factory=list)
    sample_reward: list[float] = field(default_factory=list)  # ground truth
    sample_rm: list[float] = field(default_factory=list)  # reward model
    samples: list[dict] = field(default_factory=list)  # {"step", "prompt", "reply", "reward", "rm"}
    policy: PreTrainedModel | None = None
    done: bool = False


def _measure(frame: RLFrame, policy, ref, tokenizer, reward_model, prompts: list[str], seed: int) -> None:
    kl, replies = kl_estimate(policy, ref, tokenizer, prompts, seed=seed, max_new_tokens=MAX_REPLY_TOKENS)
    chats = [[{"role": "user", "content": p}] for p in prompts]
    rm = reward_model_scores(reward_model, tokenizer, chats, replies)
    frame.kl_steps.append(frame.step)
    frame.kl.append(kl)
    frame.sample_reward.append(float(np.mean([reward(r) for r in replies])))
    frame.sample_rm.append(float(np.mean(rm)))
    frame.samples.append({"step": frame.step, "prompt": prompts[0], "reply": replies[0], "reward": reward(replies[0]),
                          "rm": round(rm[0], 3)})


def train_rl(ref: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, reward_model: LlamaForSequenceClassification,
             prompts: list[str], settings: RLSettings, kl_prompts: list[str] | None = None,
             kl_every: int = 10) -> Iterator[RLFrame]:
    """RLOO or GRPO from π_ref against the reward model, streaming each logged step (and, with ``kl_prompts``, a
    measurement at step 0, every ``kl_every`` steps and at the end). TRL trains in a worker thread; closing the
    generator (the UI's Stop) stops it at the end of the current step (see :func:`relayed_steps`)."""
    from datasets import Dataset
    from trl import GRPOTrainer, RLOOTrainer

    settings.validate()
    if not prompts:
        raise InputError("There are no prompts to train on.")
    frame = RLFrame(0, settings.steps, 0.0, settings.method)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rlgen-rl-") as output_dir:
        # TRL builds π_ref by reloading the policy by name: a local folder holding π_ref's weights is that name
        ref_dir = Path(output_dir) / "ref"
        clean_copy(ref).save_pretrained(ref_dir)
        policy = runtime.load_pretrained(LlamaForCausalLM, ref_dir, dtype=torch.float32)
        frame.policy = policy
        if kl_prompts:
            _measure(frame, policy, ref, tokenizer, reward_model, kl_prompts, settings.seed)
        yield frame
        dataset = Dataset.from_list([{"prompt": [{"role": "user", "content": p}]} for p in prompts])
        trainer_class = RLOOTrainer if settings.method == "rloo" else GRPOTrainer
        with runtime.MODEL_LOADING:  # the trainer loads π_ref again from ref_dir
            trainer = trainer_class(model=policy, reward_funcs=reward_functions(reward_model, tokenizer),
                                    args=rl_config(settings, str(Path(output_dir) / "run")), train_dataset=dataset,
                                    processing_class=tokenizer)
        trainer.remove_callback(PrinterCallback)
        with closing(relayed_steps(trainer)) as steps:  # closed (training stopped) before the folder goes
            for step, entry in steps:
                record_step(frame, step, entry, LOGGED, start)
                if kl_prompts and (step % kl_every == 0 or step == settings.steps):
                    _measure(frame, policy, ref, tokenizer, reward_model, kl_prompts, settings.seed)
                    policy.train()  # sampling switched it to eval mode; TRL trains on
                yield frame
    yield finish(frame, policy, start)


# ---- The shipped RL policy: the third column of the chat ---------------------------------------------------------
RL_POLICY = "rl_policy"
RL_TRAINING = "rlhf.json"
# the frontier sweep's RLOO β = 0.1 run (which saves its policy too)
SHIPPED_RL = RLSettings(method="rloo", kl_coef=0.1, steps=80, prompts_per_step=4, generations=4, learning_rate=2e-4)


def train_shipped_rl(argv: list[str] | None = None) -> dict:
    """`python -m rlgen train dpo-rlhf [--quick] [--dir DIR]`: RLOO from the shipped π_ref against the shipped
    reward model, written to rl_policy/ beside them with rlhf.json (needs `python -m rlgen train dpo` first)."""
    import argparse
    import json
    from dataclasses import asdict

    from rlgen.dpo.checkpoint import NAME, held_out_prompts, load_model, load_tokenizer, save_model
    from rlgen.dpo.corpus import make_prompts

    parser = argparse.ArgumentParser(prog="python -m rlgen train dpo-rlhf")
    parser.add_argument("--quick", action="store_true", help="a smoke-sized run")
    parser.add_argument("--dir", type=Path, help="the checkpoint folder (default rlgen/checkpoints/dpo)")
    args = parser.parse_args(argv or [])
    root = args.dir or runtime.checkpoint_path(NAME)
    ref, tokenizer = load_model(root / "ref"), load_tokenizer(root)
    reward_model = load_model(root / "reward_model", LlamaForSequenceClassification)
    settings = RLSettings(**{**asdict(SHIPPED_RL), **({"steps": 2, "prompts_per_step": 2, "generations": 2}
                                                      if args.quick else {})})
    kl_prompts = held_out_prompts(8 if args.quick else 64)
    start, cpu = time.perf_counter(), time.process_time()
    frame = None
    for frame in train_rl(ref, tokenizer, reward_model, make_prompts(800, seed=1), settings, kl_prompts=kl_prompts,
                          kl_every=max(1, settings.steps // 5)):
        if frame.kl_steps and frame.kl_steps[-1] == frame.step and not frame.done:
            print(f"{settings.method} step {frame.step:>4}  KL {frame.kl[-1]:6.3f}  r_φ {frame.sample_rm[-1]:6.3f}  "
                  f"reward {frame.sample_reward[-1]:6.3f}", flush=True)
    assert frame is not None and frame.done
    save_model(frame.policy, root / RL_POLICY)
    info = {"command": " ".join(["python -m rlgen train dpo-rlhf", *(argv or [])]),
            "seconds": round(time.perf_counter() - start, 1), "cpu_seconds": round(time.process_time() - cpu, 1),
            "torch_threads": runtime.torch_threads(), "settings": asdict(settings), "held_out_prompts": len(kl_prompts),
            "curve": {"steps": frame.kl_steps, "kl": [round(x, 4) for x in frame.kl],
                      "reward_model": [round(x, 4) for x in frame.sample_rm],
                      "reward": [round(x, 4) for x in frame.sample_reward]},
            "samples": frame.samples}
    (root / RL_TRAINING).write_text(json.dumps(info, indent=2))
    return info
