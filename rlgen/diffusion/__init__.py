"""Text- and control-conditioned image generation with diffusers pieces trained here: the shapes data (`shapes`),
the tiny CLIP text encoder, UNet and ControlNet (`models`), the pipeline (`pipeline`), streamed generation
(`generation`), adherence metrics (`metrics`), the shipped checkpoints (`checkpoint`), a tiny SD3 (`mmdit`,
`sd3_checkpoint`) and real weights (`real`). No gradio here.

The names most callers need are importable from the package itself (loaded on first use)::

    import torch
    from rlgen.diffusion import load_pipeline
    image = load_pipeline("flow")("a red star on a blue background", num_inference_steps=8,
                                  generator=torch.Generator().manual_seed(0)).images[0]
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load_pipeline": "rlgen.diffusion.checkpoint", "load_classifier": "rlgen.diffusion.checkpoint",
    "generate": "rlgen.diffusion.generation", "Request": "rlgen.diffusion.generation",
    "classify": "rlgen.diffusion.metrics", "random_scene": "rlgen.diffusion.shapes", "render": "rlgen.diffusion.shapes",
    "load_mmdit_pipeline": "rlgen.diffusion.sd3_checkpoint",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'rlgen.diffusion' has no attribute {name!r}")
