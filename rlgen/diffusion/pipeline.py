"""The pixel-space text (+ control) to image pipeline, a diffusers ``DiffusionPipeline``: it saves and loads
with ``save_pretrained``/``from_pretrained``, is called like diffusers' pipelines and returns ``.images``.

One class serves the three shipped models. What the UNet predicts follows from the scheduler: ε for the DDPM
family (DDPM, DDIM, Euler, DPM-Solver++), the velocity v = ε − x₀ for ``FlowMatchEulerDiscreteScheduler``
(rectified flow, x_t = (1 − t)·x₀ + t·ε). :meth:`ShapesPipeline.trajectory` is the sampling loop as a
generator, yielding x_t and the predicted x₀ after every step; ``__call__`` runs it to the end."""

from __future__ import annotations

import inspect
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from weakref import WeakKeyDictionary

import numpy as np
import torch
from diffusers import (
    ControlNetModel,
    DDIMScheduler,
    DDPMScheduler,
    DiffusionPipeline,
    DPMSolverMultistepScheduler,
    EulerDiscreteScheduler,
    FlowMatchEulerDiscreteScheduler,
    ImagePipelineOutput,
    UNet2DConditionModel,
)
from PIL import Image
from transformers import CLIPTextModel, CLIPTokenizer

from rlgen.diffusion.models import unet_patch
from rlgen.diffusion.tracing import controlnet_forward, unet_forward
from rlgen.errors import InputError

MAX_STEPS = 100
MAX_IMAGES = 16
MAX_MEMO_PROMPTS = 1024
_TOKEN_IDS: WeakKeyDictionary[CLIPTokenizer, dict[str, torch.Tensor]] = WeakKeyDictionary()
_TOKEN_LOCK = threading.Lock()

# sampler name -> scheduler class and the config overrides that make it that sampler
# ("trailing" timesteps start every ε sampler at t = 999, pure noise; diffusers' default "leading" spacing starts
# a 1-step DDPM at t = 0 and a 4-step one at t = 750, which is not noise the model was asked to remove.)
TRAILING = {"timestep_spacing": "trailing"}
SAMPLERS: dict[str, tuple[type, dict]] = {
    "DDPM": (DDPMScheduler, TRAILING),
    "DDIM": (DDIMScheduler, {**TRAILING, "set_alpha_to_one": True}),
    "Euler": (EulerDiscreteScheduler, TRAILING),
    "DPM-Solver++": (DPMSolverMultistepScheduler, {**TRAILING, "algorithm_type": "dpmsolver++", "solver_order": 2}),
    "Flow Euler": (FlowMatchEulerDiscreteScheduler, {}),
}
EPSILON_SAMPLERS = ("DDPM", "DDIM", "Euler", "DPM-Solver++")
FLOW_SAMPLERS = ("Flow Euler",)


@cache
def _step_takes_generator(scheduler_class: type) -> bool:
    return "generator" in inspect.signature(scheduler_class.step).parameters


@cache
def _evenly_spaced_sigmas(steps: int) -> tuple[float, ...]:
    # Evenly spaced σ from 1 down to 1/n, then 0: the flow scheduler's default ends on a 0.001 -> 0 step,
    # so two steps would act like one (diffusers 0.42's FlowMatchEulerDiscreteScheduler.set_timesteps).
    return tuple(np.linspace(1.0, 1.0 / steps, steps))


def is_flow(scheduler) -> bool:
    return isinstance(scheduler, FlowMatchEulerDiscreteScheduler)


def make_scheduler(name: str, config) -> object:
    """The sampler ``name`` built from a trained pipeline's scheduler config (swappable, as in diffusers)."""
    if name not in SAMPLERS:
        raise InputError("Unknown sampler {name!r}; the samplers are: {samplers}.",
                         name=name, samplers=', '.join(SAMPLERS))
    cls, overrides = SAMPLERS[name]
    return cls.from_config(config, **overrides)


@dataclass
class DenoiseFrame:
    """One step of sampling: x_t after the step and the model's current estimate of x₀ (both in [-1, 1])."""

    step: int  # 1-based; equals ``total`` on the last frame
    total: int
    t: float  # the timestep the model saw on this step (σ·1000 for flow)
    x_t: torch.Tensor
    x0: torch.Tensor


