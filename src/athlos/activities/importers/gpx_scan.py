"""The GPX track points of a plain document, read from its bytes with array operations.

Building an element tree costs most of a GPX import, and gives nothing a GPX track needs: a track is a
flat list of points in document order. So, once expat has found the document well-formed (without
building anything), this module finds every tag at once (each ``<``), tells the few tag names apart,
and cuts the texts of ``ele``, ``time`` and the channel elements out of the bytes, assigning each to the
last point before it, exactly as the tree reader in :mod:`gpx` does.

It reads only documents where the bytes *are* the text a parser would report: UTF-8, no DTD, no
comments, CDATA or processing instructions, no references in the values it reads, one default
namespace that is the root's. For anything else (and any tag it does not expect where points are) it
answers ``None`` and the caller uses the tree reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from athlos.activities.importers.xmlsafe import (
    epochs,
    fixed_utc_epochs,
    not_plain_markup,
    plain_well_formed,
    row_numbers,
)
from athlos.activities.streams import FloatArray

_NAME_WIDTH: Final = 64  # longest tag name read (prefix included); longer ones send the file to the tree
_MOST_NAMES: Final = 64  # most distinct tag names read
_VALUE_WIDTH: Final = 64  # longest element text read
_NUMBER_WIDTH: Final = 32  # longest lat or lon read
_PAD: Final = b"\0" * (_NAME_WIDTH + _VALUE_WIDTH)
_LT, _GT, _SLASH, _QUOTE = (ord(c) for c in '<>/"')
_SPACES: Final = (ord(" "), ord("\t"), ord("\n"), ord("\r"))
_POINT, _ALTITUDE, _TIME, _TRACK_OPEN, _TRACK_CLOSE, _POINT_CLOSE, _IGNORED = range(7)
# Unprefixed names that may stand where points are (the GPX 1.0/1.1 schema's), besides channels.
_GPX_NAMES: Final = frozenset(
    (
        *("trk", "trkseg", "extensions", "name", "cmt", "desc", "src", "link", "text", "type", "number"),
        *("magvar", "geoidheight", "sym", "fix", "sat", "hdop", "vdop", "pdop", "ageofdgpsdata", "dgpsid"),
        *("course", "url", "urlname"),
    )
)
_OUTSIDE_TRACKS: Final = frozenset(("gpx", "metadata", "wpt", "rte", "rtept", "bounds", "author", "email"))


@dataclass(frozen=True, slots=True)
class ScannedPoints:
    first: int  # offset of the first <trkpt
    end: int  # offset just after the last </trkpt>
    time: FloatArray
    columns: dict[str, FloatArray]


class _NotPlain(Exception):
    """The document needs the tree reader."""


def scan_track_points(data: bytes, channels: Mapping[str, str]) -> ScannedPoints | None:
    """The track points of a plain GPX document, or ``None`` when the tree reader must read it.

    ``channels`` maps lower-case local names of elements to the channel they carry.
    """
    if b"<trkpt" not in data or not_plain_markup(data) or not plain_well_formed(data):
        return None
    try:
        return _scan(data, channels)
    except _NotPlain:
        return None


def _scan(data: bytes, channels: Mapping[str, str]) -> ScannedPoints:
    _check_default_namespace(data)
    buffer = np.frombuffer(data + _PAD, dtype=np.uint8)
    size = len(data)
    tags = np.flatnonzero(buffer[:size] == _LT)
    kinds, lengths = _classify(buffer, tags, channels)
    # Depth in tracks after each tag: points and values count only inside exactly one track.
    step = (kinds == _TRACK_OPEN).astype(np.int32) - (kinds == _TRACK_CLOSE)
    depth = np.cumsum(step)
    if depth.max(initial=0) > 1 or depth.min(initial=0) < 0:
        raise _NotPlain
    inside = depth == 1
    point_tags = np.flatnonzero((kinds == _POINT) & inside)
    if point_tags.shape[0] == 0 or int(np.count_nonzero(kinds == _POINT)) != point_tags.shape[0]:
        raise _NotPlain
    first = int(tags[point_tags[0]])
    closes = np.flatnonzero(kinds == _POINT_CLOSE)
    if closes.shape[0] == 0 or closes[-1] < point_tags[-1] or lengths[closes[-1]] != 6:
        raise _NotPlain  # the last point closes itself (<trkpt .../>): rare, left to the tree
    end = int(tags[closes[-1]]) + 8
    if data[end - 1 : end] != b">":
        raise _NotPlain
    if data.find(b"&", first, end) >= 0:
        raise _NotPlain  # a character or entity reference among the points: the tree decodes it
    n = point_tags.shape[0]
    lat, lon = _coordinates(buffer, tags[point_tags])
    columns: dict[str, FloatArray] = {"lat": lat, "lon": lon}
    point_offsets = tags[point_tags]

    def values_of(kind_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Point index, text offset and text length of the tags selected."""
        selected = np.flatnonzero(kind_mask & inside)
        starts = tags[selected] + lengths[selected] + 2
        if selected.shape[0] and (buffer[starts - 1] != _GT).any():
            raise _NotPlain  # attributes or a self-closing tag where a bare value element was expected
        ends = tags[np.minimum(selected + 1, tags.shape[0] - 1)]
        ends = np.where(selected + 1 < tags.shape[0], ends, size)
        widths = ends - starts
        owner = np.searchsorted(point_offsets, tags[selected], side="right") - 1
        after_a_point = owner >= 0  # values in a track before its first point belong to none
        return owner[after_a_point], starts[after_a_point], widths[after_a_point]

    owner, starts, widths = values_of(kinds == _ALTITUDE)
    columns["altitude"] = _spread(n, owner, _numbers(buffer, starts, widths))
    owner, starts, widths = values_of(kinds == _TIME)
    time = _times(n, owner, *_texts(buffer, starts, widths))
    for channel, code in _channel_codes(channels).items():
        mask = kinds == code
        if mask.any():
            owner, starts, widths = values_of(mask)
            if owner.shape[0]:
                columns[channel] = _spread(n, owner, _numbers(buffer, starts, widths))
    return ScannedPoints(first=first, end=end, time=time, columns=columns)


