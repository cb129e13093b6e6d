"""A vision-language model of Kimi-VL's shape, small enough for a CPU: synthetic scenes (`scenes`), the processor
(`processor`), MoonViT-style encoder + projector + DeepSeek-V3 MoE decoder (`model`), chat and "look inside"
(`chat`), the shipped checkpoint (`checkpoint`), training and evaluation, and real weights through vLLM (`real`).
No gradio here.

The names most callers need are importable from the package itself (loaded on first use)::

    from rlgen.vlm import answer, load_model, random_scene, render
    print(answer(load_model(), [render(random_scene(0))], "How many shapes are there?"))
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load_model": "rlgen.vlm.checkpoint", "answer": "rlgen.vlm.chat", "stream_answer": "rlgen.vlm.chat",
    "look_inside": "rlgen.vlm.chat", "KimiVLProcessor": "rlgen.vlm.processor", "render": "rlgen.vlm.scenes",
}
__all__ = sorted([*_EXPORTS, "random_scene"])


def random_scene(seed: int = 0, **kwargs):
    """A random scene of 1-6 shapes (``render`` draws it), from ``seed`` alone."""
    import numpy as np

    from rlgen.vlm import scenes

    return scenes.random_scene(np.random.default_rng(seed), **kwargs)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'rlgen.vlm' has no attribute {name!r}")