def to_pil(images: torch.Tensor) -> list[Image.Image]:
    """(n, 3, h, w) in [-1, 1] to PIL RGB images."""
    array = ((images.detach().float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    return [Image.fromarray(a) for a in array.permute(0, 2, 3, 1).cpu().numpy()]


class ShapesPipeline(DiffusionPipeline):
    model_cpu_offload_seq = "text_encoder->controlnet->unet"
    _optional_components = ["controlnet"]

    def __init__(self, unet: UNet2DConditionModel, text_encoder: CLIPTextModel, tokenizer: CLIPTokenizer,
                 scheduler, controlnet: ControlNetModel | None = None) -> None:
        super().__init__()
        self.register_modules(unet=unet, text_encoder=text_encoder, tokenizer=tokenizer, scheduler=scheduler,
                              controlnet=controlnet)

    @property
    def patch(self) -> int:
        return unet_patch(self.unet)

    @property
    def resolution(self) -> int:
        return int(self.unet.config.sample_size) * self.patch

    def _device_and_dtype(self) -> tuple[torch.device, torch.dtype]:
        # the UNet's first parameter: diffusers' ``self.device`` walks every module's parameters (~4 ms a call)
        weight = next(self.unet.parameters())
        return weight.device, weight.dtype

    def predict(self, x: torch.Tensor, t, cond: torch.Tensor, control: torch.Tensor | None = None,
                control_scale: float = 1.0) -> torch.Tensor:
        """One model evaluation on pixels: patchify (2x2 pixels -> 12 channels), UNet with the ControlNet's
        residuals added when a control map is given, un-patchify."""
        patch = unet_patch(self.unet)
        patches = torch.nn.functional.pixel_unshuffle(x, patch)
        down = mid = None
        if control is not None:
            down, mid = controlnet_forward(self.controlnet, patches, t, cond, control, control_scale)
        out = unet_forward(self.unet, patches, t, cond, down, mid)
        return torch.nn.functional.pixel_shuffle(out, patch)

    @torch.no_grad()
    def encode_prompt(self, prompts: list[str]) -> torch.Tensor:
        return self.text_encoder(self.token_ids(prompts).to(self.text_encoder.device)).last_hidden_state

    def token_ids(self, prompts: list[str]) -> torch.Tensor:
        """(len(prompts), max_length) ids, padded. Each distinct prompt is tokenized once per tokenizer: the
        tokenizers library hands a batch to its thread pool, which cost ~2.5 ms a call on a busy 2-core box
        (against 0.06 ms for the work itself)."""
        with _TOKEN_LOCK:  # the memo and the tokenizer are shared by every session
            memo = _TOKEN_IDS.setdefault(self.tokenizer, {})
            missing = [p for p in dict.fromkeys(prompts) if p not in memo]
            if missing:
                if len(memo) + len(missing) > MAX_MEMO_PROMPTS:
                    memo.clear()
                ids = self.tokenizer(missing, padding="max_length", max_length=self.tokenizer.model_max_length,
                                     truncation=True, return_tensors="pt").input_ids
                memo.update(zip(missing, ids))
            return torch.stack([memo[p] for p in prompts])

    def prepare_control(self, image, n: int) -> torch.Tensor:
        """A control map (PIL image, HxW or HxWxC array in [0, 255] or bool, or a (c, h, w)/(n, c, h, w)
        tensor in [0, 1]) as an (n, 3, s, s) tensor in [0, 1] at the model's resolution."""
        s = self.resolution
        if isinstance(image, torch.Tensor):
            control = image.float()
            if control.dim() == 3:
                control = control[None]
        else:
            if isinstance(image, Image.Image):
                image = np.asarray(image.convert("RGB").resize((s, s), Image.Resampling.NEAREST))
            array = np.asarray(image)
            scale = 1.0 if array.dtype == bool or array.max() <= 1 else 255.0
            array = array.astype(np.float32) / scale
            if array.ndim == 2:
                array = np.repeat(array[..., None], 3, axis=2)
            control = torch.from_numpy(array).permute(2, 0, 1)[None]
        if control.shape[1] == 1:
            control = control.repeat(1, 3, 1, 1)
        if control.shape[-1] != s or control.shape[-2] != s:
            control = torch.nn.functional.interpolate(control, size=(s, s), mode="nearest")
        if control.shape[0] == 1:
            control = control.repeat(n, 1, 1, 1)
        return control.to(*self._device_and_dtype())

    @staticmethod
    def _sigmas(steps: int) -> list[float]:
        return list(_evenly_spaced_sigmas(steps))

    def _predict_x0(self, x: torch.Tensor, model_out: torch.Tensor, t: torch.Tensor, index: int) -> torch.Tensor:
        scheduler = self.scheduler
        if is_flow(scheduler):
            return x - scheduler.sigmas[index] * model_out  # x_t = (1 - σ)x₀ + σε and v = ε - x₀
        if isinstance(scheduler, EulerDiscreteScheduler):
            return x - scheduler.sigmas[index] * model_out  # Euler works on x = x₀ + σε
        alpha_bar = scheduler.alphas_cumprod[int(t)].to(x)
        return (x - (1 - alpha_bar).sqrt() * model_out) / alpha_bar.sqrt()  # x_t = √ᾱ x₀ + √(1−ᾱ) ε

    @torch.no_grad()
    def trajectory(self, prompt: str | list[str] = "", image=None, num_inference_steps: int = 20,
                   guidance_scale: float = 3.0, controlnet_conditioning_scale: float = 1.0,
                   num_images_per_prompt: int = 1, generator: torch.Generator | None = None,
                   use_controlnet: bool = True) -> Iterator[DenoiseFrame]:
        """The sampling loop, one frame per step. Classifier-free guidance (the model was trained with 10 % of
        captions dropped): out = out(∅) + w·(out(c) − out(∅))."""
        if not 1 <= num_inference_steps <= MAX_STEPS:
            raise InputError("Steps must lie between 1 and {max_steps} (got {num_inference_steps}).",
                             max_steps=MAX_STEPS, num_inference_steps=num_inference_steps)
        prompts = [prompt] if isinstance(prompt, str) else list(prompt)
        n = len(prompts) * num_images_per_prompt
        if not 1 <= n <= MAX_IMAGES:
            raise InputError("At most {max_images} images at a time (asked for {n}).", max_images=MAX_IMAGES, n=n)
        prompts = [p for p in prompts for _ in range(num_images_per_prompt)]
        guided = guidance_scale != 1.0
        cond = self.encode_prompt([""] * n + prompts if guided else prompts)  # one text-encoder call
        control_net = self.controlnet if use_controlnet and image is not None else None
        if use_controlnet and image is not None and self.controlnet is None:
            raise InputError("This pipeline has no ControlNet; load the 'controlnet' pipeline to use a control map.")
        control = self.prepare_control(image, n) if control_net is not None else None
        if control is not None and guided:
            control = torch.cat([control, control])

        scheduler = self.scheduler
        device, dtype = self._device_and_dtype()
        if is_flow(scheduler):
            scheduler.set_timesteps(device=device, sigmas=self._sigmas(num_inference_steps))
        else:
            scheduler.set_timesteps(num_inference_steps, device=device)
        s = self.resolution
        x = torch.randn((n, 3, s, s), generator=generator, device=device, dtype=dtype)
        x = x * getattr(scheduler, "init_noise_sigma", 1.0)
        step_kwargs = {"generator": generator} if _step_takes_generator(type(scheduler)) else {}
        timesteps = scheduler.timesteps
        for i, t in enumerate(timesteps):
            model_in = torch.cat([x, x]) if guided else x
            if hasattr(scheduler, "scale_model_input"):
                model_in = scheduler.scale_model_input(model_in, t)
            out = self.predict(model_in, t, cond, control, controlnet_conditioning_scale)
            if guided:
                uncond, cond_out = out.chunk(2)
                out = uncond + guidance_scale * (cond_out - uncond)
            x0 = self._predict_x0(x, out, t, i)
            x = scheduler.step(out, t, x, **step_kwargs, return_dict=False)[0]
            yield DenoiseFrame(i + 1, len(timesteps), float(t), x, x0.clamp(-1, 1))

    @torch.no_grad()
    def __call__(self, prompt: str | list[str] = "", image=None, num_inference_steps: int = 20,
                 guidance_scale: float = 3.0, controlnet_conditioning_scale: float = 1.0,
                 num_images_per_prompt: int = 1, generator: torch.Generator | None = None,
                 output_type: str = "pil", use_controlnet: bool = True, return_dict: bool = True):
        frames = self.trajectory(prompt, image, num_inference_steps, guidance_scale, controlnet_conditioning_scale,
                                 num_images_per_prompt, generator, use_controlnet)
        images = deque(frames, maxlen=1)[0].x_t.clamp(-1, 1)  # run to the end, keep the last frame
        if output_type == "pil":
            images = to_pil(images)
        elif output_type == "np":
            images = ((images + 1) / 2).permute(0, 2, 3, 1).cpu().numpy()
        elif output_type != "pt":
            raise InputError("output_type must be 'pil', 'np' or 'pt' (got {output_type!r}).", output_type=output_type)
        return ImagePipelineOutput(images=images) if return_dict else (images,)
