"""The three stages, as generators of frames: supervised fine-tuning (→ π_ref), preference pairs sampled from
π_ref and ranked by the ground-truth reward, a Bradley–Terry reward model (what RLHF would train next), and DPO
through TRL's `DPOTrainer` against the frozen π_ref."""

from __future__ import annotations

import copy
import queue
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field

import numpy as np

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from transformers import (  # noqa: E402
    LlamaForCausalLM,
    LlamaForSequenceClassification,
    PreTrainedModel,
    PreTrainedTokenizerFast,
    PrinterCallback,
    TrainerCallback,
)

from rlgen.dpo.corpus import Conversation, reward  # noqa: E402
from rlgen.dpo.lm import MAX_LENGTH, encode_chat  # noqa: E402
from rlgen.dpo.loss import LOSS_TYPES  # noqa: E402
from rlgen.dpo.sampling import completion_batch, sample_replies  # noqa: E402
from rlgen.errors import InputError  # noqa: E402

MAX_LIVE_STEPS = 400
DPO_LOGGED = ("loss", "rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen",
              "logps/rejected")


# ---- Stage 1: supervised fine-tuning -------------------------------------------------------------------------
@dataclass
class SFTFrame:
    step: int
    total: int
    loss: float
    seconds: float


def sft_example(tokenizer: PreTrainedTokenizerFast, conversation: Conversation) -> tuple[list[int], list[int]]:
    """Token ids and labels: the loss falls on the assistant's tokens (and their end token) only."""
    ids: list[int] = []
    labels: list[int] = []
    messages = list(conversation.messages)
    for i, message in enumerate(messages):
        before = len(ids)
        ids = encode_chat(tokenizer, messages[: i + 1], add_generation_prompt=False)
        if message["role"] == "assistant":
            head = len(encode_chat(tokenizer, messages[:i], add_generation_prompt=True)) if i else 0
            labels += [-100] * (head - before) + ids[head:]
        else:
            labels += [-100] * (len(ids) - before)
    return ids[:MAX_LENGTH], labels[:MAX_LENGTH]


def sft(model: LlamaForCausalLM, tokenizer: PreTrainedTokenizerFast, corpus: list[Conversation], steps: int,
        batch_size: int = 16, lr: float = 3e-3, seed: int = 0) -> Iterator[SFTFrame]:
    """Next-token cross-entropy on the replies; AdamW with a linear warm-up and cosine decay."""
    rng = np.random.default_rng(seed)
    examples = [sft_example(tokenizer, c) for c in corpus]
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01, betas=(0.9, 0.98))
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + np.cos(np.pi * min(1.0, s / steps))))
    pad = tokenizer.pad_token_id
    start = time.perf_counter()
    model.train()
    for step in range(1, steps + 1):
        rows = [examples[i] for i in rng.integers(len(examples), size=batch_size)]
        width = max(len(r[0]) for r in rows)
        ids = torch.tensor([r[0] + [pad] * (width - len(r[0])) for r in rows])
        labels = torch.tensor([r[1] + [-100] * (width - len(r[1])) for r in rows])
        mask = torch.tensor([[1] * len(r[0]) + [0] * (width - len(r[0])) for r in rows])
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        yield SFTFrame(step, steps, loss.item(), time.perf_counter() - start)
    model.eval()


# ---- Preference data -------------------------------------------------------------------------------------------
@dataclass
class Pair:
    prompt: str
    chosen: str
    rejected: str
    chosen_reward: float
    rejected_reward: float

    def as_trl(self) -> dict:
        """TRL's conversational preference format."""
        return {"prompt": [{"role": "user", "content": self.prompt}],
                "chosen": [{"role": "assistant", "content": self.chosen}],
                "rejected": [{"role": "assistant", "content": self.rejected}]}