def _check_default_namespace(data: bytes) -> None:
    """Unprefixed names must be in the root's namespace: no ``xmlns`` after the root's start tag."""
    root = data.find(b"<gpx")
    if root < 0 or data.find(b"xmlns", data.find(b">", root)) >= 0:
        raise _NotPlain


def _classify(
    buffer: np.ndarray, tags: np.ndarray, channels: Mapping[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """A kind code and the name's length for every tag; each distinct start-tag name is looked up once.

    End tags only matter when they close a track or a point. A start tag's name runs from after ``<``
    to the first space, ``>`` or ``/``; names are told apart by a key from their first and last eight
    bytes and their length, and names longer than 16 bytes are also compared whole.
    """
    # Every offset's next eight bytes as one little-endian integer (an unaligned view, nothing copied).
    words = np.ndarray(shape=(buffer.shape[0] - 7,), dtype="<u8", buffer=buffer, strides=(1,))
    tag_words = words[tags]
    kinds = np.full(tags.shape[0], -1, dtype=np.int8)
    lengths = np.zeros(tags.shape[0], dtype=np.int64)
    closing = buffer[tags + 1] == _SLASH
    kinds[closing] = _IGNORED
    lengths[closing] = 1  # only end tags of points are measured (below)
    kinds[tag_words == _word(b"</trkpt>")] = _POINT_CLOSE
    lengths[tag_words == _word(b"</trkpt>")] = 6
    kinds[tag_words & _MASKS[6] == _word(b"</trk>")] = _TRACK_CLOSE
    other_track_end = closing & (tag_words & _MASKS[5] == _word(b"</trk")) & (kinds == _IGNORED)
    if (other_track_end & (tag_words != _word(b"</trkseg"))).any():
        raise _NotPlain  # "</trk >" and the like: unusual, left to the tree
    opening = np.flatnonzero(~closing)
    starts = tags[opening] + 1
    window = sliding_window_view(buffer, 16)[starts]
    ends = _delimiters(window)
    has_end = ends.any(axis=1)
    opening_lengths = ends.argmax(axis=1)
    long_names = np.flatnonzero(~has_end)
    if long_names.shape[0]:
        wide = _delimiters(sliding_window_view(buffer, _NAME_WIDTH)[starts[long_names]])
        if not wide.any(axis=1).all():
            raise _NotPlain
        opening_lengths[long_names] = wide.argmax(axis=1)
    if (opening_lengths == 0).any():
        raise _NotPlain
    lengths[opening] = opening_lengths
    shift = np.minimum(opening_lengths, 8).astype(np.uint64) * np.uint64(8)
    head = tag_words[opening] >> np.uint64(8)  # the word starts at "<"
    head |= window[:, 7].astype(np.uint64) << np.uint64(56)
    head &= np.where(shift == 64, np.uint64(2**64 - 1), (np.uint64(1) << shift) - np.uint64(1))
    tail_at = np.maximum(starts + opening_lengths - 8, 0)
    tail = np.where(opening_lengths > 8, words[tail_at], np.uint64(0))
    keys = (head * np.uint64(0x9E3779B97F4A7C15)) ^ tail ^ opening_lengths.astype(np.uint64)
    codes = _channel_codes(channels)
    opening_kinds = np.full(opening.shape[0], -1, dtype=np.int8)
    for _ in range(_MOST_NAMES):
        unassigned = np.flatnonzero(opening_kinds < 0)
        if unassigned.shape[0] == 0:
            break
        row = int(unassigned[0])
        same = keys == keys[row]
        length = int(opening_lengths[row])
        name_bytes = bytes(buffer[starts[row] : starts[row] + length])
        if length > 16:
            whole = sliding_window_view(buffer, length)[starts[np.flatnonzero(same)]]
            if not (whole == np.frombuffer(name_bytes, dtype=np.uint8)).all():
                raise _NotPlain  # two names share a key: never in practice, but never guessed either
        name = name_bytes.decode("utf-8", "replace")
        if name.startswith("?") and (opening[row] != 0 or int(np.count_nonzero(same)) != 1):
            raise _NotPlain  # a processing instruction after the XML declaration
        opening_kinds[same] = _IGNORED if name.startswith("?") else _kind(name, codes, channels)
    else:
        raise _NotPlain  # a document of many different names is no plain track
    kinds[opening] = opening_kinds
    root = 1 if name_of(buffer, tags[0], int(lengths[0])).startswith("?") else 0
    if root >= tags.shape[0] or name_of(buffer, tags[root], int(lengths[root])) != "gpx":
        raise _NotPlain  # a prefixed root: unprefixed names might be in another namespace
    return kinds, lengths


def name_of(buffer: np.ndarray, tag: int, length: int) -> str:
    return bytes(buffer[tag + 1 : tag + 1 + length]).decode("utf-8", "replace")


def _word(text: bytes) -> np.uint64:
    return np.frombuffer(text.ljust(8, b"\0"), dtype="<u8")[0]


_MASKS: Final = {n: np.uint64((1 << (8 * n)) - 1) for n in range(1, 8)}


def _delimiters(window: np.ndarray) -> np.ndarray:
    """Where a name ends: XML white space (all below "!"), ">" or "/"."""
    ends: np.ndarray = (window <= ord(" ")) | (window == _GT) | (window == _SLASH)
    return ends


def _kind(name: str, codes: Mapping[str, int], channels: Mapping[str, str]) -> int:
    closing = name.startswith("/")
    bare = name[1:] if closing else name
    _prefix, colon, local = bare.rpartition(":")
    if colon and local in ("trkpt", "ele", "time", "trk"):
        raise _NotPlain  # prefixed GPX elements: the tree resolves what the prefix means
    if closing:
        return {"trk": _TRACK_CLOSE, "trkpt": _POINT_CLOSE}.get(bare, _IGNORED)
    known = {"trkpt": _POINT, "ele": _ALTITUDE, "time": _TIME, "trk": _TRACK_OPEN}
    if not colon and bare in known:
        return known[bare]
    channel = channels.get(local.lower())
    if channel is not None:
        return codes[channel]
    if colon or bare in _GPX_NAMES or bare in _OUTSIDE_TRACKS:
        return _IGNORED
    raise _NotPlain  # an unprefixed name GPX does not define


def _channel_codes(channels: Mapping[str, str]) -> dict[str, int]:
    return {channel: 16 + index for index, channel in enumerate(sorted(set(channels.values())))}


def _coordinates(buffer: np.ndarray, offsets: np.ndarray) -> tuple[FloatArray, FloatArray]:
    """lat and lon of ``<trkpt lat="…" lon="…"`` (either order, one space between) at each offset."""
    head = sliding_window_view(buffer, _POINT_WIDTH)[offsets]
    lat_first = (head[:, :12] == _LAT_FIRST).all(axis=1)
    if not (lat_first | (head[:, :12] == _LON_FIRST).all(axis=1)).all():
        raise _NotPlain
    quotes = head[:, 12:] == _QUOTE
    line = np.arange(head.shape[0])
    first_width = quotes.argmax(axis=1)  # the quote closing the first value
    quotes[line, first_width] = False
    second_open = quotes.argmax(axis=1)
    quotes[line, second_open] = False
    second_close = quotes.argmax(axis=1)
    if not (quotes[line, second_close].all() and (second_open == first_width + 6).all()):
        raise _NotPlain  # numbers too long for the window, or more than '" lon="' between them
    second_start = first_width + 7  # after '" lon="'
    second_width = second_close - second_start
    second_name = head[line[:, None], 12 + first_width[:, None] + np.arange(6)]
    expected = np.where(lat_first[:, None], _SECOND_LON, _SECOND_LAT)
    if not (second_name == expected).all():
        raise _NotPlain
    first_numbers = _numbers(buffer, offsets + 12, first_width)
    second_numbers = _numbers(buffer, offsets + 12 + second_start, second_width)
    lat = np.where(lat_first, first_numbers, second_numbers)
    lon = np.where(lat_first, second_numbers, first_numbers)
    return lat, lon


_POINT_WIDTH: Final = 12 + 2 * _NUMBER_WIDTH
_LAT_FIRST: Final = np.frombuffer(b'<trkpt lat="', dtype=np.uint8)
_LON_FIRST: Final = np.frombuffer(b'<trkpt lon="', dtype=np.uint8)
_SECOND_LON: Final = np.frombuffer(b'" lon="', dtype=np.uint8)[:6]
_SECOND_LAT: Final = np.frombuffer(b'" lat="', dtype=np.uint8)[:6]


def _texts(buffer: np.ndarray, starts: np.ndarray, widths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of bytes from each of ``starts``, each as wide as the widest text; ``widths`` tell where
    each text ends."""
    if starts.shape[0] == 0:
        return np.zeros((0, 1), dtype=np.uint8), widths
    width = max(int(widths.max()), 1)
    if width > _VALUE_WIDTH or (widths < 0).any():
        raise _NotPlain
    return sliding_window_view(buffer, width)[starts], widths


def _numbers(buffer: np.ndarray, starts: np.ndarray, widths: np.ndarray) -> FloatArray:
    """The numbers written at ``starts``; see :func:`row_numbers`, which this reads faster in the usual
    case of one count of decimals throughout (every row then has its digits at fixed powers of ten)."""
    fixed = _fixed_decimals(buffer, starts, widths)
    return fixed if fixed is not None else row_numbers(*_texts(buffer, starts, widths))


def _fixed_decimals(buffer: np.ndarray, starts: np.ndarray, widths: np.ndarray) -> FloatArray | None:
    count = starts.shape[0]
    if count == 0 or (widths == 0).any():
        return None
    width = int(widths.max())
    if width > _MOST_DIGITS or int((starts + widths).min()) < width:
        return None
    # Rows ending where each text ends: column k holds the character (width - 1 - k) from the right.
    rows = sliding_window_view(buffer, width)[starts + widths - width]
    first = int(np.argmax(widths))
    text = bytes(rows[first])
    decimals = width - 1 - text.index(b".") if b"." in text else 0
    line = np.arange(count)
    leftmost = rows[line, width - widths]
    minus = leftmost == ord("-")
    digit = (rows >= ord("0")) & (rows <= ord("9")) & (np.arange(width) >= (width - widths)[:, None])
    expected = widths - minus  # digits and the dot
    if decimals:
        dot_column = width - 1 - decimals
        if not (rows[:, dot_column] == ord(".")).all():
            return None
        expected = expected - 1
    if not (digit.sum(axis=1) == expected).all() or (expected < 1).any() or (expected > 15).any():
        return None
    from_right = width - 1 - np.arange(width)
    powers = np.where(from_right < decimals, from_right, from_right - 1) if decimals else from_right
    weights = _POWERS[np.clip(powers, 0, len(_POWERS) - 1)] * (powers >= 0)
    mantissa = ((rows.astype(np.int64) - ord("0")) * digit) @ weights
    values: FloatArray = mantissa.astype(np.float64) / float(10**decimals)
    return np.where(minus, -values, values)


_MOST_DIGITS: Final = 16  # characters of a fixed-decimals number (sign and dot included): mantissa < 2**53
_POWERS: Final = 10 ** np.arange(16, dtype=np.int64)


def _times(n: int, owner: np.ndarray, rows: np.ndarray, widths: np.ndarray) -> FloatArray:
    """Epoch seconds by point, computed as the tree reader computes them from the same texts."""
    one_each = owner.shape[0] == n and bool((owner == np.arange(n)).all())
    if one_each and (widths == widths[0]).all():
        fast = fixed_utc_epochs(rows[:, : int(widths[0])])
        if fast is not None:
            return fast
    texts: list[str | None] = [None] * n
    for point, row, width in zip(owner.tolist(), rows, widths.tolist(), strict=True):
        texts[point] = bytes(row[:width]).decode("utf-8", "replace")
    return epochs(texts)


def _spread(n: int, owner: np.ndarray, values: FloatArray) -> FloatArray:
    """Values by point; the last one wins where a point holds several, as in the tree reader."""
    column = np.full(n, np.nan)
    column[owner] = values
    return column
