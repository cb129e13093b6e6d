"""Procedural shapes, in the spirit of ControlNet's Fill50K: one or two shapes in named colours on a coloured
background, each image with a caption ("a red star on a blue background") and two control maps — canny edges
(scikit-image) and the filled mask."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw
from skimage.feature import canny

from rlgen.errors import InputError

SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "star")
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 40, 40),
    "orange": (245, 145, 30),
    "yellow": (240, 220, 40),
    "green": (40, 170, 60),
    "blue": (40, 80, 220),
    "purple": (140, 50, 180),
    "white": (245, 245, 245),
    "black": (20, 20, 20),
}
COLOUR_NAMES: tuple[str, ...] = tuple(COLOURS)
RESOLUTION = 32
SUPERSAMPLE = 4  # shapes are drawn 4x larger and box-filtered down, so their edges are anti-aliased


@dataclass(frozen=True)
class ShapeSpec:
    shape: str
    colour: str
    cx: float  # centre and radius in pixels of the final image
    cy: float
    radius: float


@dataclass(frozen=True)
class Scene:
    shapes: tuple[ShapeSpec, ...]
    background: str

    @property
    def caption(self) -> str:
        return caption_for(self)


def caption_for(scene: Scene) -> str:
    """"a red star on a blue background"; two shapes: "a red star and a green circle on a blue background"."""
    things = " and ".join(f"{article(s.colour)} {s.colour} {s.shape}" for s in scene.shapes)
    return f"{things} on a {scene.background} background"


def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def vocabulary() -> list[str]:
    """Every word a caption can contain (what the tiny text encoder knows)."""
    return ["a", "an", "and", "on", "background", *SHAPES, *COLOUR_NAMES]


def parse_caption(caption: str) -> tuple[str | None, str | None, str | None]:
    """(shape, colour, background) named in a one-shape caption; None where a part is missing."""
    words = caption.lower().replace(",", " ").split()
    shape = next((w for w in words if w in SHAPES), None)
    colour = background = None
    for i, w in enumerate(words):
        if w in COLOURS:
            if i + 1 < len(words) and words[i + 1] == "background":
                background = w
            elif colour is None:
                colour = w
    return shape, colour, background


def _polygon(spec: ShapeSpec, scale: float) -> list[tuple[float, float]]:
    cx, cy, r = spec.cx * scale, spec.cy * scale, spec.radius * scale
    if spec.shape == "square":
        h = r * 0.85  # a square of "radius" r would look larger than a circle of the same r
        return [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)]
    if spec.shape == "triangle":
        return [(cx + r * math.cos(a), cy - r * math.sin(a)) for a in (math.pi / 2, 7 * math.pi / 6, 11 * math.pi / 6)]
    if spec.shape == "star":
        points = []
        for k in range(10):
            rr = r if k % 2 == 0 else r * 0.45
            a = math.pi / 2 + k * math.pi / 5
            points.append((cx + rr * math.cos(a), cy - rr * math.sin(a)))
        return points
    raise InputError("Unknown shape {shape!r}; the shapes are: {shapes}.", shape=spec.shape, shapes=', '.join(SHAPES))


def shape_mask(spec: ShapeSpec, size: int = RESOLUTION) -> np.ndarray:
    """Coverage of one shape in [0, 1], shape (size, size)."""
    big = size * SUPERSAMPLE
    canvas = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(canvas)
    if spec.shape == "circle":
        cx, cy, r = spec.cx * SUPERSAMPLE, spec.cy * SUPERSAMPLE, spec.radius * SUPERSAMPLE
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
    else:
        draw.polygon(_polygon(spec, SUPERSAMPLE), fill=255)
    small = canvas.resize((size, size), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255.0


def render(scene: Scene, size: int = RESOLUTION) -> np.ndarray:
    """The scene as uint8 RGB, shape (size, size, 3); later shapes are drawn over earlier ones."""
    image = np.empty((size, size, 3), np.float32)
    image[:] = COLOURS[scene.background]
    for spec in scene.shapes:
        alpha = shape_mask(spec, size)[..., None]
        image = image * (1 - alpha) + np.asarray(COLOURS[spec.colour], np.float32) * alpha
    return np.clip(image + 0.5, 0, 255).astype(np.uint8)


def filled_mask(scene: Scene, size: int = RESOLUTION) -> np.ndarray:
    """The union of the shapes as a binary map (bool, (size, size))."""
    total = np.zeros((size, size), np.float32)
    for spec in scene.shapes:
        total = np.maximum(total, shape_mask(spec, size))
    return total >= 0.5


def canny_edges(image: np.ndarray, low: float = 0.1, high: float = 0.2, sigma: float = 1.0) -> np.ndarray:
    """Canny edges of an RGB uint8 image: each channel separately, OR-ed — a red shape on a green background
    has almost no edge in grey levels. ``low``/``high`` are hysteresis thresholds on a [0, 1] intensity scale."""
    if not 0 <= low <= high:
        raise InputError("Canny needs 0 <= low threshold <= high threshold (got {low:g} and {high:g}).",
                         low=low, high=high)
    rgb = np.asarray(image, np.float32) / 255.0
    if rgb.ndim == 2:
        rgb = rgb[..., None]
    edges = np.zeros(rgb.shape[:2], bool)
    for c in range(rgb.shape[2]):
        edges |= canny(rgb[..., c], sigma=sigma, low_threshold=low, high_threshold=high)
    return edges


def random_scene(rng: np.random.Generator, n_shapes: int = 1, size: int = RESOLUTION) -> Scene:
    """A random scene: shapes of radius 25-38 % of the side near the centre, colours all different from the
    background's."""
    if n_shapes not in (1, 2):
        raise InputError("A scene holds one or two shapes (got {n_shapes}).", n_shapes=n_shapes)
    background = COLOUR_NAMES[rng.integers(len(COLOUR_NAMES))]
    others = [c for c in COLOUR_NAMES if c != background]
    specs = []
    for k in range(n_shapes):
        if n_shapes == 1:
            radius = rng.uniform(0.25, 0.38) * size
            cx, cy = size / 2 + rng.uniform(-0.16, 0.16, size=2) * size
        else:  # two smaller shapes, one in each half, so both stay visible
            radius = rng.uniform(0.16, 0.22) * size
            cx = size * (0.27 + 0.46 * k) + rng.uniform(-0.04, 0.04) * size
            cy = size / 2 + rng.uniform(-0.2, 0.2) * size
        specs.append(ShapeSpec(SHAPES[rng.integers(len(SHAPES))], others[rng.integers(len(others))],
                               float(cx), float(cy), float(radius)))
    return Scene(tuple(specs), background)


