"""The shop's funnel: how often links were shown (counted, about no one), the clicks on them, the
purchases the shop confirmed, the deliveries of its webhook, and the offers to add a purchase to gear."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class ShopImpression(Base):
    """How many times links to the shop were shown, per day, region, placement and promotion."""

    __tablename__ = "commerce_shop_impression"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)  # "" when unknown
    region: Mapped[str] = mapped_column(String(10), primary_key=True)
    placement: Mapped[str] = mapped_column(String(32), primary_key=True)
    promotion: Mapped[str] = mapped_column(String(64), primary_key=True)
    shown: Mapped[int] = mapped_column(Integer, default=0)


class ShopClick(UUIDPrimaryKey, Base):
    """A followed link to the shop. ``token`` is the opaque click id the shop sends back."""

    __tablename__ = "commerce_shop_click"

    token: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[str] = mapped_column(ForeignKey("commerce_product.id"), index=True)
    placement: Mapped[str] = mapped_column(String(32))
    promotion: Mapped[str] = mapped_column(String(64), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    region: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow, index=True)


class ShopConversion(UUIDPrimaryKey, Base):
    """A purchase the shop confirmed, once per order, against the click that led to it."""

    __tablename__ = "commerce_shop_conversion"

    order_id: Mapped[str] = mapped_column(String(64), unique=True)
    click_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("commerce_shop_click.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[str] = mapped_column(ForeignKey("commerce_product.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    purchased_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class WebhookDelivery(Base):
    """A webhook delivery already accepted, by the digest of its signature: the same delivery sent again
    is a replay. Kept a little longer than the five minutes a delivery is valid, then dropped."""

    __tablename__ = "commerce_webhook_delivery"

    signature_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow, index=True)


class GearOffer(Base):
    """The offer to add a bought product to the buyer's gear: open, then added or declined."""

    __tablename__ = "commerce_gear_offer"

    conversion_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("commerce_shop_conversion.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("commerce_product.id"))
    state: Mapped[str] = mapped_column(String(16), default="open")
    # The gear domain's item made from it; no foreign key across domains.
    gear_id: Mapped[uuid.UUID | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
