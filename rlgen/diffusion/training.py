"""Training the shipped models: the shape/colour classifier, the rectified-flow denoiser (SD3's objective),
its ControlNet (base frozen) and the ε-prediction DDPM denoiser — same architecture, same data.

Rectified flow:  x_t = (1 − t)·x₀ + t·ε,  loss ‖v_θ(x_t, t, c) − (ε − x₀)‖²,  t ~ logit-normal(0, 1).
DDPM (ε):       x_t = √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε,  loss ‖ε_θ(x_t, t, c) − ε‖²,  t ~ U{0, …, 999}.
Captions are dropped (replaced by "") 10 % of the time so one model also predicts unconditionally, which
classifier-free guidance needs. Every run is budgeted in wall-clock minutes and saves as it goes, so a stopped
run still leaves weights."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from accelerate import Accelerator
from diffusers import DDPMScheduler, FlowMatchEulerDiscreteScheduler
from diffusers.training_utils import EMAModel, compute_density_for_timestep_sampling

from rlgen import runtime
from rlgen.diffusion.models import (
    ShapeClassifier,
    build_controlnet,
    build_text_encoder,
    build_tokenizer,
    build_unet,
)
from rlgen.diffusion.pipeline import ShapesPipeline
from rlgen.diffusion.shapes import Batch, make_batch
from rlgen.errors import InputError


@dataclass
class Pool:
    """A fixed set of rendered scenes that batches are drawn from (rendering + canny costs about as much as
    a training step on this CPU, so it is paid once)."""

    images: torch.Tensor
    canny: torch.Tensor
    mask: torch.Tensor
    captions: list[str]
    labels: torch.Tensor  # (n, 3): shape, colour, background

    @classmethod
    def make(cls, n: int, seed: int, controls: bool) -> Pool:
        b: Batch = make_batch(np.random.default_rng(seed), n, controls=controls)
        labels = np.stack([b.shape_ids, b.colour_ids, b.background_ids], axis=1)
        return cls(torch.from_numpy(b.images), torch.from_numpy(b.canny), torch.from_numpy(b.mask), b.captions,
                   torch.from_numpy(labels))

    def sample(self, n: int, g: torch.Generator) -> tuple[torch.Tensor, ...]:
        idx = torch.randint(len(self.captions), (n,), generator=g)
        # a left-right mirror keeps every caption true (all four shapes are mirror-symmetric)
        flip = torch.rand(n, generator=g) < 0.5
        images, canny, mask = (torch.where(flip[:, None, None, None], a[idx].flip(-1), a[idx])
                               for a in (self.images, self.canny, self.mask))
        return images, canny, mask, [self.captions[i] for i in idx.tolist()], self.labels[idx]


def drop_captions(captions: list[str], p: float, g: torch.Generator) -> list[str]:
    keep = torch.rand(len(captions), generator=g) >= p
    return [c if k else "" for c, k in zip(captions, keep.tolist())]


def save_half(pipe: ShapesPipeline, directory: Path) -> None:
    """Save in float16 (half the bytes; loading casts back to float32). A model loaded from a folder records
    that folder's absolute path in its config (``_name_or_path``); a shipped checkpoint should not name the
    machine it was trained on, so the key is dropped."""
    copy.deepcopy(pipe).to(torch.float16).save_pretrained(directory)
    for config in Path(directory).glob("*/config.json"):
        fields = json.loads(config.read_text())
        if Path(str(fields.get("_name_or_path", ""))).is_absolute():
            del fields["_name_or_path"]
            config.write_text(json.dumps(fields, indent=2, sort_keys=True) + "\n")


def write_record(directory: Path, record: dict) -> None:
    (directory / "TRAINING.json").write_text(json.dumps(record, indent=2))


def train_classifier(directory: Path, steps: int = 600, batch: int = 64, seed: int = 0) -> dict:
    """The adherence judge: three softmax heads, trained with colour jitter and pixel noise so that it reads
    slightly-off generated colours too."""
    runtime.configure_torch()
    runtime.seed_everything(seed)
    g = torch.Generator().manual_seed(seed)
    pool = Pool.make(4096, seed, controls=False)
    model = ShapeClassifier()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    start = time.perf_counter()
    for _ in range(steps):
        images, _, _, _, labels = pool.sample(batch, g)
        images = images + 0.15 * torch.randn(images.shape, generator=g) * torch.rand(batch, 1, 1, 1, generator=g)
        images = images + 0.12 * (torch.rand(batch, 3, 1, 1, generator=g) - 0.5)
        logits = model(images.clamp(-1, 1))
        loss = sum(torch.nn.functional.cross_entropy(lg, labels[:, k]) for k, lg in enumerate(logits))
        opt.zero_grad()
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - start
    test = Pool.make(1000, seed + 1, controls=False)
    with torch.no_grad():
        preds = torch.stack([lg.argmax(1) for lg in model(test.images)], 1)
    acc = (preds == test.labels).float().mean(0).tolist()
    model.save_pretrained(directory)
    record = {"steps": steps, "batch": batch, "seconds": round(seconds, 1), "seed": seed,
              "metrics": {"held_out_accuracy": {"shape": acc[0], "colour": acc[1], "background": acc[2]},
                          "held_out_n": 1000}}
    write_record(directory, record)
    return record


def _pipeline(unet, text_encoder, tokenizer, objective: str, controlnet=None) -> ShapesPipeline:
    scheduler = (FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=1.0) if objective == "flow"
                 else DDPMScheduler(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2"))
    return ShapesPipeline(unet=unet, text_encoder=text_encoder, tokenizer=tokenizer, scheduler=scheduler,
                          controlnet=controlnet)


def noisy_input_and_target(x0: torch.Tensor, objective: str, g: torch.Generator,
                           ddpm: DDPMScheduler | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(x_t, the timestep the model sees, the regression target) for a batch of clean images."""
    noise = torch.randn(x0.shape, generator=g)
    if objective == "flow":
        # SD3: t ~ logit-normal(0, 1) puts the training signal on the middle of the path
        t = compute_density_for_timestep_sampling("logit_normal", x0.shape[0], logit_mean=0.0, logit_std=1.0,
                                                  generator=g)
        tt = t[:, None, None, None]
        return (1 - tt) * x0 + tt * noise, t * 1000, noise - x0
    t = torch.randint(0, ddpm.config.num_train_timesteps, (x0.shape[0],), generator=g)
    return ddpm.add_noise(x0, noise, t), t, noise


