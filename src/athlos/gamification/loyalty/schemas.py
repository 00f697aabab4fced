"""Bodies of the loyalty API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class LoyaltyBalanceOut(BaseModel):
    balance: int
    reserved: int


class LoyaltyEntryOut(BaseModel):
    """A transfer from the person's side: positive when it credited them, negative when it debited."""

    model_config = ConfigDict(from_attributes=True)

    transfer_id: str
    amount: int
    reason: str
    reservation_id: str | None
    note: str
    created_at: datetime


class CorrectionIn(BaseModel):
    user_id: uuid.UUID
    # Points to add (positive) or take away (negative).
    amount: int = Field(ge=-1_000_000_000, le=1_000_000_000)
    transfer_id: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9:._-]*$")
    note: str = Field(min_length=1, max_length=500)


class CorrectionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    transfer_id: str
    amount: int
    reason: str
    note: str
    created_at: datetime
