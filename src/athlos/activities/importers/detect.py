"""Recognise an uploaded file by its content (never by its name) and hand it to its importer.

``parse_bytes()`` is the one entry point: FIT, GPX and TCX, each optionally gzipped. Anything else, and
anything the importers cannot read, ends in :class:`ImportRefused` with a stable code.
"""

from __future__ import annotations

import zlib
from typing import BinaryIO, Final

from athlos.activities.importers.errors import (
    CORRUPT_FILE,
    EMPTY_FILE,
    TOO_LARGE,
    UNSUPPORTED_FORMAT,
    ImportRefused,
)
from athlos.activities.importers.fit import looks_like_fit, parse_fit
from athlos.activities.importers.gpx import parse_gpx
from athlos.activities.importers.tcx import parse_tcx
from athlos.activities.streams import ParsedFile

DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
_GZIP_MAGIC: Final = b"\x1f\x8b"
_SNIFF_BYTES: Final = 4096


def sniff(data: bytes) -> str | None:
    """``"fit"``, ``"gpx"``, ``"tcx"``, ``"gzip"`` or ``None`` from the first bytes of a file."""
    if data.startswith(_GZIP_MAGIC):
        return "gzip"
    if looks_like_fit(data):
        return "fit"
    head = data[:_SNIFF_BYTES]
    for bom in (b"\xef\xbb\xbf",):
        head = head.removeprefix(bom)
    head = head.lstrip()
    if not head.startswith(b"<"):
        return None
    if b"<TrainingCenterDatabase" in head:
        return "tcx"
    if b"<gpx" in head or b":gpx" in head:
        return "gpx"
    return None


def parse_bytes(
    data: bytes, filename: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedFile:
    """Parse an uploaded file into its activities.

    ``filename`` only appears in messages; the format is read from the content. A gzip wrapper is
    removed transparently (its content is held to ``max_bytes`` too, so a compression bomb is refused).
    """
    label = f" {filename!r}" if filename else ""
    if not data:
        raise ImportRefused(EMPTY_FILE, f"the file{label} is empty")
    if len(data) > max_bytes:
        raise ImportRefused(TOO_LARGE, f"the file{label} is larger than {max_bytes} bytes")
    kind = sniff(data)
    if kind == "gzip":
        data = _gunzip(data, max_bytes)
        if not data:
            raise ImportRefused(EMPTY_FILE, f"the gzip file{label} holds nothing")
        kind = sniff(data)
    if kind == "fit":
        return parse_fit(data)
    if kind == "gpx":
        return parse_gpx(data)
    if kind == "tcx":
        return parse_tcx(data)
    raise ImportRefused(UNSUPPORTED_FORMAT, f"the file{label} is not FIT, GPX or TCX (optionally gzipped)")


def parse_stream(
    stream: BinaryIO, filename: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedFile:
    """Like :func:`parse_bytes` for a binary file object, reading at most ``max_bytes + 1`` bytes."""
    data = stream.read(max_bytes + 1)
    return parse_bytes(data, filename, max_bytes=max_bytes)


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ImportRefused(CORRUPT_FILE, f"the gzip data is damaged: {exc}") from None
    if len(out) > max_bytes:
        raise ImportRefused(TOO_LARGE, f"the file unpacks to more than {max_bytes} bytes")
    return out
