"""Images that arrive from outside: their size is read from the header and refused before a pixel is decoded.

A 13000×13000 one-bit PNG is about 20 KB on disk and about 0.7 GB once decoded, so every image input checks
:data:`MAX_PIXELS` first (:func:`check_image`). PIL's own limit is set to the same cap when this module is
imported (``Image.MAX_IMAGE_PIXELS``), so a path that forgets the check still fails before decoding.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from rlgen.errors import InputError

MAX_PIXELS = 25_000_000  # a 6000×4000 phone photo fits; ~100 MB as RGBA at most
MAX_SIDE = 12_000

# PIL warns above MAX_IMAGE_PIXELS and raises above twice that: the app's cap is the raising threshold.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS // 2
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)  # below the cap: a legitimate photo


def _describe(size: tuple[int, int]) -> str:
    width, height = size
    return f"{width:,}×{height:,} pixels ({width * height / 1e6:.1f} megapixels)"


def image_size(source: str | Path | bytes) -> tuple[int, int]:
    """Width and height from the file's header alone; :class:`InputError` if it is not an image PIL reads."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with Image.open(stream) as image:  # lazy: reads the header, decodes nothing
            return image.size
    except Image.DecompressionBombError as exc:
        raise InputError("The image is too large to open safely; the cap is {megapixels:.0f} megapixels "
                         "(at most {max_side:,} pixels a side). Use a smaller image.",
                         megapixels=MAX_PIXELS / 1000000.0, max_side=MAX_SIDE) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError("That file is not an image this app can read (use PNG, JPEG, WebP, GIF or BMP).") from exc


def check_image(source: str | Path | bytes, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """The image's size, checked against the cap before decoding; :class:`InputError` names the limit."""
    width, height = image_size(source)
    if width < 1 or height < 1:
        raise InputError("The image is empty (0 pixels).")
    if width * height > max_pixels or max(width, height) > MAX_SIDE:
        raise InputError("The image is {size}; the cap is {megapixels:.0f} megapixels "
                         "and {max_side:,} pixels a side. Use a smaller image.",
                         size=_describe((width, height)), megapixels=max_pixels / 1000000.0, max_side=MAX_SIDE)
    return width, height


def data_url_bytes(url: str, max_bytes: int = 20_000_000) -> bytes:
    """The bytes of a ``data:`` URL (an image pasted or sent inline), refused above ``max_bytes``."""
    header, _, payload = url.partition(",")
    if len(payload) > max_bytes * 4 // 3 + 4:
        raise InputError("The inline image is over {megabytes} MB; upload a smaller file.",
                         megabytes=max_bytes // 1000000)
    try:
        return base64.b64decode(payload) if ";base64" in header else payload.encode()
    except (binascii.Error, ValueError) as exc:
        raise InputError("The inline image could not be read.") from exc
