"""The generative-models lab: small 2-D score models, SDE samplers, rectified flow and autoregressive
likelihood models on 8×8 digits, each trained live in seconds on one CPU thread. No gradio here.

The names most callers need are importable from the package itself (loaded on first use)::

    from rlgen.genlab import METHODS, sample, train, final_samples
    data = sample("two moons", 2000, seed=0)
    *_, last = train("Rectified flow + reflow", data, steps=300, seed=0)
    points = final_samples(last.model, 500, seed=1)
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "METHODS": "rlgen.genlab.lab2d", "train": "rlgen.genlab.lab2d", "final_samples": "rlgen.genlab.lab2d",
    "DATASETS": "rlgen.genlab.toy2d_data", "sample": "rlgen.genlab.toy2d_data", "mmd2": "rlgen.genlab.metrics",
    "train_autoregressive": "rlgen.genlab.autoregressive", "sample_images": "rlgen.genlab.autoregressive",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'rlgen.genlab' has no attribute {name!r}")
