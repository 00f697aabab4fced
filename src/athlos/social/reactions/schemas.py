"""Input and output of the kudos and comments API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class KudosGiverOut(BaseModel):
    id: uuid.UUID
    display_name: str
    avatar_url: str | None
    given_at: datetime


class KudosPageOut(BaseModel):
    count: int
    items: list[KudosGiverOut]
    next_cursor: str | None = None


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, description="Mentions are written @[Name](user id)")


class MentionOut(BaseModel):
    id: uuid.UUID
    display_name: str


class CommentOut(BaseModel):
    """A comment; a deleted one is a tombstone: ``deleted`` true, no author, no text."""

    id: uuid.UUID
    activity_id: uuid.UUID
    author_id: uuid.UUID | None
    author_name: str | None
    text: str | None
    mentions: list[MentionOut]
    created_at: datetime
    edited_at: datetime | None
    deleted: bool


class CommentPageOut(BaseModel):
    comments_open: bool
    items: list[CommentOut]
    next_cursor: str | None = None


class CommentsOpenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    open: bool
