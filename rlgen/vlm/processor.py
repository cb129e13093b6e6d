"""Kimi-VL's input format for the tiny model: a word-level tokenizer with Kimi-VL's special tokens and chat
template, an image processor that keeps each image's native size (rounded to the 16-px merged patch, shrunk only
to stay under a token cap) and cuts it into patches, and a processor that expands each image placeholder to one
``<|media_pad|>`` per merged patch, as transformers processors do."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
from transformers import PreTrainedTokenizerFast

from rlgen.errors import InputError
from rlgen.vlm import scenes

IM_USER, IM_ASSISTANT, IM_MIDDLE, IM_END = "<|im_user|>", "<|im_assistant|>", "<|im_middle|>", "<|im_end|>"
MEDIA_START, MEDIA_CONTENT, MEDIA_PAD, MEDIA_END = "<|media_start|>", "<|media_content|>", "<|media_pad|>", \
    "<|media_end|>"
PAD, UNK = "[PAD]", "[UNK]"
SPECIAL_TOKENS = [PAD, UNK, IM_USER, IM_ASSISTANT, IM_MIDDLE, IM_END, MEDIA_START, MEDIA_CONTENT, MEDIA_PAD, MEDIA_END]
# Kimi-VL's template: <|im_user|>user<|im_middle|>…<|im_end|><|im_assistant|>assistant<|im_middle|>…<|im_end|>,
# with each image part written as <|media_start|>image<|media_content|><|media_pad|><|media_end|>.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'user' %}{{ '<|im_user|>user<|im_middle|>' }}"
    "{% else %}{{ '<|im_assistant|>assistant<|im_middle|>' }}{% endif %}"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}"
    "{{ '<|media_start|>image<|media_content|><|media_pad|><|media_end|>' }}"
    "{% else %}{{ part['text'] }}{% endif %}"
    "{% endfor %}{% endif %}"
    "{{ '<|im_end|>' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_assistant|>assistant<|im_middle|>' }}{% endif %}"
)
PATCH = 16  # pixels per side of a ViT patch
MERGE = 2  # 2 x 2 patches are pixel-shuffled into one vision token
CELL = PATCH * MERGE
MAX_VISION_TOKENS = 256  # merged patches per image; a larger image is shrunk to fit (16 x 16 tokens = 512 x 512 px)
MAX_IMAGES = 2
MAX_QUESTION_CHARS = 500


def vocabulary() -> list[str]:
    """Every word the scene questions and answers use, plus the chat words."""
    words = {"user", "assistant", "image", "yes", "no", *scenes.NUMBER_WORDS, *map(str, range(10))}
    texts: list[str] = []
    for name in dir(scenes):
        value = getattr(scenes, name)
        if name.endswith("_TYPES"):  # the question kinds' names are not words of the questions
            continue
        if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
            texts.extend(value)
    texts += list(scenes.COLOURS) + list(scenes.PLURAL.values()) + ["a an and shapes shape colour color , : ."]
    for text in texts:
        words.update(re.findall(r"\w+|[^\w\s]", text.lower()))
    return SPECIAL_TOKENS + sorted(words)


def build_tokenizer() -> PreTrainedTokenizerFast:
    """Word level: each word of the scene language is one token; anything else becomes [UNK] (and the model says
    it cannot read the word, rather than guessing)."""
    vocab = {w: i for i, w in enumerate(vocabulary())}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token=UNK))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token=UNK, pad_token=PAD, eos_token=IM_END,
                                   additional_special_tokens=SPECIAL_TOKENS[2:], model_max_length=1024)
    fast.chat_template = CHAT_TEMPLATE
    return fast


def decode(tokenizer: PreTrainedTokenizerFast, ids: list[int]) -> str:
    """Token ids back to text with English spacing ("two shapes : a red circle ," -> "two shapes: a red circle,")."""
    text = tokenizer.decode(ids, skip_special_tokens=True)
    return re.sub(r"\s+([,.:?!])", r"\1", text).strip()


# ------------------------------------------------------------------------------------------------------------ images

@dataclass(frozen=True)
class ImageInput:
    """One image as the encoder sees it: ``patches`` (h*w, 3*PATCH*PATCH) in row-major patch order, the patch
    grid (h, w), the size it was resized to and any note for the person (resized, alpha dropped...)."""
    patches: np.ndarray
    grid: tuple[int, int]
    size: tuple[int, int]
    original_size: tuple[int, int]
    notes: tuple[str, ...] = ()

    @property
    def tokens(self) -> int:
        return self.grid[0] * self.grid[1] // (MERGE * MERGE)


def native_size(width: int, height: int, max_tokens: int = MAX_VISION_TOKENS) -> tuple[int, int]:
    """The size an image is encoded at: its own, rounded to whole merged patches (32 px), shrunk (keeping the aspect
    ratio) only where it would need more than ``max_tokens`` vision tokens."""
    scale = min(1.0, math.sqrt(max_tokens * CELL * CELL / (width * height)))
    w, h = max(1, round(width * scale / CELL)), max(1, round(height * scale / CELL))
    while w * h > max_tokens:  # rounding up can overshoot by a row or a column
        if w >= h:
            w -= 1
        else:
            h -= 1
    return w * CELL, h * CELL


def to_rgb(image: Image.Image) -> tuple[Image.Image, tuple[str, ...]]:
    """Any PIL image as 8-bit RGB, with a note for whatever had to change. Raises ValueError for what is not
    an image at all."""
    if not isinstance(image, Image.Image):
        raise InputError("That is not an image: upload a PNG, JPEG, GIF or WebP file.")
    notes = []
    if getattr(image, "is_animated", False) and getattr(image, "n_frames", 1) > 1:
        image.seek(0)
        notes.append(f"The image is animated ({image.n_frames} frames): only its first frame is used.")
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        pixels = np.asarray(image, dtype=np.float64)
        low, high = float(pixels.min()), float(pixels.max())
        pixels = (pixels - low) / (high - low or 1.0) * 255
        image = Image.fromarray(pixels.astype(np.uint8), "L")
        notes.append("The image has more than 8 bits per channel: it was scaled to 8 bits.")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
        notes.append("The image has transparency: it was placed on a white background.")
    return image.convert("RGB"), tuple(notes)


def preprocess(image: Image.Image, max_tokens: int = MAX_VISION_TOKENS) -> ImageInput:
    image, notes = to_rgb(image)
    original = image.size
    size = native_size(*original, max_tokens=max_tokens)
    if size != original:
        if original[0] * original[1] > 4 * size[0] * size[1]:
            notes += (f"The image is {original[0]} x {original[1]} px; it was shrunk to {size[0]} x {size[1]} px "
                      f"to stay under {max_tokens} vision tokens.",)
        image = image.resize(size, Image.Resampling.BICUBIC if size[0] > original[0] else Image.Resampling.BOX)
    pixels = (np.asarray(image, dtype=np.float32) / 127.5) - 1.0  # (H, W, 3) in [-1, 1]
    h, w = size[1] // PATCH, size[0] // PATCH
    patches = pixels.reshape(h, PATCH, w, PATCH, 3).transpose(0, 2, 4, 1, 3).reshape(h * w, 3 * PATCH * PATCH)
    return ImageInput(patches, (h, w), size, original, notes)


# ---------------------------------------------------------------------------------------------------------- processor

class KimiVLProcessor:
    """Text + images -> model inputs, the way Kimi-VL's processor does it: the chat template writes one
    ``<|media_pad|>`` per image, which is then expanded to as many pads as the image has merged patches."""

    def __init__(self, tokenizer: PreTrainedTokenizerFast | None = None, max_tokens: int = MAX_VISION_TOKENS):
        self.tokenizer = tokenizer or build_tokenizer()
        self.max_tokens = max_tokens
        self.media_pad_id = self.tokenizer.convert_tokens_to_ids(MEDIA_PAD)
        self.end_id = self.tokenizer.convert_tokens_to_ids(IM_END)

    def apply_chat_template(self, messages: list[dict], add_generation_prompt: bool = True) -> str:
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)

    def expand(self, ids: list[int], images: list[ImageInput]) -> list[int]:
        """Replace the k-th ``<|media_pad|>`` by ``images[k].tokens`` pads."""
        slots = [i for i, t in enumerate(ids) if t == self.media_pad_id]
        if len(slots) != len(images):
            raise InputError("The text has {n_slots} image placeholders but {n_images} images were given.",
                             n_slots=len(slots), n_images=len(images))
        out: list[int] = []
        previous = 0
        for slot, image in zip(slots, images):
            out += ids[previous:slot] + [self.media_pad_id] * image.tokens
            previous = slot + 1
        return out + ids[previous:]

    def prompt_ids(self, messages: list[dict], images: list[ImageInput],
                   add_generation_prompt: bool = True) -> list[int]:
        """The conversation in Kimi-VL's template, tokenized, each image's pad expanded to its token count."""
        text = self.apply_chat_template(messages, add_generation_prompt)
        return self.expand(self.tokenizer(text, add_special_tokens=False)["input_ids"], images)

    def __call__(self, messages: list[dict], images: list[Image.Image | ImageInput] = (),
                 add_generation_prompt: bool = True) -> dict:
        """One conversation -> ``input_ids`` (1, L), ``pixel_patches`` (N, 3*8*8), ``grid_hws`` (n_images, 2)."""
        import torch

        prepared = [im if isinstance(im, ImageInput) else preprocess(im, self.max_tokens) for im in images]
        ids = self.prompt_ids(messages, prepared, add_generation_prompt)
        batch = {"input_ids": torch.tensor([ids]), "images": prepared}
        batch.update(pack_images(prepared))
        return batch

    def vocabulary_sha256(self) -> str:
        """A fingerprint of the word → id table: a model answers correctly only with the table it was trained on."""
        table = sorted(self.tokenizer.get_vocab().items(), key=lambda item: item[1])
        return hashlib.sha256(json.dumps(table, ensure_ascii=False).encode()).hexdigest()

    def save_pretrained(self, directory: str | Path) -> None:
        directory = Path(directory)
        self.tokenizer.save_pretrained(directory)
        (directory / "processor_config.json").write_text(json.dumps(
            {"processor_class": "KimiVLProcessor", "patch_size": PATCH, "merge_kernel_size": [MERGE, MERGE],
             "max_vision_tokens": self.max_tokens}, indent=2))

    @classmethod
    def from_pretrained(cls, directory: str | Path) -> KimiVLProcessor:
        directory = Path(directory)
        config = json.loads((directory / "processor_config.json").read_text())
        return cls(PreTrainedTokenizerFast.from_pretrained(directory), config["max_vision_tokens"])


def pack_images(images: list[ImageInput]) -> dict:
    """NaViT-style packing: every image's patches one after another in one sequence, with each image's grid."""
    import torch

    if not images:
        return {"pixel_patches": None, "grid_hws": None}
    return {"pixel_patches": torch.from_numpy(np.concatenate([im.patches for im in images])),
            "grid_hws": torch.tensor([im.grid for im in images])}
