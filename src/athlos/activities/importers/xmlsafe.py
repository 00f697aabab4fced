"""Safe XML for the GPX and TCX importers: defusedxml parsing and the small helpers both need."""

from __future__ import annotations

import math
import pyexpat
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
import numpy as np

from athlos.activities.importers.errors import CORRUPT_FILE, NOT_AN_ACTIVITY, XML_FORBIDDEN, ImportRefused
from athlos.activities.streams import FloatArray

NAN: Final = math.nan


def parse_xml(data: bytes, what: str) -> Element:
    """The document's root element. DTD entities and external references are refused.

    A document that could declare entities (it has a DOCTYPE, or an encoding that hides one from a
    byte scan) goes through defusedxml, which refuses them. One that cannot is parsed directly by the
    C expat parser, several times faster: without a DTD there is nothing to expand or fetch.
    """
    try:
        if _without_dtd(data):
            return ET.fromstring(data)  # noqa: S314 - no DTD, so no entities (checked above)
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise ImportRefused(
            XML_FORBIDDEN, f"the {what} file declares XML entities or external references ({exc})"
        ) from None
    except ParseError as exc:
        raise ImportRefused(CORRUPT_FILE, f"the {what} file is not well-formed XML: {exc}") from None
    except (ValueError, LookupError, RecursionError) as exc:  # bad encodings, absurd nesting
        raise ImportRefused(CORRUPT_FILE, f"the {what} file cannot be read as XML: {exc}") from None


def _without_dtd(data: bytes) -> bool:
    """True when a byte scan shows the document cannot declare entities: no DTD, no hiding encoding."""
    head = data[:4]
    ascii_compatible = b"\x00" not in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    return ascii_compatible and (b"!" not in data or (b"<!DOCTYPE" not in data and b"<!ENTITY" not in data))


def not_plain_markup(data: bytes) -> bool:
    """Whether the document holds ``<!`` markup (a DTD, comments, CDATA)."""
    # One byte is found by memchr many times faster than two, and most tracks have no "!" at all.
    return b"!" in data and b"<!" in data


_DECLARED_ENCODING: Final = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_PLAIN_ENCODINGS: Final = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}


def plain_well_formed(data: bytes) -> bool:
    """True when the document is UTF-8 without DTD and well-formed, checked by expat without a tree.

    Such a document's bytes can be read directly (what a parser would report is the same text); any
    other document, and any that is not well-formed, must go through :func:`parse_xml`.
    """
    if not _without_dtd(data):
        return False
    declared = _DECLARED_ENCODING.search(data, 0, 200)
    if declared is not None and declared.group(1).lower() not in _PLAIN_ENCODINGS:
        return False
    parser = pyexpat.ParserCreate(namespace_separator="}")  # namespaces checked, as ElementTree does
    try:
        parser.Parse(data, True)
    except (pyexpat.ExpatError, ValueError, LookupError, RecursionError):
        return False
    return True


def parse_document(data: bytes, what: str, root_name: str) -> tuple[Element, str]:
    """The root element, checked to be ``root_name``, and its ``{namespace}`` prefix."""
    root = parse_xml(data, what)
    if local(root.tag) != root_name:
        raise ImportRefused(NOT_AN_ACTIVITY, f"the XML document is a <{local(root.tag)}>, not {what}")
    return root, namespace(root)


def namespace(root: Element) -> str:
    """``{uri}`` of the root element, or ``""`` for a document without namespace."""
    tag = root.tag
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def to_float(text: str | None) -> float:
    """A number from element or attribute text; NaN when absent or not a finite number."""
    if text is None:
        return NAN
    try:
        value = float(text)
    except ValueError:
        return NAN
    return value if math.isfinite(value) else NAN


def to_epoch(text: str | None) -> float:
    """Epoch seconds from an ISO 8601 timestamp (UTC when it has no offset); NaN when unreadable."""
    if not text:
        return NAN
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return NAN
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return NAN


def floats(texts: Sequence[str | None]) -> FloatArray:
    """Numbers from many texts at once; NaN for the missing or unreadable ones."""
    try:
        values = np.array(texts, dtype=np.float64)
    except (TypeError, ValueError):
        values = np.array([to_float(t) for t in texts], dtype=np.float64)
    values[~np.isfinite(values)] = np.nan
    return values


def utf8_numbers(strings: np.ndarray) -> FloatArray:
    """Numbers from an array of raw texts (``b""`` when absent); NaN for the missing or unreadable."""
    strings = strings.copy()
    strings[strings == b""] = b"nan"
    try:
        values: FloatArray = strings.astype(np.float64)
    except ValueError:
        values = np.array([to_float(t.decode("utf-8", "replace")) for t in strings], dtype=np.float64)
    values[~np.isfinite(values)] = np.nan
    return values


_POWERS_OF_TEN: Final = 10 ** np.arange(16, dtype=np.int64)
_MOST_DIGITS: Final = 15  # below 2**53: every such mantissa is an exact float64


