"""Promotions, their pools of single-use codes, and what each person saw of them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from athlos.core.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class Promotion(UUIDPrimaryKey, Base):
    """An offer: where and when it runs, whom it is for (every rule given must hold), its words per
    language and the product it links to. ``slug`` is its ``utm_campaign`` in the shop's funnel."""

    __tablename__ = "commerce_promotion"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    # {"en": {"title": ..., "body": ...}, "ru": {...}, "de": {...}}; English is always there.
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("commerce_product.id"))
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    cities: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
    sports: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_level: Mapped[int | None] = mapped_column(Integer)
    # "any" for any gear, a gear kind ("shoes"), or None: no gear rule.
    gear_kind: Mapped[str | None] = mapped_column(String(16))
    # Social's club; no foreign key across domains.
    club_id: Mapped[uuid.UUID | None] = mapped_column()
    points_cost: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class PromoCode(UUIDPrimaryKey, Base):
    """A single-use code of a promotion's pool: free until ``issued_at``, then a person's for good (an
    erased person's code stays issued, without them)."""

    __tablename__ = "commerce_promo_code"
    __table_args__ = (UniqueConstraint("promotion_id", "user_id"),)

    promotion_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("commerce_promotion.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts_user.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)


class PromotionSeen(Base):
    """What one person had of one promotion: how often its card was shown, whether they put it away,
    and when it was sent to them (the frequency cap counts these)."""

    __tablename__ = "commerce_promotion_seen"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts_user.id", ondelete="CASCADE"), primary_key=True
    )
    promotion_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("commerce_promotion.id", ondelete="CASCADE"), primary_key=True
    )
    shown: Mapped[int] = mapped_column(Integer, default=0)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True))
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(timezone=True), index=True)
