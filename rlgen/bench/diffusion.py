"""`python -m rlgen.bench diffusion [--json PATH] [--quick]`: seconds per 32x32 image by sampler and step count
on one CPU thread (batch of 1, classifier-free guidance on, as the tab runs), the same with the eager (untraced)
UNet, and our pipeline against the same UNet call in a bare loop (text encoding, patchify, the traced UNet on the
guided batch, guidance, Euler step — nothing else), in CPU seconds: the overhead the pipeline's scheduler,
checks and bookkeeping add."""

from __future__ import annotations

import os
import time
from functools import partial

import numpy as np
import torch

from rlgen import runtime
from rlgen.bench._report import best_time, parse_args, report
from rlgen.diffusion.tracing import eager, unet_forward, wait_for_traces

STEPS = (1, 4, 20)
QUICK_STEPS = (1, 4)
GUIDANCE = 3.0
PROMPT = "a red star on a blue background"


def pipelines():
    """The shipped pipelines when present, else the same architecture freshly initialised (timing does not
    depend on the weights)."""
    from rlgen.diffusion.checkpoint import CHECKPOINTS, load_pipeline
    from rlgen.diffusion.models import build_controlnet, build_text_encoder, build_tokenizer, build_unet
    from rlgen.diffusion.pipeline import ShapesPipeline, make_scheduler
    from rlgen.diffusion.training import _pipeline

    found = {}
    for name, objective in (("flow", "flow"), ("base", "epsilon")):
        if (runtime.checkpoint_path(CHECKPOINTS[name]) / "model_index.json").exists():
            found[name] = load_pipeline(name)
        else:
            torch.manual_seed(0)
            tokenizer = build_tokenizer()
            found[name] = _pipeline(build_unet(), build_text_encoder(len(tokenizer)), tokenizer, objective)
            found[name].set_progress_bar_config(disable=True)
    if (runtime.checkpoint_path(CHECKPOINTS["controlnet"]) / "model_index.json").exists():
        found["controlnet"] = load_pipeline("controlnet")
    else:
        found["controlnet"] = ShapesPipeline(**{**found["flow"].components,
                                                "controlnet": build_controlnet(found["flow"].unet).eval()})
    return found, make_scheduler


def best_cpu_time(fn, repeats: int = 2) -> float:
    """The least CPU time of ``repeats`` runs: on a box shared with other jobs, wall time also counts the spells
    this process waited for a core, which say nothing about the work either side does."""
    return best_time(fn, repeats, clock=time.process_time)


def star_edges() -> np.ndarray:
    """The canny map of a procedural star, the control image the ControlNet rows use."""
    from rlgen.diffusion.shapes import Scene, ShapeSpec, canny_edges, render

    return canny_edges(render(Scene((ShapeSpec("star", "red", 16, 16, 10),), "blue")))


@torch.no_grad()
def bare_flow_loop(pipe, steps: int, seed: int = 0) -> torch.Tensor:
    """Rectified-flow Euler sampling with the UNet called directly: x ← x + (σ_{k+1} − σ_k)·v̂."""
    g = torch.Generator().manual_seed(seed)
    cond = pipe.encode_prompt(["", PROMPT])
    x = torch.randn((1, 3, 32, 32), generator=g)
    sigmas = torch.linspace(1.0, 1.0 / steps, steps).tolist() + [0.0]
    for k in range(steps):
        patches = torch.nn.functional.pixel_unshuffle(torch.cat([x, x]), 2)
        out = unet_forward(pipe.unet, patches, torch.tensor(sigmas[k] * 1000), cond)
        uncond, conditional = torch.nn.functional.pixel_shuffle(out, 2).chunk(2)
        x = x + (sigmas[k + 1] - sigmas[k]) * (uncond + GUIDANCE * (conditional - uncond))
    return x


def sample(pipe, steps: int, output_type: str = "pil", image: np.ndarray | None = None):
    return pipe(PROMPT, image=image, num_inference_steps=steps, guidance_scale=GUIDANCE, output_type=output_type,
                generator=torch.Generator().manual_seed(0)).images