def row_numbers(rows: np.ndarray, widths: np.ndarray) -> FloatArray:
    """Numbers from rows of bytes, each text in its row's first ``widths`` bytes (what follows is
    ignored); NaN for empty or unreadable ones.

    Plain decimals (``-12.345``, at most 15 digits) are read with array arithmetic: the digits make an
    exact integer mantissa and one division by an exact power of ten rounds correctly, so the value is
    the one ``float()`` gives. Other texts go through :func:`utf8_numbers`.
    """
    inside = np.arange(rows.shape[1]) < widths[:, None]
    fast = _plain_decimals(rows, widths, inside)
    if fast is not None:
        return fast
    padded = np.where(inside, rows, 0).astype(np.uint8)
    strings: np.ndarray = padded.view(f"S{rows.shape[1]}").reshape(-1)
    return utf8_numbers(strings)


def _plain_decimals(rows: np.ndarray, widths: np.ndarray, inside: np.ndarray) -> FloatArray | None:
    digit = (rows >= ord("0")) & (rows <= ord("9")) & inside
    dot = (rows == ord(".")) & inside
    minus = (rows[:, 0] == ord("-")) & (widths > 0)
    allowed = digit | dot
    allowed[:, 0] |= minus
    if (inside & ~allowed).any():
        return None
    digits = digit.sum(axis=1)
    dots = dot.sum(axis=1)
    empty = widths == 0
    if (dots > 1).any() or (digits > _MOST_DIGITS).any() or ((digits == 0) & ~empty).any():
        return None
    after: np.ndarray = np.cumsum(digit[:, ::-1], axis=1)[:, ::-1] - digit  # digits to the right of each one
    mantissa = ((rows.astype(np.int64) - ord("0")) * digit * _POWERS_OF_TEN[after]).sum(axis=1)
    fraction = np.where(dots == 1, widths - dot.argmax(axis=1) - 1, 0)
    values: FloatArray = mantissa.astype(np.float64) / _POWERS_OF_TEN[fraction].astype(np.float64)
    values = np.where(minus, -values, values)
    values[empty] = np.nan
    return values


_DIGITS: Final = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)  # YYYY-MM-DDTHH:MM:SS
_SEPARATORS: Final = ((4, b"-"), (7, b"-"), (10, b"T"), (13, b":"), (16, b":"))
_DAYS_IN_MONTH: Final = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def fixed_utc_epochs(chars: np.ndarray) -> FloatArray | None:
    """Epoch seconds from rows of ``YYYY-MM-DDTHH:MM:SS[.fraction]Z`` bytes, all of one width.

    The same values as :func:`epochs`, computed with array arithmetic over the digits; ``None`` when a
    row has another form or a date :func:`epochs` would judge (invalid, or outside datetime64[ns]).
    """
    count, width = chars.shape
    fraction_digits = width - 21
    if width < 20 or (width > 20 and not 1 <= fraction_digits <= 9):
        return None
    if not (chars[:, -1] == ord("Z")).all() or (fraction_digits > 0 and not (chars[:, 19] == ord(".")).all()):
        return None
    for index, separator in _SEPARATORS:
        if not (chars[:, index] == separator[0]).all():
            return None
    positions = list(_DIGITS) + list(range(20, 20 + max(fraction_digits, 0)))
    digits = chars[:, positions].astype(np.int64) - ord("0")
    if ((digits < 0) | (digits > 9)).any():
        return None
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 4] * 10 + digits[:, 5]
    day = digits[:, 6] * 10 + digits[:, 7]
    hour = digits[:, 8] * 10 + digits[:, 9]
    minute = digits[:, 10] * 10 + digits[:, 11]
    second = digits[:, 12] * 10 + digits[:, 13]
    if ((year < 1678) | (year > 2261) | (month < 1) | (month > 12)).any():
        return None  # outside what datetime64[ns] holds: the general path decides
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _DAYS_IN_MONTH[month] + ((month == 2) & leap)
    if ((day < 1) | (day > last_day) | (hour > 23) | (minute > 59) | (second > 59)).any():
        return None
    # Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    shifted = year - (month <= 2)
    era = shifted // 400
    year_of_era = shifted - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days = era * 146_097 + day_of_era - 719_468
    nanoseconds = (days * 86_400 + hour * 3_600 + minute * 60 + second) * 1_000_000_000
    if fraction_digits > 0:
        fraction = np.zeros(count, dtype=np.int64)
        for column in range(14, 14 + fraction_digits):
            fraction = fraction * 10 + digits[:, column]
        nanoseconds += fraction * 10 ** (9 - fraction_digits)
    result: FloatArray = nanoseconds.astype(np.float64) / 1e9
    return result


def epochs(texts: Sequence[str | None]) -> FloatArray:
    """Epoch seconds from many ISO 8601 timestamps at once; NaN for the missing or unreadable ones."""
    if texts and all(isinstance(t, str) and t.endswith("Z") for t in texts):
        try:
            moments = np.array([t[:-1] for t in texts if t], dtype="datetime64[ns]")
        except ValueError:
            pass
        else:
            nanoseconds = moments.astype(np.int64).astype(np.float64)
            nanoseconds[np.isnat(moments)] = np.nan
            return nanoseconds / 1e9
    return np.array([to_epoch(t) for t in texts], dtype=np.float64)


def text_of(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    stripped = element.text.strip()
    return stripped or None
