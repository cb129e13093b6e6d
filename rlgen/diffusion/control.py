"""Control maps from a person's image: the source (upload, sketch, shipped sample) checked and capped, then a
preprocessor — canny edges with two thresholds, a filled mask, or none — at the model's resolution."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError
from skimage import data as skdata
from skimage.filters import threshold_otsu

from rlgen.diffusion.shapes import SHAPES, Scene, ShapeSpec, canny_edges, render
from rlgen.errors import InputError
from rlgen.imaging import check_image

MAX_SIDE = 1024  # uploads are shrunk to at most this many pixels on the long side before anything else
PREPROCESSORS = ("canny", "mask", "none")
SAMPLES: dict[str, str] = {  # procedural shapes (what the tiny models were trained on) and scikit-image's
    "star, top left (procedural)": "star@top-left",  # samples (shipped with the package, so no download)
    "star (procedural)": "star",
    "circle (procedural)": "circle",
    "triangle (procedural)": "triangle",
    "square (procedural)": "square",
    "astronaut": "astronaut",
    "coffee": "coffee",
    "chelsea (cat)": "chelsea",
    "rocket": "rocket",
    "camera": "camera",
    "horse (silhouette)": "horse",
}


def sample_image(name: str) -> np.ndarray:
    """A shipped scikit-image sample as uint8 RGB."""
    if name not in SAMPLES:
        raise InputError("Unknown sample image {name!r}; the samples are: {samples}.",
                         name=name, samples=', '.join(SAMPLES))
    shape, _, corner = SAMPLES[name].partition("@")
    if shape in SHAPES:
        # centred and large; or small in a corner, where the model alone would not put it (ControlNet on and off
        # then differ at a glance)
        x, y, size = (72, 72, 60) if corner == "top-left" else (128, 128, 88)
        scene = Scene((ShapeSpec(shape, "white", x, y, size),), "black")
        return render(scene, size=256)
    image = np.asarray(getattr(skdata, SAMPLES[name])())
    if image.dtype == bool:
        image = np.where(image, 0, 255).astype(np.uint8)  # the horse is True on the background
    return as_rgb(image)


def as_rgb(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = np.clip(image * (255 if image.max() <= 1 else 1), 0, 255).astype(np.uint8)
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    if image.shape[2] == 4:  # RGBA from a sketchpad or a PNG: composite on white
        alpha = image[..., 3:4].astype(np.float32) / 255
        image = (image[..., :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    return image[..., :3]


def load_upload(path: str | Path) -> tuple[np.ndarray, str]:
    """An uploaded file as uint8 RGB, shrunk to ``MAX_SIDE``; returns (image, a note on what was done)."""
    width, height = check_image(path)  # from the header: a decompression bomb is refused before decoding
    try:
        image = Image.open(path)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG decodes straight at a reduced scale
        image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError("That file is not an image I can read (PNG, JPEG, WebP, ...): {name}.",
                         name=Path(path).name) from exc
    note = ""
    if max(width, height) > MAX_SIDE:
        note = (f"Your {width:,} x {height:,} image was resized to {image.width} x {image.height} "
                f"(cap: {MAX_SIDE} px on the long side).")
    return np.asarray(image), note


def cap_array(image: np.ndarray) -> tuple[np.ndarray, str]:
    """An in-memory image (a sketch) shrunk to ``MAX_SIDE`` if needed."""
    image = as_rgb(image)
    height, width = image.shape[:2]
    if max(height, width) <= MAX_SIDE:
        return image, ""
    pil = Image.fromarray(image)
    pil.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return np.asarray(pil), f"Resized from {width:,} x {height:,} to {pil.width} x {pil.height} (cap {MAX_SIDE} px)."


def square(image: np.ndarray, size: int) -> np.ndarray:
    """Centre-crop to a square and resize to ``size`` (area averaging), uint8 RGB."""
    h, w = image.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    crop = Image.fromarray(image[top:top + side, left:left + side])
    return np.asarray(crop.resize((size, size), Image.Resampling.BOX))


def preprocess(image: np.ndarray, kind: str, size: int, low: float = 0.1, high: float = 0.2) -> np.ndarray | None:
    """The control map (bool, (size, size)) for ``image``: canny edges of the image at the model's resolution
    (the edges the ControlNet was trained on are single-pixel edges at that resolution), or a filled mask —
    the darker or the smaller side of an Otsu threshold, whichever is the figure — or None."""
    if kind not in PREPROCESSORS:
        raise InputError("Unknown preprocessor {kind!r}; choose one of: {preprocessors}.",
                         kind=kind, preprocessors=', '.join(PREPROCESSORS))
    if kind == "none":
        return None
    small = square(as_rgb(image), size)
    if kind == "canny":
        return canny_edges(small, low, high)
    grey = small.astype(np.float32).mean(axis=2)
    if grey.max() - grey.min() < 1:
        return np.zeros((size, size), bool)
    figure = grey < threshold_otsu(grey)
    if figure.mean() > 0.5:  # the figure is the minority
        figure = ~figure
    return figure


def preview(control: np.ndarray | None, display: int = 256) -> Image.Image | None:
    """The control map as the model sees it, blown up with nearest-neighbour pixels."""
    if control is None:
        return None
    image = Image.fromarray(np.where(control, 255, 0).astype(np.uint8)).convert("RGB")
    return image.resize((display, display), Image.Resampling.NEAREST)