def preference_pairs(model: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, prompts: list[str],
                     samples: int = 4, seed: int = 0, max_new_tokens: int = 64) -> list[Pair]:
    """For each prompt, ``samples`` replies from π_ref; the best and the worst by the ground-truth reward make a
    pair (prompts whose replies all score the same give none)."""
    replies = sample_replies(model, tokenizer, prompts, samples, temperature=1.0, max_new_tokens=max_new_tokens,
                             seed=seed)
    pairs = []
    for prompt, options in zip(prompts, replies):
        scores = [reward(r) for r in options]
        best, worst = int(np.argmax(scores)), int(np.argmin(scores))
        if scores[best] > scores[worst] and options[best].strip() and options[worst].strip():
            pairs.append(Pair(prompt, options[best], options[worst], scores[best], scores[worst]))
    return pairs


# ---- Stage 2: a Bradley–Terry reward model (what DPO skips) ---------------------------------------------------
def reward_model_from(sft_model: LlamaForCausalLM) -> LlamaForSequenceClassification:
    """π_ref's body with a scalar head reading the last non-pad token, as RLHF initialises its reward model."""
    config = copy.deepcopy(sft_model.config)
    config.num_labels = 1
    rm = LlamaForSequenceClassification(config)
    rm.model.load_state_dict(sft_model.model.state_dict())
    torch.nn.init.zeros_(rm.score.weight)
    return rm


def _rm_scores(rm: LlamaForSequenceClassification, tokenizer: PreTrainedTokenizerFast, prompts: list[str],
               replies: list[str]) -> torch.Tensor:
    batch = completion_batch(tokenizer, [[{"role": "user", "content": p}] for p in prompts], replies)
    return rm(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, 0]


def train_reward_model(rm: LlamaForSequenceClassification, tokenizer: PreTrainedTokenizerFast, pairs: list[Pair],
                       steps: int, batch_size: int = 16, lr: float = 1e-3, seed: int = 0) -> list[float]:
    """Bradley–Terry: maximise log σ(r(x, y_w) − r(x, y_l)) over the pairs; returns the loss per step."""
    rng = np.random.default_rng(seed)
    optimizer = torch.optim.AdamW(rm.parameters(), lr=lr, weight_decay=0.01)
    losses = []
    rm.train()
    for _ in range(steps):
        chunk = [pairs[i] for i in rng.integers(len(pairs), size=batch_size)]
        prompts = [p.prompt for p in chunk]
        chosen = _rm_scores(rm, tokenizer, prompts, [p.chosen for p in chunk])
        rejected = _rm_scores(rm, tokenizer, prompts, [p.rejected for p in chunk])
        loss = -F.logsigmoid(chosen - rejected).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
    rm.eval()
    return losses


@torch.no_grad()
def reward_model_scores(rm: LlamaForSequenceClassification, tokenizer: PreTrainedTokenizerFast,
                        conversations: list[list[dict]], replies: list[str], batch_size: int = 64) -> list[float]:
    """r_φ(x, y) for each (conversation, reply), in batches."""
    rm.eval()
    scores: list[float] = []
    for start in range(0, len(replies), batch_size):
        batch = completion_batch(tokenizer, conversations[start:start + batch_size], replies[start:start + batch_size])
        scores += rm(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, 0].tolist()
    return scores


@torch.no_grad()
def reward_model_accuracy(rm: LlamaForSequenceClassification, tokenizer: PreTrainedTokenizerFast,
                          pairs: list[Pair]) -> float:
    """The fraction of pairs the reward model ranks as the ground truth does."""
    rm.eval()
    prompts = [p.prompt for p in pairs]
    chosen = _rm_scores(rm, tokenizer, prompts, [p.chosen for p in pairs])
    rejected = _rm_scores(rm, tokenizer, prompts, [p.rejected for p in pairs])
    return float((chosen > rejected).float().mean())