def main(argv: list[str]) -> int:
    args = parse_args(argv, __doc__)
    runtime.configure_torch()
    torch.set_num_threads(1)  # the figure is per thread, whatever the host
    found, make_scheduler = pipelines()
    steps_list = QUICK_STEPS if args.quick else STEPS
    repeats = 2 if args.quick else 5
    # the box is shared: the load says how much the wall times below may be inflated
    rows, figures = [], {"load_average_1min_at_start": os.getloadavg()[0], "seconds_per_image": {}, "overhead": {}}
    samplers = [("flow", "Flow Euler"), ("base", "DDPM"), ("base", "DDIM"), ("base", "Euler"),
                ("base", "DPM-Solver++")]
    edges = star_edges()
    sample(found["controlnet"], 1, image=edges)
    for name, sampler in samplers:
        pipe = found[name]
        pipe.scheduler = make_scheduler(sampler, pipe.scheduler.config)
        sample(pipe, 1)  # start the traces this sampler's inputs need (timestep dtypes differ) ...
        wait_for_traces()  # ... and time the calls that use them
        for steps in steps_list:
            seconds = best_time(partial(sample, pipe, steps), repeats)
            figures["seconds_per_image"][f"{sampler} {steps}"] = seconds
            rows.append({"sampler": sampler, "steps": steps, "s/image": seconds})
    for steps in steps_list:
        seconds = best_time(partial(sample, found["controlnet"], steps, image=edges), repeats)
        figures["seconds_per_image"][f"Flow Euler + ControlNet {steps}"] = seconds
        rows.append({"sampler": "Flow Euler + ControlNet (canny)", "steps": steps, "s/image": seconds})
    flow = found["flow"]
    flow.scheduler = make_scheduler("Flow Euler", flow.scheduler.config)
    with eager():
        for steps in steps_list:
            seconds = best_time(partial(sample, flow, steps), repeats)
            figures["seconds_per_image"][f"Flow Euler {steps} (eager UNet)"] = seconds
            rows.append({"sampler": "Flow Euler (eager UNet)", "steps": steps, "s/image": seconds})
    for steps in steps_list:
        piped = bare = float("inf")
        for _ in range(4 * repeats):  # interleaved, so a burst of load on the shared box hits both alike
            piped = min(piped, best_cpu_time(partial(sample, flow, steps, "pt")))
            bare = min(bare, best_cpu_time(partial(bare_flow_loop, flow, steps)))
        figures["overhead"][str(steps)] = {"pipeline_cpu_s": piped, "bare_loop_cpu_s": bare, "ratio": piped / bare}
        rows.append({"sampler": f"pipeline/bare loop ({steps} steps)", "steps": steps, "s/image": piped / bare})
    same = torch.allclose(flow(PROMPT, num_inference_steps=4, guidance_scale=GUIDANCE, output_type="pt",
                               generator=torch.Generator().manual_seed(0)).images,
                          bare_flow_loop(flow, 4).clamp(-1, 1), atol=1e-5)
    figures["bare_loop_matches_pipeline"] = bool(same)
    if not args.quick:
        twenty = [v for k, v in figures["seconds_per_image"].items() if k.endswith(" 20") and "+" not in k]
        figures["targets"] = {
            "20_step_image_under_0.5s_every_sampler": max(twenty) < 0.5,
            "20_step_controlnet_image_under_0.5s": figures["seconds_per_image"]["Flow Euler + ControlNet 20"] < 0.5,
            "pipeline_overhead_under_10pct_every_step_count": max(o["ratio"] for o in figures["overhead"].values())
            < 1.10,
        }
    report("Diffusion sampling on one CPU thread (32x32, batch 1, CFG on): seconds per image; last rows are "
           "the pipeline/bare-loop time ratio", rows, figures, args.json)
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    seconds = record["seconds_per_image"]
    overhead = max(v["ratio"] for v in record["overhead"].values()) - 1
    return [("one 32×32 image, 20 steps, one thread",
             f"{seconds['Flow Euler 20']:.2f} s (rectified flow), {seconds['Flow Euler + ControlNet 20']:.2f} s "
             f"with ControlNet; the pipeline adds {100 * overhead:.1f} % to a bare sampling loop")]
