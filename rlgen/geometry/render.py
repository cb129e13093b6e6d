"""Draw a sketch and one algorithm step onto a PIL image.

World coordinates have y pointing up (so counter-clockwise means what it does in the formulas); the canvas
is WIDTH × HEIGHT pixels with world (0, 0) at the bottom-left. Drawing happens at 2× and is downsampled,
which anti-aliases the lines.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from PIL import Image, ImageDraw

from rlgen.geometry.steps import PALETTE, Circle, Dots, Lines, Path, Step

WIDTH, HEIGHT = 720, 480
GRID = 40  # pixels between grid lines; "snap to grid" snaps to these
SCALE = 2
INK = (30, 41, 59)
FADED = (100, 116, 139)


def to_pixel(x: float, y: float) -> tuple[float, float]:
    return (x * SCALE, (HEIGHT - y) * SCALE)


def to_world(px: float, py: float) -> tuple[float, float]:
    """A click on the displayed image (pixel coordinates, y down) in world coordinates (y up)."""
    return (float(px), float(HEIGHT - py))


def _clip(value: float) -> float:
    # PIL draws with C ints: keep far-away geometry (rays, huge inputs) finite and bounded.
    return max(-1e6, min(1e6, value))


def _pixels(points) -> list[tuple[float, float]]:
    return [(_clip(px), _clip(py)) for px, py in (to_pixel(x, y) for x, y in points)]


def _grid(draw: ImageDraw.ImageDraw) -> None:
    for gx in range(0, WIDTH + 1, GRID):
        draw.line([to_pixel(gx, 0), to_pixel(gx, HEIGHT)], fill=(241, 245, 249), width=SCALE)
    for gy in range(0, HEIGHT + 1, GRID):
        draw.line([to_pixel(0, gy), to_pixel(WIDTH, gy)], fill=(241, 245, 249), width=SCALE)
    for gx in range(0, WIDTH, 2 * GRID):
        draw.text((gx * SCALE + 4, HEIGHT * SCALE - 22), str(gx), fill=(148, 163, 184), font_size=18)
    for gy in range(2 * GRID, HEIGHT, 2 * GRID):
        draw.text((4, (HEIGHT - gy) * SCALE + 2), str(gy), fill=(148, 163, 184), font_size=18)


def _arrow(draw, p, q, color, width) -> None:
    (x0, y0), (x1, y1) = _pixels([p, q])
    draw.line([(x0, y0), (x1, y1)], fill=color, width=width)
    angle = math.atan2(y1 - y0, x1 - x0)
    size = 9 * SCALE
    for turn in (2.6, -2.6):
        draw.line([(x1, y1), (x1 + size * math.cos(angle + turn), y1 + size * math.sin(angle + turn))],
                  fill=color, width=width)


def _halfplane_shade(p, q) -> list[tuple[float, float]]:
    """The part of the canvas left of the directed line p → q, as a polygon (for a faint fill)."""
    box = [(0, 0), (WIDTH, 0), (WIDTH, HEIGHT), (0, HEIGHT)]
    dx, dy = q[0] - p[0], q[1] - p[1]

    def side(v):
        return dx * (v[1] - p[1]) - dy * (v[0] - p[0])

    out = []
    for k in range(4):
        a, b = box[k], box[(k + 1) % 4]
        sa, sb = side(a), side(b)
        if sa >= 0:
            out.append(a)
        if (sa >= 0) != (sb >= 0):
            t = sa / (sa - sb)
            out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return out


def draw_sketch(draw: ImageDraw.ImageDraw, overlay: ImageDraw.ImageDraw, sketch, faded: bool) -> None:
    ink = FADED if faded else INK
    for p, q in sketch.halfplanes:
        _draw_halfplane(draw, overlay, p, q)
    for p, q in sketch.segments:
        draw.line(_pixels([p, q]), fill=ink, width=2 * SCALE)
        for v in (p, q):
            _dot(draw, v, 3, ink)
    if sketch.polygon:
        _draw_polygon(draw, sketch.polygon, sketch.polygon_closed, ink)
    radius = 4 if len(sketch.points) <= 200 else 3 if len(sketch.points) <= 800 else 2
    for v in sketch.points:
        _dot(draw, v, radius, ink)
    if sketch.pending is not None:
        _dot(draw, sketch.pending, 6, (234, 88, 12))
    if sketch.query is not None:
        x, y = to_pixel(*sketch.query)
        s = 9 * SCALE
        draw.line([(x - s, y), (x + s, y)], fill=(190, 18, 60), width=3 * SCALE)
        draw.line([(x, y - s), (x, y + s)], fill=(190, 18, 60), width=3 * SCALE)


def _draw_halfplane(draw: ImageDraw.ImageDraw, overlay: ImageDraw.ImageDraw, p, q) -> None:
    """The kept side shaded, the boundary line across the canvas, and the arrow p → q."""
    shade = _halfplane_shade(p, q)
    if len(shade) >= 3:
        overlay.polygon(_pixels(shade), fill=(14, 165, 233, 14))
    d = (q[0] - p[0], q[1] - p[1])
    far = 2000 / max(1e-9, math.hypot(*d))
    draw.line(_pixels([(p[0] - far * d[0], p[1] - far * d[1]), (p[0] + far * d[0], p[1] + far * d[1])]),
              fill=(125, 211, 252), width=SCALE)
    _arrow(draw, p, q, (2, 132, 199), 2 * SCALE)


def _draw_polygon(draw: ImageDraw.ImageDraw, polygon, closed: bool, ink) -> None:
    """The polygon (or the open chain being drawn), its first vertex larger while open."""
    poly = _pixels(polygon)
    if closed and len(poly) >= 3:
        draw.polygon(poly, outline=ink, width=2 * SCALE)
    elif len(poly) >= 2:
        draw.line(poly, fill=ink, width=2 * SCALE)
    for k, v in enumerate(polygon):
        _dot(draw, v, 6 if k == 0 and not closed else 4, ink)


def _dot(draw, v, radius: float, color) -> None:
    x, y = to_pixel(*v)
    r = radius * SCALE
    draw.ellipse([x - r, y - r, x + r, y + r], fill=color)


def draw_layers(draw: ImageDraw.ImageDraw, overlay: ImageDraw.ImageDraw, layers) -> None:
    for layer in layers:
        color = PALETTE[layer.color]
        if isinstance(layer, Path):
            _draw_path(draw, overlay, layer, color)
        elif isinstance(layer, Lines):
            for p, q in layer.segments:
                draw.line(_pixels([p, q]), fill=color, width=layer.width * SCALE)
        elif isinstance(layer, Dots):
            for v in layer.points:
                _dot(draw, v, layer.radius, color)
        elif isinstance(layer, Circle):
            x, y = to_pixel(*layer.center)
            r = min(layer.radius * SCALE, 1e6)
            draw.ellipse([_clip(x - r), _clip(y - r), _clip(x + r), _clip(y + r)], outline=color,
                         width=layer.width * SCALE)


def _draw_path(draw: ImageDraw.ImageDraw, overlay: ImageDraw.ImageDraw, layer: Path, color) -> None:
    """A polyline (closed and filled if the layer says so); a single point as a dot."""
    pts = _pixels(layer.points)
    if layer.fill and len(pts) >= 3:
        overlay.polygon(pts, fill=(*color, 40))
    if len(pts) >= 2:
        draw.line(pts + pts[:1] if layer.closed else pts, fill=color, width=layer.width * SCALE, joint="curve")
    elif pts:
        _dot(draw, layer.points[0], 4, color)


def render(sketch, step: Step | None = None) -> Image.Image:
    """The canvas: grid, the sketch (faded while a step is shown) and the step's layers on top."""
    base = _background().copy()
    tint = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw, overlay = ImageDraw.Draw(base), ImageDraw.Draw(tint)
    draw_sketch(draw, overlay, sketch, faded=step is not None)
    if step is not None:
        layers = step.layers() if callable(step.layers) else step.layers
        draw_layers(draw, overlay, layers)
    image = Image.alpha_composite(base, tint).convert("RGB")
    return image.reduce(SCALE)  # box filter: the anti-aliasing, 10x cheaper than a Lanczos resize


@cache
def _background() -> Image.Image:
    """The empty gridded canvas, drawn once (callers copy it)."""
    image = Image.new("RGBA", (WIDTH * SCALE, HEIGHT * SCALE), (255, 255, 255, 255))
    _grid(ImageDraw.Draw(image))
    return image


def render_sign_grid(signs: np.ndarray, title_colors=((220, 38, 38), (255, 255, 255), (37, 99, 235))) -> Image.Image:
    """A grid of -1 / 0 / +1 as red / white / blue pixels, each cell magnified (for the float-vs-exact map)."""
    lut = np.array(title_colors, dtype=np.uint8)
    rgb = lut[signs.astype(int) + 1][::-1]  # row 0 = smallest y at the bottom
    size = max(1, 256 // signs.shape[0])
    return Image.fromarray(rgb).resize((signs.shape[1] * size, signs.shape[0] * size), Image.NEAREST)
