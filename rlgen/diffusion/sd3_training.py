"""Training the tiny MMDiT with rectified flow, as SD3 does:

    x_t = (1 − t)·x₀ + t·ε,   loss ‖v_θ(x_t, t, c) − (ε − x₀)‖²,   t ~ logit-normal(0, 1)  (SD3 §3.1, eq. 19)

:func:`flow_matching_steps` is the loop as a generator of :class:`TrainFrame`s (one per optimiser step), so the
shipped run, the tab's reduced live runs and the tests share it. It can sample t uniformly instead (the
experiment SD3's Table 1 summarises) and can watch the largest attention logit (the quantity QK-norm keeps
bounded, SD3 §5.3.2)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from diffusers import FlowMatchEulerDiscreteScheduler, SD3Transformer2DModel
from diffusers.training_utils import EMAModel, compute_density_for_timestep_sampling
from transformers import CLIPTextModel, CLIPTokenizer

from rlgen import runtime
from rlgen.diffusion.mmdit import MMDiTPipeline, build_mmdit, pooled_and_sequence
from rlgen.diffusion.models import build_text_encoder, build_tokenizer
from rlgen.diffusion.training import Pool, drop_captions, save_half, write_record
from rlgen.errors import InputError

TIMESTEP_SAMPLING = ("logit_normal", "uniform")


@dataclass
class TrainFrame:
    step: int  # 1-based
    total: int
    loss: float
    max_logit: float | None  # the largest |q·k|/√d over every joint attention of this step, when watched
    seconds: float


def sample_t(n: int, sampling: str, g: torch.Generator) -> torch.Tensor:
    """Training times in (0, 1): logit-normal(0, 1) (the sigmoid of a standard normal; more weight on the
    middle of the path, where the prediction is hardest) or uniform (plain rectified flow)."""
    if sampling not in TIMESTEP_SAMPLING:
        raise InputError("Timestep sampling must be one of {timestep_sampling} (got {sampling!r}).",
                         timestep_sampling=', '.join(TIMESTEP_SAMPLING), sampling=sampling)
    return compute_density_for_timestep_sampling(sampling, n, logit_mean=0.0, logit_std=1.0, generator=g)


class AttentionLogitProbe:
    """Forward hooks that read each joint attention's queries and keys (after QK-norm where the model has
    it) and keep the largest |logit| = |q·k|/√d seen since the last :meth:`take`."""

    def __init__(self, transformer: SD3Transformer2DModel) -> None:
        self.largest = 0.0
        self._handles = []
        for block in transformer.transformer_blocks:
            attn = block.attn
            captured: dict[str, torch.Tensor] = {}
            for name in ("q", "k", "added_q", "added_k"):
                norm = getattr(attn, f"norm_{name}")
                proj = norm if norm is not None else getattr(attn, f"to_{name}" if len(name) == 1 else
                                                             f"add_{name[-1]}_proj")
                self._handles.append(proj.register_forward_hook(self._capture(captured, name, attn.heads)))
            self._handles.append(attn.register_forward_hook(self._score(captured)))

    @staticmethod
    def _capture(captured: dict, name: str, heads: int) -> Callable:
        def hook(module, inputs, output) -> None:
            if output.dim() == 3:  # (b, n, h·d) from a projection; the norms already see (b, h, n, d)
                b, n, _ = output.shape
                output = output.view(b, n, heads, -1).transpose(1, 2)
            captured[name] = output.detach()
        return hook

    def _score(self, captured: dict) -> Callable:
        def hook(module, inputs, output) -> None:
            q = torch.cat([captured["q"], captured["added_q"]], dim=2)
            k = torch.cat([captured["k"], captured["added_k"]], dim=2)
            logits = q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5
            self.largest = max(self.largest, float(logits.abs().max()))
            captured.clear()
        return hook

    def take(self) -> float:
        value, self.largest = self.largest, 0.0
        return value

    def remove(self) -> None:
        for handle in self._handles:
            handle.remove()


def flow_matching_steps(transformer: SD3Transformer2DModel, text_encoder: CLIPTextModel, tokenizer: CLIPTokenizer,
                        pool: Pool, steps: int, batch: int = 32, lr: float = 1e-3, seed: int = 0,
                        timestep_sampling: str = "logit_normal", watch_logits: bool = False,
                        warmup: int = 100, decay_seconds: float | None = None) -> Iterator[TrainFrame]:
    """``steps`` AdamW steps of rectified flow on ``pool``; 10 % of captions are dropped so the model also
    predicts unconditionally (classifier-free guidance). Batches, noise and t come from one generator seeded
    with ``seed``. With ``decay_seconds`` the learning rate follows a cosine from ``lr`` down to 5 % of it over
    that much wall clock (runs are budgeted in minutes, not steps)."""
    g = torch.Generator().manual_seed(seed)
    params = list(transformer.parameters()) + list(text_encoder.parameters())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    start = time.perf_counter()

    def factor(s: int) -> float:
        ramp = min(1.0, (s + 1) / warmup)
        if decay_seconds is None:
            return ramp
        done = min(1.0, (time.perf_counter() - start) / decay_seconds)
        return ramp * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * done)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    probe = AttentionLogitProbe(transformer) if watch_logits else None
    transformer.train()
    text_encoder.train()
    try:
        for step in range(1, steps + 1):
            x0, _, _, captions, _ = pool.sample(batch, g)
            ids = tokenizer(drop_captions(captions, 0.1, g), padding="max_length",
                            max_length=tokenizer.model_max_length, truncation=True, return_tensors="pt").input_ids
            noise = torch.randn(x0.shape, generator=g)
            t = sample_t(batch, timestep_sampling, g)
            tt = t[:, None, None, None]
            x_t = (1 - tt) * x0 + tt * noise
            cond = pooled_and_sequence(text_encoder, ids)
            v = transformer(x_t, encoder_hidden_states=cond[:, 1:], pooled_projections=cond[:, 0],
                            timestep=t * 1000, return_dict=False)[0]
            loss = torch.nn.functional.mse_loss(v, noise - x0)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            yield TrainFrame(step, steps, loss.item(), probe.take() if probe else None, time.perf_counter() - start)
    finally:
        if probe is not None:
            probe.remove()
        transformer.eval()
        text_encoder.eval()


def mmdit_pipeline(transformer: SD3Transformer2DModel, text_encoder: CLIPTextModel,
                   tokenizer: CLIPTokenizer) -> MMDiTPipeline:
    return MMDiTPipeline(transformer=transformer, text_encoder=text_encoder, tokenizer=tokenizer,
                         scheduler=FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=1.0))


def train_mmdit(directory: Path, minutes: float, batch: int = 32, lr: float = 1e-3, seed: int = 0,
                max_steps: int = 100_000, save_every_s: float = 180.0, log: Callable[[str], None] = print,
                resume: bool = False, decay: bool = False, **architecture) -> dict:
    """The shipped MMDiT: rectified flow with logit-normal t for ``minutes`` of wall clock (or ``max_steps``),
    from scratch or (``resume``) from the weights already in ``directory``; EMA weights saved every
    ``save_every_s`` seconds and at the end; ``decay`` anneals the learning rate (cosine) over the ``minutes``."""
    runtime.configure_torch()
    if resume:
        if not (directory / "model_index.json").exists():
            raise InputError("Nothing to resume at {directory}.", directory=directory)
        previous = runtime.load_pretrained(MMDiTPipeline, directory, dtype=torch.float32)
        tokenizer, text_encoder, transformer = previous.tokenizer, previous.text_encoder, previous.transformer
        log(f"resuming from {directory}")
    else:
        with runtime.seeded(seed):
            tokenizer = build_tokenizer()
            text_encoder, transformer = build_text_encoder(len(tokenizer)), build_mmdit(**architecture)
    transformer.requires_grad_(True)
    text_encoder.requires_grad_(True)
    params = list(transformer.parameters()) + list(text_encoder.parameters())
    ema = EMAModel(params, decay=0.999, use_ema_warmup=True, inv_gamma=1.0, power=2 / 3)
    pool = Pool.make(6000, seed, controls=False)
    losses: list[float] = []
    cpu_start, start = time.process_time(), time.perf_counter()
    last_save = start
    step = 0

    def record(partial: bool) -> dict:
        return {"objective": "flow", "model": "SD3Transformer2DModel", "timestep_sampling": "logit_normal",
                "steps": step, "batch": batch, "lr": lr, "lr_schedule": "cosine to 5 %" if decay else "constant",
                "seed": seed,
                "parameters": sum(p.numel() for p in transformer.parameters()),
                "seconds": round(time.perf_counter() - start, 1),
                "cpu_minutes": round((time.process_time() - cpu_start) / 60, 1), "threads": runtime.torch_threads(),
                "final_loss": float(np.mean(losses[-100:])) if losses else None, "partial": partial, "metrics": {}}

    def save(partial: bool) -> dict:
        ema.store(params)
        ema.copy_to(params)
        save_half(mmdit_pipeline(transformer, text_encoder, tokenizer), directory)
        ema.restore(params)
        result = record(partial)
        write_record(directory, result)
        return result

    for frame in flow_matching_steps(transformer, text_encoder, tokenizer, pool, max_steps, batch, lr, seed,
                                     decay_seconds=minutes * 60 if decay else None):
        ema.step(params)
        losses.append(frame.loss)
        step = frame.step
        if step % 50 == 0:
            log(f"mmdit step {step} loss {np.mean(losses[-50:]):.4f} {frame.seconds:.0f}s")
        if time.perf_counter() - last_save > save_every_s:
            save(partial=True)
            last_save = time.perf_counter()
        if frame.seconds > minutes * 60:
            break
    return save(partial=False)
