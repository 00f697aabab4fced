"""Input and output of the reports API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Literal["person", "comment", "message", "club", "club_event"]
    subject_id: uuid.UUID
    reason: str = Field(min_length=1, max_length=2000, pattern=r"^[^\x00]*\S[^\x00]*$")


class ReportOut(BaseModel):
    id: uuid.UUID
    status: str


class OpenReportOut(BaseModel):
    id: uuid.UUID
    subject: str
    subject_id: uuid.UUID
    reporter_id: uuid.UUID
    reason: str
    created_at: datetime


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["dismissed", "removed"] = Field(
        description="dismissed: nothing wrong; removed: the comment or chat message is taken down"
    )


class ReviewOut(BaseModel):
    settled: int = Field(description="How many open reports of the same subject this settled")
