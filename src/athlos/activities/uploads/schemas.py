"""Response bodies of uploads: a received file and how its import goes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

UploadStatus = Literal["processing", "done", "error"]


class UploadAccepted(BaseModel):
    id: uuid.UUID
    status: UploadStatus


class UploadError(BaseModel):
    code: str
    detail: str
    activity_id: uuid.UUID | None = Field(default=None, description="The existing activity of a duplicate")


class UploadProgress(BaseModel):
    total: int
    done: int


class UploadOut(BaseModel):
    id: uuid.UUID
    status: UploadStatus
    filename: str
    size_bytes: int
    activity_ids: list[uuid.UUID]
    error: UploadError | None
    warnings: list[str]
    progress: UploadProgress
    created_at: datetime
    finished_at: datetime | None
