"""Safe XML for the GPX and TCX importers: defusedxml parsing and the small helpers both need."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Final
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from athlos.activities.importers.errors import CORRUPT_FILE, NOT_AN_ACTIVITY, XML_FORBIDDEN, ImportRefused

NAN: Final = math.nan


def parse_xml(data: bytes, what: str) -> Element:
    """The document's root element. DTD entities and external references are refused."""
    try:
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


def text_of(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    stripped = element.text.strip()
    return stripped or None
