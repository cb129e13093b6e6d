"""Procedural scenes and their questions: 1-6 shapes (shape, colour, size, position) on a plain, grey, coloured or
lightly noisy background, at sizes and aspect ratios that vary from image to image (the encoder works at native
resolution), with questions of ten kinds whose answers are read off the scene's own description."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from rlgen.errors import InputError

SHAPES = ("circle", "square", "triangle", "star")
PLURAL = {"circle": "circles", "square": "squares", "triangle": "triangles", "star": "stars"}
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 40, 40), "green": (40, 170, 60), "blue": (40, 80, 225),
    "yellow": (240, 205, 30), "purple": (145, 60, 195), "orange": (245, 135, 30),
}
BACKGROUNDS = ("white", "grey", "coloured", "noise")
RADIUS = {"small": (7.0, 10.0), "large": (12.0, 16.0)}  # pixels, the shape's circumradius
SIDES = tuple(range(64, 161, 16))  # image sides of the training scenes (the processor rounds them to 32 px)
MIN_GAP = 9.0  # pixels between two shapes' circles: two centres never share a 16-px patch
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six")
QUESTION_TYPES = ("count", "count_colour", "count_shape", "colour_of", "shape_of", "exists", "left_right",
                  "above_below", "nearest_farthest", "describe")
# asked in training only: the shapes listed from top to bottom. Captions list them left to right, which is what
# taught the decoder to compare columns; above/below had no such dense signal for rows and sat at chance.
# "above_only" asks above/below in its "above" wording only: there the answer follows the rows' comparison
# itself, while in the balanced mix it is that comparison XOR the wording, which gives a constant answer no
# gradient to start from (the model said "yes", later "no", to every above/below question for thousands of steps).
TRAINING_ONLY_TYPES = ("describe_top_down", "above_only")
SUPERSAMPLE = 4


@dataclass(frozen=True)
class Shape:
    shape: str
    colour: str
    size: str
    x: float  # centre, pixels from the left
    y: float  # centre, pixels from the top
    r: float
    angle: float = 0.0  # degrees of tilt, as a hand drawing has

    @property
    def name(self) -> str:
        return f"{self.colour} {self.shape}"


@dataclass(frozen=True)
class Scene:
    width: int
    height: int
    background: str
    background_rgb: tuple[int, int, int]
    shapes: tuple[Shape, ...]
    noise_seed: int = 0


@dataclass(frozen=True)
class QA:
    question: str
    answer: str
    kind: str
    # training's grounding targets: (end of the phrase in ``question``, x, y) of each shape the question names,
    # and the centres (x, y; pixels) of the shapes the answer turns on (the two compared, or the one and its
    # nearest or farthest)
    refs: tuple[tuple[int, float, float], ...] = ()
    focus: tuple[tuple[float, float], ...] = ()


def random_scene(rng: np.random.Generator, width: int | None = None, height: int | None = None,
                 n: int | None = None) -> Scene:
    """A scene whose shapes never overlap; ``n`` shapes if they fit, else as many as do."""
    width = int(width or rng.choice(SIDES))
    height = int(height or rng.choice(SIDES))
    room = max(1, int(width * height / 900))  # about one shape per 30 x 30 px
    n = int(n or rng.integers(1, min(6, room) + 1))
    shapes: list[Shape] = []
    for _ in range(n):
        for _attempt in range(60):
            size = "small" if rng.random() < 0.5 else "large"
            r = float(rng.uniform(*RADIUS[size]))
            if 2 * r + 2 > min(width, height):
                continue
            x, y = float(rng.uniform(r + 1, width - r - 1)), float(rng.uniform(r + 1, height - r - 1))
            if all(math.hypot(x - s.x, y - s.y) > r + s.r + MIN_GAP for s in shapes):
                shapes.append(Shape(str(rng.choice(SHAPES)), str(rng.choice(list(COLOURS))), size, x, y, r,
                                    float(rng.uniform(-20, 20))))
                break
    if not shapes:  # the image is too small for even one shape at its sizes: one small shape in the middle
        r = max(4.0, min(width, height) / 2 - 2)
        shapes.append(Shape(str(rng.choice(SHAPES)), str(rng.choice(list(COLOURS))), "small", width / 2,
                            height / 2, r))
    background = str(rng.choice(BACKGROUNDS))
    if background == "white":
        rgb = (255, 255, 255)
    elif background == "grey":
        rgb = (int(rng.integers(175, 225)),) * 3
    else:  # a pale tint, far from every shape colour
        tint = rng.uniform(0.78, 0.95, size=3)
        rgb = tuple(int(255 * t) for t in tint)
    return Scene(width, height, background, rgb, tuple(shapes), int(rng.integers(2**31)))


def _polygon(s: Shape, k: float) -> list[tuple[float, float]]:
    cx, cy, r = s.x * k, s.y * k, s.r * k
    a0 = math.radians(s.angle)
    if s.shape == "square":
        angles, radii = [a0 + math.pi / 4 + i * math.pi / 2 for i in range(4)], [r * 0.95] * 4
    elif s.shape == "triangle":
        angles, radii = [a0 - math.pi / 2 + i * 2 * math.pi / 3 for i in range(3)], [r * 1.05] * 3
    else:  # five-pointed star
        angles = [a0 - math.pi / 2 + i * math.pi / 5 for i in range(10)]
        radii = [r * 1.05 if i % 2 == 0 else r * 0.45 for i in range(10)]
    return [(cx + q * math.cos(a), cy + q * math.sin(a)) for a, q in zip(angles, radii)]


def render(scene: Scene) -> Image.Image:
    """The scene as an RGB image, drawn 4x larger and downsampled (anti-aliased edges, like a real drawing)."""
    k = SUPERSAMPLE
    image = Image.new("RGB", (scene.width * k, scene.height * k), scene.background_rgb)
    draw = ImageDraw.Draw(image)
    jitter = np.random.default_rng(scene.noise_seed)
    for s in scene.shapes:
        rgb = tuple(int(np.clip(c + jitter.integers(-18, 19), 0, 255)) for c in COLOURS[s.colour])
        if s.shape == "circle":
            draw.ellipse([(s.x - s.r) * k, (s.y - s.r) * k, (s.x + s.r) * k, (s.y + s.r) * k], fill=rgb)
        else:
            draw.polygon(_polygon(s, k), fill=rgb)
    image = image.resize((scene.width, scene.height), Image.Resampling.BOX)
    if scene.background == "noise":
        pixels = np.asarray(image, dtype=np.float32)
        pixels += jitter.normal(0, 10, size=pixels.shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return image


# ---------------------------------------------------------------------------------------------------------- questions

def _count(n: int) -> str:
    return str(n)


def describe(scene: Scene, top_down: bool = False) -> str:
    """The canonical description: how many shapes, then each from left to right (or from top to bottom)."""
    return _listing(sorted(scene.shapes, key=lambda s: s.y if top_down else s.x))


def _listing(order) -> str:
    items = [f"{'an' if s.colour[0] in 'aeiou' else 'a'} {s.name}" for s in order]
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    noun = "shape" if len(items) == 1 else "shapes"
    return f"{NUMBER_WORDS[len(items)]} {noun}: {listed}"


LEVEL = 8.0  # pixels: two shapes closer than this in x (or y) are level; no question asks which is further left


def descriptions(scene: Scene) -> set[str]:
    """Every right answer to "describe the image": the canonical :func:`describe`, and the same with shapes that are
    level (within ``LEVEL`` px in x, where "left to right" does not say which comes first) in either order, the
    tolerance the left/right questions get by not being asked of such pairs."""
    out = set()
    for order in itertools.permutations(scene.shapes):
        if all(b.x > a.x - LEVEL for i, a in enumerate(order) for b in order[i + 1:]):
            out.add(_listing(order))
    return out


def is_right(scene: Scene, qa: QA, predicted: str) -> bool:
    """Whether ``predicted`` answers ``qa`` about ``scene`` (after :func:`normalise_answer`)."""
    said = normalise_answer(predicted)
    if qa.kind == "describe":
        return said in {normalise_answer(d) for d in descriptions(scene)}
    return said == normalise_answer(qa.answer)


def _references(scene: Scene, s: Shape) -> list[str]:
    """Ways to name ``s`` unambiguously in this scene."""
    refs = []
    if sum(o.shape == s.shape and o.colour == s.colour for o in scene.shapes) == 1:
        refs.append(f"the {s.colour} {s.shape}")
    if sum(o.shape == s.shape for o in scene.shapes) == 1:
        refs.append(f"the {s.shape}")
    if sum(o.colour == s.colour for o in scene.shapes) == 1:
        refs.append(f"the {s.colour} shape")
    return refs


COUNT = ("How many shapes are there?", "How many shapes can you see?", "How many objects are in the image?",
         "Count the shapes.", "How many things are in the picture?", "What is the number of shapes?")
COUNT_COLOUR = ("How many {c} shapes are there?", "How many {c} objects are there?", "Count the {c} shapes.",
                "How many shapes are {c}?", "How many {c} things can you see?")
COUNT_SHAPE = ("How many {p} are there?", "How many {p} can you see?", "Count the {p}.",
               "How many {p} are in the image?")
COLOUR_OF = ("What color is the {s}?", "What colour is the {s}?", "Which color is the {s}?",
             "What is the color of the {s}?", "Tell me the colour of the {s}.")
SHAPE_OF = ("What shape is the {c} object?", "What shape is the {c} one?", "What is the shape of the {c} thing?",
            "Which shape is {c}?", "What kind of shape is {c}?")
EXISTS = ("Is there a {c} {s}?", "Is there a {c} {s} in the image?", "Do you see a {c} {s}?",
          "Are there any {c} {p}?", "Can you find a {c} {s}?")
LEFT = ("Is {a} to the left of {b}?", "Is {a} left of {b}?", "Is {a} on the left of {b}?")
RIGHT = ("Is {a} to the right of {b}?", "Is {a} right of {b}?", "Is {a} on the right of {b}?")
ABOVE = ("Is {a} above {b}?", "Is {a} higher than {b}?", "Is {a} over {b}?")
BELOW = ("Is {a} below {b}?", "Is {a} lower than {b}?", "Is {a} under {b}?")
NEAREST = ("What is the nearest shape to {a}?", "Which shape is closest to {a}?", "What is next to {a}?",
           "Which object is nearest to {a}?")
FARTHEST = ("What is the farthest shape from {a}?", "Which shape is farthest from {a}?",
            "Which object is furthest from {a}?")
DESCRIBE = ("Describe the image.", "What is in the image?", "What do you see?", "Describe the scene.",
            "What shapes are in the picture?")
DESCRIBE_TOP_DOWN = ("Describe the shapes from higher to lower.", "What shapes are there, from above to below?",
                     "Describe the image from above to below.")  # words the tokenizer already has


def _pick(rng: np.random.Generator, options) -> str:
    return str(options[int(rng.integers(len(options)))])


def _grounded(template: str, named: dict[str, Shape], **words: str) -> tuple[str, tuple[tuple[int, float, float], ...]]:
    """``template`` filled in, with (end character, x, y) of each placeholder in ``named``, in question order."""
    question = template.format(**words)
    refs = []
    for key, shape in named.items():
        mark = "{" + key + "}"
        if mark in template:
            end = len(template[:template.index(mark)].format(**words)) + len(words[key])
            refs.append((end, shape.x, shape.y))
    return question, tuple(sorted(refs))


def ask(scene: Scene, kind: str, rng: np.random.Generator) -> QA | None:
    """One question of ``kind`` about ``scene`` with its answer, or None where the scene cannot support it
    (no unique object to name, two shapes too close to call left or right...)."""
    if kind in ("count", "count_colour", "count_shape"):
        return _count_question(scene, kind, rng)
    if kind in ("colour_of", "shape_of"):
        return _unique_question(scene, kind, rng)
    if kind == "exists":
        return _exists_question(scene, rng)
    if kind in ("left_right", "above_below", "nearest_farthest"):
        return _relation(scene, kind, rng)
    if kind == "above_only":
        qa = _relation(scene, "above_below", rng, first_wording=True)
        return None if qa is None else QA(qa.question, qa.answer, kind, qa.refs, qa.focus)
    if kind == "describe":
        return QA(_pick(rng, DESCRIBE), describe(scene), kind)
    if kind == "describe_top_down":
        return QA(_pick(rng, DESCRIBE_TOP_DOWN), describe(scene, top_down=True), kind)
    raise InputError("Unknown question type {kind!r}; the types are: "
                     "{question_types}.", kind=kind, question_types=', '.join(QUESTION_TYPES + TRAINING_ONLY_TYPES))


def _count_question(scene: Scene, kind: str, rng: np.random.Generator) -> QA:
    """How many shapes, or how many of a colour or a shape (one that is present three times in four)."""
    shapes = scene.shapes
    if kind == "count":
        return QA(_pick(rng, COUNT), _count(len(shapes)), kind)
    if kind == "count_colour":
        present = [s.colour for s in shapes]
        c = _pick(rng, present) if rng.random() < 0.75 else _pick(rng, list(COLOURS))
        return QA(_pick(rng, COUNT_COLOUR).format(c=c), _count(present.count(c)), kind)
    present = [s.shape for s in shapes]
    s = _pick(rng, present) if rng.random() < 0.75 else _pick(rng, SHAPES)
    return QA(_pick(rng, COUNT_SHAPE).format(p=PLURAL[s]), _count(present.count(s)), kind)


def _unique_question(scene: Scene, kind: str, rng: np.random.Generator) -> QA | None:
    """The colour of the only shape of its kind, or the shape of the only one of its colour (None if none)."""
    shapes = scene.shapes
    if kind == "colour_of":
        unique = [s for s in shapes if sum(o.shape == s.shape for o in shapes) == 1]
        if not unique:
            return None
        s = unique[int(rng.integers(len(unique)))]
        question, refs = _grounded(_pick(rng, COLOUR_OF), {"s": s}, s=s.shape)
        return QA(question, s.colour, kind, refs, ((s.x, s.y),))
    unique = [s for s in shapes if sum(o.colour == s.colour for o in shapes) == 1]
    if not unique:
        return None
    s = unique[int(rng.integers(len(unique)))]
    question, refs = _grounded(_pick(rng, SHAPE_OF), {"c": s}, c=s.colour)
    return QA(question, s.shape, kind, refs, ((s.x, s.y),))


def _exists_question(scene: Scene, rng: np.random.Generator) -> QA:
    """Is there a <colour> <shape>? Half the time one that is there, else a near miss."""
    pairs = {(s.colour, s.shape) for s in scene.shapes}
    if rng.random() < 0.5:
        c, s = sorted(pairs)[int(rng.integers(len(pairs)))]
    else:  # a near miss: a colour or a shape that is in the scene, but not together
        near = [(c, s) for c in COLOURS for s in SHAPES if (c, s) not in pairs
                and any(c == a or s == b for a, b in pairs)]
        c, s = near[int(rng.integers(len(near)))]
    return QA(_pick(rng, EXISTS).format(c=c, s=s, p=PLURAL[s]), "yes" if (c, s) in pairs else "no", "exists")


def _relation(scene: Scene, kind: str, rng: np.random.Generator, first_wording: bool = False) -> QA | None:
    named = [(s, _references(scene, s)) for s in scene.shapes]
    named = [(s, refs) for s, refs in named if refs]
    if len(named) < 2 or (kind == "nearest_farthest" and len(scene.shapes) < 3):
        return None
    order = rng.permutation(len(named))
    a, a_refs = named[order[0]]
    b, b_refs = named[order[1]]
    ref_a, ref_b = _pick(rng, a_refs), _pick(rng, b_refs)
    if kind == "left_right":
        if abs(a.x - b.x) < LEVEL:
            return None
        left = rng.random() < 0.5
        answer = (a.x < b.x) == left
        question, refs = _grounded(_pick(rng, LEFT if left else RIGHT), {"a": a, "b": b}, a=ref_a, b=ref_b)
        return QA(question, "yes" if answer else "no", kind, refs, ((a.x, a.y), (b.x, b.y)))
    if kind == "above_below":
        if abs(a.y - b.y) < LEVEL:
            return None
        above = first_wording or rng.random() < 0.5
        answer = (a.y < b.y) == above
        question, refs = _grounded(_pick(rng, ABOVE if above else BELOW), {"a": a, "b": b}, a=ref_a, b=ref_b)
        return QA(question, "yes" if answer else "no", kind, refs, ((a.x, a.y), (b.x, b.y)))
    others = sorted((o for o in scene.shapes if o is not a), key=lambda o: math.hypot(o.x - a.x, o.y - a.y))
    dist = [math.hypot(o.x - a.x, o.y - a.y) for o in others]
    nearest = rng.random() < 0.5
    if nearest and dist[1] - dist[0] >= 8:
        o = others[0]
    elif not nearest and dist[-1] - dist[-2] >= 8:
        o = others[-1]
    else:
        return None
    question, refs = _grounded(_pick(rng, NEAREST if nearest else FARTHEST), {"a": a}, a=ref_a)
    return QA(question, o.name, kind, refs, ((a.x, a.y), (o.x, o.y)))


@dataclass
class Sample:
    """One training or evaluation item: a scene, its image and a conversation of questions about it."""
    scene: Scene
    image: Image.Image
    turns: list[QA] = field(default_factory=list)


def questions(scene: Scene, rng: np.random.Generator, n: int, kinds: tuple[str, ...] = QUESTION_TYPES) -> list[QA]:
    """Up to ``n`` questions about ``scene``, each of a different kind (so no turn can copy an earlier answer),
    kinds in random order."""
    out: list[QA] = []
    for i in rng.permutation(len(kinds)):
        qa = ask(scene, kinds[i], rng)
        if qa is not None:
            out.append(qa)
            if len(out) == n:
                break
    return out


def normalise_answer(text: str) -> str:
    """Lower-case, no trailing full stop, number words as digits ("Three." -> "3"), so that answers compare."""
    text = " ".join(text.lower().replace("colour", "color").strip().rstrip(".").split())
    return str(NUMBER_WORDS.index(text)) if text in NUMBER_WORDS else text


FLATNESS_MIN = 0.9  # every training scene is above 0.917 (1,200 checked); the sample photos 0.66-0.92


def flatness(image: Image.Image) -> float:
    """The share of neighbouring pixels that are alike once the image is brought to 96 px and median-filtered:
    flat shapes on a plain (or evenly noisy) background are near 1, a photo's textures are lower."""
    from PIL import ImageFilter

    small = image.convert("RGB").resize((96, 96), Image.Resampling.BOX).filter(ImageFilter.MedianFilter(5))
    pixels = np.asarray(small, dtype=np.int32)
    return float((np.abs(pixels[:, 1:] - pixels[:, :-1]).max(-1) < 10).mean())


REASONS = {  # why an image is unlike the training scenes, as a sentence with the figures of the case
    "size": "it is {side} px across, and the training scenes are {low}–{high} px",
    "photo": "it has the textures of a photo, and the training scenes are flat shapes on a plain background",
}


def unlike_training(image: Image.Image, scale: float = 1.0) -> list[tuple[str, dict]]:
    """Why ``image`` (resized by ``scale`` before encoding) is outside the scenes the tiny model was trained on,
    as (key of :data:`REASONS`, its figures): a size far beyond the training scenes' sides, or the textures of a
    photo. Empty when it looks like one of them."""
    reasons = []
    side = max(image.size) * scale
    if side > 2 * max(SIDES):
        reasons.append(("size", {"side": round(side), "low": min(SIDES), "high": max(SIDES)}))
    if flatness(image) < FLATNESS_MIN:
        reasons.append(("photo", {}))
    return reasons
