"""Output of the feed API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class FeedItemOut(BaseModel):
    """One item of the home feed; ``activity_id`` is set for items of type ``activity``."""

    id: uuid.UUID
    type: str
    created_at: datetime
    actor_id: uuid.UUID
    activity_id: uuid.UUID | None = None


class FeedPageOut(BaseModel):
    items: list[FeedItemOut]
    next_cursor: str | None = None
