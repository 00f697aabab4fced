"""Output of the feed API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class FeedItemOut(BaseModel):
    """One item of the home feed. ``type`` is its kind: ``activity`` (``activity_id`` set), ``badge``,
    ``level``, ``goal``, ``challenge``, ``race`` (what ``actor_id`` achieved, described by ``facts``) or
    ``news`` (``facts`` holds the article's title and summary; no actor)."""

    id: uuid.UUID
    type: str
    created_at: datetime
    actor_id: uuid.UUID | None = None
    activity_id: uuid.UUID | None = None
    facts: dict[str, Any] = {}


class FeedPageOut(BaseModel):
    items: list[FeedItemOut]
    next_cursor: str | None = None
