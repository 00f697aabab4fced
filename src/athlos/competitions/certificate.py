"""A finisher's certificate: a 1200×630 PNG (the size link previews use) drawn with Pillow, in the
viewer's words. The texts come translated; this module only lays them out. Pure: no I/O but the fonts.

Fonts: DejaVu Sans when the system has it (it has Cyrillic), else Pillow's own default font.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFont

SIZE: Final = (1200, 630)
FONT_DIRS: Final = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
BACKGROUND: Final = (250, 248, 243)
INK: Final = (28, 32, 38)
ACCENT: Final = (214, 69, 38)
MUTED: Final = (92, 98, 108)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True, slots=True)
class CertificateText:
    """Every line already in the viewer's language."""

    heading: str
    name: str
    race: str
    time: str
    place: str
    category: str
    date: str
    footer: str


@cache
def _font(size: int, bold: bool = False) -> Font:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def _fitted(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, bold: bool = False) -> Font:
    """The font at ``size``, smaller until ``text`` fits ``width`` pixels."""
    while size > 14:
        font = _font(size, bold)
        if draw.textlength(text, font=font) <= width:
            return font
        size -= 4
    return _font(size, bold)


def render(text: CertificateText) -> bytes:
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 160
    draw.rectangle((0, 0, SIZE[0], 18), fill=ACCENT)
    draw.rectangle((40, 48, SIZE[0] - 40, SIZE[1] - 40), outline=MUTED, width=2)
    centre = SIZE[0] // 2
    lines = (
        (text.heading, 30, MUTED, False, 100),
        (text.name, 64, INK, True, 170),
        (text.race, 36, INK, False, 265),
        (text.time, 88, ACCENT, True, 345),
        (text.place, 32, INK, False, 455),
        (text.category, 26, MUTED, False, 500),
        (f"{text.date} · {text.footer}", 22, MUTED, False, 555),
    )
    for line, size, colour, bold, top in lines:
        if line:
            draw.text(
                (centre, top), line, fill=colour, font=_fitted(draw, line, size, width, bold), anchor="mt"
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
