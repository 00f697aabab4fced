"""The ``Content-Disposition`` of a download named after something a person typed: any title gives a
sensible file name (RFC 6266): the name as typed, in UTF-8 (``filename*``), and a plain-ASCII one for
clients that read only ``filename``."""

from __future__ import annotations

import re
import unicodedata
from typing import Final
from urllib.parse import quote

# What no file name may hold: folder separators, control characters, and what Windows refuses.
_FORBIDDEN: Final = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_NOT_ASCII_SAFE: Final = re.compile(r"[^A-Za-z0-9._ ()-]+")
MAX_STEM: Final = 120


def file_stem(title: str | None, default: str) -> str:
    """``title`` as a file name without extension: forbidden characters as ``-``, no leading dots
    or spaces, at most ``MAX_STEM`` characters; ``default`` for a title with nothing left."""
    cleaned = " ".join(_FORBIDDEN.sub("-", unicodedata.normalize("NFC", title or "")).split())
    cleaned = cleaned.strip(" .-")[:MAX_STEM].rstrip(" .-")
    return cleaned or default


def attachment(title: str | None, extension: str, default: str) -> str:
    """The header value that saves the download as ``<title>.<extension>``."""
    stem = file_stem(title, default)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = " ".join(_NOT_ASCII_SAFE.sub("_", ascii_stem).split()).strip(" ._-") or default
    plain = f"{ascii_stem}.{extension}"
    if stem == ascii_stem:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(f'{stem}.{extension}', safe='')}"
