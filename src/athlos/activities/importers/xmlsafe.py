"""Safe XML for the GPX and TCX importers: defusedxml parsing and the small helpers both need."""

from __future__ import annotations

import math
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
    head = data[:4]
    ascii_compatible = b"\x00" not in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    try:
        if ascii_compatible and b"<!DOCTYPE" not in data and b"<!ENTITY" not in data:
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
