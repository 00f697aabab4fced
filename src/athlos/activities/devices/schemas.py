"""Request and response bodies of registered devices."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

# Text with something visible in it and no NUL (which PostgreSQL cannot store).
NAME: Final = r"^[^\x00]*[^\s\x00][^\x00]*$"


class DeviceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, pattern=NAME)


class DeviceOut(BaseModel):
    id: uuid.UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class DeviceCreated(DeviceOut):
    token: str = Field(description="Shown this once: the device sends it as `Authorization: Bearer <token>`")
