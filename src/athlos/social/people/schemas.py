"""Output of the people API."""

from __future__ import annotations

import uuid

from pydantic import BaseModel


class PersonFoundOut(BaseModel):
    id: uuid.UUID
    display_name: str
    avatar_url: str | None
    city: str | None
