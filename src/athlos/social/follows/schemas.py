"""Input and output of the follows API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class FollowStateOut(BaseModel):
    state: Literal["following", "requested"]


class PersonOut(BaseModel):
    """Someone in a list of followers, followees or requests, and since when."""

    id: uuid.UUID
    display_name: str
    avatar_url: str | None
    since: datetime
