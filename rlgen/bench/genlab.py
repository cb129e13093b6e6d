"""`python -m rlgen.bench genlab [--json PATH] [--quick]`: how long each generative-lab model trains, on one
thread, before it reaches the quality the tests hold it to, and how many points per second each sampler makes.
Peer: diffusers' DDPMScheduler running the same ε-net (when diffusers is installed)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import numpy as np

from rlgen.bench._report import best_time, parse_args, report
from rlgen.genlab import autoregressive as ar
from rlgen.genlab import toy2d_data
from rlgen.genlab.flow import euler_paths, straightness, train_rectified_flow
from rlgen.genlab.lab2d import relative_error
from rlgen.genlab.metrics import mmd2
from rlgen.genlab.score import annealed_langevin_sample, train_score
from rlgen.genlab.sde import SDES, ddpm_ancestral, probability_flow, reverse_sde, train_ddpm, train_sde_score

MMD_THRESHOLD = 0.02  # as in tests/test_genlab.py
SCORE_ERROR_THRESHOLD = 0.10
REFLOW_ONE_STEP_THRESHOLD = 0.04
AR_MARGIN_BITS = 8.0


def seconds_to_threshold(frames: Iterator, quality: Callable[[object], float], threshold: float,
                         check_every: int) -> tuple[float | None, int, float]:
    """Train, pausing the clock every ``check_every`` steps to measure quality; returns (training seconds when
    the quality first reached the threshold or None, the step, the last quality)."""
    elapsed, start, value = 0.0, time.perf_counter(), float("nan")
    for frame in frames:
        if frame.step % check_every and frame.step != frame.total_steps:
            continue
        elapsed += time.perf_counter() - start
        value = quality(frame)
        if value < threshold:
            return elapsed, frame.step, value
        start = time.perf_counter()
    return None, -1, value


def training_rows(quick: bool) -> list[dict]:
    scale = 0.1 if quick else 1.0  # --quick: a smoke run (thresholds may not be reached)
    steps = int(4000 * scale)
    check = max(25, int(250 * scale))
    moons = toy2d_data.sample("two moons", 20_000, 0)
    reference = toy2d_data.sample("two moons", 1000, 5)
    mixture_data = toy2d_data.sample("gaussian mixture", 20_000, 0)
    mix = toy2d_data.mixture("gaussian mixture")
    rows = []

    def score_error(frame) -> float:
        model = frame.model
        hi, lo = model.sigmas[0], model.sigmas[-1]
        return float(np.mean([relative_error(model, mix, float(np.log(s / lo) / np.log(hi / lo)), n=1000)
                              for s in model.sigmas]))

    def sde_mmd(frame) -> float:
        start = frame.model.prior(1000, 3)
        return max(mmd2(reverse_sde(frame.model, start, 200, 4)[-1], reference),
                   mmd2(probability_flow(frame.model, start, 200)[-1], reference))

    cases = [
        ("SMLD score net (mixture)", "mean relative score error", SCORE_ERROR_THRESHOLD,
         train_score(mixture_data, steps=steps, seed=0, every=check), score_error),
        ("VE SDE (two moons)", "max MMD², reverse SDE & PF-ODE", MMD_THRESHOLD,
         train_sde_score(moons, SDES["VE SDE"], steps=steps, seed=0, every=check), sde_mmd),
        ("VP SDE (two moons)", "max MMD², reverse SDE & PF-ODE", MMD_THRESHOLD,
         train_sde_score(moons, SDES["VP SDE"], steps=steps, seed=0, every=check), sde_mmd),
        ("DDPM (two moons)", "MMD², ancestral", MMD_THRESHOLD, train_ddpm(moons, steps=steps, seed=0, every=check),
         lambda f: mmd2(f.model.sample(1000, 3), reference)),
    ]

    def one_step(frame) -> float:
        flow = frame.model
        if flow.second is None:
            return float("inf")
        return mmd2(euler_paths(flow.second, flow.first.prior(1000, 3), 1)[-1], reference)

    rf_steps = int(2000 * scale)
    cases.append(("Rectified flow + reflow (two moons)", "MMD², one Euler step", REFLOW_ONE_STEP_THRESHOLD,
                  train_rectified_flow(moons, steps=rf_steps, reflow_steps=rf_steps, seed=0, every=check), one_step))
    baseline = ar.BernoulliBaseline.fit(ar.binarized_digits()[0]).nll_bits(ar.binarized_digits()[1])
    for kind in ("FVSBN", "NADE"):
        cases.append((f"{kind} (digits)", "held-out bits/image", baseline - AR_MARGIN_BITS,
                      ar.train_autoregressive(kind, steps=int(1600 * scale), seed=0, every=max(10, check // 5)),
                      lambda f: f.test_bits))
    for name, measure, threshold, frames, quality in cases:
        seconds, step, value = seconds_to_threshold(frames, quality, threshold, check if "digits" not in name
                                                    else max(10, check // 5))
        rows.append({"model": name, "quality": measure, "threshold": round(threshold, 4),
                     "reached": round(value, 4), "step": step,
                     "train_s": None if seconds is None else round(seconds, 2)})
    return rows


def throughput_rows(quick: bool) -> tuple[list[dict], dict]:
    n = 500 if quick else 2000
    moons = toy2d_data.sample("two moons", 20_000, 0)
    steps = 60 if quick else 300
    score = list(train_score(moons, steps=steps, every=steps))[-1].model
    vp = list(train_sde_score(moons, SDES["VP SDE"], steps=steps, every=steps))[-1].model
    ddpm = list(train_ddpm(moons, steps=steps, every=steps))[-1].model
    flow = list(train_rectified_flow(moons, steps=steps, reflow_steps=steps, every=steps))[-1].model
    digits = list(ar.train_autoregressive("NADE", steps=20, every=20))[-1].model
    start = vp.prior(n, 0)
    samplers = {
        "annealed Langevin (10 levels × 50)": lambda: annealed_langevin_sample(score, n, 0, 50),
        "reverse SDE, Euler–Maruyama (200 steps)": lambda: reverse_sde(vp, start, 200, 0),
        "probability-flow ODE, Euler (200 steps)": lambda: probability_flow(vp, start, 200),
        "DDPM ancestral (100 steps)": lambda: ddpm_ancestral(ddpm, start, 0),
        "rectified flow, Euler (100 steps)": lambda: euler_paths(flow.first, start, 100),
        "rectified flow after reflow, 1 step": lambda: euler_paths(flow.second, start, 1),
        "NADE, 64 pixels (images, not points)": lambda: ar.sample_images(digits, min(n, 1000), 0),
    }
    rows = []
    for name, run in samplers.items():
        seconds = best_time(run, repeats=2 if quick else 3)
        count = min(n, 1000) if name.startswith("NADE") else n
        rows.append({"sampler": name, "points": count, "seconds": round(seconds, 4),
                     "points_per_s": round(count / seconds, 1)})
    peer = ddpm_peer(ddpm, start, quick)
    if peer:
        rows.append(peer)
    path = euler_paths(flow.first, start, 100), euler_paths(flow.second, start, 100)
    extra = {"straightness_1rf": straightness(path[0]), "straightness_2rf": straightness(path[1])}
    return rows, extra


def ddpm_peer(model, start: np.ndarray, quick: bool) -> dict | None:
    """The same ε-net stepped by diffusers' DDPMScheduler (β variance, no clipping): the sampler a user would
    otherwise pick. Returns its throughput row, or None without diffusers."""
    try:
        from diffusers import DDPMScheduler
    except ImportError:
        return None
    import torch

    scheduler = DDPMScheduler(num_train_timesteps=len(model.betas),
                              trained_betas=model.betas.tolist(), variance_type="fixed_large", clip_sample=False)
    scheduler.set_timesteps(len(model.betas))

    def run() -> np.ndarray:
        gen = torch.Generator().manual_seed(0)
        x = torch.as_tensor(start)
        with torch.no_grad():
            for k in scheduler.timesteps:
                eps = model.eps_tensor(x, torch.full((len(x),), int(k)))
                x = scheduler.step(eps, int(k), x, generator=gen).prev_sample
        return x.numpy()

    seconds = best_time(run, repeats=2 if quick else 3)
    return {"sampler": "peer: diffusers DDPMScheduler, same net (100 steps)", "points": len(start),
            "seconds": round(seconds, 4), "points_per_s": round(len(start) / seconds, 1)}


def main(argv: list[str]) -> int:
    args = parse_args(argv, __doc__)
    from rlgen import runtime

    runtime.configure_torch()
    started = time.perf_counter()
    load = os.getloadavg()[0]
    training = training_rows(args.quick)
    report("Generative lab: training seconds to the quality thresholds (1 thread; quality checks excluded)",
           training, {}, None)
    throughput, extra = throughput_rows(args.quick)
    report("Generative lab: sampling throughput", throughput,
           {"training": training, "throughput": throughput, **extra, "quick": args.quick,
            # the box is shared: a high load average inflates every time above
            "load_average_1min": {"start": round(load, 2), "end": round(os.getloadavg()[0], 2)},
            "wall_s": round(time.perf_counter() - started, 1)}, args.json)
    return 0


def headline(record: dict) -> list[tuple[str, str]]:
    """The README's rows for this bench's record."""
    training = record["training"]
    reached = [row for row in training if row["train_s"] is not None]
    slowest = max(reached, key=lambda row: row["train_s"]) if reached else None
    rows = [("generative lab, training to the tests' quality (1 thread)",
             f"{len(reached)} of {len(training)} models reach it"
             + (f", the slowest ({slowest['model']}) in {slowest['train_s']:.0f} s" if slowest else ""))]
    samplers = {row["sampler"]: row for row in record["throughput"]}
    peer = next((row for name, row in samplers.items() if name.startswith("peer:")), None)
    ours = samplers.get("DDPM ancestral (100 steps)")
    if peer and ours:
        rows.append(("DDPM ancestral sampling, same ε-net, 100 steps",
                     f"{ours['points_per_s'] / peer['points_per_s']:.2f}× diffusers' DDPMScheduler "
                     f"({ours['points_per_s']:,.0f} against {peer['points_per_s']:,.0f} points/s)"))
    return rows
