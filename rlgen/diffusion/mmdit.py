"""Stable Diffusion 3 in miniature: diffusers' ``SD3Transformer2DModel`` (the MMDiT) in place of the UNet, on
the same 32x32 shapes, captions and tiny CLIP text encoder, trained with rectified flow.

MMDiT (Esser et al. 2024, "Scaling Rectified Flow Transformers", Fig. 2): image patches and caption tokens
are two streams, each with its own weights, that meet in one joint attention,
    [q_x; q_c], [k_x; k_c], [v_x; v_c]  ->  softmax(Q·Kᵀ/√d)·V  ->  split back into x and c,
and every block is modulated (adaLN) by the timestep plus a pooled caption vector.

The pipeline is :class:`~rlgen.diffusion.pipeline.ShapesPipeline` with the denoiser swapped: the same
sampling loop, guidance, trajectory frames and schedulers, so the UNet and the MMDiT are compared on
equal terms."""

from __future__ import annotations

import torch
from diffusers import SD3Transformer2DModel
from transformers import CLIPTextModel, CLIPTokenizer

from rlgen.diffusion.models import TEXT_DIM
from rlgen.diffusion.pipeline import ShapesPipeline
from rlgen.diffusion.shapes import RESOLUTION
from rlgen.diffusion.tracing import transformer_forward

MMDIT_PATCH = 4  # 8x8 tokens of 4x4x3 pixels: a 20-step sample stays well under 0.5 s on one thread


def build_mmdit(resolution: int = RESOLUTION, patch: int = MMDIT_PATCH, layers: int = 4, heads: int = 4,
                head_dim: int = 32, in_channels: int = 3, qk_norm: str | None = "rms_norm",
                text_dim: int = TEXT_DIM) -> SD3Transformer2DModel:
    """A tiny MMDiT over pixels (or latents when ``in_channels`` is a VAE's): ``patch`` x ``patch`` patches,
    ``layers`` joint blocks of ``heads`` x ``head_dim``; ``qk_norm="rms_norm"`` is SD3's RMS-normalised
    queries and keys (None turns it off)."""
    side = resolution // patch
    return SD3Transformer2DModel(
        sample_size=resolution, patch_size=patch, in_channels=in_channels, out_channels=in_channels,
        num_layers=layers, attention_head_dim=head_dim, num_attention_heads=heads,
        joint_attention_dim=text_dim, caption_projection_dim=heads * head_dim, pooled_projection_dim=text_dim,
        pos_embed_max_size=side, qk_norm=qk_norm,
    )


def pooled_and_sequence(text_encoder: CLIPTextModel, ids: torch.Tensor) -> torch.Tensor:
    """The caption as one tensor (n, 1 + L, d): CLIP's pooled vector (the end-of-text token's state) in
    front of the token sequence. Keeping both in one tensor lets the shared sampling loop batch, duplicate
    and split it for guidance exactly as it does the UNet's sequence."""
    out = text_encoder(ids)
    return torch.cat([out.pooler_output[:, None], out.last_hidden_state], dim=1)


class MMDiTPipeline(ShapesPipeline):
    """Text to 32x32 image with a ``SD3Transformer2DModel`` and ``FlowMatchEulerDiscreteScheduler``."""

    model_cpu_offload_seq = "text_encoder->transformer"
    _optional_components: list[str] = []

    def __init__(self, transformer: SD3Transformer2DModel, text_encoder: CLIPTextModel, tokenizer: CLIPTokenizer,
                 scheduler) -> None:
        # DiffusionPipeline's __init__, not ShapesPipeline's: the components differ (a transformer, no UNet)
        super(ShapesPipeline, self).__init__()
        self.register_modules(transformer=transformer, text_encoder=text_encoder, tokenizer=tokenizer,
                              scheduler=scheduler)
        self.controlnet = None  # the shared sampling loop asks; SD3's ControlNet is not trained here

    @property
    def patch(self) -> int:
        return int(self.transformer.config.patch_size)

    @property
    def resolution(self) -> int:
        return int(self.transformer.config.sample_size)

    def _device_and_dtype(self) -> tuple[torch.device, torch.dtype]:
        weight = next(self.transformer.parameters())
        return weight.device, weight.dtype

    def predict(self, x: torch.Tensor, t, cond: torch.Tensor, control: torch.Tensor | None = None,
                control_scale: float = 1.0) -> torch.Tensor:
        """The velocity v = ε − x₀ at (x_t, t); ``cond`` is :func:`pooled_and_sequence`'s tensor. At inference
        the transformer's call is replayed from a trace (``tracing``), as the UNet's is."""
        t = torch.as_tensor(t, dtype=x.dtype, device=x.device).reshape(-1).expand(x.shape[0])
        return transformer_forward(self.transformer, x, t, cond[:, 1:], cond[:, 0])

    @torch.no_grad()
    def encode_prompt(self, prompts: list[str]) -> torch.Tensor:
        return pooled_and_sequence(self.text_encoder, self.token_ids(prompts).to(self.text_encoder.device))