def train_denoiser(directory: Path, objective: str, minutes: float, batch: int = 32, lr: float = 1.5e-3,
                   seed: int = 0, max_steps: int = 100_000, save_every_s: float = 180.0,
                   log: Callable[[str], None] = print, resume: bool = False) -> dict:
    """Train UNet + text encoder on ``objective`` ("flow" or "epsilon") for ``minutes`` of wall clock, from
    scratch or (``resume``) from the weights already in ``directory``; the EMA weights are saved every
    ``save_every_s`` seconds and at the end."""
    if objective not in ("flow", "epsilon"):
        raise InputError("objective must be 'flow' or 'epsilon' (got {objective!r}).", objective=objective)
    runtime.configure_torch()
    runtime.seed_everything(seed)
    g = torch.Generator().manual_seed(seed)
    accelerator = Accelerator(cpu=not torch.cuda.is_available())
    tokenizer = build_tokenizer()
    text_encoder, unet = build_text_encoder(len(tokenizer)), build_unet()
    previous_record = _read_record(directory) if resume else None
    previous = _resume(directory, resume, log)
    if previous is not None:
        tokenizer = previous.tokenizer  # the ids its text encoder learnt
        unet.load_state_dict(previous.unet.state_dict())
        text_encoder.load_state_dict(previous.text_encoder.state_dict())
    params = list(unet.parameters()) + list(text_encoder.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100))
    unet, text_encoder, opt = accelerator.prepare(unet, text_encoder, opt)
    pipe = _pipeline(unet, text_encoder, tokenizer, objective)  # its predict() patchifies around the UNet
    ddpm = pipe.scheduler if objective == "epsilon" else None
    pool = Pool.make(6000, seed, controls=False)

    def loss_of_a_batch() -> torch.Tensor:
        x0, _, _, captions, _ = pool.sample(batch, g)
        ids = tokenizer(drop_captions(captions, 0.1, g), padding="max_length",
                        max_length=tokenizer.model_max_length, truncation=True, return_tensors="pt").input_ids
        x_t, t, target = noisy_input_and_target(x0, objective, g, ddpm)
        return torch.nn.functional.mse_loss(pipe.predict(x_t, t, text_encoder(ids).last_hidden_state), target)

    def to_save() -> ShapesPipeline:
        return _pipeline(accelerator.unwrap_model(unet), accelerator.unwrap_model(text_encoder), tokenizer,
                         objective)

    run = Run(objective, directory, batch, lr, seed, previous_record, log)
    return run.fit(params, opt, loss_of_a_batch, to_save, minutes, max_steps, save_every_s,
                   schedule=sched, backward=accelerator.backward)


