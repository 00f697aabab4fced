"""Input and output of the data export and account deletion API."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field


class DeleteAccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(default=None, min_length=1, max_length=1024)
    totp_code: str | None = Field(default=None, min_length=1, max_length=64)


class ExportOut(BaseModel):
    id: uuid.UUID
    status: str
    download_url: str | None
    expires_at: str | None
