"""SD3's changes as experiments small enough to watch: two arms that differ in one thing, trained side by side
from the same initial weights on the same batches, their curves streamed as they grow.

* ``timesteps``: t ~ uniform vs t ~ logit-normal(0, 1) (SD3 §3.1; Table 1 ranks rf/lognorm(0, 1) first).
  Validation loss (on fixed images, noise and an even grid of t) and prompt adherence (the shapes classifier).
* ``qk_norm``: QK-norm off vs RMSNorm on queries and keys, at a high learning rate (SD3 §5.3.2, Fig. 5: the
  attention logits grow without bound and training diverges). Training loss and the largest attention logit.
* ``latent_channels``: a VAE with 4 vs 16 latent channels (SD3 §5.2.1, Table 3: more channels, better
  reconstruction), then an MMDiT in each latent space. Reconstruction PSNR and SSIM on held-out images, and the
  prompt adherence of the latent models' decoded samples (``sd3_latents``).
* ``positions``: 1-D vs 2-D sincos positions of the patches, on captions that name where the shape is
  ("a red star on the left on a blue background"). Position adherence of generated images.

The last frame of every run also carries each arm's samples for a few held-out captions, from the same noise.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
from transformers import CLIPTokenizer

from rlgen import runtime
from rlgen.diffusion.metrics import adherence_scores, eval_scenes, generate
from rlgen.diffusion.mmdit import build_mmdit, pooled_and_sequence
from rlgen.diffusion.models import build_text_encoder, build_tokenizer
from rlgen.diffusion.sd3_latents import latent_channels
from rlgen.diffusion.sd3_positions import PositionPool, position_adherence, position_vocabulary, use_1d_positions
from rlgen.diffusion.sd3_runs import SAMPLES_PER_ARM, SMALL_MMDIT, ExperimentFrame, record
from rlgen.diffusion.sd3_training import TrainFrame, flow_matching_steps, mmdit_pipeline
from rlgen.diffusion.tracing import eager
from rlgen.diffusion.training import Pool
from rlgen.errors import InputError

EXPERIMENTS: dict[str, tuple[str, str]] = {  # name -> the two arms
    "timesteps": ("uniform t", "logit-normal(0, 1) t"),
    "qk_norm": ("QK-norm off", "QK-norm on"),
    "latent_channels": ("4 latent channels", "16 latent channels"),
    "positions": ("1-D positions", "2-D positions"),
}
MAX_LIVE_STEPS = 400
MAX_SHIPPED_STEPS = 5000  # the shipped runs (`python -m rlgen train diffusion-sd3-experiments`) may run longer


def check_experiment(name: str, steps: int, seed: int, max_steps: int = MAX_LIVE_STEPS) -> None:
    if name not in EXPERIMENTS:
        raise InputError("Unknown experiment {name!r}; the experiments are: {experiments}.",
                         name=name, experiments=', '.join(EXPERIMENTS))
    if not 10 <= steps <= max_steps or int(steps) != steps:
        raise InputError("A run takes a whole number of steps from 10 to {max_steps} (got {steps:g}).",
                         max_steps=max_steps, steps=steps)
    if not 0 <= seed < 2**32 or int(seed) != seed:
        raise InputError("The seed must be a whole number from 0 to {max_seed} (got {seed}).",
                         max_seed=2 ** 32 - 1, seed=seed)


def run_experiment(name: str, steps: int = 200, seed: int = 0, batch: int = 16, eval_every: int = 25,
                   pool_size: int = 1024, adherence_n: int = 32, lr: float | None = None,
                   adherence_curve: bool = False, max_steps: int = MAX_LIVE_STEPS) -> Iterator[ExperimentFrame]:
    """Train both arms of experiment ``name`` for ``steps`` steps each (at most ``max_steps``), interleaved,
    yielding a frame after every step pair (curves so far). Adherence is measured at the end, or with
    ``adherence_curve`` at every evaluation."""
    check_experiment(name, steps, seed, max_steps)
    runtime.configure_torch()
    if name == "latent_channels":
        yield from latent_channels(steps, seed, batch, eval_every, pool_size, lr or 2e-3, adherence_n,
                                   adherence_curve)
        return
    pool, tokenizer, models = _two_arms(name, pool_size, seed)
    loops = _training_loops(name, models, tokenizer, pool, steps, batch, seed, lr)
    evaluation = _Evaluation(name, tokenizer, _validation_set(pool, seed) if name == "timesteps" else None,
                             adherence_n, seed)
    curves: dict = {}
    start = time.perf_counter()
    for step in range(1, steps + 1):
        for arm, loop, (tf, te) in zip(EXPERIMENTS[name], loops, models):
            frame = next(loop)
            if name == "qk_norm":
                _record_training(curves, arm, frame)
            elif step % eval_every == 0 or step == steps:
                evaluation(curves, arm, step, tf, te, judged=step == steps or adherence_curve)
        samples, captions = final_samples(name, models, tokenizer, seed) if step == steps else (None, None)
        yield ExperimentFrame(name, step, steps, curves, time.perf_counter() - start, step == steps, samples, captions)


def _two_arms(name: str, pool_size: int, seed: int) -> tuple[Pool, CLIPTokenizer, list[tuple]]:
    """The training data, the tokenizer and each arm's (transformer, text encoder), both arms from the same
    initial weights; they differ only in what the experiment changes."""
    pool = PositionPool.make(pool_size, seed) if name == "positions" else Pool.make(pool_size, seed, controls=False)
    with runtime.seeded(seed):
        tokenizer = build_tokenizer(position_vocabulary() if name == "positions" else None)
        text_encoder = build_text_encoder(len(tokenizer))
        transformer = build_mmdit(qk_norm=None, **SMALL_MMDIT)
    models = []
    for k in range(len(EXPERIMENTS[name])):
        tf = copy.deepcopy(transformer)
        if name == "qk_norm" and k == 1:
            # the same weights plus SD3's RMSNorm on q and k (its scales start at 1)
            with runtime.seeded(seed):
                tf = build_mmdit(qk_norm="rms_norm", **SMALL_MMDIT)
            tf.load_state_dict(transformer.state_dict(), strict=False)
        if name == "positions" and k == 0:
            use_1d_positions(tf)
        models.append((tf, copy.deepcopy(text_encoder)))
    return pool, tokenizer, models


def _training_loops(name: str, models: list[tuple], tokenizer: CLIPTokenizer, pool: Pool, steps: int, batch: int,
                    seed: int, lr: float | None) -> list[Iterator]:
    """One rectified-flow loop per arm, on the same batches (one seed): t uniform in the first arm of
    ``timesteps``, logit-normal otherwise."""
    sampling = ["uniform", "logit_normal"] if name == "timesteps" else ["logit_normal", "logit_normal"]
    # the QK-norm experiment runs hot on purpose: at ordinary rates both arms train
    rate = lr or (1e-2 if name == "qk_norm" else 1e-3)
    return [flow_matching_steps(tf, te, tokenizer, pool, steps, batch, rate, seed, sampling[k],
                                watch_logits=name == "qk_norm", warmup=1 if name == "qk_norm" else 20)
            for k, (tf, te) in enumerate(models)]


def _record_training(curves: dict, arm: str, frame: TrainFrame) -> None:
    """The QK-norm experiment's curves: every step's training loss (a diverged step as a gap) and largest
    attention logit."""
    record(curves, arm, "training loss", frame.step, frame.loss if math.isfinite(frame.loss) else np.nan)
    record(curves, arm, "largest attention logit", frame.step, frame.max_logit)


@dataclass
class _Evaluation:
    """What the timesteps and positions experiments measure every few steps: the validation loss (timesteps), and
    where ``judged``, the classifier's prompt adherence (timesteps) or position adherence (positions)."""

    name: str
    tokenizer: CLIPTokenizer
    validation: dict | None
    adherence_n: int
    seed: int

    def __call__(self, curves: dict, arm: str, step: int, transformer, text_encoder, judged: bool) -> None:
        if self.name == "timesteps":
            record(curves, arm, "validation loss", step,
                    validation_loss(transformer, text_encoder, self.tokenizer, self.validation))
            if judged:
                record(curves, arm, "prompt adherence", step,
                        adherence(transformer, text_encoder, self.tokenizer, self.adherence_n, self.seed)["all"])
        elif judged:
            scores = placement(transformer, text_encoder, self.tokenizer, self.adherence_n, self.seed)
            record(curves, arm, "position adherence", step, scores["all"])
            record(curves, arm, "left/right adherence", step, scores["left/right"])


