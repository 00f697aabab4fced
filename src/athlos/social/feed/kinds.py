"""The kinds of feed items and the sources merged into feeds when read.

A kind is what a feed item is about (an activity, a badge, a level, a goal, a challenge, a race, a news
article): the template that draws its card (``social/feed/_<kind>.html`` for social's own kinds; a
capability's own template for the kinds it adds) and, when seeing it takes more than seeing its author's
profile, who may see it (``audience``). The feed page includes each item's template; no page branches
on kinds.

A source gives items that are nobody's follows to fan out (staff's news for the people targeted): its
``read`` answers a page of them for a reader and cursor window, merged into the feed in the same order.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

Position = tuple[datetime, uuid.UUID]


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a person's feed, as the API and the page show it; ``author_id`` is None for what no
    person did (news)."""

    id: uuid.UUID
    type: str
    author_id: uuid.UUID | None
    subject_id: uuid.UUID
    created_at: datetime
    facts: dict[str, Any] = field(default_factory=dict)


Audience = Callable[[AsyncSession, uuid.UUID, FeedEntry], Awaitable[bool]]
Dress = Callable[[dict[str, Any], str], dict[str, Any]]
Read = Callable[[AsyncSession, uuid.UUID, Position | None, int], Awaitable[list[FeedEntry]]]


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    template: str
    audience: Audience | None = None
    # An item of a person: shown only to those who may see the person's profile (accounts.privacy).
    as_profile_allows: bool = True
    # What the card shows beyond the item's facts, in the reader's language (a time as a clock).
    dress: Dress | None = None


@dataclass(frozen=True, slots=True)
class Source:
    kind: str
    read: Read


KINDS: dict[str, Kind] = {}
SOURCES: dict[str, Source] = {}


def register_kind(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def register_source(source: Source) -> Source:
    SOURCES[source.kind] = source
    return source


def template_of(kind: str) -> str | None:
    found = KINDS.get(kind)
    return found.template if found else None


# An activity's own rules (its visibility, blocks) are the activities domain's, asked when it is read.
register_kind(Kind("activity", "social/feed/_activity.html", as_profile_allows=False))
