"""Real weights, opt-in (``RLGEN_REAL_WEIGHTS=1`` on a GPU host): Stable Diffusion 1.5 + ControlNet-canny and
Stable Diffusion 3 + its canny ControlNet, through diffusers' own pipelines, from an allow-list of hub ids with
their revisions; each base also on its own, text to image (``StableDiffusion3Pipeline`` for SD3). The same code
loads a local folder laid out as ``base/`` + ``controlnet/`` (how the tests exercise it offline, with tiny random
components)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from rlgen import runtime
from rlgen.errors import InputError


@dataclass(frozen=True)
class RealModel:
    family: str  # "sd15" or "sd3"
    base: str
    base_revision: str
    controlnet: str
    controlnet_revision: str
    resolution: int


# The allow-list: nothing outside it is ever downloaded, and each id is pinned to a commit (a branch can move).
# Where the hashes come from (this build has no network to ask the hub): SD 1.5's and SD3 medium's are the hub
# snapshot directories many projects' caches show (models--…/snapshots/<hash>); ControlNet-canny's too; the
# SD3 ControlNet's is the last weights-and-README commit on its hub page (a592216, 19 Jun 2024; "main" has
# since had one config.json-only commit, e42ecba, whose full hash was not found).
REAL_MODELS: dict[str, RealModel] = {
    "Stable Diffusion 1.5 + ControlNet canny": RealModel(
        "sd15", "stable-diffusion-v1-5/stable-diffusion-v1-5", "451f4fe16113bff5a5d2269ed5ad43b0592e9a14",
        "lllyasviel/sd-controlnet-canny", "7f2f69197050967007f6bbd23ab5e52f0384162a", 512),
    "Stable Diffusion 3 medium + ControlNet canny": RealModel(
        "sd3", "stabilityai/stable-diffusion-3-medium-diffusers", "ea42f8cef0f178587cf766dc8129abd379c90671",
        "InstantX/SD3-Controlnet-Canny", "a59221661ea027c11d813cbc595133ca8e56adb5", 1024),
}
_LOADED: dict[tuple[str, str, str], object] = {}  # (key, local root, "base" or "controlnet")
_LOADING = threading.Lock()  # two sessions asking at once load the weights once, not twice


def load_real_pipeline(key: str, local_root: str | Path | None = None, dtype: torch.dtype | None = None):
    """The diffusers ControlNet pipeline for allow-list entry ``key``: from the hub (only with real weights
    switched on) or from ``local_root``/base and ``local_root``/controlnet. Loaded once per process; it shares
    every weight but the ControlNet's with :func:`load_real_text_to_image`'s pipeline (one copy on the GPU)."""
    spec = _allowed(key, local_root)
    with _LOADING:
        cache_key = (key, str(local_root), "controlnet")
        if cache_key not in _LOADED:
            _LOADED[cache_key] = _load_controlnet(spec, _base_pipeline(key, spec, local_root, dtype), local_root)
        return _LOADED[cache_key]


def load_real_text_to_image(key: str, local_root: str | Path | None = None, dtype: torch.dtype | None = None):
    """The base text-to-image pipeline of allow-list entry ``key`` (``StableDiffusion3Pipeline`` for SD3,
    ``StableDiffusionPipeline`` for SD 1.5), pinned to its commit: from the hub (only with real weights switched
    on) or from ``local_root``/base. Loaded once per process."""
    spec = _allowed(key, local_root)
    with _LOADING:
        return _base_pipeline(key, spec, local_root, dtype)


def _allowed(key: str, local_root: str | Path | None) -> RealModel:
    if key not in REAL_MODELS:
        raise InputError("{key!r} is not on the allow-list: {real_models}.",
                         key=key, real_models=', '.join(REAL_MODELS))
    if local_root is None and not runtime.REAL_WEIGHTS:
        raise InputError("Real weights are off: set RLGEN_REAL_WEIGHTS=1 on a host with a GPU and network access.")
    return REAL_MODELS[key]


def _base_pipeline(key: str, spec: RealModel, local_root: str | Path | None, dtype: torch.dtype | None):
    """Called with ``_LOADING`` held."""
    cache_key = (key, str(local_root), "base")
    if cache_key not in _LOADED:
        device = runtime.configure_torch()
        dtype = dtype or (torch.float16 if device == "cuda" else torch.float32)
        base, revision = (spec.base, spec.base_revision) if local_root is None else (Path(local_root) / "base", None)
        # imported here, not at the top: diffusers' SD3 pipelines pull in transformers' image processors, which
        # warn at import that torchvision is absent, on every start of the app, although only a GPU host loads them
        from diffusers import StableDiffusion3Pipeline, StableDiffusionPipeline

        pipeline_cls = StableDiffusionPipeline if spec.family == "sd15" else StableDiffusion3Pipeline
        pipe = runtime.load_pretrained(pipeline_cls, base, revision=revision, dtype=dtype)
        pipe.set_progress_bar_config(disable=True)
        _LOADED[cache_key] = pipe.to(device)
    return _LOADED[cache_key]


def _load_controlnet(spec: RealModel, base_pipe, local_root: str | Path | None):
    from diffusers import (
        ControlNetModel,
        SD3ControlNetModel,
        StableDiffusion3ControlNetPipeline,
        StableDiffusionControlNetPipeline,
    )

    controlnet_cls, pipeline_cls = ((ControlNetModel, StableDiffusionControlNetPipeline) if spec.family == "sd15"
                                    else (SD3ControlNetModel, StableDiffusion3ControlNetPipeline))
    cn, revision = ((spec.controlnet, spec.controlnet_revision) if local_root is None
                    else (Path(local_root) / "controlnet", None))
    dtype = base_pipe.dtype
    controlnet = runtime.load_pretrained(controlnet_cls, cn, revision=revision, dtype=dtype)
    # from_pipe casts every component to its ``dtype`` (float32 unless told), the shared ones included
    pipe = pipeline_cls.from_pipe(base_pipe, controlnet=controlnet, dtype=dtype)
    pipe.set_progress_bar_config(disable=True)
    return pipe.to(base_pipe.device)


def control_image(control: np.ndarray, resolution: int) -> Image.Image:
    """A boolean control map as the RGB image the real ControlNets take (white edges on black)."""
    image = Image.fromarray(np.where(control, 255, 0).astype(np.uint8)).convert("RGB")
    return image.resize((resolution, resolution), Image.Resampling.NEAREST)


def _recording(record_steps: tuple[int, ...], recorded: list[tuple[int, Image.Image]]):
    """A ``callback_on_step_end`` that decodes the first image's latents after each step in ``record_steps``."""

    def on_step(pipeline, i, t, kwargs):
        if i + 1 in record_steps:
            latents = kwargs["latents"][:1]
            vae = pipeline.vae
            shift = getattr(vae.config, "shift_factor", None) or 0.0
            with torch.no_grad():
                decoded = vae.decode(latents / vae.config.scaling_factor + shift, return_dict=False)[0]
            array = ((decoded.float().clamp(-1, 1) + 1) * 127.5).byte().permute(0, 2, 3, 1).cpu().numpy()
            recorded.append((i + 1, Image.fromarray(array[0])))
        return {}

    return on_step


def generate_real(pipe, family: str, prompt: str, control: np.ndarray | None, steps: int, guidance: float,
                  strength: float, n_images: int, seed: int, resolution: int,
                  record_steps: tuple[int, ...] = ()) -> Iterator[tuple[int, list[Image.Image]]]:
    """Run the real pipeline; yields (step, decoded x_t of the first image) at ``record_steps`` (through
    diffusers' ``callback_on_step_end``), then (steps, final images). ``control`` None: a text-to-image
    pipeline (:func:`load_real_text_to_image`), ``strength`` unused."""
    recorded: list[tuple[int, Image.Image]] = []
    kwargs = dict(prompt=prompt, num_inference_steps=steps, guidance_scale=guidance,
                  num_images_per_prompt=n_images, generator=torch.Generator(device="cpu").manual_seed(seed),
                  height=resolution, width=resolution, callback_on_step_end=_recording(record_steps, recorded))
    if control is not None:
        kwargs["controlnet_conditioning_scale"] = strength
        kwargs["image" if family == "sd15" else "control_image"] = control_image(control, resolution)
    images = pipe(**kwargs).images
    for step, picture in recorded:
        yield step, [picture]
    yield steps, images
