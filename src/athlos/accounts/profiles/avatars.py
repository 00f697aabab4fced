"""Avatar images: the type sniffed from the bytes, bounded in size and pixels, re-encoded without
metadata as a PNG of at most 512 px a side."""

from __future__ import annotations

import io
import warnings
from typing import Final

from PIL import Image, UnidentifiedImageError

from athlos.core.errors import InvalidInput, PayloadTooLarge

MAX_BYTES: Final = 5 * 1024 * 1024
# Far above any camera, far below a decompression bomb's allocation.
MAX_PIXELS: Final = 40_000_000
SIDE: Final = 512
FORMATS: Final = ("JPEG", "PNG", "WEBP", "GIF")


class AvatarInvalid(InvalidInput):
    code = "invalid_image"


class AvatarTooLarge(PayloadTooLarge):
    code = "image_too_large"


def reencode(raw: bytes) -> bytes:
    """A fresh PNG of ``raw``'s first frame: no EXIF, no ICC, no comments, nothing but pixels."""
    if len(raw) > MAX_BYTES:
        raise AvatarTooLarge(f"Avatars are limited to {MAX_BYTES // (1024 * 1024)} MiB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS or width < 1 or height < 1:
                    raise AvatarTooLarge("The image has too many pixels.")
                image.draft("RGB", (SIDE, SIDE))
                image.seek(0)
                frame = image.convert("RGBA")
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AvatarInvalid("The file is not a JPEG, PNG, WebP or GIF image.") from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise AvatarInvalid("The image could not be read.") from exc
    frame.thumbnail((SIDE, SIDE), Image.Resampling.LANCZOS)
    clean = Image.new("RGBA", frame.size)
    clean.paste(frame)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()
