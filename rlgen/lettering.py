"""Words drawn into pictures (a GIF's caption, the labels of an image grid, a grid world's footer).

Pillow's default font has no Chinese glyphs, so :func:`font` takes a CJK system font where one is installed (Debian's
``fonts-noto-cjk``, macOS's PingFang, Windows' Microsoft YaHei) and Pillow's default otherwise: nothing is downloaded
and no font ships with the project. A domain function that writes words takes a ``text`` function, ``text(template,
**fields)``; the default, :func:`english`, fills the template in as it is, and the UI passes its ``say`` so that the
words come in the reader's language.
"""

from __future__ import annotations

from functools import cache

from PIL import ImageFont

# (file name, face index) of common CJK system fonts; Pillow finds a bare file name in the system's font folders.
# NotoSansCJK-Regular.ttc holds five faces: the third is Simplified Chinese.
CJK_FONTS = (("NotoSansCJK-Regular.ttc", 2), ("NotoSansCJKsc-Regular.otf", 0), ("SourceHanSansSC-Regular.otf", 0),
             ("PingFang.ttc", 0), ("msyh.ttc", 0), ("wqy-microhei.ttc", 0))


def english(template: str, **fields: object) -> str:
    """``template`` filled in, in English (a template without fields is taken as it is)."""
    return template.format(**fields) if fields else template


def font(size: int, text: str = "") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A font of ``size`` pixels for ``text``: Pillow's default, or a CJK system font where ``text`` holds Chinese (and
    the system has one)."""
    return _cjk_font(size) if any(ord(ch) >= 0x2E80 for ch in text) else _default_font(size)


@cache
def _default_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


@cache
def _cjk_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name, index in CJK_FONTS:
        try:
            return ImageFont.truetype(name, size, index=index)
        except OSError:
            continue
    return _default_font(size)
