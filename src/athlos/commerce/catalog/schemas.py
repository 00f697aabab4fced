"""Bodies of the catalogue API: products as people see them, and an import's report."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class OfferOut(BaseModel):
    country: str
    price: Decimal
    currency: str
    available: bool


class ProductOut(BaseModel):
    id: str = Field(description="The feed's stable id; gear items link to it")
    sku: str
    name: str
    brand: str
    category: str
    sports: list[str]
    terrain: str | None
    cushioning: str | None
    drop_mm: float | None
    weight_g: float | None
    lifespan_km: float | None
    images: list[str]
    shop_url: str
    successor_id: str | None
    retired: bool
    offers: list[OfferOut]


class ProductList(BaseModel):
    items: list[ProductOut]
    next_cursor: str | None


class IssueOut(BaseModel):
    row: int
    product_id: str | None
    field: str
    reason: str


class ImportOut(BaseModel):
    source: str
    created: int
    updated: int
    unchanged: int
    retired: int
    rejected: int
    applied: bool
    issues: list[IssueOut]
    created_at: datetime
