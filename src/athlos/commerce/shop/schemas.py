"""Bodies of the shop's webhook and of the funnel."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class PurchaseIn(BaseModel):
    """What the shop tells about a purchase: its own order id (the idempotency key), the click id it
    received on the link, the product bought, and what was paid."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    order_id: str = Field(min_length=1, max_length=64)
    click_id: str = Field(min_length=1, max_length=32)
    product_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1, le=100)
    amount: Decimal = Field(ge=0, le=10_000_000, decimal_places=2)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    purchased_at: datetime


class PurchaseOut(BaseModel):
    conversion_id: uuid.UUID
    order_id: str
    product_id: str
    status: str = Field(description='"recorded"')


class FunnelRow(BaseModel):
    country: str
    region: str
    placement: str
    promotion: str
    shown: int
    clicked: int
    bought: int