def train_controlnet(directory: Path, base_directory: Path, minutes: float, batch: int = 32, lr: float = 1e-3,
                     seed: int = 0, save_every_s: float = 180.0, log: Callable[[str], None] = print,
                     resume: bool = False) -> dict:
    """ControlNet on the frozen rectified-flow model: half the batches use canny maps, half filled masks, so
    one network follows either; 30 % of captions are dropped so the map, not only the text, carries the
    layout (the ControlNet paper drops half)."""
    runtime.configure_torch()
    runtime.seed_everything(seed)
    g = torch.Generator().manual_seed(seed)
    base = runtime.load_pretrained(ShapesPipeline, base_directory, dtype=torch.float32)
    unet, text_encoder, tokenizer = base.unet, base.text_encoder, base.tokenizer
    unet.requires_grad_(False)
    text_encoder.requires_grad_(False)
    previous_record = _read_record(directory) if resume else None
    previous = _resume(directory, resume, log)
    controlnet = build_controlnet(unet) if previous is None else previous.controlnet
    controlnet.train().requires_grad_(True)
    pipe = _pipeline(unet, text_encoder, tokenizer, "flow", controlnet)
    params = list(controlnet.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    pool = Pool.make(6000, seed + 7, controls=True)

    def loss_of_a_batch() -> torch.Tensor:
        x0, canny, mask, captions, _ = pool.sample(batch, g)
        use_canny = torch.rand(batch, generator=g)[:, None, None, None] < 0.5
        control = torch.where(use_canny, canny, mask)
        ids = tokenizer(drop_captions(captions, 0.3, g), padding="max_length",
                        max_length=tokenizer.model_max_length, truncation=True, return_tensors="pt").input_ids
        with torch.no_grad():
            hidden = text_encoder(ids).last_hidden_state
        x_t, t, target = noisy_input_and_target(x0, "flow", g)
        return torch.nn.functional.mse_loss(pipe.predict(x_t, t, hidden, control), target)

    def to_save() -> ShapesPipeline:
        return _pipeline(unet, text_encoder, tokenizer, "flow", controlnet)

    run = Run("controlnet", directory, batch, lr, seed, previous_record, log)
    return run.fit(params, opt, loss_of_a_batch, to_save, minutes, None, save_every_s)


@dataclass
class Run:
    """One training run of a diffusion checkpoint: what its record says, and the loop every such run shares."""

    name: str
    directory: Path
    batch: int
    lr: float
    seed: int
    previous_record: dict | None
    log: Callable[[str], None]

    def fit(self, params: list, opt, loss_of_a_batch: Callable[[], torch.Tensor], to_save: Callable,
            minutes: float, max_steps: int | None, save_every_s: float, *, schedule=None,
            backward: Callable[[torch.Tensor], None] | None = None) -> dict:
        """Optimise ``params`` on ``loss_of_a_batch()`` for ``minutes`` (or ``max_steps``) with an EMA copy;
        the EMA weights of ``to_save()`` are saved, with a partial record, every ``save_every_s`` seconds and at
        the end. Returns the final record (earlier runs of a resumed checkpoint in its history)."""
        ema = EMAModel(params, decay=0.999, use_ema_warmup=True, inv_gamma=1.0, power=2 / 3)
        start = last_save = time.perf_counter()
        losses: list[float] = []
        step = 0

        def save(partial: bool) -> dict:
            ema.store(params)
            ema.copy_to(params)
            save_half(to_save(), self.directory)
            ema.restore(params)
            record = _with_history(_record(self.name, step, self.batch, self.lr, self.seed, start, losses,
                                           partial=partial), self.previous_record)
            write_record(self.directory, record)
            return record

        while (max_steps is None or step < max_steps) and time.perf_counter() - start < minutes * 60:
            loss = loss_of_a_batch()
            opt.zero_grad()
            (backward or torch.Tensor.backward)(loss)
            opt.step()
            if schedule is not None:
                schedule.step()
            ema.step(params)
            losses.append(loss.item())
            step += 1
            if step % 50 == 0:
                self.log(f"{self.name} step {step} loss {np.mean(losses[-50:]):.4f} "
                         f"{time.perf_counter() - start:.0f}s")
            if time.perf_counter() - last_save > save_every_s:
                save(partial=True)
                last_save = time.perf_counter()
        return save(partial=False)


def _read_record(directory: Path) -> dict | None:
    path = directory / "TRAINING.json"
    return json.loads(path.read_text()) if path.exists() else None


def _resume(directory: Path, resume: bool, log: Callable[[str], None]) -> ShapesPipeline | None:
    """The pipeline already saved in ``directory`` when resuming (a fresh optimiser and EMA start from it)."""
    if not resume:
        return None
    if not (directory / "model_index.json").exists():
        raise InputError("Nothing to resume at {directory}.", directory=directory)
    log(f"resuming from {directory}")
    return runtime.load_pretrained(ShapesPipeline, directory, dtype=torch.float32)


def _with_history(record: dict, previous: dict | None) -> dict:
    """A resumed run's record: its own figures, the earlier runs in "history", and the totals."""
    if previous is None:
        return record
    # ``previous`` is reused by every periodic save of a run, so it is read, never changed
    history = [*previous.get("history", []),
               {k: v for k, v in previous.items() if k not in ("metrics", "history", "total_steps", "total_seconds")}]
    return {**record, "history": history, "total_steps": record["steps"] + sum(h["steps"] for h in history),
            "total_seconds": round(record["seconds"] + sum(h["seconds"] for h in history), 1)}


def _record(objective: str, step: int, batch: int, lr: float, seed: int, start: float, losses: list[float],
            partial: bool = False) -> dict:
    return {"objective": objective, "steps": step, "batch": batch, "lr": lr, "seed": seed,
            "seconds": round(time.perf_counter() - start, 1), "threads": runtime.torch_threads(),
            "final_loss": float(np.mean(losses[-100:])) if losses else None, "partial": partial, "metrics": {}}
