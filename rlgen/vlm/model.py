"""A model of Kimi-VL's shape, small enough for a CPU: a MoonViT-style native-resolution encoder (patches of any
image size packed into one sequence, a learnable position grid interpolated to each image, 2-D RoPE, attention
kept inside each image), a 2x2 pixel-shuffle merge, a LayerNorm -> Linear -> GELU -> Linear projector, and
transformers' DeepSeek-V3 decoder (routed experts, top-k, a shared expert) with a tiny config."""

from __future__ import annotations

from rlgen import runtime

runtime.configure_torch()

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402
from transformers import DeepseekV3Config, DeepseekV3ForCausalLM, PretrainedConfig, PreTrainedModel  # noqa: E402

from rlgen.errors import InputError  # noqa: E402


class MoonViTConfig(PretrainedConfig):
    model_type = "rlgen_moonvit"

    def __init__(self, patch_size: int = 16, hidden_size: int = 128, num_hidden_layers: int = 4,
                 num_attention_heads: int = 4, intermediate_size: int = 512, init_pos_emb_height: int = 16,
                 init_pos_emb_width: int = 16, merge_kernel_size: tuple[int, int] = (2, 2),
                 rope_theta: float = 100.0, patch_stem: str = "conv", **kwargs):
        self.patch_size = patch_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.intermediate_size = intermediate_size
        self.init_pos_emb_height = init_pos_emb_height
        self.init_pos_emb_width = init_pos_emb_width
        self.merge_kernel_size = list(merge_kernel_size)
        self.rope_theta = rope_theta
        self.patch_stem = patch_stem
        super().__init__(**kwargs)


def interpolate_pos_emb(grid: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """The learnable (H0, W0, d) position grid resized (bicubic) to an image's (h, w) patch grid -> (h*w, d)."""
    if grid.shape[:2] == (h, w):
        return grid.reshape(h * w, -1)
    resized = F.interpolate(grid.permute(2, 0, 1)[None], size=(h, w), mode="bicubic", align_corners=False)
    return resized[0].permute(1, 2, 0).reshape(h * w, -1)


def rope_2d(h: int, w: int, head_dim: int, theta: float) -> tuple[torch.Tensor, torch.Tensor]:
    """2-D rotary angles for an (h, w) patch grid: half of each head's rotated pairs turn with the patch's row,
    half with its column. Returns cos, sin of shape (h*w, head_dim/2)."""
    quarter = head_dim // 4
    inv_freq = 1.0 / theta ** (torch.arange(quarter, dtype=torch.float32) / quarter)
    rows = torch.arange(h, dtype=torch.float32).repeat_interleave(w)
    cols = torch.arange(w, dtype=torch.float32).repeat(h)
    angles = torch.cat([rows[:, None] * inv_freq, cols[:, None] * inv_freq], dim=-1)
    return angles.cos(), angles.sin()


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate pairs (x_i, x_{i+d/2}) by the angle of their position: x' = (x1 cos - x2 sin, x1 sin + x2 cos)."""
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class VisionBlock(nn.Module):
    def __init__(self, config: MoonViTConfig):
        super().__init__()
        d = config.hidden_size
        self.heads = config.num_attention_heads
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        hidden = config.intermediate_size
        self.mlp = nn.Sequential(nn.Linear(d, hidden), nn.GELU(), nn.Linear(hidden, d))

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, key_mask: torch.Tensor | None):
        """x: (images, L, d) padded per image; key_mask (images, 1, 1, L) True where a patch is real."""
        b, length, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, length, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        attn = F.scaled_dot_product_attention(q, k, v, attn_mask=key_mask)
        x = x + self.proj(attn.transpose(1, 2).reshape(b, length, d))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    """Image -> one d-vector per p x p patch. "linear" is MoonViT's own (a p x p, stride p convolution, written on
    the flattened patches). "conv" is the "early convolutions" stem of Xiao et al. (2021): four 3x3 stride-2
    convolutions over each image, whose 31-px receptive field lets a patch see the whole of a shape centred in it
    (a ViT trained from scratch with the linear stem sat near chance on shape for 1,000 steps here). Each image is
    convolved on its own, so packing and native resolution work as before."""

    def __init__(self, patch: int, dim: int, stem: str):
        super().__init__()
        if stem not in ("linear", "conv"):
            raise InputError("patch_stem must be 'linear' or 'conv' (got {stem!r}).", stem=stem)
        self.patch, self.stem = patch, stem
        if stem == "linear":
            self.proj = nn.Linear(3 * patch * patch, dim)
            return
        widths = [3, 24, 48, 96, dim]
        layers: list[nn.Module] = []
        for i in range(4):  # 2^4 = 16 = the patch size
            layers += [nn.Conv2d(widths[i], widths[i + 1], 3, stride=2, padding=1), nn.GELU()]
        self.convs = nn.Sequential(*layers[:-1])
        self.proj = nn.Linear(dim, dim)

    def forward(self, patches: torch.Tensor, grids: list[tuple[int, int]]) -> torch.Tensor:
        if self.stem == "linear":
            return self.proj(patches)
        p = self.patch
        out = []
        chunks = patches.split([h * w for h, w in grids])
        same = all(g == grids[0] for g in grids)
        groups = [(grids[0], torch.stack(chunks))] if same else [(g, c[None]) for g, c in zip(grids, chunks)]
        for (h, w), chunk in groups:
            # patches (images, h*w, 3*p*p) -> images (images, 3, h*p, w*p)
            images = chunk.view(-1, h, w, 3, p, p).permute(0, 3, 1, 4, 2, 5).reshape(-1, 3, h * p, w * p)
            features = self.convs(images)  # (images, d, h, w)
            out.append(features.permute(0, 2, 3, 1).reshape(-1, features.shape[1]))
        return self.proj(torch.cat(out))