@torch.no_grad()
def reward_model_score(rm: LlamaForSequenceClassification, tokenizer: PreTrainedTokenizerFast,
                       messages: list[dict], reply: str) -> float:
    batch = completion_batch(tokenizer, [messages], [reply])
    return float(rm(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[0, 0])


# ---- Stage 3: DPO with TRL -------------------------------------------------------------------------------------
@dataclass
class DPOSettings:
    beta: float = 0.1
    loss_type: str = "sigmoid"
    steps: int = 150
    batch_size: int = 16
    learning_rate: float = 1e-4
    seed: int = 0

    def validate(self) -> DPOSettings:
        if not self.beta > 0:
            raise InputError("β must be positive (got {beta:g}): it scales the KL penalty, and β ≤ 0 has none.",
                             beta=self.beta)
        if self.beta > 10:
            raise InputError("β above 10 barely moves the policy (got {beta:g}); use 0.01–10.", beta=self.beta)
        if self.loss_type not in LOSS_TYPES:
            raise InputError("Loss type must be one of {loss_types} (got {loss_type!r}).",
                             loss_types=', '.join(LOSS_TYPES), loss_type=self.loss_type)
        if not 1 <= self.steps <= 10_000:
            raise InputError("Steps must lie between 1 and 10,000 (got {steps}).", steps=self.steps)
        if not 1 <= self.batch_size <= 256:
            raise InputError("Batch size must lie between 1 and 256 (got {batch_size}).", batch_size=self.batch_size)
        if not 0 < self.learning_rate <= 1e-2:
            raise InputError("Learning rate must lie in (0, 0.01] (got {learning_rate:g}).",
                             learning_rate=self.learning_rate)
        return self


def dpo_config(settings: DPOSettings, output_dir: str):
    """TRL's `DPOConfig` with the overrides a tiny model on a CPU needs: a learning rate (the default 1e-6
    barely moves it), no bf16, no gradient checkpointing, no checkpoints or reports written."""
    from trl import DPOConfig

    return DPOConfig(
        output_dir=output_dir, beta=settings.beta, loss_type=[settings.loss_type], max_steps=settings.steps,
        per_device_train_batch_size=settings.batch_size, learning_rate=settings.learning_rate,
        lr_scheduler_type="constant_with_warmup", warmup_steps=max(1, settings.steps // 20), seed=settings.seed,
        logging_steps=1, save_strategy="no", report_to=[], bf16=False, fp16=False, gradient_checkpointing=False,
        use_cpu=not torch.cuda.is_available(), dataloader_num_workers=0, max_length=MAX_LENGTH,
        disable_tqdm=True, remove_unused_columns=False, dataset_num_proc=None,
    )


@dataclass
class DPOFrame:
    """One logged TRL step: the metrics so far (lists indexed like ``steps``) and, when present, a KL estimate."""

    step: int
    total: int
    seconds: float
    steps: list[int] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    kl_steps: list[int] = field(default_factory=list)
    kl: list[float] = field(default_factory=list)
    sample_reward: list[float] = field(default_factory=list)  # mean ground-truth reward of the KL samples
    policy: PreTrainedModel | None = None
    done: bool = False


class _Relay(TrainerCallback):
    """Hands TRL's per-step logs to :func:`relayed_steps` and waits until they are handled; stops the run when
    asked to."""

    def __init__(self, logs: queue.Queue, stop: threading.Event):
        self.logs, self.stop = logs, stop

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs and not self.stop.is_set():
            handled = threading.Event()
            self.logs.put((state.global_step, dict(logs), handled))
            handled.wait()
        if self.stop.is_set():
            control.should_training_stop = True

    def on_step_end(self, args, state, control, **kwargs):
        if self.stop.is_set():
            control.should_training_stop = True


def relayed_steps(trainer) -> Iterator[tuple[int, dict]]:
    """Runs a TRL trainer in a worker thread and yields ``(step, logs)`` for each logged step. The trainer waits
    while the caller handles a step, so a KL estimate or a snapshot is taken between optimizer steps, never during
    one; closing the generator (the UI's Stop) stops training at the end of the current step; an exception raised
    in training is raised here."""
    logs: queue.Queue = queue.Queue()
    stop = threading.Event()
    failure: list[BaseException] = []
    trainer.add_callback(_Relay(logs, stop))

    def work() -> None:
        try:
            trainer.train()
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)
        finally:
            logs.put(None)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    handled = None
    try:
        while (item := logs.get()) is not None:
            step, entry, handled = item
            yield step, entry
            handled.set()
    finally:
        stop.set()
        if handled is not None:
            handled.set()
        worker.join()
    if failure:
        raise failure[0]


def record_step(frame, step: int, entry: dict, keys: tuple[str, ...], start: float) -> None:
    """Writes one logged TRL step into a DPO or RL frame: the step, the clock and the logged ``keys``."""
    frame.step, frame.seconds = step, time.perf_counter() - start
    frame.steps.append(step)
    for key in keys:
        if key in entry:
            frame.metrics.setdefault(key, []).append(float(entry[key]))


def finish(frame, policy: PreTrainedModel, start: float):
    """The last frame of a run: the trained policy handed back as a plain model (see :func:`clean_copy`)."""
    policy.__dict__.pop("forward", None)
    policy.eval()
    frame.done = True
    frame.seconds = time.perf_counter() - start
    return frame


def clean_copy(model: PreTrainedModel) -> PreTrainedModel:
    """A copy that TRL has not patched. `DPOTrainer` replaces ``forward`` on the models it trains and uses with a
    fused-LM-head wrapper whose closure keeps the *original* object's forward: a deep copy of a patched model
    would answer with the original's weights. Dropping the instance attribute restores the class's forward."""
    duplicate = copy.deepcopy(model)
    duplicate.__dict__.pop("forward", None)
    return duplicate


def dpo_trainer(policy: PreTrainedModel, ref: PreTrainedModel, tokenizer: PreTrainedTokenizerFast,
                pairs: list[Pair], settings: DPOSettings, output_dir: str, callbacks: list | None = None):
    """TRL's `DPOTrainer` with the reference passed explicitly (a config-built model has no hub name to reload
    it by) and the tokenizer as processing class. TRL patches both models (see :func:`clean_copy`): pass copies
    of shared ones."""
    from datasets import Dataset
    from trl import DPOTrainer

    dataset = Dataset.from_list([p.as_trl() for p in pairs])
    ref.eval().requires_grad_(False)
    trainer = DPOTrainer(model=policy, ref_model=ref, args=dpo_config(settings, output_dir), train_dataset=dataset,
                         processing_class=tokenizer, callbacks=callbacks)
    trainer.remove_callback(PrinterCallback)  # the frames carry the metrics; no dicts printed to stdout
    return trainer


def train_dpo(ref: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, pairs: list[Pair], settings: DPOSettings,
              policy: PreTrainedModel | None = None, kl_prompts: list[str] | None = None,
              kl_every: int = 10) -> Iterator[DPOFrame]:
    """DPO from π_ref (or from ``policy`` to continue a run), streaming each logged step. TRL trains in a
    worker thread; closing the generator (the UI's Stop) stops it at the end of the current step."""
    from rlgen.dpo.metrics import kl_estimate

    settings.validate()
    if not pairs:
        raise InputError("There are no preference pairs to train on: vote on some replies first.")
    policy = clean_copy(policy if policy is not None else ref).requires_grad_(True)
    frozen = clean_copy(ref)  # the caller's π_ref stays untouched by TRL
    frame = DPOFrame(0, settings.steps, 0.0, policy=policy)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rlgen-dpo-") as output_dir:
        trainer = dpo_trainer(policy, frozen, tokenizer, pairs, settings, output_dir)
        with closing(relayed_steps(trainer)) as steps:  # closed (training stopped) before the folder goes
            for step, entry in steps:
                record_step(frame, step, entry, DPO_LOGGED, start)
                if kl_prompts and (step % kl_every == 0 or step == settings.steps):
                    kl, replies = kl_estimate(policy, ref, tokenizer, kl_prompts, seed=settings.seed)
                    policy.train()  # sampling switched it to eval mode; TRL trains on
                    frame.kl_steps.append(step)
                    frame.kl.append(kl)
                    frame.sample_reward.append(float(np.mean([reward(r) for r in replies])))
                yield frame
    yield finish(frame, policy, start)
