"""SD3's latent-channel experiment (SD3 §5.2.1, Table 3): two tiny KL autoencoders, 32x32x3 -> 8x8xC with C = 4
and C = 16, learn to reconstruct the shapes; then a small MMDiT learns rectified flow in each one's latent space,
and its samples are decoded and judged by the shapes classifier.

More channels keep more of the image (reconstruction PSNR/SSIM), but the paper also notes that the larger latent
space asks more of the diffusion model: its gains grow with model size. Both halves are measured here."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
from diffusers import AutoencoderKL
from skimage.metrics import structural_similarity

from rlgen import runtime
from rlgen.diffusion.metrics import adherence_scores, eval_scenes
from rlgen.diffusion.mmdit import build_mmdit, pooled_and_sequence
from rlgen.diffusion.models import build_text_encoder, build_tokenizer
from rlgen.diffusion.sd3_runs import SAMPLES_PER_ARM, SMALL_MMDIT, ExperimentFrame, record
from rlgen.diffusion.sd3_training import flow_matching_steps
from rlgen.diffusion.training import Pool

LATENT_ARMS = {"4 latent channels": 4, "16 latent channels": 16}
LATENT_SIDE = 8  # 32x32 pixels -> 8x8 latents; the latent MMDiT takes 1x1 patches: 64 tokens, as the pixel one


def build_vae(latent_channels: int) -> AutoencoderKL:
    """A tiny KL autoencoder, 32x32x3 -> 8x8xC (two downsamplings by 2 and a third block at 8x8)."""
    return AutoencoderKL(in_channels=3, out_channels=3, latent_channels=latent_channels,
                         down_block_types=("DownEncoderBlock2D",) * 3, up_block_types=("UpDecoderBlock2D",) * 3,
                         block_out_channels=(16, 32, 32), layers_per_block=1, norm_num_groups=8, sample_size=32)


def psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    """Peak signal-to-noise ratio of images in [-1, 1] (peak-to-peak 2): 10·log₁₀(2² / MSE)."""
    return float(10 * torch.log10(4.0 / torch.nn.functional.mse_loss(a.clamp(-1, 1), b)))


def ssim(a: torch.Tensor, b: torch.Tensor) -> float:
    """Mean SSIM (scikit-image, over RGB channels) of images in [-1, 1]."""
    a_np, b_np = (x.clamp(-1, 1).permute(0, 2, 3, 1).numpy() for x in (a, b))
    return float(np.mean([structural_similarity(x, y, channel_axis=2, data_range=2.0) for x, y in zip(a_np, b_np)]))


def vae_step(vae: AutoencoderKL, opt: torch.optim.Optimizer, x0: torch.Tensor, g: torch.Generator) -> float:
    """One step of L1 reconstruction + a small KL weight (as latent-diffusion autoencoders, without the
    adversarial and perceptual terms)."""
    posterior = vae.encode(x0).latent_dist
    z = posterior.mean + posterior.std * torch.randn(posterior.mean.shape, generator=g)
    loss = (vae.decode(z).sample - x0).abs().mean() + 1e-6 * posterior.kl().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


@torch.no_grad()
def reconstruct(vae: AutoencoderKL, images: torch.Tensor) -> torch.Tensor:
    return vae.decode(vae.encode(images).latent_dist.mean).sample


@dataclass
class LatentPool:
    """A pool's images (and their mirror images) encoded once by a trained VAE, shifted and scaled to zero mean
    and unit variance as SD3 does with its VAE's ``shift_factor`` and ``scaling_factor``; sampled like a
    :class:`~rlgen.diffusion.training.Pool`."""

    latents: torch.Tensor
    captions: list[str]
    shift: float
    scale: float

    @classmethod
    @torch.no_grad()
    def encode(cls, vae: AutoencoderKL, pool: Pool) -> LatentPool:
        images = torch.cat([pool.images, pool.images.flip(-1)])  # a mirror keeps every caption true
        means = torch.cat([vae.encode(chunk).latent_dist.mean for chunk in images.split(256)])
        shift, scale = float(means.mean()), float(1 / means.std())
        return cls((means - shift) * scale, pool.captions * 2, shift, scale)

    def sample(self, n: int, g: torch.Generator) -> tuple:
        idx = torch.randint(len(self.captions), (n,), generator=g).tolist()
        return self.latents[idx], None, None, [self.captions[i] for i in idx], None

    @torch.no_grad()
    def decode(self, vae: AutoencoderKL, latents: torch.Tensor) -> torch.Tensor:
        return vae.decode(latents / self.scale + self.shift).sample.clamp(-1, 1)


@torch.no_grad()
def sample_latents(transformer, text_encoder, tokenizer, captions: list[str], channels: int, seed: int,
                   steps: int = 20, guidance: float = 3.0) -> torch.Tensor:
    """Euler steps along the learned velocity from noise (σ = 1) to data (σ = 0), with classifier-free guidance
    v = v(∅) + w·(v(c) − v(∅)), as the pixel pipelines sample."""
    n = len(captions)
    ids = tokenizer([""] * n + captions, padding="max_length", max_length=tokenizer.model_max_length,
                    truncation=True, return_tensors="pt").input_ids
    cond = pooled_and_sequence(text_encoder.eval(), ids)
    transformer.eval()
    z = torch.randn((n, channels, LATENT_SIDE, LATENT_SIDE), generator=torch.Generator().manual_seed(seed))
    sigmas = torch.linspace(1.0, 0.0, steps + 1)
    for sigma, following in zip(sigmas[:-1], sigmas[1:]):
        v = transformer(torch.cat([z, z]), encoder_hidden_states=cond[:, 1:], pooled_projections=cond[:, 0],
                        timestep=(sigma * 1000).expand(2 * n), return_dict=False)[0]
        unconditional, conditional = v.chunk(2)
        z = z + (following - sigma) * (unconditional + guidance * (conditional - unconditional))
    transformer.train()
    text_encoder.train()
    return z


def latent_channels(steps: int, seed: int, batch: int, eval_every: int, pool_size: int, lr: float,
                    adherence_n: int, adherence_curve: bool) -> Iterator[ExperimentFrame]:
    """The experiment in two phases of ``steps`` steps each: both VAEs learn to reconstruct (PSNR and SSIM on
    held-out images), then an MMDiT per VAE learns rectified flow in its latents (loss, and the classifier's
    prompt adherence of decoded samples, at the end or with ``adherence_curve`` at every evaluation)."""
    pool = Pool.make(pool_size, seed, controls=False)
    held_out = Pool.make(64, seed + 1, controls=False).images
    curves: dict = {}
    start = time.perf_counter()
    vaes = [_seeded_vae(channels, seed) for channels in LATENT_ARMS.values()]
    opts = [torch.optim.AdamW(v.parameters(), lr=lr) for v in vaes]
    g = torch.Generator().manual_seed(seed)
    for step in range(1, steps + 1):
        x0 = pool.sample(batch, g)[0]
        for arm, vae, opt in zip(LATENT_ARMS, vaes, opts):
            vae_step(vae, opt, x0, g)
            if step % eval_every == 0 or step == steps:
                out = reconstruct(vae, held_out)
                record(curves, arm, "PSNR (dB)", step, psnr(out, held_out))
                record(curves, arm, "SSIM", step, ssim(out, held_out))
        yield ExperimentFrame("latent_channels", step, 2 * steps, curves, time.perf_counter() - start)
    for frame in _latent_diffusion(vaes, pool, steps, seed, batch, eval_every, adherence_n, adherence_curve, curves):
        frame.step, frame.total, frame.seconds = steps + frame.step, 2 * steps, time.perf_counter() - start
        yield frame


def _seeded_vae(channels: int, seed: int) -> AutoencoderKL:
    with runtime.seeded(seed):
        return build_vae(channels)


def _latent_diffusion(vaes: list[AutoencoderKL], pool: Pool, steps: int, seed: int, batch: int, eval_every: int,
                      adherence_n: int, adherence_curve: bool, curves: dict) -> Iterator[ExperimentFrame]:
    """An MMDiT per (frozen) VAE over its 8x8 latents (1x1 patches: 64 tokens, as the pixel MMDiT's 4x4 patches
    of 32x32), from the same initial weights but the layers whose size follows C, on the same batches."""
    latent_pools = [LatentPool.encode(vae.eval(), pool) for vae in vaes]
    with runtime.seeded(seed):
        tokenizer = build_tokenizer()
    models = []
    for channels in LATENT_ARMS.values():
        with runtime.seeded(seed):
            models.append((build_mmdit(resolution=LATENT_SIDE, patch=1, in_channels=channels, **SMALL_MMDIT),
                           build_text_encoder(len(tokenizer))))
    loops = [flow_matching_steps(tf, te, tokenizer, latents, steps, batch, 1e-3, seed, warmup=20)
             for (tf, te), latents in zip(models, latent_pools)]
    scenes = eval_scenes(adherence_n, seed + 1000)
    shown = eval_scenes(SAMPLES_PER_ARM, seed + 2000)
    losses: dict[str, list[float]] = {arm: [] for arm in LATENT_ARMS}
    for step in range(1, steps + 1):
        samples = {}
        for arm, loop, vae, latents, (tf, te) in zip(LATENT_ARMS, loops, vaes, latent_pools, models):
            losses[arm].append(next(loop).loss)
            if step % eval_every == 0 or step == steps:
                record(curves, arm, "latent flow loss", step, float(np.mean(losses[arm][-eval_every:])))
            if step == steps or (adherence_curve and step % eval_every == 0):
                images = decoded_samples(tf, te, tokenizer, vae, latents, [s.caption for s in scenes], seed)
                record(curves, arm, "prompt adherence", step, adherence_scores(images, scenes)["all"])
            if step == steps:
                samples[arm] = decoded_samples(tf, te, tokenizer, vae, latents, [s.caption for s in shown], seed)
        yield ExperimentFrame("latent_channels", step, steps, curves, done=step == steps, samples=samples or None,
                              sample_captions=[s.caption for s in shown] if samples else None)


def decoded_samples(transformer, text_encoder, tokenizer, vae: AutoencoderKL, latents: LatentPool,
                    captions: list[str], seed: int) -> torch.Tensor:
    """Images for ``captions``: 20 guided Euler steps in the latent space, decoded by the arm's VAE."""
    channels = latents.latents.shape[1]
    return latents.decode(vae, sample_latents(transformer, text_encoder, tokenizer, captions, channels, seed))