class MoonViT(nn.Module):
    """Patches of several images, packed into one sequence (N, 3*p*p) with their grids (n, 2) -> (N, d)."""

    def __init__(self, config: MoonViTConfig):
        super().__init__()
        self.config = config
        d, p = config.hidden_size, config.patch_size
        self.patch_embed = PatchEmbed(p, d, config.patch_stem)
        self.pos_emb = nn.Parameter(torch.randn(config.init_pos_emb_height, config.init_pos_emb_width, d) * 0.02)
        self.blocks = nn.ModuleList(VisionBlock(config) for _ in range(config.num_hidden_layers))
        self.final_norm = nn.LayerNorm(d)

    def forward(self, pixel_patches: torch.Tensor, grid_hws: torch.Tensor) -> torch.Tensor:
        grids = [(int(h), int(w)) for h, w in grid_hws.tolist()]
        lengths = [h * w for h, w in grids]
        x = self.patch_embed(pixel_patches, grids)
        x = x + torch.cat([interpolate_pos_emb(self.pos_emb, h, w) for h, w in grids])
        # Attention stays inside each image: the packed sequence is viewed as one padded row per image (what
        # flash-attention's varlen kernel does with cu_seqlens), so a patch never sees another image's patches.
        longest = max(lengths)
        head_dim = self.config.hidden_size // self.config.num_attention_heads
        rows, cos, sin = [], [], []
        for (h, w), chunk in zip(grids, x.split(lengths)):
            c, s = rope_2d(h, w, head_dim, self.config.rope_theta)
            pad = longest - h * w
            rows.append(F.pad(chunk, (0, 0, 0, pad)))
            cos.append(F.pad(c, (0, 0, 0, pad)))
            sin.append(F.pad(s, (0, 0, 0, pad)))
        x, cos, sin = torch.stack(rows), torch.stack(cos)[:, None], torch.stack(sin)[:, None]
        key_mask = None
        if any(n != longest for n in lengths):
            key_mask = (torch.arange(longest)[None, :] < torch.tensor(lengths)[:, None])[:, None, None, :]
        for block in self.blocks:
            x = block(x, cos, sin, key_mask)
        x = self.final_norm(x)
        return torch.cat([row[:n] for row, n in zip(x, lengths)])


