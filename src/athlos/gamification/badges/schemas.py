"""Answers of the badges API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class BadgeOut(BaseModel):
    id: str
    kind: str
    icon: str
    name: str
    description: str
    earned: bool
    earned_at: datetime | None
    activity_id: uuid.UUID | None


class BadgesOut(BaseModel):
    items: list[BadgeOut]
