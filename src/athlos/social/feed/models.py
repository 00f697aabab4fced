"""The feed's truth: one row per thing that may appear in feeds, kept from the events that announce it.

The per-person feeds in Redis are a projection of these rows and the follows; they can always be
rebuilt from here.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Final

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UUIDPrimaryKey

USERS_ID: Final = "accounts_user.id"
NOT_FANNED_OUT: Final = "fanned_out = false"


class FeedItem(UUIDPrimaryKey, Base):
    """Something ``author_id`` did at ``occurred_at``. ``kind`` names what (``social.feed.kinds``): for
    "activity", ``subject_id`` is the activity; for an achievement (a badge, a level, a goal, a challenge,
    a race) it is an id made from what was achieved, and ``facts`` holds the few facts its card shows, as
    the event that announced it gave them. ``fanned_out`` is false for authors with a very large
    audience, whose items are merged into their followers' feeds when they read them instead of being
    copied into each feed."""

    __tablename__ = "social_feed_item"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id"),
        Index("ix_social_feed_item_author", "author_id", "occurred_at", "id"),
        # The few items merged in when a feed is read (see ``fanned_out``): found without touching the rest.
        Index(
            "ix_social_feed_item_merged",
            "author_id",
            "occurred_at",
            "id",
            postgresql_where=text(NOT_FANNED_OUT),
            sqlite_where=text(NOT_FANNED_OUT),
        ),
    )

    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[uuid.UUID]
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(USERS_ID, ondelete="CASCADE"))
    visibility: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime]
    fanned_out: Mapped[bool] = mapped_column(Boolean, default=True)
    facts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
