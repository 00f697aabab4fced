"""Input and output of the club chat API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from athlos.social.chat.service import MAX_TEXT
from athlos.social.reactions.schemas import MentionOut


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="Mentions are written @[Name](user id)")


class MessageOut(BaseModel):
    """A message; a deleted one is a tombstone: ``deleted`` true, no author, no text."""

    id: uuid.UUID
    club_id: uuid.UUID
    author_id: uuid.UUID | None
    author_name: str | None
    text: str | None
    mentions: list[MentionOut]
    created_at: datetime
    deleted: bool


class MessagePageOut(BaseModel):
    items: list[MessageOut]
    next_cursor: str | None = None


class ClubChatOut(BaseModel):
    club_id: uuid.UUID
    club_name: str
    role: str
    unread: int
    last_message_at: datetime | None
