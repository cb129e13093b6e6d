"""What every SD3 experiment streams: a frame with each arm's curves so far (and, at the end, each arm's samples
for a few held-out captions), and the small MMDiT the arms start from."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

SMALL_MMDIT = dict(layers=2, heads=2, head_dim=32)  # ~0.4 M parameters: fast enough to train live
SAMPLES_PER_ARM = 8


@dataclass
class ExperimentFrame:
    experiment: str
    step: int
    total: int
    # arm -> metric -> (steps, values)
    curves: dict[str, dict[str, tuple[list[int], list[float]]]] = field(default_factory=dict)
    seconds: float = 0.0
    done: bool = False
    samples: dict[str, torch.Tensor] | None = None  # arm -> (n, 3, 32, 32) in [-1, 1], on the last frame
    sample_captions: list[str] | None = None

    @property
    def message(self) -> str:
        return f"{self.experiment}: step {self.step}/{self.total}, {self.seconds:.0f} s"


def record(curves: dict, arm: str, metric: str, step: int, value: float) -> None:
    steps, values = curves.setdefault(arm, {}).setdefault(metric, ([], []))
    steps.append(step)
    values.append(float(value))
