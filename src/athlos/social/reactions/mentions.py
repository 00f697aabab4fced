"""@mentions in comments: ``@[Display name](user id)``, as the mention picker writes them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Final

MENTION: Final = re.compile(
    r"@\[(?P<name>[^\[\]\n]{1,100})\]\((?P<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\)"
)
MAX_MENTIONS: Final = 10


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of a comment's text: plain, or a mention of ``user_id`` (shown as ``text``)."""

    text: str
    user_id: uuid.UUID | None = None


def mentioned_ids(text: str) -> list[uuid.UUID]:
    """The people a text mentions, each once, in order, at most ``MAX_MENTIONS``."""
    found = dict.fromkeys(uuid.UUID(match["id"]) for match in MENTION.finditer(text))
    return list(found)[:MAX_MENTIONS]


def pieces(text: str) -> list[Piece]:
    """The text cut into plain runs and mentions, for showing it with links."""
    out: list[Piece] = []
    at = 0
    for match in MENTION.finditer(text):
        if match.start() > at:
            out.append(Piece(text[at : match.start()]))
        out.append(Piece("@" + match["name"], uuid.UUID(match["id"])))
        at = match.end()
    if at < len(text):
        out.append(Piece(text[at:]))
    return out