def pixel_shuffle(features: torch.Tensor, grid_hws: torch.Tensor, merge: int = 2) -> torch.Tensor:
    """(N, d) patch features in row-major order per image -> (N / merge^2, merge^2 * d): each merge x merge block
    of neighbouring patches becomes one token (a pure reshape; :func:`pixel_unshuffle` inverts it)."""
    out = []
    for (h, w), chunk in zip(grid_hws.tolist(), features.split([int(h * w) for h, w in grid_hws.tolist()])):
        d = chunk.shape[-1]
        blocks = chunk.view(h // merge, merge, w // merge, merge, d).permute(0, 2, 1, 3, 4)
        out.append(blocks.reshape((h // merge) * (w // merge), merge * merge * d))
    return torch.cat(out)


def pixel_unshuffle(tokens: torch.Tensor, grid_hws: torch.Tensor, merge: int = 2) -> torch.Tensor:
    out = []
    counts = [int(h * w) // (merge * merge) for h, w in grid_hws.tolist()]
    for (h, w), chunk in zip(grid_hws.tolist(), tokens.split(counts)):
        d = chunk.shape[-1] // (merge * merge)
        blocks = chunk.view(h // merge, w // merge, merge, merge, d).permute(0, 2, 1, 3, 4)
        out.append(blocks.reshape(h * w, d))
    return torch.cat(out)


class Projector(nn.Module):
    """Kimi-VL's projector: LayerNorm -> Linear -> GELU -> Linear, from merged vision tokens to the LM width."""

    def __init__(self, in_dim: int, out_dim: int):
        super().__init__()
        self.pre_norm = nn.LayerNorm(in_dim)
        self.linear_1 = nn.Linear(in_dim, in_dim)
        self.act = nn.GELU()
        self.linear_2 = nn.Linear(in_dim, out_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear_2(self.act(self.linear_1(self.pre_norm(x))))


class TinyKimiVLConfig(PretrainedConfig):
    model_type = "rlgen_kimi_vl"
    sub_configs = {"vision_config": MoonViTConfig, "text_config": DeepseekV3Config}

    def __init__(self, vision_config: dict | MoonViTConfig | None = None,
                 text_config: dict | DeepseekV3Config | None = None, media_placeholder_token_id: int = 8, **kwargs):
        if isinstance(vision_config, dict) or vision_config is None:
            vision_config = MoonViTConfig(**(vision_config or {}))
        if isinstance(text_config, dict):
            text_config = DeepseekV3Config(**text_config)
        self.vision_config = vision_config
        self.text_config = text_config if text_config is not None else tiny_deepseek_config(200)
        self.media_placeholder_token_id = media_placeholder_token_id
        super().__init__(**kwargs)


def tiny_deepseek_config(vocab_size: int, hidden: int = 128, layers: int = 4, pad_token_id: int = 0,
                         eos_token_id: int = 5) -> DeepseekV3Config:
    """DeepSeek-V3 in miniature: MLA attention, the first layer dense, then MoE layers of 8 routed experts
    (top-2, sigmoid router, normalised weights) plus one shared expert."""
    return DeepseekV3Config(
        vocab_size=vocab_size, hidden_size=hidden, intermediate_size=2 * hidden, moe_intermediate_size=hidden,
        num_hidden_layers=layers, num_attention_heads=4, num_key_value_heads=4, n_shared_experts=1,
        n_routed_experts=8, num_experts_per_tok=2, n_group=1, topk_group=1, first_k_dense_replace=1,
        routed_scaling_factor=1.0, norm_topk_prob=True, kv_lora_rank=32, q_lora_rank=None, qk_rope_head_dim=16,
        qk_nope_head_dim=16, v_head_dim=32, max_position_embeddings=1024, pad_token_id=pad_token_id,
        bos_token_id=None, eos_token_id=eos_token_id, tie_word_embeddings=False, rope_interleave=True,
        initializer_range=0.02,
    )


class TinyKimiVLForConditionalGeneration(PreTrainedModel):
    config_class = TinyKimiVLConfig
    base_model_prefix = "model"
    main_input_name = "input_ids"
    _supports_sdpa = True

    def __init__(self, config: TinyKimiVLConfig):
        super().__init__(config)
        vision = config.vision_config
        merged = vision.hidden_size * vision.merge_kernel_size[0] * vision.merge_kernel_size[1]
        self.vision_tower = MoonViT(vision)
        self.multi_modal_projector = Projector(merged, config.text_config.hidden_size)
        self.language_model = DeepseekV3ForCausalLM(config.text_config)
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        if isinstance(module, nn.Linear) and not isinstance(module, DeepseekV3ForCausalLM):
            nn.init.normal_(module.weight, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    def image_features(self, pixel_patches: torch.Tensor, grid_hws: torch.Tensor) -> torch.Tensor:
        """Merged vision tokens (before the projector), one per 2x2 patch block: (M, 4 * d_vision)."""
        merge = self.config.vision_config.merge_kernel_size[0]
        return pixel_shuffle(self.vision_tower(pixel_patches, grid_hws), grid_hws, merge)

    def embed(self, input_ids: torch.Tensor, pixel_patches: torch.Tensor | None = None,
              grid_hws: torch.Tensor | None = None, image_features: torch.Tensor | None = None,
              projected: torch.Tensor | None = None) -> torch.Tensor:
        """Token embeddings with each ``<|media_pad|>`` replaced by the next projected vision token (from the
        pixels, from ``image_features`` or, already through the projector, ``projected``)."""
        embeds = self.language_model.get_input_embeddings()(input_ids)
        if projected is None:
            if image_features is None and pixel_patches is not None:
                image_features = self.image_features(pixel_patches, grid_hws)
            if image_features is None:
                return embeds
            projected = self.multi_modal_projector(image_features)
        slots = input_ids == self.config.media_placeholder_token_id
        if int(slots.sum()) != projected.shape[0]:
            raise InputError("{n_filled} image placeholders for {n_projected} vision tokens.",
                             n_filled=int(slots.sum()), n_projected=projected.shape[0])
        return embeds.masked_scatter(slots[..., None], projected.to(embeds.dtype))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                pixel_patches: torch.Tensor | None = None, grid_hws: torch.Tensor | None = None,
                labels: torch.Tensor | None = None, **kwargs):
        embeds = self.embed(input_ids, pixel_patches, grid_hws)
        return self.language_model(inputs_embeds=embeds, attention_mask=attention_mask, labels=labels, **kwargs)


def new_model(vocab_size: int, media_pad_id: int, end_id: int, pad_id: int, seed: int = 0,
              **vision_kwargs) -> TinyKimiVLForConditionalGeneration:
    config = TinyKimiVLConfig(vision_config=MoonViTConfig(**vision_kwargs),
                              text_config=tiny_deepseek_config(vocab_size, pad_token_id=pad_id, eos_token_id=end_id),
                              media_placeholder_token_id=media_pad_id)
    with runtime.seeded(seed):
        return TinyKimiVLForConditionalGeneration(config)


def routers(model: TinyKimiVLForConditionalGeneration) -> list[tuple[int, nn.Module]]:
    """(layer index, router) for every MoE layer of the decoder."""
    return [(i, layer.mlp.gate) for i, layer in enumerate(model.language_model.model.layers)
            if hasattr(layer.mlp, "gate")]
