"""`python -m rlgen.bench sd3 [--json PATH] [--quick]`: the tiny MMDiT against the UNet it stands beside — CPU
seconds per 32x32 image at 4 and 20 Euler steps on one thread (batch 1, classifier-free guidance on, as the tab
runs; both denoisers traced, as the tab runs them, and the MMDiT also eager), parameters, and the prompt adherence
each checkpoint's TRAINING.json records (same held-out scenes, seed and guidance). The load average at start and
end is recorded next to the figures: other processes on a shared box slow a single thread down."""

from __future__ import annotations

import json
import os
import time
from functools import partial

import torch

from rlgen import runtime
from rlgen.bench._report import best_time, parse_args, report
from rlgen.diffusion.tracing import eager, wait_for_traces

GUIDANCE = 3.0
PROMPT = "a red star on a blue background"


def pipelines() -> dict:
    """The shipped UNet (rectified flow) and MMDiT pipelines, or fresh ones of the same shapes where a checkpoint
    is missing (timing does not depend on the weights)."""
    from rlgen.diffusion.checkpoint import CHECKPOINTS, load_pipeline
    from rlgen.diffusion.mmdit import build_mmdit
    from rlgen.diffusion.models import build_text_encoder, build_tokenizer, build_unet
    from rlgen.diffusion.sd3_checkpoint import MMDIT_CHECKPOINT, load_mmdit_pipeline
    from rlgen.diffusion.sd3_training import mmdit_pipeline
    from rlgen.diffusion.training import _pipeline

    with runtime.seeded(0):
        tokenizer = build_tokenizer()
        if (runtime.checkpoint_path(CHECKPOINTS["flow"]) / "model_index.json").exists():
            unet = load_pipeline("flow")
        else:
            unet = _pipeline(build_unet(), build_text_encoder(len(tokenizer)), tokenizer, "flow")
        if (runtime.checkpoint_path(MMDIT_CHECKPOINT) / "model_index.json").exists():
            mmdit = load_mmdit_pipeline()
        else:
            mmdit = mmdit_pipeline(build_mmdit().eval(), build_text_encoder(len(tokenizer)).eval(), tokenizer)
    for pipe in (unet, mmdit):
        pipe.set_progress_bar_config(disable=True)
    return {"UNet": unet, "MMDiT": mmdit}


def sample(pipe, steps: int) -> torch.Tensor:
    return pipe(PROMPT, num_inference_steps=steps, guidance_scale=GUIDANCE, output_type="pt",
                generator=torch.Generator().manual_seed(0)).images


def adherence(name: str) -> float | None:
    from rlgen.diffusion.checkpoint import CHECKPOINTS
    from rlgen.diffusion.sd3_checkpoint import MMDIT_CHECKPOINT

    path = runtime.checkpoint_path(CHECKPOINTS["flow"] if name == "UNet" else MMDIT_CHECKPOINT) / "TRAINING.json"
    if not path.exists():
        return None
    return json.loads(path.read_text()).get("metrics", {}).get("Flow Euler 20 steps", {}).get("all")


def main(argv: list[str]) -> int:
    args = parse_args(argv, __doc__)
    runtime.configure_torch()
    torch.set_num_threads(1)  # the figure is per thread, whatever the host
    pipes = pipelines()
    steps_list = (4,) if args.quick else (4, 20)
    repeats = 2 if args.quick else 5
    figures: dict = {"load_average_1min_at_start": os.getloadavg()[0], "models": {}}
    rows = []
    for name, pipe in pipes.items():
        denoiser = pipe.unet if name == "UNet" else pipe.transformer
        sample(pipe, 1)  # warm up (and queue the traces)
        figures["models"][name] = {"parameters": sum(p.numel() for p in denoiser.parameters()),
                                   "adherence_20_steps": adherence(name), "cpu_s_per_image": {}}
    figures["models"]["MMDiT"]["cpu_s_per_image_eager"] = {}
    wait_for_traces()  # the worker thread's CPU would otherwise count in the timed calls
    for steps in steps_list:
        best = {name: float("inf") for name in (*pipes, "MMDiT eager")}
        for _ in range(repeats):  # interleaved, so a burst of load on the shared box hits all alike
            for name, pipe in pipes.items():
                best[name] = min(best[name], best_time(partial(sample, pipe, steps), 1, clock=time.process_time))
            with eager():
                best["MMDiT eager"] = min(best["MMDiT eager"], best_time(partial(sample, pipes["MMDiT"], steps), 1,
                                                                         clock=time.process_time))
        for name in pipes:
            figures["models"][name]["cpu_s_per_image"][str(steps)] = best[name]
        figures["models"]["MMDiT"]["cpu_s_per_image_eager"][str(steps)] = best["MMDiT eager"]
        rows.append({"": f"CPU s per image, {steps} steps", "UNet": best["UNet"], "MMDiT": best["MMDiT"],
                     "MMDiT/UNet": best["MMDiT"] / best["UNet"], "MMDiT eager": best["MMDiT eager"]})
    models = figures["models"]
    for label, key in (("parameters", "parameters"), ("adherence, 20 steps", "adherence_20_steps")):
        unet, mmdit = models["UNet"][key], models["MMDiT"][key]
        rows.append({"": label, "UNet": unet, "MMDiT": mmdit,
                     "MMDiT/UNet": mmdit / unet if unet and mmdit is not None else "", "MMDiT eager": ""})
    figures["load_average_1min_at_end"] = os.getloadavg()[0]
    if not args.quick:
        mmdit_adherence, unet_adherence = models["MMDiT"]["adherence_20_steps"], models["UNet"]["adherence_20_steps"]
        figures["targets"] = {
            "mmdit_20_step_image_under_0.5s": models["MMDiT"]["cpu_s_per_image"]["20"] < 0.5,
            "mmdit_adherence_at_least_unet": None if None in (mmdit_adherence, unet_adherence)
            else mmdit_adherence >= unet_adherence,
        }
    report("MMDiT vs UNet on one CPU thread (32x32, batch 1, CFG on): CPU seconds per image, parameters and prompt "
           "adherence",
           rows, figures, args.json)
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    models = record["models"]
    return [("MMDiT against the UNet, 20 steps, one thread", ", ".join(
        f"{name}: {m['cpu_s_per_image']['20']:.2f} CPU s, {m['parameters'] / 1e6:.1f} M parameters, "
        f"adherence {100 * m['adherence_20_steps']:.0f} %" for name, m in models.items()))]