@torch.no_grad()
def final_samples(name: str, models: list[tuple], tokenizer: CLIPTokenizer,
                  seed: int) -> tuple[dict[str, torch.Tensor], list[str]]:
    """Each arm's images for a few held-out captions, from the same noise: 20 Euler steps, guidance 3."""
    captions = (PositionPool.make(SAMPLES_PER_ARM, seed + 2000).captions if name == "positions"
                else [scene.caption for scene in eval_scenes(SAMPLES_PER_ARM, seed + 2000)])
    samples = {}
    for arm, (transformer, text_encoder) in zip(EXPERIMENTS[name], models):
        pipe = mmdit_pipeline(transformer.eval(), text_encoder.eval(), tokenizer)
        pipe.set_progress_bar_config(disable=True)
        with eager():
            samples[arm] = pipe(captions, num_inference_steps=20, guidance_scale=3.0, output_type="pt",
                                generator=torch.Generator().manual_seed(seed)).images
        transformer.train()
        text_encoder.train()
    return samples, captions


def _validation_set(pool: Pool, seed: int, n: int = 32, grid: int = 8) -> dict:
    """Fixed images, captions and noise at an even grid of t, so each evaluation sees the same problem."""
    g = torch.Generator().manual_seed(seed + 99)
    x0, _, _, captions, _ = pool.sample(n, g)
    t = torch.linspace(0.5 / grid, 1 - 0.5 / grid, grid).repeat_interleave(n)
    x0 = x0.repeat(grid, 1, 1, 1)
    return {"x0": x0, "t": t, "noise": torch.randn(x0.shape, generator=g), "captions": captions * grid}


