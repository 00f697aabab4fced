"""The catalogue's products, their price and availability per country, and the imports of the feed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class Product(Base):
    """One product of the brand. ``id`` is the feed's stable id: gear items and shop clicks keep it, so a
    product is never deleted; one that leaves the feed is retired and comes back if it returns."""

    __tablename__ = "commerce_product"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(120))
    brand: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(32), index=True)
    sports: Mapped[list[str]] = mapped_column(JSON, default=list)
    terrain: Mapped[str | None] = mapped_column(String(16))
    cushioning: Mapped[str | None] = mapped_column(String(16))
    drop_mm: Mapped[float | None] = mapped_column(Float)
    weight_g: Mapped[float | None] = mapped_column(Float)
    lifespan_km: Mapped[float | None] = mapped_column(Float)
    images: Mapped[list[str]] = mapped_column(JSON, default=list)
    shop_url: Mapped[str] = mapped_column(String(500))
    # Another product's id; no foreign key, as a feed may name its successor before or after it.
    successor_id: Mapped[str | None] = mapped_column(String(64))
    # A digest of what the feed said, so a re-import tells a changed product from an unchanged one.
    content_hash: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class ProductOffer(Base):
    """A product's price and availability in one country."""

    __tablename__ = "commerce_product_offer"

    product_id: Mapped[str] = mapped_column(
        ForeignKey("commerce_product.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    available: Mapped[bool] = mapped_column(Boolean, default=True)


class CatalogImport(UUIDPrimaryKey, Base):
    """One import of the feed: where it came from, what it changed and the rows it refused."""

    __tablename__ = "commerce_catalog_import"

    source: Mapped[str] = mapped_column(String(200))
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    # The first refusals: [{"row", "product_id", "field", "reason"}].
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    applied: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow, index=True)
