"""The tiny pieces, all from diffusers and transformers: a CLIP tokenizer over the shapes vocabulary, a tiny
``CLIPTextModel``, a pixel-space ``UNet2DConditionModel``, a ``ControlNetModel`` copied from it with
``from_unet``, and the shape/colour classifier that scores prompt adherence."""

from __future__ import annotations

import json

import numpy as np
import torch
from diffusers import ControlNetModel, ModelMixin, UNet2DConditionModel
from diffusers.configuration_utils import ConfigMixin, register_to_config
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from torch import nn
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

from rlgen.diffusion.shapes import COLOUR_NAMES, RESOLUTION, SHAPES, vocabulary

MAX_TOKENS = 16  # "a red star and a green circle on a blue background" is 11 words plus start and end
TEXT_DIM = 64
BOS, EOS = "<|startoftext|>", "<|endoftext|>"


def build_tokenizer(words: list[str] | None = None) -> CLIPTokenizer:
    """A CLIP BPE tokenizer whose merges spell each vocabulary word as one token. The merges are learnt by
    the ``tokenizers`` BPE trainer on the word list (hand-chained merges conflict: "a n" from "and" splits
    "orange"); CLIP marks a word's end with ``</w>``, and single letters stay in the vocabulary so unknown
    words still tokenize, letter by letter."""
    words = vocabulary() if words is None else words
    alphabet = sorted(set("abcdefghijklmnopqrstuvwxyz") | set("".join(words)))
    bpe = Tokenizer(models.BPE(end_of_word_suffix="</w>"))
    bpe.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.BpeTrainer(vocab_size=10_000, special_tokens=[BOS, EOS], end_of_word_suffix="</w>",
                                  initial_alphabet=alphabet + [c + "</w>" for c in alphabet], show_progress=False)
    bpe.train_from_iterator(words, trainer)
    model = json.loads(bpe.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    # The trainer numbers tokens partly in hash-set order, which changes from one process to the next ("a</w>"
    # was 28 in one run and 33 in another; equally frequent merges swap). Renumber by content: the two special
    # tokens, the single letters, then the merged tokens by length and spelling.
    merged = {"".join(pair) for pair in merges}
    tokens = sorted((t for t in model["vocab"] if t not in (BOS, EOS)), key=lambda t: (t in merged, len(t), t))
    vocab = {BOS: 0, EOS: 1, **{t: i + 2 for i, t in enumerate(tokens)}}
    return CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=MAX_TOKENS)


def build_text_encoder(vocab_size: int) -> CLIPTextModel:
    config = CLIPTextConfig(
        vocab_size=vocab_size, hidden_size=TEXT_DIM, intermediate_size=2 * TEXT_DIM, projection_dim=TEXT_DIM,
        num_hidden_layers=2, num_attention_heads=4, max_position_embeddings=MAX_TOKENS,
        bos_token_id=0, eos_token_id=1, pad_token_id=1,
    )
    return CLIPTextModel(config)


PATCH = 2


def build_unet(resolution: int = RESOLUTION, patch: int = PATCH) -> UNet2DConditionModel:
    """The denoiser (~1.7 M parameters). It sees the image as ``patch`` x ``patch`` pixel patches stacked into
    channels (pixel_unshuffle: 32x32x3 -> 16x16x12), as SD3's transformer patchifies its input: measured on
    this box, a step cost 0.57 CPU-s at batch 32 against 0.85 for a 32x32 UNet with half the channels, and it
    leaves room for cross-attention to the caption at 8x8 and 4x4, where shape is decided."""
    return UNet2DConditionModel(
        sample_size=resolution // patch, in_channels=3 * patch**2, out_channels=3 * patch**2,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
        block_out_channels=(32, 64, 64), layers_per_block=1, cross_attention_dim=TEXT_DIM,
        attention_head_dim=8, norm_num_groups=8,
    )


def unet_patch(unet) -> int:
    """The patch side a UNet was built for (its input channels are 3·patch²)."""
    return int(round((unet.config.in_channels / 3) ** 0.5))


def build_controlnet(unet: UNet2DConditionModel) -> ControlNetModel:
    """ControlNet's trainable copy of the UNet's encoder; ``from_unet`` copies the weights and starts every
    joining convolution at zero. The conditioning embedding takes the full-resolution control map down to the
    UNet's grid: one stride-2 stage per factor of 2 in the patch (the default four stages shrink 8x, for a
    latent UNet)."""
    stages = (16,) + tuple(32 for _ in range(int(np.log2(unet_patch(unet)))))
    return ControlNetModel.from_unet(unet, conditioning_embedding_out_channels=stages, conditioning_channels=3)


class ShapeClassifier(ModelMixin, ConfigMixin):
    """A small CNN with three heads: the shape, its colour and the background colour of a 32x32 image in
    [-1, 1]. Trained on the procedural data with colour jitter and noise so that it also reads generated
    images."""

    @register_to_config
    def __init__(self, width: int = 32, n_shapes: int = len(SHAPES), n_colours: int = len(COLOUR_NAMES)) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.GELU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.GELU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.GELU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(),
        )
        self.shape = nn.Linear(8 * width, n_shapes)
        self.colour = nn.Linear(8 * width, n_colours)
        self.background = nn.Linear(8 * width, n_colours)

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        h = self.features(images)
        return self.shape(h), self.colour(h), self.background(h)