@dataclass
class Batch:
    """A training batch: images and control maps in [-1, 1], channels first; captions and label indices."""

    images: np.ndarray  # (n, 3, s, s) float32
    canny: np.ndarray  # (n, 3, s, s) float32 in {0, 1}, 3 channels like ControlNet's RGB conditioning
    mask: np.ndarray  # (n, 3, s, s)
    captions: list[str]
    shape_ids: np.ndarray  # (n,) int64
    colour_ids: np.ndarray
    background_ids: np.ndarray


def control_to_tensor_layout(control: np.ndarray) -> np.ndarray:
    """A boolean map (s, s) as a 3-channel float map in [0, 1] (ControlNet conditioning images are RGB in
    [0, 1])."""
    return np.repeat(control.astype(np.float32)[None], 3, axis=0)


def make_batch(rng: np.random.Generator, n: int, size: int = RESOLUTION, controls: bool = True) -> Batch:
    """``n`` one-shape scenes rendered with their captions, labels and (unless ``controls`` is False, which
    leaves them zero and saves the canny cost) control maps."""
    images, cannies, masks, captions, shapes, colours, backgrounds = [], [], [], [], [], [], []
    for _ in range(n):
        scene = random_scene(rng, 1, size)
        image = render(scene, size)
        images.append(image.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1.0)
        if controls:
            cannies.append(control_to_tensor_layout(canny_edges(image)))
            masks.append(control_to_tensor_layout(filled_mask(scene, size)))
        else:
            cannies.append(np.zeros((3, size, size), np.float32))
            masks.append(cannies[-1])
        captions.append(scene.caption)
        spec = scene.shapes[0]
        shapes.append(SHAPES.index(spec.shape))
        colours.append(COLOUR_NAMES.index(spec.colour))
        backgrounds.append(COLOUR_NAMES.index(scene.background))
    return Batch(np.stack(images), np.stack(cannies), np.stack(masks), captions,
                 np.array(shapes), np.array(colours), np.array(backgrounds))
