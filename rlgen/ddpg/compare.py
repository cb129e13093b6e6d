"""DDPG, TD3 and SAC trained side by side: same environment, budget and seed, one frame of each in turn, so
their learning curves and their critics' over-estimation can be drawn together as they grow."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rlgen.ddpg.agent import DDPGConfig
from rlgen.ddpg.sac import SACConfig
from rlgen.ddpg.td3 import TD3Config
from rlgen.ddpg.training import TrainFrame, train
from rlgen.errors import InputError

ALGORITHMS: dict[str, type[DDPGConfig]] = {"DDPG": DDPGConfig, "TD3": TD3Config, "SAC": SACConfig}


def side_by_side_configs(algorithms: list[str], total_steps: int, seed: int, env_id: str = "Pendulum-v1",
                         eval_every: int = 1_000, frame_every: int = 250, **shared) -> dict[str, DDPGConfig]:
    """One validated config per algorithm with the same budget, seed and evaluation schedule; ``shared``
    knobs (γ, τ, learning rates, …) go to all of them."""
    if not algorithms:
        raise InputError("Pick at least one algorithm to train.")
    unknown = [a for a in algorithms if a not in ALGORITHMS]
    if unknown:
        raise InputError(f"Unknown algorithm {unknown[0]!r}; choose from {', '.join(ALGORITHMS)}.")
    return {name: ALGORITHMS[name](env_id=env_id, total_steps=total_steps, seed=seed, eval_every=eval_every,
                                   frame_every=frame_every, **shared).validate()
            for name in dict.fromkeys(algorithms)}


@dataclass
class ComparisonFrame:
    """The latest frame of each run (a run that has not yielded yet is absent)."""

    frames: dict[str, TrainFrame]
    total_steps: int
    done: bool = False

    @property
    def step(self) -> int:
        return min((f.step for f in self.frames.values()), default=0)


def train_side_by_side(configs: dict[str, DDPGConfig]) -> Iterator[ComparisonFrame]:
    """Advance each run by one frame in turn and yield all latest frames after each; the runs share the CPU
    fairly, so at any moment they have trained for about the same number of steps."""
    runs = {name: train(config) for name, config in configs.items()}
    latest: dict[str, TrainFrame] = {}
    total = max(config.total_steps for config in configs.values())
    try:
        while runs:
            for name in list(runs):
                frame = next(runs[name], None)
                if frame is None:
                    del runs[name]
                    continue
                latest[name] = frame
                yield ComparisonFrame(dict(latest), total, done=False)
        yield ComparisonFrame(dict(latest), total, done=True)
    finally:
        for run in runs.values():
            run.close()


def main(argv: list[str] | None = None) -> int:
    """`python -m rlgen.ddpg.compare [--algorithms DDPG TD3 SAC] [--steps N] [--seeds 0 1 2] [--json PATH]`:
    each algorithm with its default config for every seed; prints each evaluation (mean return, the critic's
    Q(s, μ(s)) and the Monte-Carlo return G) and writes them all as JSON."""
    import argparse
    import json
    from pathlib import Path

    from rlgen.ddpg.training import run_to_end

    parser = argparse.ArgumentParser(prog="python -m rlgen.ddpg.compare", description=main.__doc__)
    parser.add_argument("--algorithms", nargs="+", default=list(ALGORITHMS))
    parser.add_argument("--steps", type=int, default=5_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--eval-every", type=int, default=1_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict[str, dict] = {}
    for seed in args.seeds:
        configs = side_by_side_configs(args.algorithms, args.steps, seed, eval_every=args.eval_every,
                                       frame_every=args.eval_every)
        for name, config in configs.items():
            frame = run_to_end(config)
            for step, mean, q, g in zip(frame.eval_steps, frame.eval_means, frame.value_estimates,
                                        frame.value_returns):
                print(f"{name} seed {seed} step {step:>6,}: eval {mean:8.1f}  Q {q:7.1f}  G {g:7.1f}", flush=True)
            results.setdefault(name, {})[str(seed)] = {
                "final_eval": round(frame.eval_means[-1], 1), "seconds": round(frame.seconds, 1),
                "evaluations": [{"step": s, "mean": round(m, 1), "q_estimate": round(q, 2), "mc_return": round(g, 2)}
                                for s, m, q, g in zip(frame.eval_steps, frame.eval_means, frame.value_estimates,
                                                      frame.value_returns)],
                "config": config.to_dict()}
    for name, seeds in results.items():
        finals = [run["final_eval"] for run in seeds.values()]
        print(f"{name}: final evaluations {finals}, mean {sum(finals) / len(finals):.1f}")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"command": "python -m rlgen.ddpg.compare " + " ".join(argv or []), "steps": args.steps,
                   "results": results}
        args.json.write_text(json.dumps(payload, indent=2))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
