"""Save and load a DDPG agent (safetensors weights + config JSON), and the trainers behind
`python -m rlgen train ddpg-pendulum` / `ddpg-mountaincar` that write the shipped checkpoints."""

from __future__ import annotations

import argparse
import json
import sys
import time
from functools import cache
from pathlib import Path

from rlgen import runtime
from rlgen.ddpg.agent import DDPGAgent, DDPGConfig
from rlgen.ddpg.recipes import recipe
from rlgen.ddpg.training import TrainFrame, evaluate, train
from rlgen.registry import Checkpoint, register, register_trainer

TRAINING = "TRAINING.json"

# The shipped agents: the checkpoint directory name -> the config that trains it.
PRETRAINED: dict[str, DDPGConfig] = {
    "ddpg-pendulum": recipe("Pendulum-v1", total_steps=15_000, seed=0),
    "ddpg-mountaincar": recipe("MountainCarContinuous-v0", total_steps=30_000, seed=0, eval_every=5_000,
                               eval_episodes=10, frame_every=1_000),
}
SHIPPED: dict[str, str] = {config.env_id: name for name, config in PRETRAINED.items()}  # env id -> checkpoint


def save_agent(agent: DDPGAgent, directory: str | Path) -> Path:
    """``agent.save_pretrained(directory)``."""
    return agent.save_pretrained(directory)


def load_agent(directory: str | Path) -> DDPGAgent:
    """``DDPGAgent.from_pretrained(directory)``."""
    return DDPGAgent.from_pretrained(directory)


@cache
def load_pretrained(name: str) -> DDPGAgent:
    """A shipped agent (read-only: shared by every user of the app, so never train it further)."""
    return load_agent(runtime.checkpoint_path(name))


def training_info(name: str) -> dict:
    path = runtime.checkpoint_path(name) / TRAINING
    return json.loads(path.read_text()) if path.exists() else {}


def train_checkpoint(name: str, argv: list[str] | None = None) -> dict:
    """Train the shipped agent ``name`` with its fixed config and write it with TRAINING.json."""
    parser = argparse.ArgumentParser(prog=f"python -m rlgen train {name}")
    parser.add_argument("--steps", type=int, help="override total_steps")
    parser.add_argument("--seed", type=int, help="override the seed")
    parser.add_argument("--out", type=Path, help="write here instead of rlgen/checkpoints/NAME")
    args = parser.parse_args(argv or [])
    config = DDPGConfig.from_dict(PRETRAINED[name].to_dict())
    if args.steps is not None:
        config.total_steps = args.steps
    if args.seed is not None:
        config.seed = args.seed
    start = time.perf_counter()
    frame = None
    for frame in train(config):
        ev = f"  eval {frame.eval_means[-1]:8.1f} ± {frame.eval_stds[-1]:.1f}" if frame.eval_means else ""
        print(f"step {frame.step:>7,}  {frame.seconds:7.1f}s{ev}", flush=True)
    assert frame is not None
    seconds = time.perf_counter() - start
    mean, std = evaluate(frame.agent, config.env_id, episodes=10, seed=10_000 + config.seed)
    out = args.out or runtime.checkpoint_path(name)
    save_agent(frame.agent, out)
    first = next((s for s, m in zip(frame.eval_steps, frame.eval_means) if m >= _solved(config.env_id)), None)
    info = {
        "command": " ".join(["python -m rlgen train", name, *(argv or [])]),
        "env_id": config.env_id, "seed": config.seed, "steps": config.total_steps,
        "seconds": round(seconds, 1), "torch_threads": runtime.torch_threads(),
        "final_eval": {"episodes": 10, "reset_seeds": f"{10_000 + config.seed}..{10_009 + config.seed}",
                       "mean": round(mean, 2), "std": round(std, 2)},
        "first_step_at_or_above_solved_line": first,
        "evaluations": [{"step": s, "mean": round(m, 2), "std": round(d, 2)}
                        for s, m, d in zip(frame.eval_steps, frame.eval_means, frame.eval_stds)],
        "config": config.to_dict(),
        "history": run_history(frame),
    }
    (out / TRAINING).write_text(json.dumps(info, indent=2))
    print(f"wrote {out}: final eval {mean:.1f} ± {std:.1f} in {seconds:.0f}s", file=sys.stderr)
    return info


HISTORY_POINTS = 300  # the loss curves kept in TRAINING.json, thinned to about this many points


def run_history(frame: TrainFrame) -> dict:
    """The run's curves as the app draws them (training-episode returns, critic loss and mean Q), so the page can
    show how the shipped agent learned before anyone trains: every episode, the losses thinned to
    :data:`HISTORY_POINTS`."""
    every = max(1, len(frame.update_steps) // HISTORY_POINTS)
    return {"episode_steps": frame.episode_steps, "episode_returns": [round(r, 2) for r in frame.episode_returns],
            "update_steps": frame.update_steps[::every],
            "critic_losses": [round(v, 5) for v in frame.critic_losses[::every]],
            "mean_qs": [round(v, 3) for v in frame.mean_qs[::every]]}


def shipped_run(name: str) -> TrainFrame | None:
    """The shipped agent's training run as a finished frame (its curves from TRAINING.json), or None for a
    checkpoint written before the curves were recorded."""
    info = training_info(name)
    history = info.get("history")
    if not history:
        return None
    evaluations = info["evaluations"]
    return TrainFrame(step=info["steps"], total_steps=info["steps"], seconds=info["seconds"],
                      agent=load_pretrained(name), done=True, **history,
                      eval_steps=[e["step"] for e in evaluations], eval_means=[e["mean"] for e in evaluations],
                      eval_stds=[e["std"] for e in evaluations])


def _solved(env_id: str) -> float:
    from rlgen.ddpg.training import SOLVED

    return SOLVED.get(env_id, float("inf"))


def train_pendulum(argv: list[str] | None = None) -> None:
    train_checkpoint("ddpg-pendulum", argv)


def train_mountaincar(argv: list[str] | None = None) -> None:
    train_checkpoint("ddpg-mountaincar", argv)


RETURN_FIGURES = (("mean return", "final_eval/mean"), ("±", "final_eval/std"))
register_trainer("ddpg-pendulum", "rlgen.ddpg.checkpoint:train_pendulum")
register_trainer("ddpg-mountaincar", "rlgen.ddpg.checkpoint:train_mountaincar")
register(
    Checkpoint("ddpg-pendulum", ("ddpg",), "DDPG actor and critic for Pendulum-v1",
               "rlgen.ddpg.checkpoint:load_pretrained", "ddpg-pendulum", ("ddpg-pendulum",), RETURN_FIGURES),
    Checkpoint("ddpg-mountaincar", ("ddpg",), "DDPG actor and critic for MountainCarContinuous-v0",
               "rlgen.ddpg.checkpoint:load_pretrained", "ddpg-mountaincar", ("ddpg-mountaincar",), RETURN_FIGURES),
)