@torch.no_grad()
def validation_loss(transformer, text_encoder, tokenizer, data: dict) -> float:
    """Rectified-flow loss averaged over the validation set's even t grid (uniform weight on t, as SD3 reports
    its validation loss)."""
    ids = tokenizer(data["captions"], padding="max_length", max_length=tokenizer.model_max_length,
                    truncation=True, return_tensors="pt").input_ids
    tt = data["t"][:, None, None, None]
    x_t = (1 - tt) * data["x0"] + tt * data["noise"]
    cond = pooled_and_sequence(text_encoder.eval(), ids)
    v = transformer.eval()(x_t, encoder_hidden_states=cond[:, 1:], pooled_projections=cond[:, 0],
                           timestep=data["t"] * 1000, return_dict=False)[0]
    transformer.train()
    text_encoder.train()
    return float(torch.nn.functional.mse_loss(v, data["noise"] - data["x0"]))


@torch.no_grad()
def adherence(transformer, text_encoder, tokenizer, n: int, seed: int, steps: int = 20) -> dict[str, float]:
    """The shapes classifier's verdict on ``n`` held-out scenes generated with ``steps`` Euler steps."""
    scenes = eval_scenes(n, seed + 1000)
    pipe = mmdit_pipeline(transformer.eval(), text_encoder.eval(), tokenizer)
    pipe.set_progress_bar_config(disable=True)
    with eager():  # a model still in training: a trace of it would be made, used a few times and dropped
        scores = adherence_scores(generate(pipe, scenes, steps, 3.0, seed), scenes)
    transformer.train()
    text_encoder.train()
    return scores


@torch.no_grad()
def placement(transformer, text_encoder, tokenizer, n: int, seed: int, steps: int = 20) -> dict[str, float]:
    """Position adherence on ``n`` held-out position captions, ``steps`` Euler steps, guidance 3."""
    held_out = PositionPool.make(n, seed + 1000)
    pipe = mmdit_pipeline(transformer.eval(), text_encoder.eval(), tokenizer)
    pipe.set_progress_bar_config(disable=True)
    with eager():
        images = torch.cat([pipe(held_out.captions[i:i + 16], num_inference_steps=steps, guidance_scale=3.0,
                                 generator=torch.Generator().manual_seed(seed + i), output_type="pt").images
                            for i in range(0, n, 16)])
    transformer.train()
    text_encoder.train()
    return position_adherence(images, held_out.positions)
