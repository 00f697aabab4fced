"""Draw the app icons (run once, commit the PNGs): ``python -m athlos.web.make_icons``.

The mark is a white mountain peak with a rising track on the theme colour. ``icon-*`` are rounded
squares; ``maskable-*`` fill the whole square and keep the mark inside the central safe zone (80 %).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS_DIR = Path(__file__).parent / "static" / "icons"
THEME = (15, 118, 110, 255)
WHITE = (255, 255, 255, 255)
SIZES = (192, 512)


def _mark(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    """The peak and the track, drawn within ``scale`` of the square around its centre."""

    def point(x: float, y: float) -> tuple[float, float]:
        return (size / 2 + (x - 0.5) * size * scale, size / 2 + (y - 0.5) * size * scale)

    draw.polygon(
        [point(0.12, 0.78), point(0.42, 0.26), point(0.58, 0.52), point(0.68, 0.4), point(0.88, 0.78)],
        fill=WHITE,
    )
    draw.line(
        [point(0.1, 0.9), point(0.5, 0.84), point(0.9, 0.9)],
        fill=WHITE,
        width=max(2, round(size * scale * 0.05)),
        joint="curve",
    )


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle([0, 0, size, size], fill=THEME)
        _mark(draw, size, 0.62)
    else:
        draw.rounded_rectangle([0, 0, size - 1, size - 1], radius=size // 5, fill=THEME)
        _mark(draw, size, 0.82)
    return image


def main() -> None:
    ICONS_DIR.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw_icon(size, maskable=False).save(ICONS_DIR / f"icon-{size}.png", optimize=True)
        draw_icon(size, maskable=True).save(ICONS_DIR / f"maskable-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
